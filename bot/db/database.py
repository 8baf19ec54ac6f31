"""The store: one SQLite connection (the default) or a PostgreSQL pool (``DATABASE_URL``), a
locked transaction helper, group commit and numbered migrations. The SQL both accept is described
in :mod:`bot.db`."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import re
import socket
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeVar

import aiosqlite
import asyncpg

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# Which task holds the transaction lock, so reads inside a transaction don't wait on themselves.
_holder: contextvars.ContextVar[object | None] = contextvars.ContextVar("pacer_db_tx", default=None)

T = TypeVar("T")

#: Most pieces of work committed together: bounds how long the first of a batch waits.
GROUP_MAX = 256


class Row(Protocol):
    """A result row: ``sqlite3.Row`` or ``asyncpg.Record``; both index by position and name."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def keys(self) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class SyncCursor(Protocol):
    """What a plain (thread-side) statement returns: ``sqlite3.Cursor`` or its PostgreSQL twin."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class SyncConnection(Protocol):
    """The connection a unit given to :meth:`Database.run` or :meth:`Database.grouped_sync`
    sees: ``execute(sql, params)`` in the portable SQL of :mod:`bot.db`."""

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> SyncCursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> object: ...


class Cursor:
    """The outcome of one statement: its rows (all fetched) and how many rows it changed."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[Any]:
        return self._rows

    async def close(self) -> None:
        """Nothing to release (rows are fetched at once); kept for aiosqlite-style callers."""


class Connection(Protocol):
    """What :meth:`Database.transaction` yields: ``await conn.execute(sql, params)``."""

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor: ...

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one write statement once per row of parameters (no rows come back)."""


class DatabaseError(Exception):
    """The database can't be used (newer than the code, unwritable, corrupt); says why."""


#: What a failed statement raises, on either store (callers that turn storage trouble into a
#: "try again" catch these; asyncpg's InterfaceError covers a lost connection).
STORAGE_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.Error,
    DatabaseError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
)


@lru_cache(maxsize=4096)
def sqlite_sql(sql: str) -> str:
    """Portable SQL as SQLite runs it: a trailing ``FOR UPDATE [SKIP LOCKED]`` is dropped (the
    one SQLite writer at a time already holds every row)."""
    return _FOR_UPDATE.sub("", sql)


_FOR_UPDATE = re.compile(r"\s+FOR\s+UPDATE(\s+SKIP\s+LOCKED)?\s*$", re.IGNORECASE)


def postgres_params(params: Sequence[Any]) -> Sequence[Any]:
    """Parameters as PostgreSQL takes them: a NUL character, which PostgreSQL's text can't hold
    (SQLite can), becomes U+FFFD, the replacement character. Nothing a member means is a NUL;
    without this, text pasted with one would be refused as a storage error on PostgreSQL only."""
    if not any(isinstance(value, str) and "\x00" in value for value in params):
        return params
    return [
        value.replace("\x00", "\ufffd") if isinstance(value, str) else value for value in params
    ]


@lru_cache(maxsize=4096)
def postgres_sql(sql: str) -> str:
    """Portable SQL as PostgreSQL runs it: each ``?`` outside quotes becomes ``$1``, ``$2``..."""
    out: list[str] = []
    number = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in ("'", '"'):
            quote = char
        elif char == "?":
            number += 1
            out.append(f"${number}")
            continue
        out.append(char)
    return "".join(out)


class _SqliteConnection:
    """The portable connection over aiosqlite: one trip to its thread per statement."""

    __slots__ = ("_conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor:
        raw = self._conn._conn
        text = sqlite_sql(sql)

        def call() -> Cursor:
            cursor = raw.execute(text, parameters)
            try:
                return Cursor(cursor.fetchall(), cursor.rowcount)
            finally:
                cursor.close()

        result: Cursor = await self._conn._execute(call)  # type: ignore[no-untyped-call]
        return result

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raw = self._conn._conn
        text = sqlite_sql(sql)

        def call() -> None:
            raw.executemany(text, rows).close()

        await self._conn._execute(call)  # type: ignore[no-untyped-call]


class _SqliteSync:
    """The portable thread-side connection over ``sqlite3`` (see :class:`SyncConnection`)."""

    __slots__ = ("_raw",)

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> sqlite3.Cursor:
        return self._raw.execute(sqlite_sql(sql), parameters)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> sqlite3.Cursor:
        return self._raw.executemany(sqlite_sql(sql), rows)


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
    def where(self) -> str:
        """The database in words, for messages: its file, or its server."""
        return str(self.path)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "sqlite"

    @property
    def raw(self) -> aiosqlite.Connection:
        """The aiosqlite connection itself (SQLite-only tools: backup, checks)."""
        if self._conn is None:
            raise DatabaseError("the database is not open")
        return self._conn

    @property
    def conn(self) -> Connection:
        """The portable connection; use it only inside :meth:`transaction`."""
        return _SqliteConnection(self.raw)

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
    async def transaction(self) -> AsyncIterator[Connection]:
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
            conn = self.raw
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("COMMIT")

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

    async def grouped_sync(self, fn: Callable[[SyncConnection], T]) -> T:
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
        fn: Callable[[SyncConnection], T] | None,
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

    async def run(self, fn: Callable[[SyncConnection], T]) -> T:
        """Run ``fn`` on the connection's own thread, with a plain (blocking) connection,
        inside the caller's transaction: one trip for several statements. On PostgreSQL ``fn``
        runs on a worker thread and each statement is a trip to the pool's connection.

        aiosqlite runs everything for a connection on one worker thread, one call at a time;
        this queues ``fn`` there like any statement (``Connection._execute``, aiosqlite's own
        queueing, used since 0.17). On a busy machine a trip to that thread costs far more than
        the few statements an answer needs.

        Raises:
            DatabaseError: the caller holds no transaction (``fn`` is for work inside one).
        """
        if not self.in_transaction:
            raise DatabaseError("Database.run is for work inside a transaction")
        conn = self.raw

        def call() -> T:
            return fn(_SqliteSync(conn._conn))

        result: T = await conn._execute(call)  # type: ignore[no-untyped-call]
        return result

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        # One trip to the connection's thread rather than three (execute, fetch, close).
        async with self._locked():
            return list(await self.raw.execute_fetchall(sqlite_sql(sql), params))

    async def user_version(self) -> int:
        """The schema version: the number of the last migration applied (0: none)."""
        async with self._locked():
            rows = list(await self.raw.execute_fetchall("PRAGMA user_version"))
        return int(rows[0][0]) if rows else 0

    def _migrations(self) -> list[tuple[int, str]]:
        return list(available_migrations())

    async def _apply(self, conn: Connection, version: int, sql: str) -> None:
        """Run one migration inside its transaction and record its number."""
        for statement in _split_statements(sql):
            await conn.execute(statement)
        await conn.execute(f"PRAGMA user_version = {int(version)}")

    async def migrate(self) -> int:
        """Apply every migration newer than the database's version, each in its own transaction.

        Returns:
            The schema version after migrating.

        Raises:
            DatabaseError: if the database was written by a newer Pacer than this one.
        """
        migrations = self._migrations()
        latest = migrations[-1][0] if migrations else 0
        current = await self.user_version()
        if current > latest:
            raise DatabaseError(
                f"the database at {self.where} is at schema version {current}, newer than this "
                f"Pacer understands ({latest}). Upgrade Pacer, or restore a backup."
            )
        for version, sql in migrations:
            if version <= current:
                continue
            async with self.transaction() as conn:
                await self._apply(conn, version, sql)
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


class PostgresDatabase(Database):
    """The same store on a PostgreSQL server (``DATABASE_URL=postgresql://...``), for several
    Pacer processes sharing one database.

    An asyncpg pool: reads outside a transaction take any pooled connection; a transaction
    holds one connection from ``BEGIN`` to ``COMMIT``. Inside one process write transactions
    still run one at a time (the same lock as SQLite), so a repository's read-then-write
    behaves exactly as on SQLite, and group commit batches answers the same way (one commit
    for many; each answer acknowledged only after that commit). Between processes, rows that
    are read to decide a write are locked with ``SELECT ... FOR UPDATE`` and claims use
    ``FOR UPDATE SKIP LOCKED`` (see :mod:`bot.db`). Statements run at READ COMMITTED.

    The schema version is the one row of ``pacer_schema``; migrations come from
    ``bot/db/migrations_pg`` (the same numbers as SQLite's).

    Every connection of the pool carries :attr:`application_name` (``pacer <host>:<pid>
    <random>``), so ``pg_stat_activity`` tells which Pacer process holds which connections.
    """

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        super().__init__(Path("postgresql"))
        self.url = url
        self.application_name = (
            f"pacer {socket.gethostname()}:{os.getpid()} {uuid.uuid4().hex[:8]}"[:63]
        )
        self._pool_size = pool_size
        self._pool: Any = None
        self._tx: Any = None  # the connection of the transaction in progress

    @property
    def where(self) -> str:
        return _redacted(self.url)

    @property
    def dialect(self) -> str:
        return "postgresql"

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    @property
    def raw(self) -> aiosqlite.Connection:
        raise DatabaseError("this is a PostgreSQL database, not a SQLite file")

    @property
    def conn(self) -> Connection:
        if self._tx is None or not self.in_transaction:
            raise DatabaseError("Database.conn is for work inside a transaction")
        return _PostgresConnection(self._tx)

    async def open(self) -> None:
        """Connect the pool and check it can write.

        Raises:
            DatabaseError: the server can't be reached, refused us, or is read-only.
        """
        try:
            self._pool = await asyncpg.create_pool(
                self.url,
                min_size=1,
                max_size=self._pool_size,
                command_timeout=60,
                server_settings={"application_name": self.application_name},
            )
            async with self._pool.acquire() as conn:
                readonly = await conn.fetchval("SHOW transaction_read_only")
            if readonly == "on":
                raise DatabaseError(f"the PostgreSQL database at {self.where} is read-only")
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            await self.close()
            raise DatabaseError(f"can't open the database at {self.where}: {exc}") from exc
        except (ValueError, OverflowError) as exc:
            # asyncpg's own parse of the address (a port that is no number or past 65535, an
            # unclosed [IPv6]): a typo in DATABASE_URL or --to, not a crash.
            await self.close()
            raise DatabaseError(
                f"the PostgreSQL address {self.where} is malformed ({exc}); use one like "
                "postgresql://pacer:secret@localhost:5432/pacer"
            ) from exc
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    def file_problem(self) -> str | None:
        return None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._locked() as outermost:
            if not outermost:
                yield self.conn
                return
            if self._pool is None:
                raise DatabaseError("the database is not open")
            async with self._pool.acquire() as conn:
                await conn.execute("BEGIN")
                self._tx = conn
                try:
                    yield _PostgresConnection(conn)
                except BaseException:
                    self._tx = None
                    if not conn.is_closed():
                        await conn.execute("ROLLBACK")
                    raise
                self._tx = None
                await conn.execute("COMMIT")

    async def run(self, fn: Callable[[SyncConnection], T]) -> T:
        if not self.in_transaction or self._tx is None:
            raise DatabaseError("Database.run is for work inside a transaction")
        bridge = _PostgresSync(_PostgresConnection(self._tx), asyncio.get_running_loop())
        return await asyncio.to_thread(fn, bridge)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        if self.in_transaction and self._tx is not None:
            return list(await self._tx.fetch(postgres_sql(sql), *postgres_params(params)))
        if self._pool is None:
            raise DatabaseError("the database is not open")
        return list(await self._pool.fetch(postgres_sql(sql), *postgres_params(params)))

    async def user_version(self) -> int:
        row = await self.fetch_one("SELECT to_regclass('pacer_schema') IS NOT NULL")
        if row is None or not row[0]:
            return 0
        version = await self.fetch_one("SELECT version FROM pacer_schema")
        return int(version[0]) if version else 0

    def _migrations(self) -> list[tuple[int, str]]:
        return list(available_migrations("migrations_pg"))

    async def _apply(self, conn: Connection, version: int, sql: str) -> None:
        # The simple query protocol runs a whole file (functions with bodies included) at once.
        await self._tx.execute(sql)
        await self._tx.execute("CREATE TABLE IF NOT EXISTS pacer_schema (version INTEGER NOT NULL)")
        await self._tx.execute("DELETE FROM pacer_schema")
        await self._tx.execute("INSERT INTO pacer_schema (version) VALUES ($1)", version)

    async def migrate(self) -> int:
        # One process at a time migrates (several start together): a transaction-wide lock.
        if self._pool is None:
            raise DatabaseError("the database is not open")
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock(7204151)")
            try:
                return await super().migrate()
            finally:
                await conn.execute("SELECT pg_advisory_unlock(7204151)")

    async def quick_check(self) -> list[str]:
        """PostgreSQL checks its own pages (checksums, WAL); nothing to ask here."""
        return []

    async def integrity_check(self) -> list[str]:
        return []


class _PostgresConnection:
    """The portable connection over one asyncpg connection."""

    __slots__ = ("_conn",)

    def __init__(self, conn: Any) -> None:
        self._conn = conn

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor:
        text = postgres_sql(sql)
        values = postgres_params(parameters)
        if _returns_rows(text):
            rows = list(await self._conn.fetch(text, *values))
            return Cursor(rows, len(rows))
        status: str = await self._conn.execute(text, *values)
        return Cursor([], _status_count(status))

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:  # asyncpg prepares the statement even for no rows; nothing to do then
            await self._conn.executemany(postgres_sql(sql), [postgres_params(r) for r in rows])


class _SyncCursor:
    __slots__ = ("_rows", "rowcount")

    def __init__(self, cursor: Cursor) -> None:
        self._rows = cursor._rows
        self.rowcount = cursor.rowcount

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return self._rows


class _PostgresSync:
    """A blocking connection for units written for :meth:`Database.run`: each statement is sent
    to the event loop, which runs it on the transaction's connection, and waited for."""

    __slots__ = ("_conn", "_loop")

    def __init__(self, conn: _PostgresConnection, loop: asyncio.AbstractEventLoop) -> None:
        self._conn = conn
        self._loop = loop

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> _SyncCursor:
        future = asyncio.run_coroutine_threadsafe(self._conn.execute(sql, parameters), self._loop)
        return _SyncCursor(future.result())

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> None:
        future = asyncio.run_coroutine_threadsafe(self._conn.executemany(sql, rows), self._loop)
        future.result()


_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW)\b|\bRETURNING\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _returns_rows(sql: str) -> bool:
    return _ROWS.search(sql) is not None


def _status_count(status: str) -> int:
    """Rows changed, from a command tag like ``UPDATE 3`` or ``INSERT 0 1``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _redacted(url: str) -> str:
    """The URL without its password: the one after ``user:`` (up to the last ``@``, so an
    unescaped ``@`` in it leaks nothing after it) and a ``password=`` parameter."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if at and ":" in userinfo:
        rest = f"{userinfo.split(':', 1)[0]}:***@{host}"
    return scheme + sep + re.sub(r"([?&]password=)[^&]*", r"\1***", rest)


def open_store(path: Path, url: str | None) -> Database:
    """The store settings ask for: PostgreSQL when ``url`` is given, else the SQLite file."""
    if url:
        return PostgresDatabase(url)
    return Database(path)


@dataclass(frozen=True, slots=True)
class _Unit:
    """One piece of queued work: a coroutine function, or a plain function for the thread."""

    work: Callable[[], Awaitable[Any]] | None
    fn: Callable[[SyncConnection], Any] | None
    future: asyncio.Future[Any]


def _run_units(
    fns: list[Callable[[SyncConnection], Any]], conn: SyncConnection
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


def available_migrations(folder_name: str = "migrations") -> Iterable[tuple[int, str]]:
    """The packaged migrations as (version, sql), in order: SQLite's (``migrations``) or
    PostgreSQL's (``migrations_pg``); both folders hold the same numbers."""
    folder = resources.files("bot.db") / folder_name
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
