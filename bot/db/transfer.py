"""Copy a SQLite database into an empty PostgreSQL one and prove the copy whole
(``python -m bot migrate-db --to postgresql://...``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from bot.db.database import Database, DatabaseError, PostgresDatabase

#: Runtime state of the process that ran on the file, not data: never copied.
SKIPPED = frozenset({"instance_lease"})


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table's outcome: rows in the source and the target, and each side's checksum
    (SHA-256 over the rows' canonical text, sorted, so row order doesn't matter)."""

    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


async def copy_sqlite_to_postgres(
    source: Database, target: PostgresDatabase, progress: Callable[[str], None] | None = None
) -> list[TableCopy]:
    """Copy every table of ``source`` (open, migrated) into ``target`` (open), then count and
    checksum both sides table by table. ``target`` is migrated to the same version first.

    Raises:
        DatabaseError: the versions differ, the target already holds data, or a table of the
            source has no twin in the target; nothing is copied then.
    """
    version = await source.user_version()
    if await target.migrate() != version:
        raise DatabaseError(
            f"the SQLite file is at schema version {version} but this Pacer's PostgreSQL schema "
            f"is at {await target.user_version()}; start Pacer once on the file to upgrade it"
        )
    tables = await _tables_in_order(target)
    for table in tables:
        row = await target.fetch_one(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
        if row is not None and row[0]:
            raise DatabaseError(
                f"the PostgreSQL database at {target.where} is not empty (table {table} has "
                "rows); migrate-db copies only into an empty database"
            )
    found = {
        str(row[0])
        for row in await source.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    missing = sorted(found - set(tables))
    if missing:
        raise DatabaseError(f"the PostgreSQL schema has no table {', '.join(missing)}")
    copies = []
    # Each source table is read once: what is copied is also what is counted and checksummed
    # (the file's lease, held by the caller, keeps it from changing meanwhile).
    copied: dict[str, tuple[list[str], int, str]] = {}
    async with target.transaction() as conn:
        raw = target._tx
        for table in tables:
            if table in SKIPPED:
                continue
            columns = await _columns(source, table)
            rows = [tuple(row) for row in await source.fetch_all(_select(table, columns))]
            copied[table] = (columns, len(rows), _checksum(rows))
            if rows:
                # Triggers off: derived columns (sessions.going_count) are copied as they are,
                # not counted a second time as the rows they derive from arrive.
                await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                try:
                    await raw.copy_records_to_table(table, records=rows, columns=columns)
                except (asyncpg.DataError, TypeError, ValueError) as exc:
                    # A value PostgreSQL's column can't hold (a NUL in text, bytes in a text
                    # column written by hand): name the table; the transaction copies nothing.
                    raise DatabaseError(
                        f"a row of table {table} can't be copied ({exc}); nothing was copied"
                    ) from exc
                await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            if "id" in columns:
                await _continue_ids(source, conn, table)
            if progress is not None:
                progress(f"copied {len(rows):>9} rows of {table}")
    for table, (columns, source_count, source_sum) in copied.items():
        target_rows = await target.fetch_all(_select(table, columns))
        copies.append(
            TableCopy(table, source_count, len(target_rows), source_sum, _checksum(target_rows))
        )
    return copies


async def _tables_in_order(target: PostgresDatabase) -> list[str]:
    """The target's tables, each after every table it references."""
    names = [
        str(row[0])
        for row in await target.fetch_all(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'pacer_schema'"
            " ORDER BY table_name"
        )
    ]
    references: dict[str, set[str]] = {name: set() for name in names}
    for child, parent in await target.fetch_all(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
        " WHERE contype = 'f' AND connamespace = current_schema()::regnamespace"
    ):
        if str(child) in references and str(child) != str(parent):
            references[str(child)].add(str(parent))
    ordered: list[str] = []
    while references:
        ready = sorted(name for name, parents in references.items() if parents <= set(ordered))
        if not ready:
            raise DatabaseError("the PostgreSQL tables reference each other in a cycle")
        ordered += ready
        for name in ready:
            del references[name]
    return ordered


async def _columns(source: Database, table: str) -> list[str]:
    return [str(row[1]) for row in await source.fetch_all(f"PRAGMA table_info({table})")]


def _select(table: str, columns: Sequence[str]) -> str:
    return f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608


async def _continue_ids(source: Database, conn: Any, table: str) -> None:
    """New rows continue after the highest id SQLite ever gave (deleted ids are never reused:
    an RSVP's place in the waitlist is its event's id)."""
    highest_sql = f"SELECT MAX(id) FROM {table}"  # noqa: S608
    used = await source.fetch_one(highest_sql)
    counter = await source.fetch_one("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,))
    values = [int(r[0]) for r in (used, counter) if r is not None and r[0] is not None]
    highest = max(values, default=0)
    if highest > 0:
        await conn.execute("SELECT setval(pg_get_serial_sequence(?, 'id'), ?)", (table, highest))


def _canonical(value: Any) -> Any:
    """A value as the checksum sees it: a boolean as its integer (SQLite has none), anything
    else as it is (a float as its shortest exact text); JSON keeps NULL apart from the text
    ``\\N``, a number apart from its digits as text, and a tab inside a text apart from the
    tab between two columns."""
    if isinstance(value, bool):
        return int(value)
    return value


def _checksum(rows: Sequence[Any]) -> str:
    lines = sorted(
        json.dumps([_canonical(value) for value in row], ensure_ascii=False, default=str)
        for row in rows
    )
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
