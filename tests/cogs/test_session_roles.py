"""Roles on sessions (issue 12): who may answer (role), the role given to members going
(attendee-role) and when answers close (rsvp-closes), through SimCord across create, edit,
cancel, start, end, crash and restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from bot.settings import Settings
from tests.cogs.test_discord_events import bot_role
from tests.conftest import Club, bot_posts, embed_text, only_user_errors, restart, set_channel

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # Tue 6 Jan 18:30 New York: announced at once


async def create(club: Club, **options: Any) -> Any:
    fields: dict[str, Any] = {
        "title": "Speed session",
        "date": "2026-01-06",
        "time": "18:30",
        "location": "Cherokee HS track",
    }
    fields.update(options)
    return await club.organizer.slash(club.channel, "session create", **fields)


def announcement(club: Club) -> discord.Message:
    return [m for m in bot_posts(club) if m.embeds][-1]


async def answers(club: Club, session_id: int = 1) -> dict[int, str]:
    rows = await club.bot.db.fetch_all(
        "SELECT user_id, state FROM rsvps WHERE session_id = ?", (session_id,)
    )
    return {int(r[0]): str(r[1]) for r in rows}


def holds(club: Club, member: Any, role: Any) -> bool:
    return role.id in club.env.backend.guilds[club.guild.id].members[member.id].role_ids


async def role_rows(club: Club) -> list[tuple[str, str | None]]:
    rows = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = 'attendee_role' ORDER BY id"
    )
    return [(str(r[0]), r[1]) for r in rows]


async def advance_to(club: Club, instant: datetime) -> None:
    seconds = (instant - discord.utils.utcnow()).total_seconds()
    if seconds > 0:
        await club.env.advance_time(seconds)


def role_calls(club: Club, verb: str) -> list[str]:
    return [r.path for r in club.env.http_requests if r.method == verb and "/roles/" in str(r.path)]


# -- role: who may answer ---------------------------------------------------------------------


async def test_only_members_with_the_role_may_answer_by_button_command_or_reaction(
    club: Club,
) -> None:
    await set_channel(club)
    elite = club.guild.create_role("Elite")
    eli = club.guild.add_member(club.env.create_user("eli"), roles=[elite])
    await create(club, role=elite)
    await club.env.advance_time(5)
    message = announcement(club)
    assert f"Only members with <@&{elite.id}> can answer" in embed_text(message.embeds[0])

    clicked = await club.alice.click(message, label="Going")
    assert clicked.ephemeral
    assert f"<@&{elite.id}>" in (clicked.response.content or "")
    typed = await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    assert typed.ephemeral
    assert f"<@&{elite.id}>" in (typed.response.content or "")
    await club.alice.react(message, "✅")
    await club.env.advance_time(5)
    only_user_errors(club, 2)
    assert await answers(club) == {}
    stored = club.env.backend.get_message(message.channel.id, message.id)
    reacting = {u for r in stored.reactions if r.emoji == "✅" for u in r.user_ids}
    assert club.alice.id not in reacting  # her reaction was taken off: it never counts

    await eli.click(message, label="Going")
    assert await answers(club) == {eli.id: "going"}


async def test_a_role_set_later_keeps_earlier_answers_and_names_who_lacks_it_then_clears(
    club: Club,
) -> None:
    await set_channel(club)
    elite = club.guild.create_role("Elite")
    await create(club)
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")

    edited = await club.organizer.slash(club.channel, "session edit", session="1", role=elite)
    text = "\n".join(embed_text(e) for e in edited.response.embeds)
    assert "kept" in text
    assert f"<@{club.alice.id}>" in text
    assert await answers(club) == {club.alice.id: "going"}
    refused = await club.ben.click(announcement(club), label="Going")
    assert f"<@&{elite.id}>" in (refused.response.content or "")
    only_user_errors(club, 1)

    await club.organizer.slash(club.channel, "session edit", session="1", clear="role")
    await club.ben.click(announcement(club), label="Maybe")
    assert await answers(club) == {club.alice.id: "going", club.ben.id: "maybe"}


async def test_a_reaction_made_while_down_by_a_member_without_the_role_is_not_counted(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    elite = club.guild.create_role("Elite")
    eli = club.guild.add_member(club.env.create_user("eli"), roles=[elite])
    await create(club, role=elite)
    await club.env.advance_time(5)
    message = announcement(club)
    await club.bot.close()
    await club.alice.react(message, "✅")
    await eli.react(message, "✅")
    await restart(club, settings)
    await club.env.advance_time(5)
    assert await answers(club) == {eli.id: "going"}


# -- rsvp-closes ------------------------------------------------------------------------------


async def test_answers_close_before_the_start_and_a_late_answer_is_refused_privately(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    await create(club, **{"rsvp-closes": "2h"})
    await club.env.advance_time(5)
    shown = embed_text(announcement(club).embeds[0])
    closes_at = START - timedelta(hours=2)
    assert f"Close <t:{int(closes_at.timestamp())}:F>" in shown
    await club.alice.click(announcement(club), label="Going")

    await restart(club, settings, crash=True)
    await advance_to(club, closes_at + timedelta(minutes=1))
    late = await club.ben.slash(club.channel, "rsvp", session="1", status="going")
    assert late.ephemeral
    assert "closed" in (late.response.content or "")
    assert f"<t:{int(closes_at.timestamp())}:F>" in (late.response.content or "")
    changed = await club.alice.slash(club.channel, "rsvp", session="1", status="no")
    assert "closed" in (changed.response.content or "")
    only_user_errors(club, 2)
    assert await answers(club) == {club.alice.id: "going"}
    message = announcement(club)
    assert "Answers closed" in embed_text(message.embeds[0])
    assert all(
        c.disabled
        for row in message.components
        for c in row.children
        if isinstance(c, discord.Button) and c.label in ("Going", "Maybe", "Can't")
    )


async def test_rsvp_closes_edited_moves_the_close_and_bad_values_change_nothing(
    club: Club,
) -> None:
    await set_channel(club)
    refused = await create(club, **{"rsvp-closes": "banana"})
    assert "rsvp-closes" in (refused.response.content or "")
    too_late = await create(club, date="2025-12-31", time="20:30", **{"rsvp-closes": "2h"})
    assert "rsvp-closes" in (too_late.response.content or "")
    only_user_errors(club, 2)
    assert await club.bot.db.fetch_all("SELECT id FROM sessions") == []

    await create(club)
    await club.organizer.slash(club.channel, "session edit", session="1", **{"rsvp-closes": "3h"})
    rows = await club.bot.db.fetch_all(
        "SELECT due_at FROM deliveries WHERE kind = 'close' AND status = 'pending'"
    )
    assert [datetime.fromisoformat(r[0]) for r in rows] == [START - timedelta(hours=3)]
    await advance_to(club, START - timedelta(hours=3) + timedelta(minutes=1))
    late = await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    assert "closed" in (late.response.content or "")
    only_user_errors(club, 3)
    assert await answers(club) == {}


# -- attendee-role ----------------------------------------------------------------------------


async def test_members_going_get_the_attendee_role_until_the_end(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Tuesday runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    assert f"Members going get <@&{runners.id}>" in embed_text(announcement(club).embeds[0])

    await club.alice.click(announcement(club), label="Going")
    await club.ben.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    assert holds(club, club.alice, runners)
    assert holds(club, club.ben, runners)

    await club.ben.click(announcement(club), label="Can't")
    await club.env.advance_time(5)
    assert not holds(club, club.ben, runners)

    await restart(club, settings, crash=True)
    await advance_to(club, START + timedelta(minutes=91))
    assert not holds(club, club.alice, runners)
    assert {status for status, _ in await role_rows(club)} == {"sent"}


async def test_overlapping_sessions_with_the_same_role_keep_it_until_the_last_ends(
    club: Club,
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, duration="1h", **{"attendee-role": runners})
    await create(club, title="Long run", time="19:00", duration="2h", **{"attendee-role": runners})
    await club.env.advance_time(5)
    first, second = [m for m in bot_posts(club) if m.embeds]
    await club.alice.click(first, label="Going")
    await club.alice.click(second, label="Going")
    await club.env.advance_time(5)
    assert holds(club, club.alice, runners)

    await advance_to(club, START + timedelta(hours=1, minutes=5))  # the first is over
    assert holds(club, club.alice, runners)
    await advance_to(club, START + timedelta(hours=2, minutes=35))  # the second too
    assert not holds(club, club.alice, runners)


async def test_cancel_and_clearing_the_attendee_role_take_it_back(club: Club) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await create(club, title="Other", time="18:00", **{"attendee-role": runners})
    await club.env.advance_time(5)
    first, second = [m for m in bot_posts(club) if m.embeds]
    await club.alice.click(first, label="Going")
    await club.ben.click(second, label="Going")
    await club.env.advance_time(5)
    assert holds(club, club.alice, runners)
    assert holds(club, club.ben, runners)

    await club.organizer.slash(club.channel, "session cancel", session="1")
    await club.env.advance_time(5)
    assert not holds(club, club.alice, runners)
    await club.organizer.slash(club.channel, "session edit", session="2", clear="attendee-role")
    await club.env.advance_time(5)
    assert not holds(club, club.ben, runners)


async def test_an_attendee_role_pacer_cannot_give_is_refused_and_nothing_is_created(
    club: Club,
) -> None:
    await set_channel(club)
    high = club.guild.create_role("Captains", position=50)
    refused = await create(club, **{"attendee-role": high})
    assert "attendee-role" in (refused.response.content or "")
    assert "not below my own role" in (refused.response.content or "")

    role = bot_role(club)
    permissions = discord.Permissions(role.permissions)
    permissions.manage_roles = False
    club.env.backend.edit_role(club.guild.id, role.id, {"permissions": permissions.value})
    low = club.guild.create_role("Runners")
    no_perm = await create(club, **{"attendee-role": low})
    assert "Manage Roles" in (no_perm.response.content or "")
    only_user_errors(club, 2)
    assert await club.bot.db.fetch_all("SELECT id FROM sessions") == []


async def test_a_role_change_that_fails_is_shown_to_organizers_and_retried(club: Club) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    role = bot_role(club)
    allowed = role.permissions
    permissions = discord.Permissions(allowed)
    permissions.manage_roles = False
    club.env.backend.edit_role(club.guild.id, role.id, {"permissions": permissions.value})

    await club.alice.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    assert not holds(club, club.alice, runners)
    assert [status for status, _ in await role_rows(club)][-1] == "retrying"
    listing = await club.organizer.slash(club.channel, "session list")
    shown = "\n".join(embed_text(e) for e in listing.response.embeds)
    assert "attendee role" in shown
    assert "Manage Roles" in shown

    club.env.backend.edit_role(club.guild.id, role.id, {"permissions": allowed})
    await club.env.advance_time(20 * 60)
    assert holds(club, club.alice, runners)


async def test_a_big_group_reminder_pings_the_attendee_role_not_each_member(club: Club) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    message = announcement(club)
    crowd = [club.guild.add_member(club.env.create_user(f"runner{n}")) for n in range(21)]
    for member in crowd:
        await member.click(message, label="Going")
    await advance_to(club, START - timedelta(minutes=59))
    reminder = [m for m in bot_posts(club) if "Reminder" in (m.content or "")][-1]
    assert f"<@&{runners.id}>" in reminder.content
    assert "<@" + str(crowd[0].id) + ">" not in reminder.content
    assert all(holds(club, member, runners) for member in crowd)


async def test_edit_refusals_about_roles_change_nothing(club: Club) -> None:
    await set_channel(club)
    elite = club.guild.create_role("Elite")
    high = club.guild.create_role("Captains", position=50)
    await create(club, role=elite)
    before = await club.bot.db.fetch_one(
        "SELECT answer_role_id, attendee_role_id, rsvp_closes_s, version FROM sessions"
    )
    above = await club.organizer.slash(
        club.channel, "session edit", session="1", **{"attendee-role": high}
    )
    assert "not below my own role" in (above.response.content or "")
    both = await club.organizer.slash(
        club.channel, "session edit", session="1", role=elite, clear="role"
    )
    assert "clear:" in (both.response.content or "")
    late = await club.organizer.slash(
        club.channel, "session edit", session="1", **{"rsvp-closes": "7d"}
    )
    assert "rsvp-closes" in (late.response.content or "")
    only_user_errors(club, 3)
    after = await club.bot.db.fetch_one(
        "SELECT answer_role_id, attendee_role_id, rsvp_closes_s, version FROM sessions"
    )
    assert tuple(after) == tuple(before)
    assert await role_rows(club) == []
