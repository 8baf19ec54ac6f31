"""The published pace groups on an announcement stay within Discord's embed limits (25 fields,
1,024 characters a field, 6,000 in all), whatever the club's size and names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.rsvp import Roster, RosterEntry, State
from bot.outbox.render import EMBED_LIMIT, announcement_embed, groups_text
from bot.outbox.views import GroupLine, GroupsView, SessionView, WorkoutView


def session(details: str | None = None) -> SessionView:
    return SessionView(
        id=1,
        guild_id=1,
        channel_id=2,
        title="T" * 256,
        location="L" * 100,
        starts_at=datetime(2026, 1, 6, 23, 30, tzinfo=UTC),
        details=details,
        workout=WorkoutView(text="x", name="N" * 100, lines=("6 × 800 m" * 20,) * 10, parsed=True),
    )


def roster(size: int) -> Roster:
    going = tuple(
        RosterEntry(i, "R" * 32, State.GOING, "button", None, "2026-01-01") for i in range(size)
    )
    return Roster(going, (), going[:5], ())


def groups(count: int, size: int, name: str = "M" * 32) -> GroupsView:
    return GroupsView(
        tuple(
            GroupLine(n, tuple(f"{name} (T 4:15/km)" for _ in range(size)), leader=name)
            for n in range(1, count + 1)
        ),
        no_profile=tuple(name for _ in range(size)),
    )


@pytest.mark.parametrize(("count", "size"), [(1, 1), (3, 5), (10, 40), (30, 200)])
def test_every_group_keeps_its_line_within_one_field(count: int, size: int) -> None:
    text = groups_text(groups(count, size))
    assert len(text) <= 1024
    for number in range(1, min(count, 20) + 1):
        assert f"**Group {number}**" in text


def test_the_whole_announcement_stays_within_6000_characters() -> None:
    embed = announcement_embed(session("D" * 1500), roster(500), groups(10, 100))
    assert len(embed) <= EMBED_LIMIT
    assert len(embed.fields) <= 25
    assert any(f.name == "Pace groups" for f in embed.fields)
    assert all(len(f.value or "") <= 1024 for f in embed.fields)


def test_names_are_shown_literally_and_nobody_going_is_said() -> None:
    text = groups_text(GroupsView((GroupLine(1, ("*bold* @everyone",)),)))
    assert text == "**Group 1**: \\*bold\\* @\u200beveryone"
    assert groups_text(GroupsView(())) == "Nobody is going yet."
