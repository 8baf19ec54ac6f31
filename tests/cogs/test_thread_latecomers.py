"""Leftovers of the thread and Discord-event work (issue 12): members who answer going once the
session's thread is open are added to it through the outbox, once, across a crash; a Discord
event or thread step that fails after the start is shown in /session list and retried, not
silently closed."""

from __future__ import annotations

from datetime import timedelta

from bot.settings import Settings
from tests.cogs.test_discord_events import set_manage_events
from tests.cogs.test_session_threads import (
    FIRST,
    advance_to,
    backend_thread,
    channel_posts,
    create,
    setup_threads,
    thread_rows,
    threads,
)
from tests.conftest import Club, embed_text, restart


async def test_members_answering_going_after_the_thread_opened_are_added_once(
    club: Club, settings: Settings
) -> None:
    await setup_threads(club, "announcement")
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    [thread] = threads(club)
    announcement = channel_posts(club)[0]
    await club.alice.click(announcement, label="Going")
    await club.ben.click(announcement, label="Maybe")
    await club.env.advance_time(5)
    await restart(club, settings, crash=True)
    await club.env.advance_time(5)
    members = backend_thread(club, thread.id).thread_members
    assert club.alice.id in members
    assert club.ben.id not in members  # maybe is not going
    adds = [r for r in await thread_rows(club) if r[0] == "add"]
    assert [(a, s) for a, s, _ in adds] == [("add", "sent")]
    puts = [
        r
        for r in club.env.http_requests
        if r.method == "PUT" and f"/channels/{thread.id}/thread-members/" in r.path
    ]
    assert sum(str(club.alice.id) in r.path for r in puts) == 1


async def test_a_discord_event_step_failing_after_the_start_is_shown_and_retried(
    club: Club,
) -> None:
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    set_manage_events(club, False)
    await advance_to(club, FIRST + timedelta(minutes=1))
    rows = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = 'discord_event' ORDER BY id"
    )
    # The start's step failed after the start: retried, not given up.
    assert "retrying" in [r[0] for r in rows]
    listing = await club.organizer.slash(club.channel, "session list")
    shown = "\n".join(embed_text(e) for e in listing.response.embeds) + (
        listing.response.content or ""
    )
    assert "discord event" in shown
    assert "Manage Events" in shown

    set_manage_events(club, True)
    await advance_to(club, FIRST + timedelta(minutes=20))
    rows = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE kind = 'discord_event' ORDER BY id"
    )
    assert "retrying" not in [r[0] for r in rows]
    assert "failed" not in [r[0] for r in rows]
