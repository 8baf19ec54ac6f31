"""The workout grammar, the classics, and each runner's plan (targets and totals)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.pace import MILE_M, Zone, race_time, training_paces
from bot.domain.parsing import Race, parse_race
from bot.domain.workouts import (
    CLASSICS,
    EXAMPLES,
    GOAL_RACE_NEEDED,
    Block,
    PaceTarget,
    Recovery,
    RecoveryKind,
    Workout,
    classic_names,
    parse_workout,
    plan_workout,
    workout_suggestions,
)
from bot.errors import InvalidInput, UserError

FIVE_K = Race("5K", 5000.0)
TEN_K = Race("10K", 10000.0)
AT_I = PaceTarget(zone=Zone.INTERVAL)
AT_T = PaceTarget(zone=Zone.THRESHOLD)
AT_R = PaceTarget(zone=Zone.REPETITION)
AT_M = PaceTarget(zone=Zone.MARATHON)
JOG_400 = Recovery(RecoveryKind.JOG, distance_m=400.0)
REST_1_MIN = Recovery(RecoveryKind.REST, seconds=60.0)


def _one_block(text: str) -> Block:
    blocks = parse_workout(text).blocks
    assert len(blocks) == 1
    return blocks[0]


# --- the grammar --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6x800 @ I w/ 400 jog", Block(6, 800.0, None, AT_I, JOG_400)),
        ("6 x 800m @ I with 400m jog", Block(6, 800.0, None, AT_I, JOG_400)),
        ("6×800 @ I w/ 400 jog", Block(6, 800.0, None, AT_I, JOG_400)),
        ("6 X 800 AT i WITH 400 JOG", Block(6, 800.0, None, AT_I, JOG_400)),
        ("6x800@I w/400 jog", Block(6, 800.0, None, AT_I, JOG_400)),
        ("3 x 1 mile @ T, 1 min rest", Block(3, MILE_M, None, AT_T, REST_1_MIN)),
        ("3 x 1 mi @ T w/ 60s rest", Block(3, MILE_M, None, AT_T, REST_1_MIN)),
        ("3 x 1 mi @ T w/ 60 sec rest", Block(3, MILE_M, None, AT_T, REST_1_MIN)),
        ("20 min @ M", Block(1, None, 1200.0, AT_M)),
        ("20min @ T", Block(1, None, 1200.0, AT_T)),
        ("20 minutes at threshold", Block(1, None, 1200.0, AT_T)),
        ("20 min @ tempo pace", Block(1, None, 1200.0, AT_T)),
        # R reps with no recovery written jog the same distance (Daniels).
        ("10 x 200m @ R", Block(10, 200.0, None, AT_R, Recovery(RecoveryKind.JOG, 200.0))),
        (
            "10 x 200 @ repetition",
            Block(10, 200.0, None, AT_R, Recovery(RecoveryKind.JOG, 200.0)),
        ),
        (
            "10x200 @ R w/ 200 jog",
            Block(10, 200.0, None, AT_R, Recovery(RecoveryKind.JOG, distance_m=200.0)),
        ),
        (
            "5x1000 @ 5K pace",
            Block(
                5, 1000.0, None, PaceTarget(race=FIVE_K), Recovery(RecoveryKind.JOG, time_share=1.0)
            ),
        ),
        (
            "5 x 1,000m @ 5k pace",
            Block(
                5, 1000.0, None, PaceTarget(race=FIVE_K), Recovery(RecoveryKind.JOG, time_share=1.0)
            ),
        ),
        (
            "4 x 1 km @ 10K pace w/ 2 min jog",
            Block(4, 1000.0, None, PaceTarget(race=TEN_K), Recovery(RecoveryKind.JOG, None, 120.0)),
        ),
        (
            "5 x 3 min @ I w/ 2 min jog",
            Block(5, None, 180.0, AT_I, Recovery(RecoveryKind.JOG, None, 120.0)),
        ),
        ("2 mi @ M", Block(1, 2 * MILE_M, None, AT_M)),
        ("2 mi @ marathon pace", Block(1, 2 * MILE_M, None, AT_M)),
        ("1 x 5 km @ T", Block(1, 5000.0, None, AT_T)),
        (
            "8 x 1:30 @ I w/ 1:30 jog",
            Block(8, None, 90.0, AT_I, Recovery(RecoveryKind.JOG, None, 90.0)),
        ),
        ("10 x 400s @ R", Block(10, 400.0, None, AT_R, JOG_400)),
        (
            "6 x 90 sec @ R w/ 90s walk",
            Block(6, None, 90.0, AT_R, Recovery(RecoveryKind.WALK, None, 90.0)),
        ),
        (
            "3 x 2 km @ T w/ 60s float",
            Block(3, 2000.0, None, AT_T, Recovery(RecoveryKind.FLOAT, None, 60.0)),
        ),
        ("10 x 200 @ R 200 walk", Block(10, 200.0, None, AT_R, Recovery(RecoveryKind.WALK, 200.0))),
        ("6x800 @ I w/ 400", Block(6, 800.0, None, AT_I, JOG_400)),
        ("6x800 @ I w/ half jog", Block(6, 800.0, None, AT_I, JOG_400)),
        ("6x800 @ I w/ equal jog", Block(6, 800.0, None, AT_I, Recovery(RecoveryKind.JOG, 800.0))),
        (
            "4 x mile @ HM pace",
            Block(
                4,
                MILE_M,
                None,
                PaceTarget(race=parse_race("hm")),
                Recovery(RecoveryKind.REST, seconds=60.0),
            ),
        ),
        (
            "4 x mile @ half marathon pace",
            Block(
                4,
                MILE_M,
                None,
                PaceTarget(race=parse_race("hm")),
                Recovery(RecoveryKind.REST, seconds=60.0),
            ),
        ),
        (
            "3 x 1200 @ mile pace",
            Block(
                3,
                1200.0,
                None,
                PaceTarget(race=parse_race("mile")),
                Recovery(RecoveryKind.JOG, time_share=1.0),
            ),
        ),
        ("1h30 @ E", Block(1, None, 5400.0, PaceTarget(zone=Zone.EASY))),
    ],
)
# Repeats with no recovery written get one (never run on): equal-time jogs for reps faster than
# T, rest 1 min per 5 min or per mile at T or slower (Daniels).
def test_grammar_reads_each_form(text: str, expected: Block) -> None:
    assert _one_block(text) == expected


@pytest.mark.parametrize(
    ("text", "recovery"),
    [
        ("8 x 60s hill @ R w/ jog down", Recovery(RecoveryKind.JOG)),
        ("8 x 60s hills @ R w/ jog back down", Recovery(RecoveryKind.JOG)),
        ("8 x 60s uphill @ R, walk down", Recovery(RecoveryKind.WALK)),
        ("8 x 60s hill repeats @ R with 90s rest", Recovery(RecoveryKind.REST, None, 90.0)),
    ],
)
def test_hill_reps_are_run_by_effort(text: str, recovery: Recovery) -> None:
    block = _one_block(text)
    assert block.hill
    assert block.seconds == 60.0
    assert block.target == PaceTarget(zone=Zone.REPETITION, effort_only=True)
    assert block.target.label == "R effort"
    assert block.recovery == recovery


def test_hill_reps_have_no_target_time() -> None:
    planned = plan_workout(parse_workout("8 x 60s hill @ R w/ jog down"), 50, None).blocks[0]
    assert planned.s_per_km is None
    assert planned.per_400_seconds is None
    assert planned.rep_seconds == 60.0
    assert planned.rep_distance_m is None
    assert planned.target_text == "R effort"
    assert "effort" in planned.describe()


def test_distance_hill_reps_jog_down_the_same_distance() -> None:
    plan = plan_workout(parse_workout("6 x 200 hill @ R w/ jog down"), 50, None)
    assert plan.work_distance_m == pytest.approx(1200)
    assert plan.recovery_distance_m == pytest.approx(1000)
    assert plan.blocks[0].rep_seconds is None
    assert not plan.complete


@pytest.mark.parametrize(
    "text",
    [
        "400-800-1200-800-400 @ I w/ 200 jog",
        "400m-800m-1200m-800m-400m @ I w/ 200m jog",
        "400 - 800 - 1200 - 800 - 400 m @ I with 200 jog",
        "400–800–1200–800–400 @ I w/ 200 jog",
    ],
)
def test_ladder_gives_each_rung_its_own_block(text: str) -> None:
    blocks = parse_workout(text).blocks
    assert [b.distance_m for b in blocks] == [400, 800, 1200, 800, 400]
    assert all(b.reps == 1 and b.target == AT_I for b in blocks)
    assert all(b.recovery == Recovery(RecoveryKind.JOG, 200.0) for b in blocks)


def test_timed_ladder_takes_the_unit_of_its_last_rung() -> None:
    blocks = parse_workout("1-2-3-2-1 min @ I w/ equal jog").blocks
    assert [b.seconds for b in blocks] == [60, 120, 180, 120, 60]
    assert [b.recovery.seconds for b in blocks if b.recovery] == [60, 120, 180, 120, 60]


def test_ladder_gets_a_target_time_per_rung() -> None:
    plan = plan_workout(parse_workout("400-800-1200 @ I"), 50, None)
    interval = training_paces(50).interval_s_per_km
    assert [p.rep_seconds for p in plan.blocks] == pytest.approx(
        [interval * 0.4, interval * 0.8, interval * 1.2]
    )


@pytest.mark.parametrize(
    "text",
    [
        "2 x 1 mile @ T w/ 1 min rest + 4 x 200 @ R w/ 200 jog",
        "2 x 1 mile @ T w/ 1 min rest; 4 x 200 @ R w/ 200 jog",
        "2 x 1 mile @ T w/ 1 min rest then 4 x 200 @ R w/ 200 jog",
        "2 x 1 mile @ T, 1 min rest, then 4 x 200 @ R w/ 200 jog",
        "2 x 1 mile @ T, 1 min rest, 4 x 200 @ R, 200 jog",
        "2 x 1 mile @ T w/ 1 min rest\n4 x 200 @ R w/ 200 jog",
    ],
)
def test_blocks_join_with_plus_semicolon_then_or_new_line(text: str) -> None:
    assert parse_workout(text).blocks == (
        Block(2, MILE_M, None, AT_T, REST_1_MIN),
        Block(4, 200.0, None, AT_R, Recovery(RecoveryKind.JOG, 200.0)),
    )


def test_a_plus_after_a_pace_is_an_adjustment_not_a_new_block() -> None:
    blocks = parse_workout("5x1000 @ 5K pace +5s w/ 400 jog + 4 x 200 @ R").blocks
    assert len(blocks) == 2
    assert blocks[0].target == PaceTarget(race=FIVE_K, adjust_s_per_km=5.0, adjust_per_m=None)
    assert blocks[0].recovery == JOG_400


def test_classics_can_be_parts_of_a_workout() -> None:
    workout = parse_workout("tempo + repeat 400s")
    assert workout.name is None
    assert workout.blocks == (
        Block(1, None, 1200.0, AT_T),
        Block(10, 400.0, None, AT_R, JOG_400),
    )


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # Without a unit, an adjustment is per the runner's unit (km or mile).
        ("6x800 @ 5K pace +5s", PaceTarget(race=FIVE_K, adjust_s_per_km=5.0, adjust_per_m=None)),
        (
            "6x800 @ 5k pace + 5 sec",
            PaceTarget(race=FIVE_K, adjust_s_per_km=5.0, adjust_per_m=None),
        ),
        ("6x800 @ goal pace -2s/km", PaceTarget(goal=True, adjust_s_per_km=-2.0)),
        ("6x800 @ goal pace −3 s/km", PaceTarget(goal=True, adjust_s_per_km=-3.0)),
        ("6x800 @ race pace", PaceTarget(goal=True)),
        (
            "6x800 @ I -2s",
            PaceTarget(zone=Zone.INTERVAL, adjust_s_per_km=-2.0, adjust_per_m=None),
        ),
        ("6x800 @ 10 mile pace", PaceTarget(race=parse_race("10 mile"))),
        ("6x800 @ 12 km pace", PaceTarget(race=Race("12 km", 12000.0))),
        ("6x800 @ full marathon pace", AT_M),
    ],
)
def test_targets_read_race_goal_and_adjustments(text: str, target: PaceTarget) -> None:
    assert _one_block(text).target == target


@pytest.mark.parametrize(
    ("target", "label"),
    [
        (AT_I, "I"),
        (PaceTarget(race=FIVE_K), "5K pace"),
        (PaceTarget(race=parse_race("hm")), "half marathon pace"),
        (PaceTarget(goal=True, adjust_s_per_km=6.0), "goal pace +6 s/km"),
        (PaceTarget(goal=True, adjust_s_per_km=-6.0), "goal pace -6 s/km"),
        (PaceTarget(zone=Zone.REPETITION, effort_only=True), "R effort"),
        (PaceTarget(race=FIVE_K, effort_only=True), "5K effort"),
    ],
)
def test_target_labels(target: PaceTarget, label: str) -> None:
    assert target.label == label


@pytest.mark.parametrize(
    ("recovery", "text"),
    [
        (JOG_400, "400 m jog"),
        (REST_1_MIN, "1 min rest"),
        (Recovery(RecoveryKind.REST, None, 90.0), "90 s rest"),
        (Recovery(RecoveryKind.WALK, 200.0), "200 m walk"),
        (Recovery(RecoveryKind.JOG), "jog back down"),
    ],
)
def test_recovery_describes_itself(recovery: Recovery, text: str) -> None:
    assert recovery.describe() == text


def test_block_describes_itself() -> None:
    assert _one_block("6x800 @ I w/ 400 jog").describe() == "6 x 800 m @ I w/ 400 m jog"
    assert _one_block("3 x 1 mile @ T, 1 min rest").describe() == "3 x 1 mi @ T w/ 1 min rest"


@pytest.mark.parametrize("text", [*EXAMPLES, *(c.text for c in CLASSICS)])
def test_descriptions_and_text_read_back_to_the_same_workout(text: str) -> None:
    workout = parse_workout(text)
    assert parse_workout(workout.describe()).blocks == workout.blocks
    assert parse_workout(workout.text) == workout


def test_text_is_what_was_typed_tidied() -> None:
    assert parse_workout("  6x800   @ I  w/ 400 jog ").text == "6x800 @ I w/ 400 jog"


# --- the classics -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("repeat 400s", "Repeat 400s"),
        ("400s", "Repeat 400s"),
        ("Repeat-400s", "Repeat 400s"),
        ("ladder", "Ladder"),
        ("PYRAMID", "Ladder"),
        ("hill repeats", "Hill repeats"),
        ("hills", "Hill repeats"),
        ("hillrepeats", "Hill repeats"),
        ("cruise intervals", "Cruise intervals"),
        ("cruise", "Cruise intervals"),
        ("tempo", "Tempo"),
        ("goal pace", "Goal pace"),
        ("goal-pace set", "Goal pace"),
        ("  Goal  Pace  ", "Goal pace"),
    ],
)
def test_classics_are_found_by_forgiving_names(typed: str, name: str) -> None:
    workout = parse_workout(typed)
    assert workout.name == name
    classic = next(c for c in CLASSICS if c.name == name)
    assert workout.text == classic.text


@pytest.mark.parametrize(
    ("name", "blocks"),
    [
        ("Repeat 400s", (Block(10, 400.0, None, AT_R, JOG_400),)),
        (
            "Hill repeats",
            (
                Block(
                    8,
                    None,
                    60.0,
                    PaceTarget(zone=Zone.REPETITION, effort_only=True),
                    Recovery(RecoveryKind.JOG),
                    hill=True,
                ),
            ),
        ),
        ("Cruise intervals", (Block(4, MILE_M, None, AT_T, REST_1_MIN),)),
        ("Tempo", (Block(1, None, 1200.0, AT_T),)),
    ],
)
def test_classic_blocks(name: str, blocks: tuple[Block, ...]) -> None:
    assert parse_workout(name).blocks == blocks


def test_ladder_classic_jogs_half_of_each_rung() -> None:
    blocks = parse_workout("ladder").blocks
    assert [b.distance_m for b in blocks] == [400, 800, 1200, 800, 400]
    assert [b.recovery.distance_m for b in blocks if b.recovery] == [200, 400, 600, 400, 200]
    assert all(b.target == AT_I for b in blocks)


def test_goal_pace_classic_runs_slower_at_and_faster_than_goal() -> None:
    blocks = parse_workout("goal pace").blocks
    assert [b.target.adjust_s_per_km for b in blocks] == [6.0, 0.0, -6.0]
    assert all(b.target.goal for b in blocks)
    assert [(b.reps, b.distance_m) for b in blocks] == [(2, 1000), (2, 1000), (2, 400)]


def test_typing_a_classic_out_in_full_names_it() -> None:
    assert parse_workout("10x400 @ R w/ 400 jog").name == "Repeat 400s"
    assert parse_workout("20 min @ T").name == "Tempo"
    assert parse_workout("20 min @ M").name is None


def test_every_classic_has_a_name_description_and_parsable_text() -> None:
    assert classic_names() == [c.name for c in CLASSICS]
    assert len(CLASSICS) >= 6
    for classic in CLASSICS:
        assert classic.description
        assert "\n" not in classic.description
        assert parse_workout(classic.text).name == classic.name


# --- one runner's plan --------------------------------------------------------------------------


def test_intervals_at_vdot_50_run_800_in_about_3_08() -> None:
    planned = plan_workout(parse_workout("6x800 @ I"), 50, None).blocks[0]
    assert planned.s_per_km == pytest.approx(235, abs=1)  # I 3:55/km in Daniels' table
    assert planned.rep_seconds == pytest.approx(188, abs=1)
    assert planned.target_text == "3:08"
    assert planned.per_400_seconds == pytest.approx(94, abs=0.5)
    assert "3:08 each" in planned.describe()


def test_reps_at_vdot_50_run_200_in_43_to_44_seconds() -> None:
    planned = plan_workout(parse_workout("10x200 @ R"), 50, None).blocks[0]
    assert planned.rep_seconds is not None
    assert 42.5 <= planned.rep_seconds <= 44.5


def test_twenty_minutes_at_m_covers_about_4_43_km() -> None:
    planned = plan_workout(parse_workout("20 min @ M"), 50, None).blocks[0]
    assert planned.rep_seconds == 1200
    assert planned.rep_distance_m == pytest.approx(4430, abs=15)
    assert planned.target_text == "about 4.43 km"


def test_race_pace_is_the_race_equivalent_per_km() -> None:
    planned = plan_workout(parse_workout("5x1000 @ 5K pace"), 50, None).blocks[0]
    assert planned.rep_seconds == pytest.approx(race_time(50, 5000) / 5)


def test_easy_is_the_middle_of_the_easy_range() -> None:
    paces = training_paces(50)
    planned = plan_workout(parse_workout("30 min @ E"), 50, None).blocks[0]
    assert planned.s_per_km == pytest.approx(
        (paces.easy_fast_s_per_km + paces.easy_slow_s_per_km) / 2
    )


def test_goal_pace_is_the_runners_own_race_pace() -> None:
    workout = parse_workout("4 x 1 km @ goal pace")
    assert workout.needs_goal_race
    planned = plan_workout(workout, 50, TEN_K).blocks[0]
    assert planned.s_per_km == pytest.approx(race_time(50, 10000) / 10)


def test_goal_pace_without_a_race_asks_for_one() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_workout(parse_workout("goal pace"), 50, None)
    assert caught.value.message == GOAL_RACE_NEEDED
    assert caught.value.message.startswith("workout: 'goal pace' needs your race")


def test_goal_effort_hills_need_no_race() -> None:
    workout = parse_workout("8 x 60s hill @ goal pace w/ jog down")
    assert not workout.needs_goal_race
    assert plan_workout(workout, 50, None).blocks[0].s_per_km is None


@pytest.mark.parametrize(("adjust", "expected"), [("+6s", 6.0), ("-6s", -6.0), ("+2.5 s/km", 2.5)])
def test_adjustments_add_seconds_per_km(adjust: str, expected: float) -> None:
    base = plan_workout(parse_workout("4 x 1 km @ goal pace"), 50, FIVE_K).blocks[0]
    shifted = plan_workout(parse_workout(f"4 x 1 km @ goal pace {adjust}"), 50, FIVE_K).blocks[0]
    assert base.s_per_km is not None
    assert shifted.s_per_km is not None
    assert shifted.s_per_km - base.s_per_km == pytest.approx(expected)


def test_totals_count_recoveries_between_reps_only() -> None:
    plan = plan_workout(parse_workout("6x800 @ I w/ 400 jog"), 50, None)
    assert plan.work_distance_m == pytest.approx(4800)
    assert plan.blocks[0].recoveries == 5  # none after the last rep
    assert plan.recovery_distance_m == pytest.approx(2000)
    assert plan.total_distance_m == pytest.approx(6800)
    easy = training_paces(50).s_per_km(Zone.EASY)
    assert plan.work_seconds == pytest.approx(6 * 0.8 * training_paces(50).interval_s_per_km)
    assert plan.total_seconds == pytest.approx(plan.work_seconds + 5 * 0.4 * easy)
    assert plan.complete
    assert plan.summary().startswith("About 6.8 km (4.8 km of reps)")


def test_a_blocks_recovery_follows_its_last_rep_when_another_block_comes_next() -> None:
    plan = plan_workout(
        parse_workout("2 x 1 mile @ T w/ 1 min rest + 4 x 200 @ R w/ 200 jog"), 50, None
    )
    assert [p.recoveries for p in plan.blocks] == [2, 3]
    assert plan.recovery_distance_m == pytest.approx(600)  # rest covers no ground
    assert plan.recovery_seconds == pytest.approx(
        120 + 3 * 0.2 * training_paces(50).s_per_km(Zone.EASY)
    )


def test_timed_jog_recoveries_are_estimated_at_easy_pace() -> None:
    plan = plan_workout(parse_workout("5 x 3 min @ I w/ 2 min jog"), 50, None)
    easy = training_paces(50).s_per_km(Zone.EASY)
    assert plan.recovery_distance_m == pytest.approx(4 * 120 / easy * 1000)
    assert plan.work_distance_m == pytest.approx(
        5 * 180 / training_paces(50).interval_s_per_km * 1000
    )


def test_plan_lines_and_summary_read_well() -> None:
    plan = plan_workout(parse_workout("6x800 @ I w/ 400 jog"), 50, None)
    assert plan.lines() == ["6 x 800 m @ I w/ 400 m jog: 3:08 each (3:55/km, 1:34 per 400)"]
    assert "/mi" in plan.lines(per_mile=True)[0]


@pytest.mark.parametrize("vdot", [math.nan, 0.0, -5.0])
def test_plan_rejects_an_impossible_vdot_as_a_bug(vdot: float) -> None:
    with pytest.raises(ValueError):
        plan_workout(parse_workout("6x800 @ I"), vdot, None)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("6x800 @ fastish", "'fastish'"),
        ("6x @ I", "'6x'"),
        ("x800", "'x800'"),
        ("0x400 @ I", "'0x400'"),
        ("100x400 @ I", "'100x400'"),
        ("6x800 @ Q", "'Q'"),
        ("6x800 @ I w/ 400 swim", "'swim'"),
        ("20 parsecs @ M", "'parsecs'"),
        ("@ I", "'@ I'"),
        ("6x800 @", "after @"),
        ("6x800 @ I w/ jog", "'jog'"),
        ("6x800 @ I w/ jog down", "'jog down'"),
        ("6x800 @ I w/ 400 rest", "'400 rest'"),
        ("6x800 @ 400m pace", "'400m pace'"),
        ("6x800 @ 5K pace +90s", "'5K pace +90s'"),
        ("8 x 60s hill @ R +5s", "'R +5s'"),
        ("6x20 @ R", "'20'"),
        ("6 x 5 s @ R", "'5 s'"),
        ("4 h @ E", "'4 h'"),
        ("3 x 400-800 @ I", "'400-800'"),
        ("6x800 @ I w/ 30 min rest w/ 400 jog", "two recoveries"),
        ("800s @ 5k race pace", "not how many"),
    ],
)
def test_errors_name_the_part_that_could_not_be_read(text: str, named: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workout(text)
    message = caught.value.message
    assert message.startswith("workout:")
    assert named in message
    assert "like" in message


def test_error_message_shows_valid_examples() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workout("6x800 @ fastish")
    assert caught.value.message == (
        "workout: I couldn't read 'fastish' in '6x800 @ fastish': a target is E, M, T, I, R or "
        "H, a race pace like 5K pace, 10KP or HMP, goal pace, a time like 1:30 or 7:15/mi, or an "
        "effort like hard. Write reps like 6x800 @ I w/ 400 jog, 3 x 1 mile @ T, "
        "2 x (4 x 400 @ R w/ 400 jog) w/ 800 jog, or name a session (Yasso 800s, Mona fartlek, "
        "ladder, tempo)."
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "can't be empty"),
        ("   \n  ", "can't be empty"),
        ("6x800 @ I w/ 400 jog " + "x" * 400, "over 400 characters"),
        ("2 x 30 km @ M", "under 60 km"),
        ("50 x 2 km @ E", "under 60 km"),
        ("3 x (30 x 200 @ R) + 20 x 200 @ R", "at most 100"),
        ("ladder + ladder + ladder + ladder + ladder", "more than 20 blocks"),
        ("100x400 @ I", "1 to 50 reps"),
    ],
)
def test_limits_say_why(text: str, why: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workout(text)
    assert caught.value.message.startswith("workout:")
    assert why in caught.value.message


def test_error_text_cannot_mention_everyone() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workout("6x800 @everyone")
    assert "@everyone" not in caught.value.message


# --- autocomplete -------------------------------------------------------------------------------


def test_suggestions_start_with_classics_and_examples() -> None:
    suggestions = workout_suggestions("")
    assert suggestions[: len(CLASSICS)] == classic_names()
    assert len(suggestions) <= 25


def test_suggestions_complete_a_trailing_at() -> None:
    suggestions = workout_suggestions("6x800 @")
    assert "6x800 @ I" in suggestions
    assert "6x800 @ 5K pace" in suggestions


def test_suggestions_offer_text_that_already_reads_first() -> None:
    assert workout_suggestions("5 x 1 km @ T")[0] == "5 x 1 km @ T"


def test_suggestions_match_classic_aliases() -> None:
    assert workout_suggestions("hill")[0] == "Hill repeats"
    assert "Ladder" in workout_suggestions("pyr")


def test_every_suggestion_parses() -> None:
    for current in ("", "6x800 @", "goal", "6x800 @ I", "2 mi"):
        for suggestion in workout_suggestions(current):
            parse_workout(suggestion)


@pytest.mark.parametrize("limit", [0, -1, 1])
def test_suggestions_respect_the_limit(limit: int) -> None:
    assert len(workout_suggestions("", limit)) == max(limit, 0)


# --- properties ---------------------------------------------------------------------------------

FRAGMENTS = [
    "6", "x", "×", "800", "400", "1", "0", "99999", ".", ":", "1:30", " ", "  ", "@", "at", "I",
    "T", "R", "M", "E", "Q", "w/", "with", ",", "+", ";", "then", "-", "jog", "rest", "walk",
    "float", "down", "back", "half", "equal", "min", "s", "sec", "m", "km", "k", "mi", "mile",
    "hill", "5K", "pace", "goal", "race", "effort", "+5s", "-3s", "s/km", "HM", "ladder",
    "tempo", "repeat 400s", "400-800-1200", "\n", "h", "1e9", "()", "`", "@everyone",
]  # fmt: skip


def _parse_or_error(text: str) -> Workout | UserError:
    try:
        return parse_workout(text)
    except UserError as error:
        return error


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=250))
def test_arbitrary_text_only_raises_user_errors(text: str) -> None:
    result = _parse_or_error(text)
    if isinstance(result, UserError):
        assert result.message.startswith("workout:")


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_grammar_fragments_only_raise_user_errors(text: str) -> None:
    workout = _parse_or_error(text)
    if isinstance(workout, UserError):
        assert workout.message.startswith("workout:")
        return
    assert parse_workout(workout.text) == workout
    assert len(workout.text) <= 200
    try:
        plan = plan_workout(workout, 50, FIVE_K)
    except UserError:
        return
    assert math.isfinite(plan.total_seconds)
    assert plan.total_distance_m >= 0
    assert len(plan.lines()) == len(workout.blocks)
    assert plan.summary()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=20).map(" ".join))
def test_spaced_fragments_only_raise_user_errors(text: str) -> None:
    try:
        workout = parse_workout(text)
    except UserError:
        return
    assert isinstance(workout, Workout)
    assert parse_workout(workout.text) == workout


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(FRAGMENTS)).map("".join)))
def test_suggestions_never_raise(current: str) -> None:
    suggestions = workout_suggestions(current)
    assert len(suggestions) <= 25
    assert all(0 < len(s) <= 100 for s in suggestions)
