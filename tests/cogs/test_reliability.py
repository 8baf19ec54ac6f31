"""What must hold under pressure: no stray pings, no leaked token, no half-written command."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot import PacerBot, create_bot
from bot.settings import Settings
from bot.tree import STORAGE_TROUBLE
from tests.conftest import Club, bot_posts, set_channel
from tests.faults import allow_writes, refuse_writes

FAKE_TOKEN = "MTQ1NjA3NDQ0Mzk4MDgwMDAwMA.GfAkEt.never-log-this-token-value-0123456789"
HOSTILE = "@everyone @here <@&{role}> **bold** `code` ||spoiler|| [x](https://evil.example)"


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    # The fake token rides along in every test of this file: it must never be logged.
    return Settings(
        database_path=tmp_path / "pacer.db",
        database_url=database_url,
        default_timezone="America/New_York",
        sync_commands_on_start=True,
        discord_token=FAKE_TOKEN,
    )


@pytest.fixture
def simcord_bot(settings: Settings) -> PacerBot:
    return create_bot(settings)


def _all_posts_json(club: Club) -> list[dict[str, Any]]:
    return [
        r.json
        for r in club.env.http_requests
        if r.method in ("POST", "PATCH") and "/messages" in r.path and isinstance(r.json, dict)
    ]


async def test_member_text_never_pings_anyone_it_should_not(club: Club) -> None:
    role = club.guild.create_role("Everyone Else")
    hostile = HOSTILE.format(role=role.id)
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title=hostile[:100],
        date="2026-01-06",
        time="18:30",
        location=hostile[:100],
        details=hostile,
        workout=hostile[:200],
        capacity=1,
    )
    message = [m for m in bot_posts(club) if m.embeds][-1]
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await club.alice.click(message, label="Can't")  # promotes Ben: he alone may be pinged
    await club.env.advance_time(
        (datetime(2026, 1, 6, 23, 30, tzinfo=UTC) - club.env.now()).total_seconds() - 3600
    )

    for payload in _all_posts_json(club):
        allowed = payload.get("allowed_mentions")
        assert allowed is not None, payload
        assert allowed.get("parse", []) == []  # never @everyone, @here or roles
        assert allowed.get("roles", []) == []
        assert set(allowed.get("users", [])) <= {str(club.ben.id), club.ben.id}
    for message in bot_posts(club):
        assert not message.mention_everyone
        assert not message.role_mentions
        assert {u.id for u in message.mentions} <= {club.ben.id}


async def test_the_token_never_reaches_a_log_record(
    club: Club, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
    )
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.alice.slash(club.channel, "pace zones", race="5K", time="99:99")
    await club.env.advance_time(7 * 86400)

    assert caplog.records, "expected the bot to log something"
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert FAKE_TOKEN not in text
        assert "never-log-this" not in text
    assert FAKE_TOKEN not in repr(club.bot.settings)
    assert [type(e).__name__ for e in club.env.errors]  # the bad time was refused


async def test_a_write_that_fails_mid_command_changes_nothing(club: Club) -> None:
    await set_channel(club)
    before = await club.bot.db.fetch_all("SELECT * FROM sessions")
    # Storage refuses writes from here on (like a read-only or failing disk).
    await refuse_writes(club.bot.db)

    result = await club.organizer.slash(
        club.channel,
        "session create",
        title="Hills",
        date="2026-01-08",
        time="18:30",
        location="Hill",
        weeks=4,
    )

    assert result.ephemeral
    assert result.response.content == STORAGE_TROUBLE
    await allow_writes(club.bot.db)
    assert await club.bot.db.fetch_all("SELECT * FROM sessions") == before
    assert await club.bot.db.fetch_all("SELECT * FROM series") == []
    assert await club.bot.db.fetch_all("SELECT * FROM deliveries") == []
    assert len(club.env.errors) == 1  # logged as unexpected, with its traceback


@pytest.mark.sqlite_only  # the full disk is SQLite's max_page_count
async def test_a_full_disk_leaves_no_half_written_series(club: Club) -> None:
    await set_channel(club)
    conn = club.bot.db.conn
    pages = (await (await conn.execute("PRAGMA page_count")).fetchone())[0]  # type: ignore[index]
    await (await conn.execute(f"PRAGMA max_page_count = {pages + 20}")).close()

    replies = []
    for week in range(40):
        result = await club.organizer.slash(
            club.channel,
            "session create",
            title=f"Session {week}",
            date="2026-01-20",
            time="18:30",
            location="Track " + "x" * 90,
            details="d" * 1000,
            weeks=8,
        )
        replies.append(result.response.content or "")
        if result.response.content == STORAGE_TROUBLE:
            break

    assert replies[-1] == STORAGE_TROUBLE
    rows = await club.bot.db.fetch_all(
        "SELECT series.id, series.weeks, COUNT(sessions.id) FROM series"
        " LEFT JOIN sessions ON sessions.series_id = series.id GROUP BY series.id"
    )
    assert rows
    assert all(r[1] == r[2] for r in rows)  # every series has all its weeks, or does not exist
    orphans = await club.bot.db.fetch_all(
        "SELECT COUNT(*) FROM sessions WHERE id NOT IN (SELECT session_id FROM deliveries)"
    )
    assert orphans[0][0] == 0
    club.env.errors  # noqa: B018 - the storage failure was logged as unexpected


async def test_announcement_edits_that_fail_are_retried_and_end_right(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
    )
    message = [m for m in bot_posts(club) if m.embeds][-1]
    club.env.inject_error("PATCH", "/channels/*/messages/*", status=500, times=2)

    await club.alice.click(message, label="Going")
    await club.env.advance_time(5)
    await club.env.advance_time(5)
    await club.env.advance_time(5)

    latest = [m for m in bot_posts(club) if m.embeds][-1]
    field = next(f.value for f in latest.embeds[0].fields if f.name == "Who's coming")
    assert "alice" in (field or "")
    [row] = await club.bot.db.fetch_all("SELECT version, rendered_version FROM sessions")
    assert row[0] == row[1]


async def test_a_deleted_channel_is_recorded_shown_and_retried(club: Club) -> None:
    await set_channel(club)
    club.env.inject_error("POST", "/channels/*/messages", status=404, code=10003, times=None)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
    )
    [row] = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = 'announcement'"
    )
    assert row[0] == "retrying"  # a channel may come back, or organizers fix the setup
    assert "deleted" in row[1]
    listing = await club.organizer.slash(club.channel, "session list")
    embed = listing.response.embeds[0]
    assert any(f.name and "failed" in f.name for f in embed.fields)


def test_dotenv_is_ignored_by_git() -> None:
    ignored = Path(__file__).resolve().parents[2].joinpath(".gitignore").read_text().splitlines()
    assert ".env" in ignored
