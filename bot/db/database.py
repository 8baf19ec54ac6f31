"""The one SQLite connection: pragmas, a locked transaction helper and numbered migrations."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Which task holds the transaction lock, so reads inside a transaction don't wait on themselves.
_holder: contextvars.ContextVar[object | None] = contextvars.ContextVar("pacer_db_tx", default=None)

Row = aiosqlite.Row
T = TypeVar("T")

#: Most pieces of work committed together: bounds how long the first of a batch waits.
GROUP_MAX = 256


class DatabaseError(Exception):
    """The database can't be used (newer than the code, unwritable, corrupt); says why."""


class Database:
    """One long-lived aiosqlite connection shared by every repository.

    Writes go through :meth:`transaction`: an ``asyncio.Lock`` plus ``BEGIN IMMEDIATE``. Without
    the lock two coroutines on one connection would share a transaction and one's rollback would
    erase the other's write. Reads take the same lock so they never see another coroutine's
    uncommitted writes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._file: tuple[int, int] | None = None
        #: Told once when the file is found deleted or replaced (the bot then stops).
        self.on_file_lost: Callable[[str], None] | None = None
        self._queued: list[_Unit] = []
        self._committer: asyncio.Task[None] | None = None

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise DatabaseError("the database is not open")
        return self._conn

    async def open(self) -> None:
        """Open the file (creating its folder) and set the pragmas.

        Raises:
            DatabaseError: if the file can't be created, opened or written.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = await aiosqlite.connect(self.path, isolation_level=None)
            self._conn.row_factory = aiosqlite.Row
            for pragma in (
                "PRAGMA journal_mode=WAL",
                # FULL: an RSVP or a sent-message record must survive power loss, not just a crash.
                "PRAGMA synchronous=FULL",
                "PRAGMA foreign_keys=ON",
                "PRAGMA busy_timeout=5000",
            ):
                # Pragmas answer with a row; an unclosed cursor would block the next COMMIT.
                cursor = await self._conn.execute(pragma)
                await cursor.close()
            # Fail now, not on the first member's write, if the file is read-only.
            await self._conn.execute("BEGIN IMMEDIATE")
            await self._conn.execute("ROLLBACK")
            self._file = _identity(self.path)
        except (OSError, aiosqlite.Error) as exc:
            await self.close()
            raise DatabaseError(f"can't open the database at {self.path}: {exc}") from exc

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[bool]:
        task = asyncio.current_task()
        if _holder.get() is task and task is not None:
            yield False
            return
        async with self._lock:
            token = _holder.set(task)
            try:
                yield True
            finally:
                _holder.reset(token)

    @property
    def in_transaction(self) -> bool:
        """Whether the calling task already holds the transaction lock."""
        task = asyncio.current_task()
        return task is not None and _holder.get() is task

    def file_problem(self) -> str | None:
        """Why the open file is no longer the database at :attr:`path`, or None if it is."""
        if self._file is None:
            return None
        current = _identity(self.path)
        if current is None:
            return f"the database file {self.path} was deleted while Pacer was running"
        if current != self._file:
            return f"the database file {self.path} was replaced while Pacer was running"
        return None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one write transaction: committed on success, rolled back on error.

        Nested use inside the same task joins the outer transaction.

        Raises:
            DatabaseError: the file was deleted or replaced since it was opened: a write would
                go to a file nobody will read again, so nothing is written.
        """
        async with self._locked() as outermost:
            if not outermost:
                yield self.conn
                return
            problem = self.file_problem()
            if problem is not None:
                if self.on_file_lost is not None:
                    lost, self.on_file_lost = self.on_file_lost, None
                    lost(problem)
                raise DatabaseError(problem)
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def grouped(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run ``work`` as its own all-or-nothing unit inside a write transaction shared with
        the other work queued meanwhile (group commit), and return its result once that
        transaction has committed.

        Under a burst, one commit (one fsync) serves many answers instead of one each; each
        piece still runs under a SAVEPOINT, so an error in one rolls back only that one and is
        raised to its own caller. Called inside a transaction, ``work`` simply joins it.

        Raises:
            Whatever ``work`` raised (nothing of it was written); DatabaseError or
            sqlite3.Error if the shared transaction could not commit (nothing of it was).
        """
        task = asyncio.current_task()
        if task is not None and _holder.get() is task:
            return await work()
        return await self._enqueue(work, None)

    async def grouped_sync(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Like :meth:`grouped`, for work that is plain ``sqlite3`` statements: ``fn`` runs on
        the connection's thread, and consecutive such units of a batch run there in one trip
        (a trip costs far more than an answer's statements on a busy machine). ``fn`` must not
        touch asyncio.

        Raises:
            Whatever ``fn`` raised (nothing of it was written); DatabaseError or
            sqlite3.Error if the shared transaction could not commit.
        """
        if self.in_transaction:
            return await self.run(fn)
        return await self._enqueue(None, fn)

    async def _enqueue(
        self,
        work: Callable[[], Awaitable[T]] | None,
        fn: Callable[[sqlite3.Connection], T] | None,
    ) -> T:
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queued.append(_Unit(work, fn, future))
        if self._committer is None or self._committer.done():
            # The caller's context, minus its transaction marker (the committer holds its own).
            context = contextvars.copy_context()
            context.run(_holder.set, None)
            self._committer = asyncio.get_running_loop().create_task(
                self._commit_queued(), context=context
            )
        return await future

    async def _commit_queued(self) -> None:
        while self._queued:
            batch, self._queued = self._queued[:GROUP_MAX], self._queued[GROUP_MAX:]
            outcomes: list[tuple[bool, Any]] = []
            try:
                async with self.transaction() as conn:
                    start = 0
                    while start < len(batch):
                        unit = batch[start]
                        if unit.work is None:
                            end = start
                            while end < len(batch) and batch[end].work is None:
                                end += 1
                            fns = [u.fn for u in batch[start:end] if u.fn is not None]
                            outcomes += await self.run(partial(_run_units, fns))
                            start = end
                            continue
                        await conn.execute("SAVEPOINT pacer_group")
                        try:
                            outcomes.append((True, await unit.work()))
                        except Exception as exc:
                            await conn.execute("ROLLBACK TO pacer_group")
                            outcomes.append((False, exc))
                        await conn.execute("RELEASE pacer_group")
                        start += 1
            except Exception as exc:
                for unit in batch:
                    if not unit.future.done():
                        unit.future.set_exception(exc)
                continue
            except BaseException:
                # Cancelled (shutting down): nothing of the batch was committed; no caller may
                # be left waiting on it or on what is still queued.
                for unit in [*batch, *self._queued]:
                    unit.future.cancel()
                self._queued = []
                raise
            for unit, (ok, value) in zip(batch, outcomes, strict=True):
                if unit.future.done():
                    continue  # its caller gave up waiting; the work is committed regardless
                if ok:
                    unit.future.set_result(value)
                else:
                    unit.future.set_exception(value)

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` on the connection's own thread, with the plain ``sqlite3`` connection,
        inside the caller's transaction: one trip for several statements.

        aiosqlite runs everything for a connection on one worker thread, one call at a time;
        this queues ``fn`` there like any statement (``Connection._execute``, aiosqlite's own
        queueing, used since 0.17). On a busy machine a trip to that thread costs far more than
        the few statements an answer needs.

        Raises:
            DatabaseError: the caller holds no transaction (``fn`` is for work inside one).
        """
        if not self.in_transaction:
            raise DatabaseError("Database.run is for work inside a transaction")
        conn = self.conn

        def call() -> T:
            return fn(conn._conn)

        result: T = await conn._execute(call)  # type: ignore[no-untyped-call]
        return result

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        # One trip to the connection's thread rather than three (execute, fetch, close).
        async with self._locked():
            return list(await self.conn.execute_fetchall(sql, params))

    async def user_version(self) -> int:
        row = await self.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply every migration newer than the database's version, each in its own transaction.

        Returns:
            The schema version after migrating.

        Raises:
            DatabaseError: if the database was written by a newer Pacer than this one.
        """
        migrations = list(available_migrations())
        latest = migrations[-1][0] if migrations else 0
        current = await self.user_version()
        if current > latest:
            raise DatabaseError(
                f"the database at {self.path} is at schema version {current}, newer than this "
                f"Pacer understands ({latest}). Upgrade Pacer, or restore a backup."
            )
        for version, sql in migrations:
            if version <= current:
                continue
            async with self.transaction() as conn:
                for statement in _split_statements(sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {int(version)}")
            log.info("Applied database migration %03d", version)
            current = version
        return current

    async def quick_check(self) -> list[str]:
        """SQLite's quick check (pages and records, not index contents; a fraction of the full
        check's time on a large file): an empty list when it finds nothing wrong."""
        rows = await self.fetch_all("PRAGMA quick_check")
        problems = [str(row[0]) for row in rows]
        return [] if problems == ["ok"] else problems

    async def integrity_check(self) -> list[str]:
        """SQLite's integrity check: an empty list when the file is sound."""
        rows = await self.fetch_all("PRAGMA integrity_check")
        problems = [str(row[0]) for row in rows]
        return [] if problems == ["ok"] else problems


@dataclass(frozen=True, slots=True)
class _Unit:
    """One piece of queued work: a coroutine function, or a plain function for the thread."""

    work: Callable[[], Awaitable[Any]] | None
    fn: Callable[[sqlite3.Connection], Any] | None
    future: asyncio.Future[Any]


def _run_units(
    fns: list[Callable[[sqlite3.Connection], Any]], conn: sqlite3.Connection
) -> list[tuple[bool, Any]]:
    """On the connection's thread: each unit under its own savepoint (see _commit_queued)."""
    outcomes: list[tuple[bool, Any]] = []
    for fn in fns:
        conn.execute("SAVEPOINT pacer_group")
        try:
            outcomes.append((True, fn(conn)))
        except Exception as exc:
            conn.execute("ROLLBACK TO pacer_group")
            outcomes.append((False, exc))
        # Released at once: every open savepoint costs each later page write some bookkeeping.
        conn.execute("RELEASE pacer_group")
    return outcomes


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file, or None if it is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def available_migrations() -> Iterable[tuple[int, str]]:
    """The packaged migrations as (version, sql), in order."""
    folder = resources.files("bot.db") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (version, _) in enumerate(found, start=1):
        if version != expected:
            raise DatabaseError(f"migration {expected:03d} is missing")
    return found


def _split_statements(sql: str) -> list[str]:
    # Migrations are plain DDL/DML separated by semicolons at line ends; no triggers with bodies.
    return [part.strip() for part in re.split(r";\s*(?:\n|$)", sql) if part.strip()]
