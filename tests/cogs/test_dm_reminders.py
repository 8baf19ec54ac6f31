"""Reminders by DM (issue 12): members opt in with /profile reminders or the announcement's
button, get the reminders of sessions they are going to by DM through the outbox, exactly once
across a crash, and closed DMs are recorded, never retried, and told once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import discord

from bot.settings import Settings
from tests.cogs.test_session_roles import advance_to, announcement, create
from tests.conftest import Club, restart, set_channel

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)


def dms(member: Any) -> list[discord.Message]:
    channel = member.user.dm_channel
    return [m for m in channel.history(viewer=member) if m.author.bot]


async def dm_rows(club: Club) -> list[tuple[int, str, str | None]]:
    rows = await club.bot.db.fetch_all(
        "SELECT payload, status, last_error FROM deliveries WHERE kind = 'reminder_dm' ORDER BY id"
    )
    return [(int(json.loads(r[0])["user_id"]), str(r[1]), r[2]) for r in rows]


async def test_members_who_opt_in_get_each_reminder_by_dm_once_even_across_a_crash(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    turned = await club.alice.slash(club.channel, "profile reminders", dm="on")
    assert turned.ephemeral
    assert "on" in (turned.response.content or "")
    await create(club)
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    await club.ben.click(announcement(club), label="Going")
    await club.env.advance_time(5)

    await restart(club, settings, crash=True)
    await advance_to(club, START - timedelta(hours=24) + timedelta(minutes=1))
    [first] = dms(club.alice)
    assert "Reminder (24h to go)" in (first.content or "")
    assert "Speed session" in (first.content or "")
    assert dms(club.ben) == []
    await restart(club, settings)
    await advance_to(club, START - timedelta(minutes=59))
    assert len(dms(club.alice)) == 2
    assert await dm_rows(club) == [(club.alice.id, "sent", None)] * 2


async def test_the_button_turns_dm_reminders_on_and_off_and_only_members_going_get_them(
    club: Club,
) -> None:
    await set_channel(club)
    await create(club)
    await club.env.advance_time(5)
    message = announcement(club)
    on = await club.ben.click(message, label="DM reminders")
    assert on.ephemeral
    assert "**on**" in (on.response.content or "")
    await club.ben.click(message, label="Maybe")
    off = await club.alice.click(message, label="DM reminders")
    assert "**on**" in (off.response.content or "")
    off = await club.alice.click(message, label="DM reminders")
    assert "**off**" in (off.response.content or "")
    await club.alice.click(message, label="Going")
    await advance_to(club, START - timedelta(hours=23))
    assert dms(club.alice) == []
    assert dms(club.ben) == []  # maybe, not going
    assert await dm_rows(club) == []


async def test_closed_dms_are_recorded_never_retried_and_the_member_is_told_once(
    club: Club,
) -> None:
    await set_channel(club)
    await club.alice.slash(club.channel, "profile reminders", dm="on")
    await create(club)
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    dm_channel = club.alice.user.dm_channel
    club.env.inject_error(
        "POST", f"/channels/{dm_channel.id}/messages", status=403, code=50007, times=None
    )
    await advance_to(club, START - timedelta(minutes=59))
    [row] = await dm_rows(club)  # the first bounced; the next reminder sent none
    assert row[1] == "skipped"
    assert "closed" in (row[2] or "")
    posts = [
        r for r in club.env.http_requests if r.method == "POST" and str(dm_channel.id) in r.path
    ]
    assert len(posts) == 1  # never retried

    answered = await club.alice.slash(club.channel, "rsvp", session="1", status="maybe")
    told = [answered.response.content or "", *(f.content or "" for f in answered.followups)]
    assert any("DMs are closed" in text for text in told)
    again = await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    assert not any("DMs are closed" in (f.content or "") for f in again.followups)
    shown = await club.alice.slash(club.channel, "profile reminders", dm="on")
    assert "**on**" in (shown.response.content or "")
