"""Answers close at the start (issue 9, section 8): what the announcement shows, what a late
click or reaction does, across restarts, moved starts and cancels; and the outbox's close row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot import create_bot
from bot.settings import Settings
from tests.cogs.test_server_life_break import overwrite
from tests.conftest import Club, bot_posts, embed_text, only_user_errors, restart, set_channel

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # 18:30 New York, announced at once
CLOSED = "Answers closed at the start."
ANSWERS = ["Going", "Maybe", "Can't"]


async def announce(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
    )


def announcement(club: Club) -> discord.Message:
    """The announcement as members see it now."""
    return [m for m in bot_posts(club) if m.embeds][-1]


def buttons(message: discord.Message) -> dict[str, bool]:
    """Label -> disabled, for every button under the message."""
    return {
        str(c.label): bool(c.disabled)
        for row in message.components
        for c in row.children
        if isinstance(c, discord.Button)
    }


def custom_ids(message: discord.Message) -> list[str]:
    return [
        str(c.custom_id)
        for row in message.components
        for c in row.children
        if isinstance(c, discord.Button)
    ]


def reactors(club: Club, emoji: str) -> set[int]:
    """Members (not Pacer) showing ``emoji`` on the announcement, as Discord holds it now."""
    message = announcement(club)
    stored = club.env.backend.get_message(message.channel.id, message.id)
    for reaction in stored.reactions:
        if reaction.emoji == emoji:
            return {u for u in reaction.user_ids if u != club.bot.user.id}
    return set()


async def closes(club: Club) -> list[tuple[str, str, int | None, str | None]]:
    """The close rows: (due_at, status, message_id, reason), oldest first."""
    rows = await club.bot.db.fetch_all(
        "SELECT due_at, status, message_id, last_error FROM deliveries WHERE kind = 'close'"
        " ORDER BY id"
    )
    return [(str(r[0]), str(r[1]), r[2], r[3]) for r in rows]


async def states(club: Club) -> dict[int, str]:
    rows = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps")
    return {int(r[0]): str(r[1]) for r in rows}


async def advance_to(club: Club, instant: datetime) -> None:
    seconds = (instant - club.env.now()).total_seconds()
    if seconds > 0:
        await club.env.advance_time(seconds)


async def settle_edits(club: Club) -> None:
    await club.env.advance_time(6)


def as_an_old_client(club: Club, message: discord.Message) -> None:
    """Model a member whose client still shows the message from before the start (enabled
    buttons). SimCord refuses clicks on disabled buttons, as Discord's client does; a client
    that has not refreshed yet can still send the old custom id, so it is re-enabled here."""
    stored = club.env.backend.get_message(message.channel.id, message.id)
    for row in stored.components:
        for component in row.get("components", []):
            component.pop("disabled", None)


async def test_the_announcement_says_answers_closed_once_the_session_starts(club: Club) -> None:
    await announce(club)
    await club.alice.click(announcement(club), label="Going")
    before = announcement(club)
    tools = ["DM reminders", "My paces", "Add to calendar", "Send to watch"]
    # Days before the start, check-in is not open: no "I'm here" yet.
    assert buttons(before) == dict.fromkeys([*ANSWERS, *tools], False)
    assert CLOSED not in embed_text(before.embeds[0])
    assert [(due, status) for due, status, _, _ in await closes(club)] == [
        (START.isoformat(), "pending")
    ]

    await advance_to(club, START - timedelta(seconds=1))
    assert CLOSED not in embed_text(announcement(club).embeds[0])
    await advance_to(club, START)
    await settle_edits(club)

    after = announcement(club)
    text = embed_text(after.embeds[0])
    assert CLOSED in text
    assert "Your latest answer counts" not in text  # nothing more to answer
    assert "Going 1" in text
    assert "alice" in text
    assert buttons(after) == {
        "Going": True,
        "Maybe": True,
        "Can't": True,
        # Check-in opened 30 min before and stays open until after the start; the other
        # tools never close.
        "DM reminders": False,
        "My paces": False,
        "Add to calendar": False,
        "Send to watch": False,
        "I'm here": False,
    }
    assert set(custom_ids(before)) <= set(custom_ids(after))  # old clicks still route
    assert after.id == before.id  # redrawn, not reposted
    assert await closes(club) == [(START.isoformat(), "sent", after.id, None)]
    assert await states(club) == {club.alice.id: "going"}
    assert club.env.errors == []


async def test_a_click_after_the_start_is_refused_privately(club: Club) -> None:
    await announce(club)
    await advance_to(club, START)
    await settle_edits(club)
    message = announcement(club)

    with pytest.raises(Exception, match="disabled"):
        await club.alice.click(message, label="Going")  # a real client can't click it

    as_an_old_client(club, message)
    clicked = await club.alice.click(message, label="Going")

    assert clicked.ephemeral
    assert "RSVPs are closed" in clicked.response.content
    assert "has already started" in clicked.response.content
    assert await states(club) == {}
    only_user_errors(club)


@pytest.mark.parametrize("manage_messages", [True, False])
async def test_a_reaction_after_the_start_is_not_counted(club: Club, manage_messages: bool) -> None:
    await announce(club)
    await club.ben.click(announcement(club), label="Maybe")
    me = club.guild.me
    assert me is not None
    if not manage_messages:
        overwrite(club, club.channel, me, manage_messages=False)
        await club.env.settle()
    await advance_to(club, START)
    await settle_edits(club)

    await club.alice.react(announcement(club), "✅")
    await club.ben.react(announcement(club), "❌")
    await settle_edits(club)

    assert await states(club) == {club.ben.id: "maybe"}
    text = embed_text(announcement(club).embeds[0])
    assert "Going 0" in text
    assert "Maybe 1" in text
    assert CLOSED in text
    if manage_messages:
        # Taken off, so the message never shows an answer that doesn't count.
        assert reactors(club, "✅") == set()
        assert reactors(club, "❌") == set()
    else:
        # Pacer may not remove them; the closed line says they don't count (README, RSVPs).
        assert reactors(club, "✅") == {club.alice.id}
        assert reactors(club, "❌") == {club.ben.id}
    assert club.env.errors == []


async def test_a_start_passed_while_the_bot_was_down_closes_at_start_up(
    club: Club, settings: Settings
) -> None:
    await announce(club)
    before = announcement(club)
    await advance_to(club, START - timedelta(hours=2))
    await club.bot.close()
    await advance_to(club, START + timedelta(hours=3))
    assert buttons(announcement(club))["Going"] is False  # nobody redrew it while down

    await club.env.restart_bot(create_bot(settings))
    await settle_edits(club)

    after = announcement(club)
    assert after.id == before.id
    assert CLOSED in embed_text(after.embeds[0])
    assert buttons(after)["Going"] is True
    assert await closes(club) == [(START.isoformat(), "sent", after.id, None)]

    # Once: another restart neither re-closes nor edits again.
    edited_at = after.edited_at
    await restart(club, settings)
    await settle_edits(club)
    assert await closes(club) == [(START.isoformat(), "sent", after.id, None)]
    assert announcement(club).edited_at == edited_at
    assert club.env.errors == []


async def test_a_crash_across_the_start_closes_once(club: Club, settings: Settings) -> None:
    await announce(club)
    await advance_to(club, START - timedelta(minutes=30))
    await restart(club, settings, crash=True)
    await advance_to(club, START)
    await settle_edits(club)

    assert CLOSED in embed_text(announcement(club).embeds[0])
    assert [status for _, status, _, _ in await closes(club)] == ["sent"]


async def test_moving_the_session_moves_the_close(club: Club) -> None:
    await announce(club)
    later = START + timedelta(minutes=45)  # 19:15 New York
    moved = await club.organizer.slash(club.channel, "session edit", session="1", time="19:15")
    assert moved.ephemeral

    rows = await closes(club)
    assert [(due, status) for due, status, _, _ in rows] == [
        (START.isoformat(), "superseded"),
        (later.isoformat(), "pending"),
    ]
    await advance_to(club, START)
    await settle_edits(club)
    assert CLOSED not in embed_text(announcement(club).embeds[0])
    assert buttons(announcement(club))["Going"] is False
    await club.alice.click(announcement(club), label="Going")  # still open: counted
    assert await states(club) == {club.alice.id: "going"}

    await advance_to(club, later)
    await settle_edits(club)
    assert CLOSED in embed_text(announcement(club).embeds[0])
    assert buttons(announcement(club))["Going"] is True
    assert [status for _, status, _, _ in await closes(club)] == ["superseded", "sent"]
    assert club.env.errors == []


async def test_a_cancelled_session_needs_no_close_and_takes_no_answers(club: Club) -> None:
    await announce(club)
    cancelled = await club.organizer.slash(
        club.channel, "session cancel", session="1", reason="track closed"
    )
    assert cancelled.ephemeral
    message = announcement(club)
    await settle_edits(club)
    message = announcement(club)
    assert "cancelled" in embed_text(message.embeds[0])
    # Drawn cancelled: no answer button left to press.
    assert not any(label in ANSWERS for label in buttons(message))
    assert [(status, reason) for _, status, _, reason in await closes(club)] == [
        ("superseded", "session cancelled")
    ]

    await club.alice.react(message, "✅")
    await settle_edits(club)
    assert reactors(club, "✅") == set()
    assert await states(club) == {}

    await advance_to(club, START + timedelta(minutes=1))
    assert [status for _, status, _, _ in await closes(club)] == ["superseded"]
    assert club.env.errors == []


async def test_sessions_planned_before_this_version_get_their_close_at_start_up(
    club: Club, settings: Settings
) -> None:
    await announce(club)
    # As written by a Pacer before answers closed through the outbox: no close row.
    async with club.bot.db.transaction() as conn:
        await conn.execute("DELETE FROM deliveries WHERE kind = 'close'")
    await club.bot.close()
    await advance_to(club, START + timedelta(hours=1))

    await club.env.restart_bot(create_bot(settings))
    await settle_edits(club)

    after = announcement(club)
    assert CLOSED in embed_text(after.embeds[0])
    assert buttons(after)["Going"] is True
    assert await closes(club) == [(START.isoformat(), "sent", after.id, None)]
    assert club.env.errors == []
