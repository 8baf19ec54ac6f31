"""A member whose DMs bounced is told once (issue 15, found breaking it): two processes asking at
once (the member's servers on two shards) both read "not told yet" before either wrote it, and
both told the member (28 times of 30 here)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.database import Database, PostgresDatabase
from bot.db.dm_reminders_repo import DmRemindersRepo

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MEMBERS = 30


@pytest.mark.postgres
async def test_two_processes_asking_at_once_tell_a_member_once(postgres_url: str) -> None:
    first, second = PostgresDatabase(postgres_url), PostgresDatabase(postgres_url)
    await first.open()
    await second.open()
    try:
        await first.migrate()
        mine, theirs = DmRemindersRepo(first), DmRemindersRepo(second)
        told = []
        for user_id in range(1, MEMBERS + 1):
            await mine.set(user_id, True, NOW)
            await mine.mark_closed(user_id, NOW)
            answers = await asyncio.gather(
                mine.take_untold(user_id, NOW), theirs.take_untold(user_id, NOW)
            )
            told.append(sum(answer is not None for answer in answers))
        assert told == [1] * MEMBERS, f"told twice {told.count(2)} times of {MEMBERS}"
    finally:
        await first.close()
        await second.close()


async def test_told_once_then_never_again(tmp_path: Path) -> None:
    db = Database(tmp_path / "pacer.db")
    await db.open()
    try:
        await db.migrate()
        repo = DmRemindersRepo(db)
        await repo.set(7, True, NOW)
        assert await repo.take_untold(7, NOW) is None  # DMs never bounced
        await repo.mark_closed(7, NOW)
        assert await repo.take_untold(7, NOW) == NOW
        assert await repo.take_untold(7, NOW) is None
    finally:
        await db.close()
