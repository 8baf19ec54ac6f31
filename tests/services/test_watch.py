"""FIT workout files, decoded with Garmin's official FIT SDK (``garmin_fit_sdk.Decoder``) and
checked step by step against the runner's plan, for every real workout Pacer reads.

The expected steps come from the plan itself (:class:`~bot.domain.workouts.plan.PlannedRep`),
not from the watch module, and the file's repeat steps are run by this test's own interpreter of
FIT's "repeat until steps complete" rule, so a wrong repeat count or start shows up as a wrong
sequence of steps.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from garmin_fit_sdk import Decoder, Stream

from bot.domain.pace import Zone, training_paces, vdot_from_race
from bot.domain.parsing import Race
from bot.domain.workouts import CLASSICS, Part, parse_workout, plan_workout
from bot.domain.workouts.plan import PlannedRep, WorkoutPlan
from bot.domain.workouts.watch import BAND_HALF_WIDTH_S_PER_KM, pace_band
from bot.errors import InvalidInput
from bot.services.watch import (
    MAX_NAME_BYTES,
    fit_workout_file,
    watch_filename,
    workout_name,
)
from bot.services.workouts import PersonalPlan

ROOT = Path(__file__).resolve().parents[2]
SHARED_TSV = ROOT / ".." / "shared" / "reference" / "workouts-real.tsv"
OWN_TSV = ROOT / "tests" / "domain" / "data" / "workouts-extra.tsv"
CREATED = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
DAY = date(2026, 12, 1)
VDOT = vdot_from_race(5000.0, 1350.0)  # a 22:30 5K, as the reference file's meanings use


def _rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(row["id"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]


SHARED = _rows(SHARED_TSV)
EVERY = SHARED + _rows(OWN_TSV) + [(c.name, c.text) for c in CLASSICS]


def _plan(text: str) -> WorkoutPlan | None:
    """The plan for a 22:30 5K runner with a 1:45 half goal, or None if Pacer can't read it."""
    try:
        workout = parse_workout(text)
    except InvalidInput:
        return None
    return plan_workout(workout, VDOT, Race("5K", 5000.0), goal=(Race("Half", 21097.5), 6300.0))


def decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """The file's messages in FIT's own units (no scale applied), after the SDK's CRC checks."""
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(
        apply_scale_and_offset=False,
        convert_types_to_strings=True,
        merge_heart_rates=False,
    )
    assert errors == []
    return messages


def run(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps a watch runs, in order: FIT repeat steps send it back to ``duration_step``
    until the steps have run ``repeat_steps`` times in all."""
    out: list[dict[str, Any]] = []
    done: dict[int, int] = defaultdict(int)
    index = 0
    while index < len(steps):
        step = steps[index]
        assert step["message_index"] == index
        if step["duration_type"] == "repeat_until_steps_cmplt":
            assert step["duration_step"] < index
            assert step["repeat_steps"] >= 2
            done[index] += 1
            if done[index] < step["repeat_steps"]:
                index = step["duration_step"]
                continue
            done[index] = 0
        else:
            out.append(step)
        index += 1
    return out


def _band_zone(s_per_km: float) -> Zone:
    paces = training_paces(VDOT)
    return min(Zone, key=lambda zone: abs(paces.s_per_km(zone) - s_per_km))


def expected_steps(plan: WorkoutPlan) -> list[dict[str, Any]]:
    """What the watch should run, from the plan: each rep, then its recovery (in FIT units)."""
    out: list[dict[str, Any]] = []
    for rep in plan.reps:
        out.append(_expected_rep(rep))
        recovery = rep.recovery
        if recovery is None:
            continue
        step: dict[str, Any] = {
            "intensity": "rest" if recovery.kind == "rest" else "recovery",
            "target_type": "open",
        }
        if recovery.distance_m is not None:
            centimetres = round(recovery.distance_m * 100)
            step |= {"duration_type": "distance", "duration_value": centimetres}
        elif recovery.seconds is not None:
            if round(recovery.seconds) == 0:
                continue  # a send-off the rep used up leaves no rest to run
            step |= {"duration_type": "time", "duration_value": round(recovery.seconds) * 1000}
        else:
            step |= {"duration_type": "open"}
        out.append(step)
    return out


def _expected_rep(rep: PlannedRep) -> dict[str, Any]:
    block = rep.step.block
    intensity = {Part.WARMUP: "warmup", Part.COOLDOWN: "cooldown"}.get(block.part, "active")
    step: dict[str, Any] = {"intensity": intensity}
    if block.distance_m is not None:
        step |= {"duration_type": "distance", "duration_value": round(block.distance_m * 100)}
    elif block.seconds is not None:
        step |= {"duration_type": "time", "duration_value": round(block.seconds * 1000)}
    else:
        step |= {"duration_type": "open"}
    if block.part is not Part.WORK or rep.s_per_km is None or rep.target.effort_only:
        return step | {"target_type": "open"}
    half = BAND_HALF_WIDTH_S_PER_KM[_band_zone(rep.s_per_km)]
    return step | {
        "target_type": "speed",
        "target_value": 0,
        # FIT speed: m/s * 1000; low is the slow end of the band, high the fast end.
        "custom_target_speed_low": round(1_000_000 / (rep.s_per_km + half)),
        "custom_target_speed_high": round(1_000_000 / (rep.s_per_km - half)),
    }


def _comparable(step: dict[str, Any], like: dict[str, Any]) -> dict[str, Any]:
    return {key: step.get(key) for key in like}


def test_every_shared_workout_is_read() -> None:
    assert len(SHARED) == 29
    assert all(_plan(text) is not None for _, text in SHARED)


@pytest.mark.parametrize(("row_id", "text"), EVERY, ids=[row[0] for row in EVERY])
def test_the_file_runs_the_plan_step_by_step(row_id: str, text: str) -> None:
    plan = _plan(text)
    assert plan is not None, row_id
    file = fit_workout_file(PersonalPlan(plan, "test"), "Tuesday track", DAY, CREATED)
    messages = decode(file.data)

    [file_id] = messages["file_id_mesgs"]
    assert file_id["type"] == "workout"
    assert file_id["time_created"] == CREATED
    [workout] = messages["workout_mesgs"]
    assert workout["wkt_name"] == "Tuesday track 2026-12-01"
    assert workout["sport"] == "running"
    steps = messages["workout_step_mesgs"]
    assert workout["num_valid_steps"] == len(steps)

    ran = run(steps)
    expected = expected_steps(plan)
    assert [_comparable(s, e) for s, e in zip(ran, expected, strict=False)] == expected, row_id
    assert len(ran) == len(expected), row_id
    for step in ran:
        assert step.get("wkt_step_name"), row_id
        if step["target_type"] == "speed":
            assert step["custom_target_speed_low"] < step["custom_target_speed_high"]


@pytest.mark.parametrize(("row_id", "text"), EVERY, ids=[row[0] for row in EVERY])
def test_identical_reps_are_repeat_steps(row_id: str, text: str) -> None:
    """Three or more reps in a row with the same target and recovery are one repeat step."""
    plan = _plan(text)
    assert plan is not None
    steps = decode(fit_workout_file(PersonalPlan(plan, "t"), "T", DAY, CREATED).data)[
        "workout_step_mesgs"
    ]
    plain = [
        block
        for block in plan.workout.blocks
        if block.reps >= 3 and not block.targets and not block.recoveries
    ]
    if plain:
        assert any(s["duration_type"] == "repeat_until_steps_cmplt" for s in steps), row_id
        assert len(steps) < len(run(steps)), row_id


def test_six_by_800_is_warm_up_a_repeat_the_last_rep_and_cool_down() -> None:
    plan = _plan("2 mi WU + 6x800 @ I w/ 400 jog + 2 mi CD")
    assert plan is not None
    steps = decode(fit_workout_file(PersonalPlan(plan, "t"), "Track", DAY, CREATED).data)[
        "workout_step_mesgs"
    ]
    interval = training_paces(VDOT).interval_s_per_km
    slow, fast = interval + 5.0, interval - 5.0
    assert [
        (s.get("wkt_step_name"), s["duration_type"], s.get("duration_value"), s.get("target_value"))
        for s in steps
    ] == [
        ("Warm-up 2 mi", "distance", 321869, None),
        ("800 m @ I", "distance", 80000, 0),
        ("400 m jog", "distance", 40000, None),
        (None, "repeat_until_steps_cmplt", 1, 5),  # from step 1, five times in all
        ("800 m @ I", "distance", 80000, 0),  # the last rep: the cool-down is its jog
        ("Cool-down 2 mi", "distance", 321869, None),
    ]
    assert steps[1]["custom_target_speed_low"] == round(1_000_000 / slow)
    assert steps[1]["custom_target_speed_high"] == round(1_000_000 / fast)
    assert steps[0]["intensity"] == "warmup"
    assert steps[5]["intensity"] == "cooldown"


def test_identical_sets_are_nested_repeats() -> None:
    plan = _plan("10 min WU + 3 x (3 x 200 @ R w/ 200 jog) w/ 400 jog")
    assert plan is not None
    steps = decode(fit_workout_file(PersonalPlan(plan, "t"), "Sets", DAY, CREATED).data)[
        "workout_step_mesgs"
    ]
    repeats = [
        (s["message_index"], s["duration_step"], s["repeat_steps"])
        for s in steps
        if "repeat_steps" in s
    ]
    # Sets 1 and 2 (each: 2 x (200, 200 jog), 200, 400 jog) are one outer repeat around an
    # inner one; set 3 ends the session without its last jog, so it is written out.
    assert repeats == [(3, 1, 2), (6, 1, 2), (9, 7, 2)]
    assert len(run(steps)) == len(expected_steps(plan)) == 1 + 9 * 2 - 1


def test_effort_only_reps_carry_no_pace_band() -> None:
    plan = _plan("8 x 60 s hill w/ jog back down")
    assert plan is not None
    steps = decode(fit_workout_file(PersonalPlan(plan, "t"), "Hills", DAY, CREATED).data)[
        "workout_step_mesgs"
    ]
    reps = [s for s in run(steps) if s["intensity"] == "active"]
    assert len(reps) == 8
    assert all(s["target_type"] == "open" for s in reps)
    assert all(s["duration_time"] == 60_000 for s in reps)


@pytest.mark.parametrize("zone", list(Zone))
def test_a_zone_pace_gets_its_zones_band(zone: Zone) -> None:
    target = training_paces(VDOT).s_per_km(zone)
    band = pace_band(target, VDOT)
    half = BAND_HALF_WIDTH_S_PER_KM[zone]
    assert band.zone is zone
    assert (band.fast_s_per_km, band.slow_s_per_km) == (target - half, target + half)


def test_names_fit_the_watch_and_the_file_name_is_safe() -> None:
    name = workout_name("Très long track session at the Cherokee HS oval, bring spikes", DAY)
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name.endswith(" 2026-12-01")
    assert watch_filename(name).startswith("pacer-tres-long-track")
    assert watch_filename(name).endswith(".fit")
    assert watch_filename("!!!") == "pacer-workout.fit"


def test_a_miles_runner_reads_miles_in_the_notes_and_gets_the_same_band() -> None:
    plan = _plan("6x800 @ I w/ 400 jog")
    assert plan is not None
    km = fit_workout_file(PersonalPlan(plan, "t", units="km"), "T", DAY, CREATED)
    mi = fit_workout_file(PersonalPlan(plan, "t", units="mi"), "T", DAY, CREATED)
    km_rep = decode(km.data)["workout_step_mesgs"][0]
    mi_rep = decode(mi.data)["workout_step_mesgs"][0]
    assert "/km" in km_rep["notes"]
    assert "/mi" in mi_rep["notes"]
    for key in ("custom_target_speed_low", "custom_target_speed_high", "duration_distance"):
        assert km_rep[key] == mi_rep[key]
