"""A thread per session (issue 12): opened on the announcement with it or at the first reminder,
members going added, reminders and notices posted there, archived a day after the end; once,
across a crash.

SimCord models threads started from a message (the thread has the message's id, as on Discord).
"Discord opened the thread, then recording it failed" is injected through the documented seam of
the outbox faults: a wrapper around the bot's ``http.request`` that makes SQLite refuse writes
right after Discord answers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from bot.settings import Settings
from tests.conftest import Club, bot_posts, make_admin, restart
from tests.conftest import set_channel as use_channel
from tests.faults import refuse_writes

FIRST = datetime(2026, 1, 13, 23, 30, tzinfo=UTC)  # Tue 13 Jan, 18:30 in New York


async def advance_to(club: Club, instant: datetime) -> None:
    seconds = (instant - club.env.now()).total_seconds()
    if seconds > 0:
        await club.env.advance_time(seconds)


async def setup_threads(club: Club, when: str) -> None:
    admin = await make_admin(club)
    result = await admin.slash(club.channel, "setup threads", when=when)
    assert result.ephemeral


async def create(club: Club, **extra: Any) -> None:
    await use_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-13",
        time="18:30",
        location="Cherokee HS track",
        **extra,
    )
    assert not club.env.errors, club.env.errors


def channel_posts(club: Club) -> list[discord.Message]:
    """The bot's own posts in the channel (not Discord's note that a thread was started)."""
    return [m for m in bot_posts(club) if m.type == discord.MessageType.default]


def threads(club: Club) -> list[Any]:
    return club.channel.threads


def backend_thread(club: Club, thread_id: int) -> Any:
    return club.env.backend.channels[thread_id]


async def thread_rows(club: Club) -> list[tuple[Any, ...]]:
    rows = await club.bot.db.fetch_all(
        "SELECT payload, status, last_error FROM deliveries WHERE kind = 'thread' ORDER BY id"
    )
    return [(json.loads(r[0]).get("action"), r[1], r[2]) for r in rows]


async def test_threads_are_off_by_default(club: Club) -> None:
    await create(club)
    await advance_to(club, FIRST + timedelta(days=2))
    assert threads(club) == []
    assert await thread_rows(club) == []


async def test_a_thread_at_the_first_reminder_gathers_members_and_notices(club: Club) -> None:
    await setup_threads(club, "first-reminder")
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    [announcement] = channel_posts(club)
    assert threads(club) == []  # not yet: at the first reminder
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    await club.ben.slash(club.channel, "rsvp", session="1", status="no")

    await advance_to(club, FIRST - timedelta(hours=24))
    [thread] = threads(club)
    assert thread.id == announcement.id  # it hangs on the announcement
    assert thread.name == "Speed session · Tue 13 Jan"
    members = backend_thread(club, thread.id).thread_members
    assert club.alice.id in members
    assert club.ben.id not in members
    row = await club.bot.db.fetch_one("SELECT thread_id FROM sessions WHERE id = 1")
    assert tuple(row) == (thread.id,)

    # Reminders go to the thread; the channel keeps only the announcement.
    in_thread = [m for m in thread.history() if m.author.bot]
    assert any("Reminder (24h to go)" in m.content for m in in_thread)
    assert club.alice.mention in in_thread[-1].content
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    await club.env.advance_time(5)
    in_thread = [m for m in thread.history() if m.author.bot]
    assert any("19:00" in m.content or "<t:" in m.content for m in in_thread[1:])
    await advance_to(club, FIRST)
    assert [m.id for m in channel_posts(club)] == [announcement.id]
    assert any("Reminder (1h to go)" in m.content for m in thread.history() if m.author.bot)

    # Archived a day after the end (the session moved to 19:00, 90 minutes long).
    end = FIRST + timedelta(minutes=30 + 90)
    await advance_to(club, end + timedelta(hours=23))
    assert not backend_thread(club, thread.id).thread_metadata.archived
    await advance_to(club, end + timedelta(days=1, minutes=1))
    assert backend_thread(club, thread.id).thread_metadata.archived
    assert [(a, s) for a, s, _ in await thread_rows(club)] == [
        ("open", "sent"),
        ("archive", "skipped"),  # the session moved: planned again at the new end
        ("archive", "sent"),
    ]


async def test_a_thread_with_the_announcement_gets_the_cancel_notice(club: Club) -> None:
    await setup_threads(club, "announcement")
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    [announcement] = channel_posts(club)
    [thread] = threads(club)
    assert thread.id == announcement.id
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="track closed")
    await club.env.advance_time(5)
    notices = [m for m in thread.history() if m.author.bot]
    assert any("track closed" in m.content for m in notices)
    assert [m.id for m in channel_posts(club)] == [announcement.id]


async def test_a_thread_is_opened_once_across_a_crash(club: Club, settings: Settings) -> None:
    await setup_threads(club, "announcement")
    await create(club)
    bot = club.bot
    original = bot.http.request
    state = {"armed": True}

    async def request(route: Any, **kwargs: Any) -> Any:
        answer = await original(route, **kwargs)
        if state["armed"] and route.method == "POST" and route.path.endswith("/threads"):
            state["armed"] = False
            await refuse_writes(bot.db)
        return answer

    bot.http.request = request  # type: ignore[method-assign]
    await advance_to(club, FIRST - timedelta(days=6))
    assert len(threads(club)) == 1
    row = await club.bot.db.fetch_one("SELECT thread_id FROM sessions WHERE id = 1")
    assert tuple(row) == (None,)

    await restart(club, settings, crash=True)
    await club.env.advance_time(5)
    [thread] = threads(club)
    row = await club.bot.db.fetch_one("SELECT thread_id FROM sessions WHERE id = 1")
    assert tuple(row) == (thread.id,)
    opens = [r for r in club.env.http_requests if r.method == "POST" and "/threads" in r.path]
    assert len(opens) == 1
    await advance_to(club, FIRST - timedelta(hours=1))
    assert any("Reminder (1h to go)" in m.content for m in thread.history() if m.author.bot)


async def test_a_deleted_thread_sends_the_reminders_back_to_the_channel(club: Club) -> None:
    await setup_threads(club, "announcement")
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    [thread] = threads(club)
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    club.env.backend.delete_channel(thread.id)  # a moderator deletes it

    await advance_to(club, FIRST - timedelta(hours=23))
    reminders = [m for m in channel_posts(club) if "Reminder (24h to go)" in m.content]
    assert len(reminders) == 1
    assert club.alice.mention in reminders[0].content
    row = await club.bot.db.fetch_one("SELECT thread_id FROM sessions WHERE id = 1")
    assert tuple(row) == (None,)
    await advance_to(club, FIRST)
    assert any("Reminder (1h to go)" in m.content for m in channel_posts(club))
