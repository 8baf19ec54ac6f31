"""Both stores: the same migration numbers, tables and columns; SQL written once runs on both."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db.database import (
    Database,
    DatabaseError,
    PostgresDatabase,
    available_migrations,
    postgres_sql,
    sqlite_sql,
)


@pytest.mark.parametrize(
    ("portable", "postgres"),
    [
        ("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"),
        ("SELECT '?' FROM t WHERE b = ?", "SELECT '?' FROM t WHERE b = $1"),
        ('SELECT "odd?" FROM t WHERE b = ?', 'SELECT "odd?" FROM t WHERE b = $1'),
        ("SELECT 1", "SELECT 1"),
    ],
)
def test_placeholders_become_numbered_outside_quotes(portable: str, postgres: str) -> None:
    assert postgres_sql(portable) == postgres


@pytest.mark.parametrize(
    ("portable", "sqlite"),
    [
        ("SELECT id FROM s WHERE id = ? FOR UPDATE", "SELECT id FROM s WHERE id = ?"),
        ("SELECT id FROM d LIMIT 5 FOR UPDATE SKIP LOCKED", "SELECT id FROM d LIMIT 5"),
        (
            "SELECT id FROM d WHERE note = 'for update'",
            "SELECT id FROM d WHERE note = 'for update'",
        ),
    ],
)
def test_sqlite_drops_row_locks(portable: str, sqlite: str) -> None:
    assert sqlite_sql(portable) == sqlite


def test_both_stores_have_the_same_migration_numbers() -> None:
    sqlite = [version for version, _ in available_migrations()]
    postgres = [version for version, _ in available_migrations("migrations_pg")]
    assert sqlite == postgres
    assert sqlite == list(range(1, len(sqlite) + 1))


async def _columns_sqlite(path: Path) -> dict[str, set[str]]:
    db = Database(path)
    await db.open()
    await db.migrate()
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    found = {}
    for (table,) in tables:
        rows = await db.fetch_all(f"PRAGMA table_info({table})")
        found[str(table)] = {str(row[1]) for row in rows}
    await db.close()
    return found


@pytest.mark.postgres
async def test_both_stores_define_the_same_tables_and_columns(
    tmp_path: Path, postgres_url: str
) -> None:
    expected = await _columns_sqlite(tmp_path / "pacer.db")
    db = PostgresDatabase(postgres_url)
    await db.open()
    await db.migrate()
    rows = await db.fetch_all(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name <> 'pacer_schema'"
    )
    await db.close()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(str(table), set()).add(str(column))
    assert found == expected


@pytest.mark.postgres
async def test_postgres_refuses_a_database_newer_than_the_code(postgres_url: str) -> None:
    db = PostgresDatabase(postgres_url)
    await db.open()
    latest = await db.migrate()
    async with db.transaction() as conn:
        await conn.execute("UPDATE pacer_schema SET version = ?", (latest + 1,))
    with pytest.raises(DatabaseError, match="newer than this Pacer understands"):
        await db.migrate()
    assert await db.user_version() == latest + 1
    await db.close()


@pytest.mark.postgres
async def test_postgres_migrating_twice_changes_nothing(postgres_url: str) -> None:
    db = PostgresDatabase(postgres_url)
    await db.open()
    first = await db.migrate()
    assert await db.migrate() == first == len(list(available_migrations()))
    await db.close()
