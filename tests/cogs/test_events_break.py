"""Trying to break issue 12's Discord events: one a moderator deleted, and an edit followed by a
crash."""

from __future__ import annotations

from datetime import timedelta

from bot.settings import Settings
from tests.cogs.test_calendar_feed import FIRST, create, use_channel
from tests.cogs.test_discord_events import advance_to, events, iso
from tests.conftest import Club, restart


async def test_an_event_a_moderator_deleted_is_not_fought_over_and_edits_do_not_fail(
    club: Club, settings: Settings
) -> None:
    await use_channel(club)
    await create(club, "Speed session", "2026-01-13")
    await advance_to(club, FIRST - timedelta(days=6))
    [event] = events(club)
    club.env.backend.delete_scheduled_event(club.guild.id, event.id)
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:15")
    await club.env.advance_time(60)
    await restart(club, settings, crash=True)
    await club.env.advance_time(60)
    assert events(club) == []  # deleted by a moderator: not made again, no error loop
    await advance_to(club, FIRST + timedelta(days=1))
    rows = await club.bot.db.fetch_all("SELECT status FROM deliveries WHERE kind = 'discord_event'")
    assert all(r[0] != "pending" for r in rows)
    assert club.env.errors == []


async def test_an_edit_then_a_crash_reaches_the_event(club: Club, settings: Settings) -> None:
    await use_channel(club)
    await create(club, "Speed session", "2026-01-13")
    await advance_to(club, FIRST - timedelta(days=6))
    await club.organizer.slash(
        club.channel, "session edit", session="1", time="19:15", location="Cherry Hill East"
    )
    await club.env.advance_time(5)  # SimCord may hang on a crash with no virtual time after
    await restart(club, settings, crash=True)
    await club.env.advance_time(60)
    [event] = events(club)
    assert iso(event.scheduled_start_time) == FIRST + timedelta(minutes=45)
    assert event.entity_metadata == {"location": "Cherry Hill East"}
