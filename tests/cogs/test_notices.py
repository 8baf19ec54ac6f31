"""Change notices reach everyone who answered, whatever became of the announcement, and big
groups are pinged in full (issue 9, sections 1 and 6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from tests.conftest import Club, bot_posts, embed_text, only_user_errors, set_channel

TUESDAY = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # 18:30 in New York


async def create(club: Club, date: str = "2026-01-06", **extra: Any) -> Any:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date=date,
        time="18:30",
        location="Park",
        **extra,
    )
    announced = [m for m in bot_posts(club) if m.embeds]
    return announced[-1] if announced else None


async def moderator(club: Club) -> Any:
    role = club.guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    return club.guild.add_member(club.env.create_user("mod"), roles=[role])


def mentioned(message: Any) -> set[int]:
    return {user.id for user in message.mentions}


def notices(club: Club, words: str) -> list[Any]:
    return [m for m in bot_posts(club) if words in (m.content or "")]


async def rows(club: Club, kind: str) -> list[tuple[Any, ...]]:
    found = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = ? ORDER BY id", (kind,)
    )
    return [tuple(row) for row in found]


async def deleted_announcement_with_answers(club: Club) -> Any:
    """Alice going, then a moderator deletes the announcement, then Ben answers maybe."""
    message = await create(club, capacity=1)
    await club.alice.click(message, label="Going")
    mod = await moderator(club)
    await mod.delete(message)
    await club.ben.slash(club.channel, "rsvp", session="1", status="going")  # waitlisted
    carol = club.guild.add_member(club.env.create_user("carol"))
    await carol.slash(club.channel, "rsvp", session="1", status="maybe")
    await club.env.advance_time(10)  # the edit finds the announcement gone
    [(message_id,)] = await club.bot.db.fetch_all("SELECT announcement_message_id FROM sessions")
    assert message_id is None
    return carol


async def test_a_cancel_reaches_everyone_who_answered_after_the_announcement_was_deleted(
    club: Club,
) -> None:
    carol = await deleted_announcement_with_answers(club)

    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Track closed")

    [notice] = notices(club, "is cancelled")
    assert "Track closed" in notice.content
    assert "going 1, waitlist 1, maybe 1" in notice.content
    assert mentioned(notice) == {club.alice.id, club.ben.id, carol.id}
    assert "See the announcement" not in notice.content
    assert await rows(club, "cancel_notice") == [("sent", None)]


async def test_a_time_change_reaches_everyone_who_answered_after_the_announcement_was_deleted(
    club: Club,
) -> None:
    carol = await deleted_announcement_with_answers(club)

    await club.organizer.slash(club.channel, "session edit", session="1", time="19:30")

    [notice] = notices(club, "has moved")
    assert f"<t:{int(TUESDAY.timestamp())}:F>" in notice.content
    assert f"<t:{int((TUESDAY + timedelta(hours=1)).timestamp())}:F>" in notice.content
    assert mentioned(notice) == {club.alice.id, club.ben.id, carol.id}


async def test_members_who_answered_a_session_never_announced_are_told(club: Club) -> None:
    assert await create(club, date="2026-01-27") is None  # announced 6 days ahead, not yet
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")

    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    await club.organizer.slash(club.channel, "session cancel", session="1")

    [moved] = notices(club, "has moved")
    [cancelled] = notices(club, "is cancelled")
    assert mentioned(moved) == mentioned(cancelled) == {club.alice.id}
    assert [m for m in bot_posts(club) if m.embeds] == []  # still not announced: cancelled


async def test_nobody_is_told_of_a_session_nobody_could_have_heard_of(club: Club) -> None:
    assert await create(club, date="2026-01-27") is None

    await club.organizer.slash(club.channel, "session cancel", session="1")

    assert notices(club, "is cancelled") == []
    assert await rows(club, "cancel_notice") == [("skipped", "never announced and nobody answered")]


async def test_a_member_who_said_no_is_not_pinged(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Can't")

    await club.organizer.slash(club.channel, "session cancel", session="1")

    [notice] = notices(club, "is cancelled")
    assert mentioned(notice) == {club.alice.id}


async def test_organizers_can_repost_a_deleted_announcement_keeping_answers(club: Club) -> None:
    carol = await deleted_announcement_with_answers(club)

    refused = await club.alice.slash(club.channel, "session repost", session="1")
    assert refused.ephemeral
    result = await club.organizer.slash(club.channel, "session repost", session="1")
    assert result.ephemeral
    assert "Announcing #1 again" in result.response.content

    [again] = [m for m in bot_posts(club) if m.embeds]
    text = embed_text(again.embeds[0])
    assert "alice" in text
    assert "carol" in text
    assert {str(r.emoji) for r in again.reactions} == {"✅", "🤔", "❌"}
    [(message_id,)] = await club.bot.db.fetch_all("SELECT announcement_message_id FROM sessions")
    assert message_id == again.id
    # Reactions on the new one count; nothing seen on the old one reads as taken back.
    await carol.react(again, "✅")
    states = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps ORDER BY user_id")
    assert {int(r[0]): str(r[1]) for r in states}[carol.id] == "waitlist"
    only_user_errors(club, 1)


async def test_reposting_an_announcement_still_there_replaces_it(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")

    await club.organizer.slash(club.channel, "session repost", session="1")

    [again] = [m for m in bot_posts(club) if m.embeds]
    assert again.id != message.id
    assert "alice" in embed_text(again.embeds[0])


async def test_a_cancelled_session_is_not_reposted(club: Club) -> None:
    await create(club)
    await club.organizer.slash(club.channel, "session cancel", session="1")

    result = await club.organizer.slash(club.channel, "session repost", session="1")

    assert result.ephemeral
    assert "cancelled" in result.response.content
    only_user_errors(club, 1)


# -- big groups ------------------------------------------------------------------------------------


async def big_group(club: Club, count: int) -> list[Any]:
    await create(club, capacity=1000)
    members = [club.guild.add_member(club.env.create_user(f"runner{n}")) for n in range(count)]
    # Answers go straight through the service: 300 slash commands would only slow the test.
    from bot.domain.rsvp import Response

    for member in members:
        await club.bot.services.rsvps.respond(
            club.guild.id, 1, member.id, member.name, Response.GOING, "command"
        )
    return members


def check_parts(parts: list[Any], expected: set[int]) -> None:
    pinged: list[int] = []
    for part in parts:
        assert len(part.content) <= 2000
        assert "more" not in part.content
        pinged += [user.id for user in part.mentions]
    assert len(pinged) == len(set(pinged))  # nobody pinged twice
    assert set(pinged) == expected


async def test_a_reminder_pings_all_300_members_going(club: Club) -> None:
    members = await big_group(club, 300)

    await club.env.advance_time((TUESDAY - club.env.now()).total_seconds() - 3600)

    reminder = next(m for m in bot_posts(club) if "Reminder (1h to go)" in (m.content or ""))
    posts = bot_posts(club)
    parts = [reminder] + [
        m for m in posts[posts.index(reminder) + 1 :] if (m.content or "").startswith("(continued")
    ]
    assert len(parts) == 4
    assert "Going (300)" in reminder.content
    check_parts(parts, {m.id for m in members})
    statuses = {row[0] for row in await rows(club, "mentions")}
    assert statuses == {"sent"}


async def test_a_cancel_notice_pings_all_300_members(club: Club) -> None:
    members = await big_group(club, 300)

    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")

    posts = bot_posts(club)
    [notice] = notices(club, "is cancelled")
    parts = [notice] + [m for m in posts if (m.content or "").startswith("(continued")]
    assert "Storm" in notice.content
    check_parts(parts, {m.id for m in members})
    for part in parts:
        request = next(
            r
            for r in club.env.http_requests
            if r.method == "POST"
            and isinstance(r.json, dict)
            and r.json.get("content") == part.content
        )
        allowed = request.json["allowed_mentions"]
        assert allowed.get("parse", []) == []
        assert {int(u) for u in allowed["users"]} == {u.id for u in part.mentions}
