"""`python -m bot migrate-db --to postgresql://...`: a club's SQLite database is copied into an
empty PostgreSQL one, every table counted and checksummed; the bot then runs on the copy and
carries on where the file left off; a database that already holds data is refused."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot import create_bot
from bot.__main__ import main
from bot.db.database import PostgresDatabase
from bot.settings import Settings
from tests.conftest import Club, set_channel

pytestmark = [pytest.mark.postgres, pytest.mark.sqlite_only]


async def _count(db: object, sql: str) -> int:
    row = await db.fetch_one(sql)  # type: ignore[attr-defined]
    return int(row[0])


async def test_a_club_moves_to_postgresql_whole_and_carries_on(
    club: Club,
    settings: Settings,
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await set_channel(club)
    for number in range(3):
        await club.organizer.slash(
            club.channel,
            "session create",
            title=f"Track night {number}",
            date="2026-01-06",
            time=f"0{6 + number}:00",
            location="Track",
            capacity=1,
        )
    announcements = [m for m in club.channel.history(viewer=club.alice) if m.embeds]
    for message in announcements:
        await club.alice.react(message, "✅")
        await club.ben.react(message, "✅")  # waitlisted: capacity 1
    await club.bot.close()

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(settings.database_path))
    assert await asyncio.to_thread(main, ["migrate-db", "--to", postgres_url]) == 0
    out = capsys.readouterr().out
    assert "every table's rows and checksum match" in out
    assert "rsvps" in out
    assert "DIFFERS" not in out

    # Twice is refused: the target is no longer empty, and nothing changes.
    assert await asyncio.to_thread(main, ["migrate-db", "--to", postgres_url]) != 0
    assert "is not empty" in capsys.readouterr().err

    copy = PostgresDatabase(postgres_url)
    await copy.open()
    try:
        assert await _count(copy, "SELECT COUNT(*) FROM sessions") == 3
        assert await _count(copy, "SELECT COUNT(*) FROM rsvps WHERE state = 'waitlist'") == 3
        assert await _count(copy, "SELECT COUNT(*) FROM instance_lease") == 0
    finally:
        await copy.close()

    # The bot on the copy: ids continue, and a new answer lands behind the old ones.
    moved = settings.model_copy(update={"database_url": postgres_url})
    await club.env.restart_bot(create_bot(moved))
    db = club.env.bot.db
    assert db.dialect == "postgresql"
    carol = club.guild.add_member(club.env.create_user("carol"))
    await carol.react(announcements[0], "✅")
    waiting = await db.fetch_all(
        "SELECT user_id FROM rsvps WHERE session_id = 1 AND state = 'waitlist' ORDER BY going_seq"
    )
    assert [row[0] for row in waiting] == [club.ben.id, carol.id]
    await club.organizer.slash(
        club.channel,
        "session create",
        title="After the move",
        date="2026-01-07",
        time="07:00",
        location="Track",
    )
    assert await _count(db, "SELECT MAX(id) FROM sessions") == 4


async def _hold_shards(url: str, shards: str) -> None:
    from bot.clock import SystemClock
    from bot.domain.shards import Shards, parse_shard_ids
    from bot.instance import InstanceGuard, lease_names

    db = PostgresDatabase(url)
    await db.open()
    await db.migrate()
    try:
        names = lease_names(Shards(8, parse_shard_ids(shards, 8)))
        await InstanceGuard(db, SystemClock(), host="other-machine", pid=1, names=names).acquire()
    finally:
        await db.close()


@pytest.mark.parametrize("mine", ["2-5", "0-7"])
def test_a_process_for_shards_another_runs_is_not_refused_but_warned_it_waits(
    postgres_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    mine: str,
) -> None:
    # Since start-ups wait for held shards (a rolling restart, InstanceGuard.acquire_when_free),
    # the check before connecting only warns, naming the live holder; it no longer refuses.
    from bot.__main__ import preflight_database

    asyncio.run(_hold_shards(postgres_url, "4-7"))  # alive on another machine
    settings = Settings(
        database_path=tmp_path / "unused.db",
        database_url=postgres_url,
        shard_count=8,
        shard_ids=mine,
    )
    with caplog.at_level(logging.WARNING):
        asyncio.run(preflight_database(settings))
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "other-machine" in warning
    assert "waits for it before posting" in warning
