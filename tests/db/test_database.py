"""The database layer on a real SQLite file: migrations, transactions, refusal of newer schemas."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.db.database import Database, DatabaseError, available_migrations


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(tmp_path / "nested" / "pacer.db")
    await database.open()
    await database.migrate()
    yield database
    await database.close()


async def test_migrate_creates_the_folder_and_records_the_version(db: Database) -> None:
    latest = list(available_migrations())[-1][0]
    assert db.path.exists()
    assert await db.user_version() == latest
    assert await db.migrate() == latest  # a second run applies nothing


async def test_wal_and_foreign_keys_are_on(db: Database) -> None:
    assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
    assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    class Boom(Exception):
        pass

    async def write_then_fail() -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO profiles VALUES (1, '5K', 5000, 1200, 48.0, '2026-01-01T00:00:00')"
            )
            raise Boom

    with pytest.raises(Boom):
        await write_then_fail()
    assert await db.fetch_all("SELECT * FROM profiles") == []


async def test_concurrent_transactions_do_not_share_a_rollback(db: Database) -> None:
    async def write(user_id: int, fail: bool) -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO profiles VALUES (?, '5K', 5000, 1200, 48.0, '2026-01-01T00:00:00')",
                (user_id,),
            )
            await asyncio.sleep(0)
            if fail:
                raise RuntimeError("rolled back")

    results = await asyncio.gather(
        *(write(i, fail=i % 2 == 0) for i in range(1, 41)), return_exceptions=True
    )
    assert sum(isinstance(r, RuntimeError) for r in results) == 20
    rows = await db.fetch_all("SELECT user_id FROM profiles ORDER BY user_id")
    assert [r[0] for r in rows] == list(range(1, 41, 2))


async def test_a_database_from_a_newer_pacer_is_refused(db: Database, tmp_path: Path) -> None:
    async with db.transaction() as conn:
        await conn.execute("PRAGMA user_version = 999")
    await db.close()
    again = Database(db.path)
    await again.open()
    with pytest.raises(DatabaseError, match="newer than this Pacer"):
        await again.migrate()
    await again.close()


async def test_integrity_check_passes_on_a_sound_file(db: Database) -> None:
    assert await db.integrity_check() == []


async def test_an_unusable_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    database = Database(blocker / "pacer.db")
    with pytest.raises(DatabaseError, match="can't open the database"):
        await database.open()
