"""Property tests for every parser of what members type.

Whatever the text (any Unicode, markdown, mentions, thousands of characters), a parser either
returns a sane value or raises its own :class:`~bot.errors.UserError`; nothing else escapes. Almost
valid input built from real fragments (a "H:MM:SS" with out-of-range parts, a workout assembled
from reps, amounts, targets and recoveries) either parses to a positive, finite value or is
refused the same way. Formatters round-trip through their parsers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.domain.drills import CATEGORIES, Drill, drills_in, find_drill, search_drills
from bot.domain.parsing import (
    MAX_DISTANCE_M,
    MAX_PACE_S_PER_KM,
    MAX_VDOT,
    MIN_PACE_S_PER_KM,
    MIN_VDOT,
    STANDARD_RACES,
    Pace,
    Race,
    check_performance,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    parse_pace,
    parse_race,
    race_suggestions,
)
from bot.domain.rsvp import Response, parse_response
from bot.domain.schedule import (
    MAX_OFFSET_S,
    MAX_OFFSETS,
    MAX_YEAR,
    MIN_OFFSET_S,
    MIN_YEAR,
    date_suggestions,
    format_offset,
    get_zone,
    parse_clock,
    parse_date,
    parse_offsets,
    timezone_suggestions,
)
from bot.domain.workouts import (
    MAX_ADJUST_S_PER_KM,
    MAX_BLOCKS,
    MAX_RECOVERY_M,
    MAX_RECOVERY_SECONDS,
    MAX_REP_M,
    MAX_REP_SECONDS,
    MAX_REPS,
    MAX_VOLUME_M,
    MAX_WORKOUT_TEXT,
    MIN_RECOVERY_M,
    MIN_RECOVERY_SECONDS,
    MIN_REP_M,
    MIN_REP_SECONDS,
    MIN_REPS,
    Workout,
    WorkoutPlan,
    parse_workout,
    plan_workout,
    workout_suggestions,
)
from bot.errors import UserError

PROPERTY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# ------------------------------------------------------------------ arbitrary text

#: Every kind of character a member can paste: letters of any script, digits of any script
#: (Arabic-Indic, full-width, mathematical), marks, emoji and symbols, punctuation, separators,
#: format characters (zero-width joiners, bidi marks) and control characters. Surrogates can't
#: be encoded, so Discord never delivers them.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
#: Short text, where parsers do real work, and long text up to 3,000 characters (Discord
#: delivers up to 6,000), where length checks must fire first.
SHORT_TEXT = st.text(ANY_CHAR, max_size=40)
LONG_TEXT = st.text(ANY_CHAR, min_size=90, max_size=3000)
#: Text made mostly of what parsers look for, so the fuzzing reaches past the first regex.
PARSER_ALPHABET = st.sampled_from(
    [
        *"0123456789:.,;-+/@x *()'\"",
        *("k", "m", "mi", "km", "h", "d", "s", "min", "am", "pm", "w/", " jog", " rest", " @ "),
        *("I", "T", "R", "M", "E", "5K", " pace", " hill", " then ", "×", "＠", "٣", "５"),
        "\u200b",
    ]
)
PARSER_TEXT = st.lists(PARSER_ALPHABET, max_size=30).map("".join)
TEXT = st.one_of(SHORT_TEXT, LONG_TEXT, PARSER_TEXT)

#: Markdown, mentions, SQL and other inputs the matrix in tests/cogs uses, seeded as examples.
NASTY = (
    "",
    "   ",
    "\n\t",
    "x" * 2100,
    "🏃‍♀️💨",
    "５Ｋ",
    "٢٢:٣٠",
    "ᚱᚢᚾ",
    "**bold**",
    "`x`",
    "||spoiler||",
    "@everyone",
    "<@&123>",
    "'; DROP TABLE sessions; --",
    "1 OR 1=1",
    "-5:00",
    "0",
    "1e309",
    "nan",
    "inf",
    "9" * 400,
)


def _finite_positive(value: float) -> bool:
    return math.isfinite(value) and value > 0


def _refused_or(call: Callable[..., Any], *args: object) -> Any:
    """The parser's value, or None if it refused with its own UserError (anything else fails)."""
    try:
        value = call(*args)
    except UserError as error:
        refusal = error.message
    else:
        return value
    assert refusal.strip(), "a refusal must say what is wrong"
    return None


def _with_nasty(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY), strategy)


# ------------------------------------------------------------------ times, distances, races, paces


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_duration_returns_a_positive_time_or_refuses(text: str) -> None:
    seconds = _refused_or(parse_duration, text)
    if seconds is not None:
        assert isinstance(seconds, float)
        assert _finite_positive(seconds)


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_distance_returns_a_real_distance_or_refuses(text: str) -> None:
    metres = _refused_or(parse_distance, text)
    if metres is not None:
        assert isinstance(metres, float)
        assert _finite_positive(metres)
        assert metres <= MAX_DISTANCE_M


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_race_returns_a_named_distance_or_refuses(text: str) -> None:
    race = _refused_or(parse_race, text)
    if race is not None:
        assert isinstance(race, Race)
        assert race.name.strip()
        assert _finite_positive(race.distance_m)
        assert race.distance_m <= MAX_DISTANCE_M


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_pace_returns_a_human_pace_or_refuses(text: str) -> None:
    pace = _refused_or(parse_pace, text)
    if pace is not None:
        assert isinstance(pace, Pace)
        assert MIN_PACE_S_PER_KM <= pace.s_per_km <= MAX_PACE_S_PER_KM
        assert pace.unit in ("per_km", "per_mile", "kmh", "mph")


@PROPERTY
@given(_with_nasty(TEXT), _with_nasty(TEXT))
def test_check_performance_on_anything_typed_gives_a_vdot_or_refuses(
    race_text: str, time_text: str
) -> None:
    race = _refused_or(parse_race, race_text)
    seconds = _refused_or(parse_duration, time_text)
    if race is None or seconds is None:
        return
    vdot = _refused_or(check_performance, race, seconds)
    if vdot is not None:
        assert isinstance(vdot, float)
        assert MIN_VDOT <= vdot <= MAX_VDOT


# Almost-valid times: real shapes, parts in and out of range, decimals, spaces, signs.
_PART = st.one_of(st.integers(0, 99), st.integers(0, 10**6), st.integers(-99, -1))
_SECONDS_PART = st.one_of(
    st.integers(0, 99).map(str),
    st.floats(0, 99.99, allow_nan=False).map(lambda f: f"{f:.2f}"),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
)


@st.composite
def almost_durations(draw: st.DrawFn) -> tuple[str, int | None, int, float]:
    hours = draw(st.one_of(st.none(), _PART))
    minutes = draw(_PART)
    seconds_text = draw(_SECONDS_PART)
    glue = draw(st.sampled_from([":", ":", ": ", " : ", ".", "::"]))
    head = "" if hours is None else f"{hours}{glue}"
    return f"{head}{minutes}{glue}{seconds_text}", hours, minutes, float(seconds_text)


@PROPERTY
@given(almost_durations())
def test_almost_valid_times_parse_to_exactly_their_parts_or_are_refused(
    case: tuple[str, int | None, int, float],
) -> None:
    text, hours, minutes, secs = case
    seconds = _refused_or(parse_duration, text)
    if seconds is None:
        return
    assert isinstance(seconds, float)
    assert _finite_positive(seconds)
    assert secs < 60
    assert minutes >= 0
    if hours is not None:
        assert hours >= 0
        assert minutes < 60
    assert seconds == pytest.approx((hours or 0) * 3600 + minutes * 60 + secs)


_NUMBER = st.one_of(
    st.integers(-5, 10**7).map(str),
    st.floats(0, 10**7, allow_nan=False, allow_infinity=False).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["0", "0.0", ".5", "1e3", "1,000", "nan", "inf", "٥", "５", "-0", "9" * 40]),
)
_DISTANCE_UNIT = st.sampled_from(
    ["m", "km", "k", "mi", "mile", "miles", "metres", "meters", "kms", "yd", "", "parsec", "KM"]
)


@PROPERTY
@given(_NUMBER, st.sampled_from(["", " ", "  "]), _DISTANCE_UNIT)
def test_almost_valid_distances_and_races_are_real_or_refused(
    number: str, space: str, unit: str
) -> None:
    text = f"{number}{space}{unit}"
    metres = _refused_or(parse_distance, text)
    if metres is not None:
        assert isinstance(metres, float)
        assert 0 < metres <= MAX_DISTANCE_M
    race = _refused_or(parse_race, text)
    if race is not None:
        assert isinstance(race, Race)
        assert 0 < race.distance_m <= MAX_DISTANCE_M


_PACE_VALUE = st.one_of(
    _NUMBER,
    st.tuples(st.integers(0, 120), st.integers(0, 99)).map(lambda p: f"{p[0]}:{p[1]:02d}"),
    st.tuples(st.integers(0, 3), st.integers(0, 99), st.integers(0, 99)).map(
        lambda p: f"{p[0]}:{p[1]:02d}:{p[2]:02d}"
    ),
)
_PACE_UNIT = st.sampled_from(
    [
        "/km",
        "/k",
        "/mi",
        "/mile",
        " per km",
        " per mile",
        " min/km",
        " km/h",
        " kmh",
        " kph",
        " mph",
        " mi/h",
        "/lap",
        "",
        " a mile",
        " minutes per km",
    ]
)


@PROPERTY
@given(_PACE_VALUE, _PACE_UNIT)
def test_almost_valid_paces_are_human_or_refused(value: str, unit: str) -> None:
    pace = _refused_or(parse_pace, f"{value}{unit}")
    if pace is not None:
        assert isinstance(pace, Pace)
        assert MIN_PACE_S_PER_KM <= pace.s_per_km <= MAX_PACE_S_PER_KM


@PROPERTY
@given(
    st.one_of(
        st.sampled_from(STANDARD_RACES).map(lambda race: race.name),
        st.tuples(_NUMBER, _DISTANCE_UNIT).map(lambda p: f"{p[0]} {p[1]}"),
    ),
    almost_durations(),
)
def test_results_from_almost_valid_races_and_times_give_a_vdot_or_are_refused(
    race_text: str, case: tuple[str, int | None, int, float]
) -> None:
    race = _refused_or(parse_race, race_text)
    seconds = _refused_or(parse_duration, case[0])
    if race is None or seconds is None:
        return
    assert isinstance(race, Race)
    assert isinstance(seconds, float)
    vdot = _refused_or(check_performance, race, seconds)
    if vdot is not None:
        assert isinstance(vdot, float)
        assert MIN_VDOT <= vdot <= MAX_VDOT


# ------------------------------------------------------------------ dates, times of day, zones


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_date_returns_a_date_in_range_or_refuses(text: str) -> None:
    day = _refused_or(parse_date, text)
    if day is not None:
        assert isinstance(day, date)
        assert MIN_YEAR <= day.year <= MAX_YEAR


@PROPERTY
@given(
    st.integers(-1, 10_000),
    st.integers(-1, 120),
    st.integers(-1, 120),
    st.sampled_from(["-", "-", "/", ".", " - ", "--"]),
    st.booleans(),
)
def test_almost_valid_dates_are_exactly_their_parts_or_refused(
    year: int, month: int, day: int, glue: str, padded: bool
) -> None:
    parts = (f"{year:04d}", f"{month:02d}", f"{day:02d}") if padded else (year, month, day)
    text = glue.join(str(part) for part in parts)
    parsed = _refused_or(parse_date, text)
    if parsed is not None:
        assert parsed == date(year, month, day)
        assert MIN_YEAR <= year <= MAX_YEAR


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_clock_returns_a_time_of_day_or_refuses(text: str) -> None:
    clock = _refused_or(parse_clock, text)
    if clock is not None:
        assert isinstance(clock, time)
        assert clock.second == 0
        assert clock.tzinfo is None


@PROPERTY
@given(
    st.integers(-1, 130),
    st.one_of(st.none(), st.integers(-1, 130)),
    st.sampled_from(["", "am", "pm", " am", " p.m.", "a.m", "AM", "PM", "h", "ish", " pm pm"]),
    st.sampled_from([":", ".", "::", " : "]),
)
def test_almost_valid_times_of_day_are_their_parts_or_refused(
    hour: int, minute: int | None, half: str, glue: str
) -> None:
    text = f"{hour}{'' if minute is None else f'{glue}{minute:02d}'}{half}"
    clock = _refused_or(parse_clock, text)
    if clock is None:
        return
    assert isinstance(clock, time)
    assert 0 <= hour <= 23
    expected_minute = minute or 0
    assert clock.minute == expected_minute <= 59
    if half.strip().lower().startswith(("a", "p")):
        assert 1 <= hour <= 12
        assert clock.hour == hour % 12 + (12 if half.strip().lower().startswith("p") else 0)
    else:
        assert clock.hour == hour


_ZONE_NAMES = st.sampled_from(
    [
        "America/New_York",
        "Europe/London",
        "UTC",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "localtime",
        "Factory",
        "posixrules",
        "Etc/GMT+5",
        "Etc/GMT+99",
        "US/Eastern",
        "Mars/Base",
    ]
)


@PROPERTY
@given(
    st.one_of(
        _with_nasty(TEXT),
        st.tuples(
            _ZONE_NAMES, st.sampled_from(["", "/", "/..", "/../../etc/passwd", " ", "\x00"])
        ).map("".join),
        _ZONE_NAMES.map(str.lower),
        _ZONE_NAMES.map(lambda name: name.replace("_", " ")),
    )
)
def test_get_zone_returns_a_real_zone_or_refuses(text: str) -> None:
    zone = _refused_or(get_zone, text)
    if zone is not None:
        assert isinstance(zone, ZoneInfo)
        assert zone.key
        assert zone.key.lower() not in ("localtime", "factory", "posixrules")


# ------------------------------------------------------------------ reminder lead times


def _check_offsets(offsets: object) -> None:
    assert isinstance(offsets, tuple)
    assert len(offsets) <= MAX_OFFSETS
    assert list(offsets) == sorted(set(offsets), reverse=True)
    for offset in offsets:
        assert isinstance(offset, int)
        assert MIN_OFFSET_S <= offset <= MAX_OFFSET_S


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_offsets_returns_lead_times_in_bounds_or_refuses(text: str) -> None:
    offsets = _refused_or(parse_offsets, text)
    if offsets is not None:
        _check_offsets(offsets)


_OFFSET_UNIT = st.sampled_from(
    ["m", "min", "mins", "h", "hr", "hours", "d", "day", "days", "w", "week", "s", "", "y", "ms"]
)
_OFFSET_ITEM = st.one_of(
    st.tuples(st.integers(0, 10**6), st.sampled_from(["", " "]), _OFFSET_UNIT).map(
        lambda p: f"{p[0]}{p[1]}{p[2]}"
    ),
    st.sampled_from(["1.5h", "-1h", "none", "off", "٢٤h", "24h30m", "2h30", "0m", "1e3m"]),
)


@PROPERTY
@given(st.lists(_OFFSET_ITEM, min_size=1, max_size=8), st.sampled_from([",", ", ", " ", ";", ",,"]))
def test_almost_valid_lead_times_are_in_bounds_or_refused(items: list[str], glue: str) -> None:
    offsets = _refused_or(parse_offsets, glue.join(items))
    if offsets is not None:
        _check_offsets(offsets)


# ------------------------------------------------------------------ workouts


def _check_workout(workout: object) -> None:
    assert isinstance(workout, Workout)
    assert 1 <= len(workout.blocks) <= MAX_BLOCKS
    assert len(workout.text) <= MAX_WORKOUT_TEXT
    volume = 0.0
    for block in workout.blocks:
        assert MIN_REPS <= block.reps <= MAX_REPS
        if block.distance_m is not None:
            assert MIN_REP_M <= block.distance_m <= MAX_REP_M
            volume += block.reps * block.distance_m
        else:
            assert block.seconds is not None
            assert MIN_REP_SECONDS <= block.seconds <= MAX_REP_SECONDS
        # An adjustment may be per mile (the workout is in miles): at most 60 s per km either way.
        per_m = block.target.adjust_per_m or 1000.0
        assert abs(block.target.adjust_s_per_km) * 1000.0 / per_m <= MAX_ADJUST_S_PER_KM + 1e-9
        recovery = block.recovery
        if recovery is not None and recovery.distance_m is not None:
            assert MIN_RECOVERY_M <= recovery.distance_m <= MAX_RECOVERY_M
        if recovery is not None and recovery.seconds is not None:
            assert MIN_RECOVERY_SECONDS <= recovery.seconds <= MAX_RECOVERY_SECONDS
        assert block.describe()
    assert volume < MAX_VOLUME_M
    # The stored text reads back as the same workout (sessions keep only the text).
    assert parse_workout(workout.text).blocks == workout.blocks
    # What Pacer shows reads back too, to the precision shown (0.1 m, 0.1 s).
    described = workout.describe()
    if len(described) <= MAX_WORKOUT_TEXT:
        again = parse_workout(described).blocks
        assert len(again) == len(workout.blocks)
        for block, read in zip(workout.blocks, again, strict=True):
            assert (read.reps, read.target, read.hill) == (block.reps, block.target, block.hill)
            _assert_close(read.distance_m, block.distance_m)
            _assert_close(read.seconds, block.seconds)
            if block.recovery is None:
                assert read.recovery is None
            else:
                assert read.recovery is not None
                assert read.recovery.kind is block.recovery.kind
                _assert_close(read.recovery.distance_m, block.recovery.distance_m)
                _assert_close(read.recovery.seconds, block.recovery.seconds)


def _assert_close(read: float | None, original: float | None) -> None:
    if original is None:
        assert read is None
    else:
        assert read == pytest.approx(original, abs=0.051)


@PROPERTY
@given(_with_nasty(TEXT))
def test_parse_workout_returns_a_sane_workout_or_refuses(text: str) -> None:
    workout = _refused_or(parse_workout, text)
    if workout is not None:
        _check_workout(workout)


_REPS = st.one_of(
    st.just(""),
    st.tuples(
        st.one_of(st.integers(0, 60), st.just(10**20)),
        st.sampled_from(["x", " x ", "×", "X", "*", " by ", "x "]),
    ).map(lambda p: f"{p[0]}{p[1]}"),
)
_AMOUNT = st.one_of(
    st.sampled_from(
        [
            "800",
            "400m",
            "1 mile",
            "1 km",
            "1.5 km",
            "2 mi",
            "200",
            "3 min",
            "90s",
            "90 sec",
            "1:30",
            "20 min",
            "1 h",
            "1h30",
            "400s",
            "0",
            "10",
            "100000",
            "99 km",
            "0.01 mi",
            "400-800-1200-800-400",
            "1-2-3-2-1 min",
            "400--800",
            "200-",
            "3:99",
            "25:00:00",
        ]
    ),
    st.integers(0, 10**6).map(str),
    st.tuples(
        st.integers(0, 500), st.sampled_from(["s", " sec", " min", " h", "m", " km", " mi"])
    ).map(lambda p: f"{p[0]}{p[1]}"),
)
_TARGET = st.one_of(
    st.sampled_from(
        [
            "I",
            "T",
            "R",
            "M",
            "E",
            "easy",
            "tempo",
            "interval",
            "5K pace",
            "10K pace",
            "HM pace",
            "marathon pace",
            "mile pace",
            "goal pace",
            "goal pace +6s",
            "goal pace -2s/km",
            "5K pace +5s",
            "10K pace -90s",
            "Z",
            "",
            "200m pace",
            "1000 km pace",
            "12 km pace",
            "3000m pace",
            "R +3s",
            "parkrun pace",
            "race pace",
        ]
    ),
    st.tuples(
        st.sampled_from(["I", "5K pace", "goal pace"]),
        st.sampled_from(["+", "-"]),
        st.integers(0, 120),
    ).map(lambda p: f"{p[0]} {p[1]}{p[2]}s"),
)
_RECOVERY = st.one_of(
    st.sampled_from(
        [
            "",
            " w/ 400 jog",
            ", 90s rest",
            " (1 min walk)",
            " w/ half jog",
            " w/ equal jog",
            " w/ jog down",
            " w/ 400 rest",
            " w/ 0 jog",
            " w/ 1 h rest",
            " with 200 float",
            " w/ jog",
            " and 2 min jog",
            " w/ 20 km jog",
            " w/ 2 s rest",
            " R 200 jog",
        ]
    ),
    st.tuples(
        st.integers(0, 20_000),
        st.sampled_from(["", "m", "s", " min"]),
        st.sampled_from([" jog", " rest", " walk", " float", ""]),
    ).map(lambda p: f" w/ {p[0]}{p[1]}{p[2]}"),
)


@st.composite
def workout_parts(draw: st.DrawFn) -> str:
    hill = draw(st.sampled_from(["", "", " hill", " hills", " uphill"]))
    mark = draw(st.sampled_from([" @ ", "@", " at ", " ＠ ", " "]))
    return f"{draw(_REPS)}{draw(_AMOUNT)}{hill}{mark}{draw(_TARGET)}{draw(_RECOVERY)}"


_WORKOUT_GLUE = st.sampled_from([" + ", "; ", " then ", ", then ", "\n", " + 4 x 200 @ R; "])
_CLASSIC = st.sampled_from(["ladder", "repeat 400s", "hill repeats", "cruise intervals", "tempo"])


@st.composite
def almost_workouts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(workout_parts(), _CLASSIC), min_size=1, max_size=12))
    glue = draw(_WORKOUT_GLUE)
    return glue.join(parts)


@PROPERTY
@given(almost_workouts())
def test_workouts_built_from_fragments_are_sane_or_refused(text: str) -> None:
    workout = _refused_or(parse_workout, text)
    if workout is not None:
        _check_workout(workout)


def _check_plan(plan: WorkoutPlan, workout: Workout) -> None:
    assert len(plan.blocks) == len(workout.blocks)
    for planned in plan.blocks:
        if planned.s_per_km is not None:
            assert _finite_positive(planned.s_per_km)
        for value in (planned.rep_seconds, planned.rep_distance_m):
            assert value is None or _finite_positive(value)
        for value in (planned.recovery_seconds, planned.recovery_distance_m):
            assert value is None or (math.isfinite(value) and value >= 0)
        assert planned.describe()
        assert planned.describe(per_mile=True)
    for total in (plan.work_distance_m, plan.recovery_distance_m, plan.work_seconds):
        assert math.isfinite(total)
        assert total >= 0
    assert math.isfinite(plan.recovery_seconds)
    assert plan.recovery_seconds >= 0
    assert plan.summary()


_GOAL_RACES = st.one_of(st.none(), st.sampled_from(STANDARD_RACES), st.just(Race("12 km", 12000.0)))


@PROPERTY
@given(
    st.one_of(almost_workouts(), st.sampled_from(["goal pace", "ladder", "hill repeats"])),
    st.floats(30, 85),
    _GOAL_RACES,
)
def test_planning_any_parsed_workout_gives_positive_finite_targets(
    text: str, vdot: float, goal_race: Race | None
) -> None:
    workout = _refused_or(parse_workout, text)
    assume(workout is not None)
    assert isinstance(workout, Workout)
    plan = _refused_or(plan_workout, workout, vdot, goal_race)
    if plan is None:
        assert goal_race is None
        assert workout.needs_goal_race
        return
    assert isinstance(plan, WorkoutPlan)
    _check_plan(plan, workout)


# ------------------------------------------------------------------ drills, RSVP answers


@PROPERTY
@given(_with_nasty(TEXT))
def test_find_drill_returns_a_drill_or_refuses(text: str) -> None:
    drill = _refused_or(find_drill, text)
    if drill is not None:
        assert isinstance(drill, Drill)
        assert drill.category in CATEGORIES


@PROPERTY
@given(
    st.one_of(
        _with_nasty(TEXT),
        st.sampled_from(CATEGORIES),
        st.sampled_from(CATEGORIES).map(str.upper),
        st.sampled_from(["warmup", "core", "strength", "stride", "Warm Up", "mobility "]),
    )
)
def test_drills_in_returns_drills_of_one_category_or_refuses(text: str) -> None:
    drills = _refused_or(drills_in, text)
    if drills is not None:
        assert isinstance(drills, tuple)
        assert drills
        assert all(isinstance(drill, Drill) for drill in drills)
        if text.strip():
            assert len({drill.category for drill in drills}) == 1


@PROPERTY
@given(
    st.one_of(
        _with_nasty(TEXT),
        st.sampled_from(["going", "YES", " maybe ", "no", "not  going", "can't", "out", "nope"]),
    )
)
def test_parse_response_returns_an_answer_or_refuses(text: str) -> None:
    response = _refused_or(parse_response, text)
    if response is not None:
        assert isinstance(response, Response)


@PROPERTY
@given(_with_nasty(TEXT))
def test_autocomplete_helpers_never_raise_whatever_is_typed(text: str) -> None:
    # Autocomplete runs on every keystroke: it must never fail, even on a refused value.
    for suggestions in (
        [race.name for race in race_suggestions(text)],
        workout_suggestions(text),
        timezone_suggestions(text),
        [value for _, value in date_suggestions(text, date(2026, 1, 1))],
        [drill.name for drill in search_drills(text)],
    ):
        assert len(suggestions) <= 25
        assert all(isinstance(s, str) and 0 < len(s) <= 100 for s in suggestions)


# ------------------------------------------------------------------ round trips


@PROPERTY
@given(st.integers(1, 999 * 3600 + 59 * 60 + 59))
def test_format_duration_reads_back_through_parse_duration(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@PROPERTY
@given(st.floats(0.05, 999 * 3600.0, allow_nan=False))
def test_format_duration_with_tenths_reads_back_to_the_tenth(seconds: float) -> None:
    shown = format_duration(seconds, tenths=True)
    assume(round(seconds * 10) > 0)
    assert parse_duration(shown) == pytest.approx(round(seconds * 10) / 10)


@PROPERTY
@given(st.floats(MIN_PACE_S_PER_KM + 1, MAX_PACE_S_PER_KM - 1), st.booleans())
def test_format_pace_reads_back_through_parse_pace(s_per_km: float, per_mile: bool) -> None:
    pace = parse_pace(format_pace(s_per_km, per_mile))
    assert pace.unit == ("per_mile" if per_mile else "per_km")
    # Shown to the whole second per km or per mile.
    tolerance = 0.5 * (1000 / 1609.344 if per_mile else 1.0) + 1e-9
    assert abs(pace.s_per_km - s_per_km) <= tolerance


@PROPERTY
@given(st.integers(MIN_OFFSET_S, MAX_OFFSET_S))
def test_format_offset_reads_back_through_parse_offsets(seconds: int) -> None:
    assert parse_offsets(format_offset(seconds)) == (seconds,)


@PROPERTY
@given(st.lists(st.integers(MIN_OFFSET_S, MAX_OFFSET_S), min_size=1, max_size=MAX_OFFSETS))
def test_several_formatted_offsets_read_back_as_a_set(offsets: list[int]) -> None:
    text = ",".join(format_offset(offset) for offset in offsets)
    assert parse_offsets(text) == tuple(sorted(set(offsets), reverse=True))
