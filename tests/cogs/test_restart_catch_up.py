"""Restarting with many open announcements: every one that still takes answers is read back
(several at once), reactions made while Pacer was down count once each, and time to ready is
reported with each step."""

from __future__ import annotations

import logging

import pytest

from bot import create_bot
from bot.settings import Settings
from cogs.rsvp import CATCH_UP_CONCURRENCY
from tests.conftest import Club, set_channel


async def test_reactions_on_many_announcements_while_down_all_count_after_a_restart(
    club: Club, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    await set_channel(club)
    sessions = CATCH_UP_CONCURRENCY * 2 + 1  # more than are read back at once
    for number in range(sessions):
        await club.organizer.slash(
            club.channel,
            "session create",
            title=f"Track night {number}",
            date="2026-01-06",
            time=f"{6 + number // 4:02d}:{number % 4 * 15:02d}",
            location="Track",
        )
    announcements = [
        m for m in club.channel.history(viewer=club.alice) if m.embeds and m.author.bot
    ]
    assert len(announcements) == sessions
    await club.bot.close()
    for message in announcements:
        await club.alice.react(message, "✅")  # while the bot is down
    caplog.set_level(logging.INFO)
    await club.env.restart_bot(create_bot(settings))

    rows = await club.env.bot.db.fetch_all(
        "SELECT COUNT(*) FROM rsvps WHERE user_id = ? AND state = 'going'", (club.alice.id,)
    )
    assert rows[0][0] == len(announcements)
    events = await club.env.bot.db.fetch_all(
        "SELECT COUNT(*) FROM rsvp_events WHERE user_id = ? AND source = 'reconcile'",
        (club.alice.id,),
    )
    assert events[0][0] == len(announcements)  # each once, though read back in parallel
    ready = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Ready in")]
    assert ready
    for step in ("database, services and cogs", "outbox recovery and jobs", "commands", "login"):
        assert step in ready[-1]
    assert any("Reaction catch-up:" in r.getMessage() for r in caplog.records)
