"""Trying to break attendance as a newcomer would: odd periods and windows, marks on cancelled
or moved sessions, check-in against organizers' marks, restarts inside the window, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.cogs.test_attendance_cog import START, advance_to, announce, announcements, labels, marks
from tests.conftest import Club, make_admin, only_user_errors


@pytest.mark.parametrize(
    "period", ["0w", "105w", "25m", "1999", "2027", "-4w", "4d", "4 weeks", "w4", "   ", "4w4"]
)
async def test_odd_periods_are_refused_privately_naming_the_field(club: Club, period: str) -> None:
    await announce(club)
    for command in ("attendance club", "attendance export"):
        result = await club.organizer.slash(club.channel, command, period=period)
        assert result.ephemeral
        content = result.response.content or ""
        assert content.startswith("period:"), content
        assert "4w" in content
        assert "3m" in content
    only_user_errors(club, 2)


@pytest.mark.parametrize("period", ["4W", " 3M ", "104w", "24m", "2000", "2025", "1w"])
async def test_periods_at_the_edges_are_accepted(club: Club, period: str) -> None:
    await announce(club)
    result = await club.organizer.slash(club.channel, "attendance club", period=period)
    assert result.ephemeral
    assert result.response.embeds or result.followups
    assert club.env.errors == []


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"before": "25h"}, "before"),
        ({"after": "1441m"}, "after"),
        ({"before": "-5m"}, "before"),
        ({"after": "1.5h"}, "after"),
        ({"season-start": "02-29"}, "season-start"),
        ({"season-start": "13-01"}, "season-start"),
        ({"season-start": "00-10"}, "season-start"),
        ({"season-start": "2026-09-01"}, "season-start"),
    ],
)
async def test_bad_settings_change_nothing(club: Club, options: dict[str, str], field: str) -> None:
    await announce(club)
    admin = await make_admin(club)
    good = {"before": "45m", "after": "1h", "season-start": "09-01"}
    await admin.slash(club.channel, "attendance settings", **good)
    before = await club.bot.db.fetch_all("SELECT * FROM attendance_settings")
    # The bad value comes with good ones for the other fields: none of them is saved.
    mixed = {"before": "10m", "after": "3h", "season-start": "03-01", **options}
    result = await admin.slash(club.channel, "setup check-in", **mixed)
    assert result.ephemeral
    assert result.response.content.startswith(f"{field}:"), result.response.content
    assert await club.bot.db.fetch_all("SELECT * FROM attendance_settings") == before
    only_user_errors(club, 1)


async def test_a_zero_window_still_checks_in_at_the_start_second(club: Club) -> None:
    await announce(club)
    admin = await make_admin(club)
    await admin.slash(club.channel, "attendance settings", before="0m", after="0m")
    await club.alice.click(announcements(club)[0], label="Going")
    await advance_to(club, START)
    await club.env.advance_time(0.5)
    message = announcements(club)[0]
    # The button drawn at the start goes a second after the (empty) window; a click in that
    # second is told privately to ask an organizer, who can still mark.
    here = await club.alice.click(message, label="I'm here")
    assert here.ephemeral
    assert "/attendance mark" in here.response.content
    await club.env.advance_time(10)
    assert "I'm here" not in labels(announcements(club)[0])
    # The organizer can still mark her afterwards.
    done = await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.alice.user, state="attended"
    )
    assert done.ephemeral
    assert (await marks(club))[club.alice.id][0] == "attended"
    only_user_errors(club, 1)


async def test_a_check_in_never_undoes_an_organizers_no_show(club: Club) -> None:
    await announce(club)
    await club.alice.click(announcements(club)[0], label="Going")
    await advance_to(club, START - timedelta(minutes=10))
    await club.env.advance_time(6)
    await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.alice.user, state="no_show"
    )
    here = await club.alice.click(announcements(club)[0], label="I'm here")
    assert here.ephemeral
    assert (await marks(club))[club.alice.id][:2] == ("no_show", "organizer")


async def test_marks_on_a_cancelled_session_are_refused(club: Club) -> None:
    await announce(club)
    await club.alice.click(announcements(club)[0], label="Going")
    await club.organizer.slash(club.channel, "session cancel", session="1")
    await advance_to(club, START)
    await club.env.advance_time(6)
    assert "I'm here" not in labels(announcements(club)[0])
    result = await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.alice.user, state="attended"
    )
    assert result.ephemeral
    assert "cancel" in (result.response.content or "").lower()
    bulk = await club.organizer.slash(
        club.channel, "attendance mark-all", session="1", state="attended"
    )
    assert bulk.ephemeral
    assert await marks(club) == {}
    only_user_errors(club, 2)


async def test_moving_the_start_moves_the_check_in_window(club: Club) -> None:
    await announce(club)
    await club.alice.click(announcements(club)[0], label="Going")
    await club.organizer.slash(club.channel, "session edit", session="1", time="20:30")
    await advance_to(club, START)
    await club.env.advance_time(6)
    assert "I'm here" not in labels(announcements(club)[0])
    await advance_to(club, START + timedelta(hours=1, minutes=31))
    await club.env.advance_time(6)
    assert "I'm here" in labels(announcements(club)[0])


async def test_mark_all_with_nobody_going_says_so_and_marks_nothing(club: Club) -> None:
    await announce(club)
    await advance_to(club, START)
    result = await club.organizer.slash(
        club.channel, "attendance mark-all", session="1", state="attended"
    )
    assert result.ephemeral
    assert await marks(club) == {}


async def test_members_cannot_use_organizer_or_manager_commands(club: Club) -> None:
    await announce(club)
    await advance_to(club, START)
    refusals = [
        ("attendance mark", {"session": "1", "member": club.ben.user, "state": "attended"}),
        ("attendance mark-all", {"session": "1", "state": "attended"}),
        ("attendance session", {"session": "1"}),
        ("attendance club", {}),
        ("attendance export", {}),
        ("attendance forget", {"member": club.ben.user}),
        ("attendance settings", {"before": "1h"}),
    ]
    for command, options in refusals:
        result = await club.alice.slash(club.channel, command, **options)
        assert result.ephemeral, command
    assert await marks(club) == {}
    assert await club.bot.db.fetch_all("SELECT * FROM attendance_settings") == []
    only_user_errors(club, 7)


async def test_me_with_no_history_is_friendly(club: Club) -> None:
    await announce(club)
    result = await club.ben.slash(club.channel, "attendance me")
    assert result.ephemeral
    assert result.response.embeds
    assert club.env.errors == []
