"""Published pace groups in the store (a SQLite file, or PostgreSQL in that run): publishing
again keeps moves, leaders follow moves, unpublishing forgets everything, the profile note is
recorded once per server, and the public-pace choice survives a new race but not /profile
clear."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.database import Database, open_store
from bot.db.groups_repo import GroupsRepo
from bot.db.prefs_repo import PrefsRepo

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path, database_url: str | None):  # type: ignore[no-untyped-def]
    database = open_store(tmp_path / "pacer.db", database_url)
    await database.open()
    await database.migrate()
    async with database.transaction() as conn:
        await conn.execute(
            "INSERT INTO series (id, guild_id, weeks, created_by, created_at)"
            " VALUES (1, 1, 1, 9, ?)",
            (NOW.isoformat(),),
        )
        await conn.execute(
            "INSERT INTO sessions (id, guild_id, series_id, position, title, location,"
            " channel_id, starts_at, timezone, created_by, created_at, updated_at)"
            " VALUES (1, 1, 1, 1, 'Speed', 'Track', 5, ?, 'UTC', 9, ?, ?)",
            ("2026-03-04T18:00:00+00:00", NOW.isoformat(), NOW.isoformat()),
        )
    yield database
    await database.close()


async def test_publishing_again_replaces_the_rules_places_and_keeps_moves_and_leaders(
    db: Database,
) -> None:
    repo = GroupsRepo(db)
    async with db.transaction():
        # A narrow spread on a big turnout: more than 30 groups is fine.
        await repo.publish(1, 1, 1.0, None, [(u, u) for u in range(1, 41)], 9, NOW)
        await repo.move(1, 2, 1, 9, NOW)
        await repo.set_leader(1, 1, 2, 9, NOW)
    async with db.transaction():
        await repo.publish(1, 1, None, 3, [(1, 3), (2, 3), (3, 3)], 9, NOW)
    placed = {p.user_id: (p.group_no, p.moved_by) for p in await repo.placements(1)}
    assert placed == {1: (3, None), 2: (1, 9), 3: (3, None)}
    assert await repo.leaders(1) == {1: 2}
    publication = await repo.publication(1)
    assert publication is not None
    assert (publication.spread_s_per_km, publication.group_count) == (None, 3)

    # A leader moved out of their group no longer leads it.
    async with db.transaction():
        await repo.move(1, 2, 3, 9, NOW)
    assert await repo.leaders(1) == {}

    async with db.transaction():
        assert await repo.unpublish(1)
        assert not await repo.unpublish(1)
    assert await repo.publication(1) is None
    assert await repo.placements(1) == []


async def test_the_profile_note_is_recorded_once_per_server(db: Database) -> None:
    repo = GroupsRepo(db)
    async with db.transaction():
        assert await repo.record_notice(1, 7, 1, NOW)
        assert not await repo.record_notice(1, 7, 1, NOW)
        assert await repo.record_notice(2, 7, 1, NOW)
    assert await repo.noticed(1, [7, 8]) == {7}


async def test_public_pace_is_off_by_default_kept_with_units_and_gone_with_clear(
    db: Database,
) -> None:
    repo, prefs = GroupsRepo(db), PrefsRepo(db)
    assert await repo.public_pace([5]) == set()
    await repo.set_public_pace(5, True, NOW)
    await prefs.set_units(5, "mi", NOW)
    assert await repo.public_pace([5, 6]) == {5}
    assert (await prefs.get(5)).units == "mi"
    await prefs.delete(5)
    assert await repo.public_pace([5]) == set()
