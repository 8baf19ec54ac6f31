"""Retention (RETENTION_DAYS): a finished session's full record is pruned by the daily job, and
attendance (marks, their corrections, who was going) survives it unchanged."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from bot.settings import Settings
from tests.conftest import Club, bot_posts, set_channel

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # Tue 18:30 New York, announced at once


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"retention_days": 14})


async def export(club: Club) -> list[list[str]]:
    exported = await club.organizer.slash(club.channel, "attendance export", period="2026")
    [attachment] = exported.response.attachments
    return list(csv.reader(io.StringIO((await attachment.read()).decode())))


async def count(club: Club, table: str) -> int:
    row = await club.bot.db.fetch_one(f"SELECT COUNT(*) FROM {table} WHERE session_id = 1")  # noqa: S608
    return int(row[0]) if row else -1


async def test_a_finished_session_is_pruned_and_attendance_survives(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel, "session create", title="Speed session", date="2026-01-06",
        time="18:30", location="Track", workout="6x800 @ I w/ 400 jog",
    )  # fmt: skip
    [message] = [m for m in bot_posts(club) if m.embeds]
    await club.alice.click(message, label="Going")
    await club.ben.react(message, "✅")
    await club.ben.click(message, label="Maybe")
    await club.ben.click(message, label="Going")
    await club.env.advance_time((START - club.env.now()).total_seconds() + 600)
    await club.alice.click(message, label="I'm here")
    for state in ("no_show", "attended"):  # a correction: two marks in the history
        await club.organizer.slash(
            club.channel, "attendance mark", session="1", member=club.ben.user, state=state
        )
    before = await export(club)
    assert await count(club, "rsvp_events") > 0
    assert await count(club, "deliveries") > 0

    # Thirteen days on, nothing is pruned; a day past the 14, the daily job has.
    await club.env.advance_time(13 * 86400)
    assert await count(club, "rsvps") == 2
    await club.env.advance_time(2 * 86400)

    for table in ("rsvps", "rsvp_events", "reactions_seen", "deliveries"):
        assert await count(club, table) == 0, table
    [pruned] = await club.bot.db.fetch_all("SELECT pruned_at, going_count FROM sessions")
    assert pruned["pruned_at"] is not None
    assert pruned["going_count"] == 2
    [going] = await club.bot.db.fetch_all("SELECT user_ids FROM session_going")
    assert going[0] == f"{club.alice.id} {club.ben.id}"  # in the order they got their place
    assert await export(club) == before
    attendance = club.bot.services.attendance
    ben = await attendance.history(1, club.ben.id)
    assert [entry[0] for entry in ben] == ["no_show", "attended"]
    alice = await attendance.history(1, club.alice.id)  # one mark: the mark is its history
    assert [(entry[0], entry[1]) for entry in alice] == [("attended", "checkin")]
    # The next run finds nothing more to do.
    assert await club.bot.services.retention.prune() == 0


async def test_retention_can_be_turned_off_and_refuses_too_short_a_time() -> None:
    assert Settings(retention_days=0).retention_days == 0
    with pytest.raises(ValueError, match="at least 14 days"):
        Settings(retention_days=3)
