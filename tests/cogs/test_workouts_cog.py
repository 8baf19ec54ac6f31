"""Workouts as coaches write them, through /pace workout, /profile goal and units, /setup units
and the "My paces" button: real bot, simulated Discord, real SQLite."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Club, embed_text, make_admin, only_user_errors, set_channel

SHARED_TSV = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"
with (SHARED_TSV / "workouts-real.tsv").open(encoding="utf-8") as _handle:
    REAL = {row["id"]: row["text"] for row in csv.DictReader(_handle, delimiter="\t")}
GIVEN = {"race": "5K", "time": "22:30"}
FIRST = datetime(2026, 1, 13, 23, 30, tzinfo=UTC)


async def workout(club: Club, text: str, member: object | None = None, **extra: str) -> str:
    who = member or club.alice
    result = await who.slash(club.channel, "pace workout", workout=text, **extra)  # type: ignore[attr-defined]
    assert result.ephemeral
    assert result.response.embeds, result.response.content
    embed = result.response.embeds[0]
    assert len(embed.fields) <= 25
    assert sum(len(f.name or "") + len(f.value or "") for f in embed.fields) < 6000
    return embed_text(embed)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("W76", ["5 sets of", "Between sets: 105 s rest", "45 s rest", "**1:48** each"]),
        ("W31", ["Warm-up: 2.5 mi easy", "7 mi @ half marathon pace", "Cool-down: 2.5 mi easy"]),
        ("W12", ["4-5 x 1200 m", "planned at 4", "4:23/km"]),
        ("W18", ["4 x 600 m @ R w/ 600 m jog", "4 x 200 m @ R w/ 200 m jog"]),
        ("W40", ["hill", "By effort", "back down"]),
        ("W84", ["1. **8:20**", "4. **7:50**"]),
        ("W64", ["3 km @ half marathon pace w/ 3 min jog", "5 min @ 5K pace"]),
    ],
)
async def test_real_workouts_read_right_through_pace_workout(
    club: Club, row: str, expected: list[str]
) -> None:
    text = await workout(club, REAL[row], **GIVEN)
    for phrase in expected:
        assert phrase in text, (phrase, text)


async def test_every_shared_real_workout_gets_a_private_plan(club: Club) -> None:
    for row, text in REAL.items():
        rendered = await workout(club, text, **GIVEN)
        assert "your targets" in rendered, row
    assert club.env.errors == []


async def test_reps_without_a_target_say_what_pacer_chose(club: Club) -> None:
    text = await workout(club, "8 x 2:00 with 1:00 recovery", **GIVEN)
    assert "planned at 5K pace" in text
    assert "4:30/km" in text


async def test_yasso_800s_aim_at_the_goal_marathon_not_the_recent_race(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    without = await workout(club, "Yasso 800s")
    assert "no goal saved" in without
    assert "**3:35** each" in without  # the 5K's marathon equivalent is 3:34:43

    saved = await club.alice.slash(club.channel, "profile goal", race="marathon", time="3:30:00")
    assert saved.ephemeral
    assert "Marathon in 3:30:00" in saved.response.content
    row = await club.bot.db.fetch_one(
        "SELECT goal_race_name, goal_distance_m, goal_seconds FROM runner_prefs WHERE user_id = ?",
        (club.alice.user.id,),
    )
    assert row is not None
    assert (row["goal_race_name"], row["goal_distance_m"], row["goal_seconds"]) == (
        "Marathon",
        42195.0,
        12600.0,
    )
    with_goal = await workout(club, "Yasso 800s")
    assert "your goal Marathon in 3:30:00" in with_goal
    assert "**3:30** each" in with_goal
    zones = await workout(club, "6x800 @ I w/ 400 jog")
    assert "**3:31** each" in zones  # I pace still from the recent 5K (4:24/km)


async def test_units_lead_with_the_runners_choice_and_the_servers_default(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    await club.ben.slash(club.channel, "profile set", race="5K", time="22:30")
    assert "4:23/km · 7:04/mi" in await workout(club, "6x800 @ I")

    chosen = await club.alice.slash(club.channel, "profile units", units="mi")
    assert "miles" in chosen.response.content
    mine = await workout(club, "6x800 @ I")
    assert "7:04/mi · 4:23/km" in mine
    assert "4:23/km · 7:04/mi" in await workout(club, "6x800 @ I", member=club.ben)

    admin = await make_admin(club)
    server = await admin.slash(club.channel, "setup units", units="mi")
    assert "miles" in server.response.content
    assert "7:04/mi · 4:23/km" in await workout(club, "6x800 @ I", member=club.ben)
    row = await club.bot.db.fetch_one(
        "SELECT units FROM guild_units WHERE guild_id = ?", (club.guild.id,)
    )
    assert row is not None
    assert row["units"] == "mi"

    # MP-10s is per mile for a runner in miles: 10 s/mi faster than M (5:05/km, 8:11/mi).
    assert "8:01/mi" in await workout(club, "3 x 1 km @ MP-10s")
    assert "8:11/mi" in await workout(club, "3 x 1 km @ MP")


async def test_profile_show_leads_with_the_unit_and_shows_the_goal(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    await club.alice.slash(club.channel, "profile units", units="mi")
    await club.alice.slash(club.channel, "profile goal", race="half marathon", time="1:45:00")
    shown = await club.alice.slash(club.channel, "profile show")
    text = embed_text(shown.response.embeds[0])
    assert "Half marathon in 1:45:00" in text
    assert "Units: **miles**" in text
    assert "7:41/mi · 4:46/km" in text  # T, miles first


async def test_daniels_limits_are_warnings_not_refusals(club: Club) -> None:
    text = await workout(club, "90 min @ I", **GIVEN)
    assert "Daniels' limits" in text
    assert "I reps of 90 min" in text
    assert "past Daniels' cap" in text
    r_text = await workout(club, "3 x 4 min @ R w/ 4 min jog", **GIVEN)
    assert "R reps of 4 min" in r_text


async def test_a_missing_target_word_is_named_with_a_rewrite(club: Club) -> None:
    result = await club.alice.slash(
        club.channel, "pace workout", workout="6 x 800 @ fastish w/ 400 jog", **GIVEN
    )
    assert result.ephemeral
    message = result.response.content
    assert "I couldn't read 'fastish'" in message
    assert "a target is" in message
    assert "6x800 @ I w/ 400 jog" in message
    only_user_errors(club)


async def test_a_plural_without_a_count_is_never_one_rep(club: Club) -> None:
    result = await club.alice.slash(
        club.channel, "pace workout", workout="400s at 5k race pace", **GIVEN
    )
    assert result.ephemeral
    assert "not how many" in result.response.content
    assert "8 x 400 at 5k race pace" in result.response.content
    only_user_errors(club)


async def test_convert_reads_a_dot_as_minutes_and_seconds(club: Club) -> None:
    result = await club.alice.slash(club.channel, "pace convert", pace="4.50/km")
    assert "4:50/km" in embed_text(result.response.embeds[0])


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("W18", "4 x 600 m @ R w/ 600 m jog"),
        ("W31", "Cool-down: 2.5 mi easy"),
        ("W84", "4. **7:50**"),
        ("W52", "10 x 800 m"),
    ],
)
async def test_my_paces_reads_real_workouts(club: Club, row: str, expected: str) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-13",
        time="18:30",
        location="Cherokee HS track",
        workout=REAL[row],
    )
    await club.env.advance_time((FIRST - timedelta(days=6) - club.env.now()).total_seconds())
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    posts = [m for m in club.channel.history(viewer=club.alice) if m.author.bot and m.components]
    clicked = await club.alice.click(posts[-1], label="My paces")
    assert clicked.ephemeral
    assert expected in embed_text(clicked.response.embeds[0])


async def test_my_paces_shows_a_real_workouts_sets(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-13",
        time="18:30",
        location="Cherokee HS track",
        workout=REAL["W76"],
    )
    await club.env.advance_time((FIRST - timedelta(days=6) - club.env.now()).total_seconds())
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    await club.alice.slash(club.channel, "profile units", units="mi")
    posts = [m for m in club.channel.history(viewer=club.alice) if m.author.bot and m.components]
    clicked = await club.alice.click(posts[-1], label="My paces")
    assert clicked.ephemeral
    text = embed_text(clicked.response.embeds[0])
    assert "5 sets of" in text
    assert "Between sets: 105 s rest" in text
    assert "7:15/mi · 4:30/km" in text  # race pace = the 5K, miles first


async def test_zones_lead_with_the_runners_unit(club: Club) -> None:
    before = await club.alice.slash(club.channel, "pace zones", race="5K", time="22:30")
    assert "4:46/km · 7:41/mi" in embed_text(before.response.embeds[0])
    await club.alice.slash(club.channel, "profile units", units="mi")
    after = await club.alice.slash(club.channel, "pace zones", race="5K", time="22:30")
    assert "7:41/mi · 4:46/km" in embed_text(after.response.embeds[0])


async def test_profile_clear_deletes_the_goal_and_unit_too(club: Club) -> None:
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    await club.alice.slash(club.channel, "profile goal", race="marathon", time="3:30:00")
    await club.alice.slash(club.channel, "profile units", units="mi")
    cleared = await club.alice.slash(club.channel, "profile clear")
    assert "race, goal or unit" in cleared.response.content
    assert await club.bot.db.fetch_one("SELECT * FROM runner_prefs") is None
    assert await club.bot.db.fetch_one("SELECT * FROM profiles") is None
