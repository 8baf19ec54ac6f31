"""The kinds of notation coaches use, one behaviour each: flat_plan's contract, ranges, units,
goal races, Daniels' warnings and what refusals say."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.pace import MILE_M, Zone, race_time, training_paces, vdot_from_race
from bot.domain.parsing import Race
from bot.domain.workouts import (
    FlatPart,
    RepeatSet,
    daniels_warnings,
    flat_plan,
    parse_workout,
    plan_workout,
)
from bot.errors import InvalidInput

VDOT = vdot_from_race(5000.0, 1350.0)
PACES = training_paces(VDOT)
FIVE_K = Race("5K", 5000.0)


def flat(text: str, **goal: float) -> list[FlatPart]:
    return flat_plan(text, race_distance_m=5000.0, race_seconds=1350.0, **goal)  # type: ignore[arg-type]


def test_flat_plan_gives_every_part_in_order_with_its_recovery() -> None:
    parts = flat("2 mi WU, 2 x (3 x 400 @ R w/ 200 jog) w/ 3 min rest, 1 mi CD")
    assert [p.part for p in parts] == ["warmup", *["work"] * 6, "cooldown"]
    assert parts[0].distance_m == pytest.approx(2 * MILE_M)
    assert parts[0].recovery is None
    work = parts[1:7]
    assert [p.recovery.kind if p.recovery else None for p in work] == [
        "jog", "jog", "rest", "jog", "jog", None,
    ]  # fmt: skip
    assert work[2].recovery is not None
    assert work[2].recovery.seconds == 180
    assert all(p.s_per_km == pytest.approx(PACES.repetition_s_per_km) for p in work)
    assert parts[-1].recovery is None


def test_flat_plan_effort_reps_have_no_pace_and_hills_come_back_down() -> None:
    parts = flat("6 x 45s hill @ hard")
    assert all(p.hill and p.s_per_km is None for p in parts)
    assert parts[0].recovery is not None
    assert parts[0].recovery.kind == "back_down"


def test_no_rest_means_no_recovery() -> None:
    assert all(p.recovery is None for p in flat("3 x 1 mile @ T, no rest"))


def test_unreadable_text_raises_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        flat("banana bread")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("6 x 800 @ fastish w/ 400 jog", "a target is"),
        ("6 x far @ I", "a rep is a distance"),
        ("6 x 800 @ I w/ 400 swim", "a target is"),
        ("6x800 @ I w/ 2 min rest w/ 400 jog", "two recoveries"),
        ("800s @ 5k pace", "not how many"),
    ],
)
def test_refusals_say_what_is_missing(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workout(text)
    assert reason in caught.value.message
    assert "like" in caught.value.message


def test_a_range_of_reps_is_planned_at_its_low_end_and_says_so() -> None:
    workout = parse_workout("4-5 x 1200 @ I w/ 3 min jog")
    assert workout.blocks[0].reps == 4
    assert workout.blocks[0].reps_max == 5
    assert any("planned at 4" in note for note in workout.notes)
    assert len(flat("4-5 x 1200 @ I w/ 3 min jog")) == 4


def test_a_range_of_sets_is_planned_at_its_low_end() -> None:
    workout = parse_workout("2-3 x (4 x 400 @ R w/ 400 jog) w/ 800 jog")
    item = workout.items[0]
    assert isinstance(item, RepeatSet)
    assert (item.times, item.times_max) == (2, 3)


def test_adjustments_follow_the_text_then_the_runners_unit() -> None:
    km = flat("3 x 1 km @ MP-10s")[0].s_per_km
    mi = flat_plan("3 x 1 km @ MP-10s", race_distance_m=5000.0, race_seconds=1350.0, per_mile=True)[
        0
    ].s_per_km
    in_miles = flat("3 x 1 mile @ MP-10s")[0].s_per_km
    assert km == pytest.approx(PACES.marathon_s_per_km - 10)
    assert mi == pytest.approx(PACES.marathon_s_per_km - 10 / MILE_M * 1000)
    assert in_miles == pytest.approx(mi)


def test_goal_paces_use_the_goal_race_and_zones_the_recent_one() -> None:
    goal = {"goal_distance_m": 42195.0, "goal_seconds": 3 * 3600.0 + 10 * 60}
    assert flat("10 x 800 @ yasso w/ 400 jog", **goal)[0].s_per_km == pytest.approx(190 / 0.8)
    assert flat("4 x 1 mi @ goal pace", **goal)[0].s_per_km == pytest.approx(11400 / 42.195)
    assert flat("4 x 1 mi @ goal marathon pace", **goal)[0].s_per_km == pytest.approx(
        11400 / 42.195
    )
    assert flat("6 x 800 @ I", **goal)[0].s_per_km == pytest.approx(PACES.interval_s_per_km)
    without = flat("Yasso 800s")[0].s_per_km
    assert without == pytest.approx(race_time(VDOT, 42195.0) / 60 / 0.8)


def test_a_goal_half_gives_a_marathon_equivalent_for_goal_marathon_pace() -> None:
    goal = {"goal_distance_m": 21097.5, "goal_seconds": 6300.0}
    marathon = race_time(vdot_from_race(21097.5, 6300.0), 42195.0)
    assert flat("20 min @ goal marathon pace", **goal)[0].s_per_km == pytest.approx(
        marathon / 42.195
    )


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("90 min @ I", "I reps of 90 min"),
        ("90 min @ I", "past Daniels' cap"),
        ("3 x 4 min @ R w/ 4 min jog", "R reps of 4 min"),
        ("12 x 1 km @ R w/ 1 km jog", "km at R"),
        ("3 x 25 min @ T w/ 2 min jog", "min at T"),
    ],
)
def test_daniels_limits_warn(text: str, warning: str) -> None:
    plan = plan_workout(parse_workout(text), VDOT, FIVE_K)
    assert any(warning in w for w in plan.warnings), plan.warnings


@pytest.mark.parametrize("text", ["5 x 1000 @ I w/ 400 jog", "10 x 200 @ R", "20 min @ T"])
def test_ordinary_sessions_get_no_warning(text: str) -> None:
    assert plan_workout(parse_workout(text), VDOT, FIVE_K).warnings == ()


def test_weekly_volume_tightens_the_caps() -> None:
    plan = plan_workout(parse_workout("6 x 1 km @ I w/ 400 jog"), VDOT, FIVE_K)
    assert daniels_warnings(plan) == []
    assert any("8% of your week" in w for w in daniels_warnings(plan, weekly_km=50.0))


_ZONES = {"E": Zone.EASY, "M": Zone.MARATHON, "T": Zone.THRESHOLD, "I": Zone.INTERVAL}


@settings(max_examples=150, deadline=None)
@given(
    reps=st.integers(1, 20),
    metres=st.sampled_from([200, 300, 400, 600, 800, 1000, 1200, 1600]),
    zone=st.sampled_from(sorted(_ZONES)),
    jog=st.sampled_from([100, 200, 400]),
    spelling=st.sampled_from(["{n}x{d} @ {z} w/ {j} jog", "{n} x {d}m at {z} with {j}m jog",
                              "{n} × {d} m @ {z}, {j} jog"]),
)  # fmt: skip
def test_any_plain_session_flattens_to_its_reps(
    reps: int, metres: int, zone: str, jog: int, spelling: str
) -> None:
    parts = flat(spelling.format(n=reps, d=metres, z=zone, j=jog))
    assert len(parts) == reps
    assert all(p.distance_m == metres for p in parts)
    assert all(p.s_per_km == pytest.approx(PACES.s_per_km(_ZONES[zone])) for p in parts)
    assert [p.recovery.distance_m if p.recovery else None for p in parts] == [
        *([float(jog)] * (reps - 1)),
        None,
    ]


@pytest.mark.parametrize(
    "text", ["400s at 5k race pace", "2 mi WU, 400s at 5K pace, 2 mi CD", "800s @ I w/ 400 jog"]
)
def test_a_plural_is_never_one_rep(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workout(text)
    assert "not how many" in caught.value.message
    assert "8 x " in caught.value.message


@pytest.mark.parametrize(
    ("text", "rewrite"),
    [
        ("6 x 800 @ threshhold", "did you mean threshold, as in '6 x 800 @ threshold'"),
        ("5 x 1 km @ tempp w/ 1 min rest", "as in '5 x 1 km @ tempo w/ 1 min rest'"),
        ("6x800 @ 5k pase", "did you mean 5k pace"),
    ],
)
def test_a_mistyped_target_gets_a_likely_rewrite(text: str, rewrite: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workout(text)
    assert rewrite in caught.value.message
