"""Trying to break "the server changes around its sessions" with inputs of the same kinds as
issue 9's cases that its tests did not use: other zones and DST edges, other announce-ahead
values and series lengths, other emoji and moderator actions, members leaving at other moments,
other ways a channel is private, other combinations of series edits.

Each test drives the real bot through SimCord and checks what members see and what the
database holds.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from bot.settings import Settings
from tests.cogs.test_server_life import (
    announce,
    announcement,
    announcements,
    clear_one,
    events,
    make_admin,
    reactions_on,
    roster_field,
    starts,
    states,
)
from tests.conftest import Club, bot_posts, embed_text, only_user_errors, restart, set_channel


async def create_series(
    club: Club, *, date: str, time: str = "18:30", weeks: int = 3, **extra: Any
) -> Any:
    result = await club.organizer.slash(
        club.channel,
        "session create",
        title=extra.pop("title", "Speed session"),
        date=date,
        time=time,
        location="Cherokee HS track",
        weeks=weeks,
        **extra,
    )
    return result


async def until(club: Club, instant: datetime) -> None:
    await club.env.advance_time((instant - club.env.now()).total_seconds())


def reminders(club: Club, viewer: Any = None) -> list[discord.Message]:
    posts = club.channel.history(viewer=viewer or club.organizer)
    return [m for m in posts if m.author.bot and "Reminder" in (m.content or "")]


# ---------------------------------------------------------------- 4. members who left


async def test_a_member_promoted_at_a_reminder_because_someone_left_is_pinged_by_it(
    club: Club,
) -> None:
    """Capacity 1: Alice going, Ben waiting; Alice leaves the server. At the 24 h reminder her
    place goes to Ben, and that reminder is for him: it must ping him, not nobody."""
    message = await announce(club, capacity=1)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    club.guild.remove_member(club.alice)

    await until(club, datetime(2026, 1, 5, 23, 31, tzinfo=UTC))  # just after the 24 h reminder

    assert await states(club) == {club.ben.id: "going"}
    [reminder] = reminders(club)
    assert f"<@{club.ben.id}>" in reminder.content
    assert {u.id for u in reminder.mentions} == {club.ben.id}
    assert f"<@{club.alice.id}>" not in reminder.content
    assert club.env.errors == []
