"""Parsers for times, races, distances and paces: what runners type, and what they get wrong."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.pace import MILE_M
from bot.domain.parsing import (
    check_performance,
    format_distance,
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
    parse_pace,
    parse_race,
    race_suggestions,
)
from bot.errors import InvalidInput, UserError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("22:30", 1350),
        ("1:35:20", 5720),
        ("19:57.5", 1197.5),
        (" 22:30 ", 1350),
        ("75:00", 4500),
        ("0:58", 58),
        ("2:03:59", 7439),
    ],
)
def test_duration_reads_mm_ss_and_h_mm_ss(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("25:61", "isn't a time"),
        ("1:60:00", "isn't a time"),
        ("0:00", "more than 0:00"),
        ("", "can't be empty"),
        ("   ", "can't be empty"),
        ("abc", "isn't a time"),
        ("22", "isn't a time"),
        ("-22:30", "isn't a time"),
        ("22:30:10:05", "isn't a time"),
        ("9" * 150, "too long"),
    ],
)
def test_bad_durations_name_the_field_and_show_an_example(text: str, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_duration(text)
    assert raised.value.message.startswith("time:")
    assert why in raised.value.message
    assert "22:30" in raised.value.message


@pytest.mark.parametrize(
    ("text", "name", "metres"),
    [
        ("5K", "5K", 5000),
        ("5k", "5K", 5000),
        ("5 km", "5K", 5000),
        ("5000m", "5K", 5000),
        ("mile", "Mile", MILE_M),
        ("1 mi", "Mile", MILE_M),
        ("2 mile", "2 mile", 2 * MILE_M),
        ("3K", "3K", 3000),
        ("half", "Half marathon", 21097.5),
        ("HM", "Half marathon", 21097.5),
        ("Half Marathon", "Half marathon", 21097.5),
        ("marathon", "Marathon", 42195),
        ("10 mile", "10 mile", 10 * MILE_M),
        ("12 km", "12 km", 12000),
        ("3200m", "3200 m", 3200),
        ("5 mi", "5 mi", 5 * MILE_M),
        ("1500m", "1500m", 1500),
        ("15K", "15K", 15000),
    ],
)
def test_races_by_name_alias_or_distance(text: str, name: str, metres: float) -> None:
    race = parse_race(text)
    assert race.name == name
    assert race.distance_m == pytest.approx(metres)


@pytest.mark.parametrize("text", ["5 parsecs", "fast", "-5k", "0 km", "99999 km", "k5", ""])
def test_unknown_races_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_race(text)
    assert raised.value.message.startswith("race:")
    assert "5K" in raised.value.message


@pytest.mark.parametrize(
    ("text", "metres"), [("400m", 400), ("400 metres", 400), ("1.5 km", 1500), ("3 mi", 3 * MILE_M)]
)
def test_distances_with_units(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize(
    ("text", "s_per_km", "unit"),
    [
        ("4:30/km", 270, "per_km"),
        ("4:30 /km", 270, "per_km"),
        ("4:30 min/km", 270, "per_km"),
        ("4:30 per km", 270, "per_km"),
        ("7:15/mi", 435 / MILE_M * 1000, "per_mile"),
        ("7:15 per mile", 435 / MILE_M * 1000, "per_mile"),
        ("13.3 km/h", 3600 / 13.3, "kmh"),
        ("13.3kph", 3600 / 13.3, "kmh"),
        ("8 mph", 3600 / (8 * MILE_M / 1000), "mph"),
        ("8mph", 3600 / (8 * MILE_M / 1000), "mph"),
    ],
)
def test_paces_in_every_unit(text: str, s_per_km: float, unit: str) -> None:
    pace = parse_pace(text)
    assert pace.s_per_km == pytest.approx(s_per_km)
    assert pace.unit == unit


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("fast", "isn't a pace"),
        ("4:30", "isn't a pace"),
        ("0:30/km", "faster than any human"),
        ("45:00/km", "slower than walking"),
        ("0 km/h", "more than zero"),
        ("4:30 km/h", "plain number"),
        ("4:75/km", "isn't a time"),
    ],
)
def test_bad_paces_say_why(text: str, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_pace(text)
    assert why in raised.value.message
    assert raised.value.message.startswith("pace:")


@pytest.mark.parametrize(
    ("race", "time", "why"),
    [
        ("5K", "0:05", "faster than any human"),
        ("5K", "10:00", "world record"),
        ("marathon", "1:30:00", "world record"),
        ("5K", "3:00:00", "slower than walking"),
        ("400m", "1:00", "from 800 m to 100 km"),
        ("200 km", "20:00:00", "from 800 m to 100 km"),
    ],
)
def test_impossible_results_are_refused(race: str, time: str, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_performance(parse_race(race), parse_duration(time))
    assert why in raised.value.message


def test_a_plausible_result_gives_its_vdot() -> None:
    assert check_performance(parse_race("5K"), parse_duration("19:57")) == pytest.approx(
        49.95, 0.01
    )


def test_race_suggestions_offer_standard_races_and_the_typed_distance() -> None:
    assert [r.name for r in race_suggestions("")][:3] == ["1500m", "Mile", "3K"]
    assert race_suggestions("ha")[0].name == "Half marathon"
    assert race_suggestions("12 km")[0].name == "12 km"
    assert race_suggestions("zzz") == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1350, "22:30"), (5720, "1:35:20"), (59.6, "1:00"), (43.24, "0:43"), (3600, "1:00:00")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_format_pace_and_distance() -> None:
    assert format_pace(270) == "4:30/km"
    assert format_pace(270, per_mile=True) == "7:15/mi"
    assert format_distance(400) == "400 m"
    assert format_distance(12000) == "12 km"
    assert format_distance(2 * MILE_M) == "2 mi"


@given(st.text(max_size=300))
def test_parsers_raise_only_user_errors(text: str) -> None:
    for parser in (parse_duration, parse_race, parse_pace, parse_distance):
        with contextlib.suppress(UserError):
            parser(text)


@given(st.integers(0, 9), st.integers(0, 99), st.integers(0, 99), st.sampled_from(["", ".5"]))
def test_time_like_text_never_crashes(h: int, m: int, s: int, frac: str) -> None:
    for text in (f"{m}:{s:02d}{frac}", f"{h}:{m:02d}:{s:02d}{frac}"):
        with contextlib.suppress(UserError):
            assert parse_duration(text) > 0


@given(st.floats(min_value=2.0, max_value=29.0))
def test_pace_text_round_trips(s_per_km_minutes: float) -> None:
    shown = format_pace(s_per_km_minutes * 60)
    assert parse_pace(shown).s_per_km == pytest.approx(s_per_km_minutes * 60, abs=0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4.50/km", 290.0), ("4.05/km", 245.0), ("7.15/mi", 435.0 / 1.609344), ("5/km", 300.0)],
)
def test_paces_with_a_dot_are_minutes_and_seconds(text: str, expected: float) -> None:
    assert parse_pace(text).s_per_km == pytest.approx(expected)


@pytest.mark.parametrize("text", ["4.5/km", "4.75/km", "4.123/km"])
def test_paces_whose_dot_is_unclear_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_pace(text)
    assert caught.value.message.startswith("pace:")
    assert "4:30/km" in caught.value.message
