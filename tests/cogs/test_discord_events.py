"""Sessions mirrored in Discord's Events list (issue 12): one external event per announced
occurrence, following it through edit, cancel, start, end, crash and restart.

SimCord models scheduled events (REST and the Manage Events check) and starts and ends them at
their times as Discord does. "Discord made the event, then recording it failed" is injected
through the same documented seam as the outbox faults: a wrapper around the bot's
``http.request`` that makes SQLite refuse writes right after Discord answers the create.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from bot.settings import Settings
from tests.conftest import Club, bot_posts, embed_text, make_admin, only_user_errors, restart
from tests.conftest import set_channel as use_channel
from tests.faults import refuse_writes

FIRST = datetime(2026, 1, 13, 23, 30, tzinfo=UTC)  # 18:30 in New York


async def advance_to(club: Club, instant: datetime) -> None:
    seconds = (instant - club.env.now()).total_seconds()
    if seconds > 0:
        await club.env.advance_time(seconds)


async def create(club: Club, channel: Any = None, **extra: Any) -> None:
    await use_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date=extra.pop("date", "2026-01-13"),
        time="18:30",
        location="Cherokee HS track",
        workout="6x800 @ I w/ 400 jog",
        **({"channel": channel} if channel is not None else {}),
        **extra,
    )
    assert not club.env.errors, club.env.errors


def events(club: Club) -> list[Any]:
    return sorted(
        club.env.backend.guilds[club.guild.id].scheduled_events.values(), key=lambda e: e.id
    )


def iso(instant: str) -> datetime:
    return datetime.fromisoformat(instant)


async def event_rows(club: Club) -> list[tuple[Any, ...]]:
    rows = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = 'discord_event' ORDER BY id"
    )
    return [tuple(r) for r in rows]


async def stored_event(club: Club, session_id: int = 1) -> int | None:
    row = await club.bot.db.fetch_one(
        "SELECT discord_event_id FROM sessions WHERE id = ?", (session_id,)
    )
    return None if row is None or row[0] is None else int(row[0])


def listing_text(listing: Any) -> str:
    return "\n".join(embed_text(e) for e in listing.response.embeds) + (
        listing.response.content or ""
    )


def bot_role(club: Club) -> Any:
    backend = club.env.backend
    guild = backend.guilds[club.guild.id]
    return next(role for role in guild.roles.values() if role.managed)


def set_manage_events(club: Club, allowed: bool) -> None:
    role = bot_role(club)
    permissions = discord.Permissions(role.permissions)
    permissions.manage_events = allowed
    club.env.backend.edit_role(club.guild.id, role.id, {"permissions": permissions.value})


# -- the event's life --


async def test_an_announced_session_gets_one_external_event_with_everything(club: Club) -> None:
    await create(club, duration="1h45")
    assert events(club) == []  # not announced yet: no event

    await advance_to(club, FIRST - timedelta(days=6))
    [announcement] = bot_posts(club)
    [event] = events(club)
    assert event.name == "Speed session"
    assert event.entity_type == 3  # external
    assert event.entity_metadata == {"location": "Cherokee HS track"}
    assert iso(event.scheduled_start_time) == FIRST
    assert iso(event.scheduled_end_time) == FIRST + timedelta(minutes=105)
    assert event.status == 1
    description = event.description
    assert "6 x 800 m" in description  # the workout
    assert "/rsvp" in description
    assert '"Interested" here is not an answer' in description
    assert announcement.jump_url in description
    assert description.endswith("Pacer session #1")
    assert len(description) <= 1000
    assert await stored_event(club) == event.id
    assert await event_rows(club) == [("sent", None), ("pending", None), ("pending", None)]


async def test_the_event_follows_edits_cancel_and_the_end(club: Club) -> None:
    await create(club, weeks=2)
    await advance_to(club, FIRST - timedelta(days=6))
    [first] = events(club)

    result = await club.organizer.slash(
        club.channel, "session edit", session="1", time="19:00", location="Cherry Hill East"
    )
    assert result.ephemeral
    await club.env.advance_time(10)
    [first] = events(club)
    assert iso(first.scheduled_start_time) == FIRST + timedelta(minutes=30)
    assert iso(first.scheduled_end_time) == FIRST + timedelta(minutes=120)
    assert first.entity_metadata == {"location": "Cherry Hill East"}

    await club.organizer.slash(club.channel, "session edit", session="1", duration="2h")
    await club.env.advance_time(10)
    [first] = events(club)
    assert iso(first.scheduled_end_time) == FIRST + timedelta(minutes=150)

    # The second week: announced, then cancelled -> its event is cancelled, not deleted.
    await advance_to(club, FIRST + timedelta(days=1))
    assert [e.status for e in events(club)] == [3, 1]  # first completed after its end
    await club.organizer.slash(club.channel, "session cancel", session="2", reason="meet")
    await club.env.advance_time(10)
    assert [e.status for e in events(club)] == [3, 4]
    assert len(events(club)) == 2


async def test_an_event_made_once_even_when_its_recording_failed(
    club: Club, settings: Settings
) -> None:
    await create(club)
    bot = club.bot
    original = bot.http.request
    state = {"armed": True}

    async def request(route: Any, **kwargs: Any) -> Any:
        answer = await original(route, **kwargs)
        if state["armed"] and route.method == "POST" and route.path.endswith("/scheduled-events"):
            state["armed"] = False
            await refuse_writes(bot.db)
        return answer

    bot.http.request = request  # type: ignore[method-assign]
    await advance_to(club, FIRST - timedelta(days=6))
    assert len(events(club)) == 1
    assert await stored_event(club) is None  # Discord has it; the database does not

    # The process dies there; the next start finds the event and adopts it.
    await restart(club, settings, crash=True)
    await club.env.advance_time(5)
    [event] = events(club)
    assert await stored_event(club) == event.id
    await advance_to(club, FIRST + timedelta(hours=2))
    [event] = events(club)
    assert event.status == 3
    assert all(status in ("sent", "superseded") for status, _ in await event_rows(club))


async def test_restarts_never_double_an_event(club: Club, settings: Settings) -> None:
    await create(club, weeks=2)
    instant = FIRST - timedelta(days=7)
    while instant < FIRST + timedelta(days=8):
        instant += timedelta(hours=9, minutes=41)
        await advance_to(club, instant)
        await restart(club, settings, crash=instant.hour % 2 == 0)
    assert [e.status for e in events(club)] == [3, 3]


# -- who gets no event, and why --


async def test_a_private_channel_session_gets_no_event(club: Club) -> None:
    private = club.guild.create_text_channel(
        "coaches",
        overwrites={
            club.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            club.organizer: discord.PermissionOverwrite(view_channel=True),
            club.guild.me: discord.PermissionOverwrite(view_channel=True),
        },
    )
    await create(club, channel=private)
    await advance_to(club, FIRST - timedelta(days=6))
    assert private.history(viewer=club.organizer)  # announced there
    assert events(club) == []
    assert await event_rows(club) == [
        ("skipped", "its channel is not open to every member, so it gets no Discord event"),
        ("pending", None),
        ("pending", None),
    ]


async def test_without_manage_events_the_default_is_off_and_never_blocks(club: Club) -> None:
    set_manage_events(club, False)
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    assert len(bot_posts(club)) == 1  # the announcement went out
    assert events(club) == []
    status, reason = (await event_rows(club))[0]
    assert status == "skipped"
    assert "no Manage Events" in reason


async def test_enabled_without_the_permission_is_shown_then_made_once_allowed(club: Club) -> None:
    set_manage_events(club, False)
    admin = await make_admin(club)
    reply = await admin.slash(club.channel, "setup discord-events", enabled=True)
    assert reply.ephemeral
    assert "Manage Events" in reply.response.content
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    assert len(bot_posts(club)) == 1  # never blocks the announcement
    assert events(club) == []

    listing = await club.organizer.slash(club.channel, "session list")
    shown = listing_text(listing)
    assert "discord event for session #1 not posted yet" in shown
    assert "Manage Events" in shown

    set_manage_events(club, True)
    retried = await club.organizer.slash(club.channel, "session retry", session="1")
    assert retried.ephemeral
    await club.env.advance_time(5)
    assert len(events(club)) == 1


async def test_turning_discord_events_off_removes_them_and_on_brings_them_back(
    club: Club,
) -> None:
    await create(club, weeks=2)
    await advance_to(club, FIRST - timedelta(days=6))
    assert len(events(club)) == 1
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup discord-events", enabled=False)
    await club.env.advance_time(5)
    assert events(club) == []
    assert await stored_event(club) is None

    await advance_to(club, FIRST + timedelta(days=1))  # week 2 announced: still no event
    assert events(club) == []
    await admin.slash(club.channel, "setup discord-events", enabled=True)
    await club.env.advance_time(5)
    assert [e.name for e in events(club)] == ["Speed session"]
    assert await stored_event(club, 2) == events(club)[0].id


async def test_interested_on_the_event_is_not_an_answer(club: Club) -> None:
    await create(club)
    await advance_to(club, FIRST - timedelta(days=6))
    [event] = events(club)
    club.env.backend.set_scheduled_event_subscription(club.guild.id, event.id, club.alice.id, True)
    await club.env.advance_time(5)
    roster = await club.organizer.slash(club.channel, "session roster", session="1")
    assert "alice" not in embed_text(roster.response.embeds[0])
    assert tuple(await club.bot.db.fetch_one("SELECT COUNT(*) FROM rsvps")) == (0,)


# -- Discord's limit of 100 --


def fill_with_other_events(club: Club, count: int) -> None:
    for n in range(count):
        club.env.backend.create_scheduled_event(
            club.guild.id,
            name=f"Book club {n}",
            entity_type=3,
            scheduled_start_time=(FIRST + timedelta(days=2)).isoformat(),
            scheduled_end_time=(FIRST + timedelta(days=2, hours=1)).isoformat(),
            creator_id=club.alice.id,
            entity_metadata={"location": "library"},
        )


async def test_at_the_limit_the_nearest_sessions_are_mirrored_and_organizers_told(
    club: Club,
) -> None:
    fill_with_other_events(club, 99)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup announce-ahead", days=28)
    await use_channel(club)
    # The far one is announced first and takes the last place ...
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Far",
        date="2026-01-27",
        time="18:30",
        location="track",
    )
    await club.env.advance_time(5)
    assert [e.name for e in events(club) if e.creator_id != club.alice.id] == ["Far"]
    # ... then a nearer one gets it: the far one's event gives way and waits.
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Near",
        date="2026-01-13",
        time="18:30",
        location="track",
    )
    await club.env.advance_time(5)
    assert [e.name for e in events(club) if e.creator_id != club.alice.id] == ["Near"]
    assert len([e for e in events(club) if e.status in (1, 2)]) == 100
    assert await stored_event(club, 1) is None

    await club.env.advance_time(7 * 3600)  # Far tries again and is told why it waits
    listing = await club.organizer.slash(club.channel, "session list")
    shown = listing_text(listing)
    assert "discord event for session #1" in shown
    assert "100 scheduled events" in shown
    # Near is over (completed): a place is free and Far gets its event back.
    await advance_to(club, FIRST + timedelta(days=2))
    far = [e for e in events(club) if e.name == "Far"]
    assert len(far) == 1
    assert far[0].status == 1
    assert await stored_event(club, 1) == far[0].id


# -- the length --


async def test_the_default_length_comes_from_setup(club: Club) -> None:
    admin = await make_admin(club)
    reply = await admin.slash(club.channel, "setup session-length", length="1h")
    assert reply.ephemeral
    assert "60 minutes" in reply.response.content
    await create(club)
    row = await club.bot.db.fetch_one("SELECT duration_s FROM sessions WHERE id = 1")
    assert row is not None
    assert tuple(row) == (3600,)
    await advance_to(club, FIRST - timedelta(days=6))
    [event] = events(club)
    assert iso(event.scheduled_end_time) == FIRST + timedelta(hours=1)


async def test_a_bad_duration_is_refused_privately_and_changes_nothing(club: Club) -> None:
    await use_channel(club)
    result = await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed",
        date="2026-01-13",
        time="18:30",
        location="track",
        duration="90",
    )
    assert result.ephemeral
    assert result.response.content.startswith("duration: 90 needs a unit")
    only_user_errors(club)
    assert tuple(await club.bot.db.fetch_one("SELECT COUNT(*) FROM sessions")) == (0,)


async def test_sessions_announced_before_mirroring_get_their_event_at_start_up(
    club: Club, settings: Settings
) -> None:
    await create(club, weeks=2)
    await advance_to(club, FIRST - timedelta(days=6))
    # As a database from before this Pacer: announced, no event and no event rows.
    [event] = events(club)
    club.env.backend.delete_scheduled_event(club.guild.id, event.id)
    async with club.bot.db.transaction() as conn:
        await conn.execute("DELETE FROM deliveries WHERE kind = 'discord_event'")
        await conn.execute("UPDATE sessions SET discord_event_id = NULL")

    await restart(club, settings)
    await club.env.advance_time(5)
    [event] = events(club)
    assert await stored_event(club) == event.id
    await restart(club, settings)  # once: not again at the next start
    await club.env.advance_time(5)
    assert len(events(club)) == 1
