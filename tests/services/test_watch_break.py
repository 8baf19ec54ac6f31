"""FIT workout files for workouts and runners the first tests did not write: yards and miles,
warm-ups in time or distance, ladders in sets, cut-downs, fartleks, send-offs, hills, strides, the
longest workout Pacer reads, runners at VDOT 30 and 85, goal paces, and titles in any script.

Every file is decoded with Garmin's FIT SDK (CRC checked), run through the FIT repeat rule by
``tests.services.test_watch.run``, and compared step by step with the runner's own plan.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.pace import Zone, training_paces
from bot.domain.parsing import Race
from bot.domain.workouts import Part, parse_workout, plan_workout
from bot.domain.workouts.plan import WorkoutPlan
from bot.domain.workouts.watch import BAND_HALF_WIDTH_S_PER_KM
from bot.services.watch import (
    MAX_NAME_BYTES,
    fit_workout_file,
    watch_filename,
    workout_name,
)
from bot.services.workouts import PersonalPlan
from tests.services.test_watch import decode, run

CREATED = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
DAY = date(2026, 12, 1)

BREAKERS = [
    "2 mi WU + 8 x 440 yd @ mile w/ 220 yd jog + 15 min CD",
    "15 min WU + 2 x (400, 800, 1200, 800, 400 @ I w/ 400 jog) w/ 3 min rest + 2 km CD",
    "3 x (4 x 200 @ R w/ 200 jog, 800 @ I w/ 400 jog) w/ 5 min rest",
    "10 min WU + 1-2-3-4-5-4-3-2-1 min @ T w/ 1 min jog + 10 min CD",
    "6 x 1 km cut-down w/ 2 min jog",
    "5 mile progression",
    "10 x 1 min on / 1 min off",
    "6 x (1 min on, 1 min off)",
    "12 x 400 @ 5K pace starting every 2 min",
    "6 x 3 min @ I w/ 2 min jog",
    "3 x 10 min @ MP w/ 2 min jog",
    "8 x 60 s hill w/ jog back down",
    "6 x 200 m hill w/ jog back down",
    "2 km WU + 6 x 20s strides",
    "6 x 800 @ goal pace w/ 400 jog",
    "4 x 1 mi @ goal marathon pace w/ 2 min jog",
    "3 x 1 km @ I w/ 3-2-1 min jog",
    "50 x 200 cut-down w/ 200 jog",
]
RUNNERS = [
    pytest.param(30.0, "km", None, id="vdot30-km"),
    pytest.param(30.0, "mi", (Race("Marathon", 42195.0), 5 * 3600.0), id="vdot30-mi-goal"),
    pytest.param(85.0, "km", (Race("Half", 21097.5), 3700.0), id="vdot85-km-goal"),
    pytest.param(85.0, "mi", None, id="vdot85-mi"),
]


def _plan(text: str, vdot: float, goal: tuple[Race, float] | None) -> WorkoutPlan:
    return plan_workout(parse_workout(text), vdot, Race("5K", 5000.0), goal=goal)


def _zone_near(s_per_km: float, vdot: float) -> Zone:
    paces = training_paces(vdot)
    return min(Zone, key=lambda zone: abs(paces.s_per_km(zone) - s_per_km))


def _expected(plan: WorkoutPlan, vdot: float) -> list[dict[str, Any]]:
    """Each rep then its recovery, in FIT units, straight from the plan."""
    out: list[dict[str, Any]] = []
    for rep in plan.reps:
        block = rep.step.block
        step: dict[str, Any] = {
            "intensity": {Part.WARMUP: "warmup", Part.COOLDOWN: "cooldown"}.get(
                block.part, "active"
            )
        }
        if block.distance_m is not None:
            step |= {"duration_type": "distance", "duration_value": round(block.distance_m * 100)}
        elif block.seconds is not None:
            step |= {"duration_type": "time", "duration_value": round(block.seconds * 1000)}
        else:
            step |= {"duration_type": "open"}
        if block.part is Part.WORK and rep.s_per_km is not None and not rep.target.effort_only:
            half = BAND_HALF_WIDTH_S_PER_KM[_zone_near(rep.s_per_km, vdot)]
            step |= {
                "target_type": "speed",
                "custom_target_speed_low": round(1_000_000 / (rep.s_per_km + half)),
                "custom_target_speed_high": round(1_000_000 / (rep.s_per_km - half)),
            }
        else:
            step |= {"target_type": "open"}
        out.append(step)
        recovery = rep.recovery
        if recovery is None:
            continue
        rest: dict[str, Any] = {
            "intensity": "rest" if recovery.kind == "rest" else "recovery",
            "target_type": "open",
        }
        if recovery.distance_m is not None:
            rest |= {
                "duration_type": "distance",
                "duration_value": round(recovery.distance_m * 100),
            }
        elif recovery.seconds is not None:
            if round(recovery.seconds) <= 0:
                continue
            rest |= {"duration_type": "time", "duration_value": round(recovery.seconds) * 1000}
        else:
            rest |= {"duration_type": "open"}
        out.append(rest)
    return out


@pytest.mark.parametrize(("vdot", "units", "goal"), RUNNERS)
@pytest.mark.parametrize("text", BREAKERS)
def test_every_runner_gets_their_plan_step_by_step(
    text: str, vdot: float, units: str, goal: tuple[Race, float] | None
) -> None:
    plan = _plan(text, vdot, goal)
    file = fit_workout_file(PersonalPlan(plan, "t", units=units), "Breaker", DAY, CREATED)
    messages = decode(file.data)
    steps = messages["workout_step_mesgs"]
    [workout] = messages["workout_mesgs"]
    assert workout["num_valid_steps"] == len(steps)
    for step in steps:
        if step["duration_type"] == "repeat_until_steps_cmplt":
            # The repeat goes back to the first step of its own pass: an active or work step
            # that this repeat's pass starts with, never to a later repeat's start.
            assert steps[step["duration_step"]]["duration_type"] != "repeat_until_steps_cmplt"
    ran = run(steps)
    expected = _expected(plan, vdot)
    assert [{key: s.get(key) for key in e} for s, e in zip(ran, expected, strict=True)] == expected
    for step, rep in zip(
        [s for s in ran if s["intensity"] == "active"],
        [r for r in plan.reps if r.step.block.part is Part.WORK],
        strict=True,
    ):
        if step["target_type"] != "speed":
            assert rep.target.effort_only or rep.s_per_km is None
            continue
        # The band holds the runner's own target, slow end low, fast end high, in FIT's
        # m/s * 1000, and fits FIT's uint16 speed field.
        assert rep.s_per_km is not None
        low, high = step["custom_target_speed_low"], step["custom_target_speed_high"]
        assert 0 < low < 1_000_000 / rep.s_per_km < high < 65_535


def test_effort_reps_carry_no_band_at_any_vdot() -> None:
    for vdot in (30.0, 85.0):
        for text in (
            "8 x 60 s hill w/ jog back down",
            "6 x 20s strides",
            "10 x 1 min on / 1 min off",
        ):
            steps = decode(
                fit_workout_file(
                    PersonalPlan(_plan(text, vdot, None), "t"), "Effort", DAY, CREATED
                ).data
            )["workout_step_mesgs"]
            reps = [s for s in run(steps) if s["intensity"] == "active"]
            assert reps, text
            assert all(s["target_type"] == "open" for s in reps), text
            assert all(s.get("notes") == "by effort" for s in reps), text


def test_a_cut_down_speeds_up_rep_by_rep_and_the_longest_file_stays_valid() -> None:
    """A 50-rep cut-down cannot fold into a repeat (every rep has its own band): 99 steps,
    more than some watches load, but a valid FIT file with each step where the plan says."""
    plan = _plan("50 x 200 cut-down w/ 200 jog", 50.0, None)
    steps = decode(fit_workout_file(PersonalPlan(plan, "t"), "Long", DAY, CREATED).data)[
        "workout_step_mesgs"
    ]
    assert len(steps) == 99
    slow_ends = [s["custom_target_speed_low"] for s in steps if s["intensity"] == "active"]
    assert len(slow_ends) == 50
    # The slowest pace the watch accepts never gets slower rep by rep. (The fast end may step
    # back by a second where the target crosses from T's band width to I's narrower one.)
    assert slow_ends == sorted(slow_ends)
    assert slow_ends[0] < slow_ends[-1]


def test_yards_and_miles_are_exact_centimetres() -> None:
    plan = _plan("2 mi WU + 8 x 440 yd @ mile w/ 220 yd jog + 15 min CD", 45.0, None)
    steps = decode(fit_workout_file(PersonalPlan(plan, "t", units="mi"), "Yd", DAY, CREATED).data)[
        "workout_step_mesgs"
    ]
    assert steps[0]["duration_distance"] == round(2 * 1609.344 * 100)
    assert steps[1]["duration_distance"] == round(440 * 0.9144 * 100)
    assert steps[2]["duration_distance"] == round(220 * 0.9144 * 100)
    assert steps[-1]["duration_type"] == "time"
    assert steps[-1]["duration_time"] == 15 * 60 * 1000
    assert "/mi" in steps[1]["notes"]


@pytest.mark.parametrize(
    ("title", "shown", "filename"),
    [
        # A ZWJ emoji (runner + female sign + VS16) is kept whole or dropped whole.
        ("🏃‍♀️" * 20, "🏃‍♀️🏃‍♀️", "pacer-2026-12-01.fit"),
        (
            "Ünïcödé " * 10,
            "Ünïcödé Ünïcödé Ünïcödé",
            "pacer-unicode-unicode-unicode-2026-12-01.fit",
        ),
        # "e" + combining acute: the cut never leaves a bare "e".
        ("e\u0301" * 30, "e\u0301" * 12, "pacer-eeeeeeeeeeee-2026-12-01.fit"),
        ("Track\nnight\x00 ", "Track night", "pacer-track-night-2026-12-01.fit"),
        ("\u200b\u200b", "Workout", "pacer-workout-2026-12-01.fit"),
        ("火曜日のトラック練習" * 5, "火曜日のトラック練習火曜", "pacer-2026-12-01.fit"),
    ],
)
def test_titles_in_any_script_fit_the_watch_whole(title: str, shown: str, filename: str) -> None:
    plan = _plan("6 x 800 @ I w/ 400 jog", 45.0, None)
    file = fit_workout_file(PersonalPlan(plan, "t"), title, DAY, CREATED)
    [workout] = decode(file.data)["workout_mesgs"]
    assert workout["wkt_name"] == f"{shown} 2026-12-01"
    assert len(str(workout["wkt_name"]).encode()) <= MAX_NAME_BYTES
    assert file.filename == filename


@given(st.text(max_size=80))
def test_any_title_is_one_valid_line_within_the_limit(title: str) -> None:
    name = workout_name(title, DAY)
    data = name.encode("utf-8")
    assert len(data) <= MAX_NAME_BYTES
    assert data.decode("utf-8") == name
    assert name.endswith(" 2026-12-01")
    assert not any(ord(c) < 32 or c == "\x7f" for c in name)
    shown = name.removesuffix(" 2026-12-01")
    one_line = " ".join(
        "".join(" " if unicodedata.category(c) == "Cc" else c for c in title).split()
    )
    assert shown == "Workout" or one_line.startswith(shown)
    assert watch_filename(name).isascii()


@pytest.mark.parametrize(
    "zone", [timezone(timedelta(hours=14)), timezone(timedelta(hours=-11)), UTC]
)
def test_created_at_in_any_zone_is_the_same_instant(zone: timezone) -> None:
    plan = _plan("6 x 800 @ I w/ 400 jog", 45.0, None)
    file = fit_workout_file(PersonalPlan(plan, "t"), "Zone", DAY, CREATED.astimezone(zone))
    [file_id] = decode(file.data)["file_id_mesgs"]
    assert file_id["time_created"] == CREATED
