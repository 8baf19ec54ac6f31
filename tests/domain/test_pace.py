"""Pace maths against Daniels' published tables (shared/reference/pace-science.md)."""

from __future__ import annotations

import pytest

from bot.domain.pace import (
    MILE_M,
    Zone,
    kmh_from_pace,
    pace_from_kmh,
    race_time,
    riegel_time,
    training_paces,
    vdot_from_race,
)


def t(text: str) -> float:
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


DISTANCES = {
    "1500m": 1500.0,
    "mile": MILE_M,
    "3000m": 3000.0,
    "2 mile": 2 * MILE_M,
    "5K": 5000.0,
    "10K": 10000.0,
    "15K": 15000.0,
    "half": 21097.5,
    "marathon": 42195.0,
}
RACE_TABLE = {
    40: ["6:35", "7:07", "14:03", "15:08", "24:08", "50:03", "1:17:06", "1:50:59", "3:49:45"],
    50: ["5:24", "5:50", "11:33", "12:28", "19:57", "41:21", "1:03:36", "1:31:35", "3:10:49"],
    60: ["4:35", "4:57", "9:50", "10:37", "17:03", "35:22", "54:18", "1:18:09", "2:43:25"],
}
RACE_CASES = [
    (vdot, name, t(time))
    for vdot, times in RACE_TABLE.items()
    for name, time in zip(DISTANCES, times, strict=True)
]
# VDOT: (E fast, E slow, M, T, I per km, R per 400)
PACE_TABLE = {
    40: ("5:56", "6:38", "5:29", "5:06", "4:42", "1:44"),
    50: ("4:56", "5:34", "4:31", "4:15", "3:55", "1:27"),
    60: ("4:15", "4:49", "3:52", "3:40", "3:23", "1:15"),
}


@pytest.mark.parametrize(("vdot", "race", "seconds"), RACE_CASES)
def test_race_equivalent_matches_published_table(vdot: int, race: str, seconds: float) -> None:
    assert abs(race_time(vdot, DISTANCES[race]) - seconds) <= 1 + 0.002 * seconds


@pytest.mark.parametrize(("vdot", "race", "seconds"), RACE_CASES)
def test_vdot_from_published_race_is_within_three_tenths(
    vdot: int, race: str, seconds: float
) -> None:
    assert abs(vdot_from_race(DISTANCES[race], seconds) - vdot) <= 0.3


def test_5k_in_19_57_is_the_vdot_50_row() -> None:
    assert vdot_from_race(5000, t("19:57")) == pytest.approx(49.95, abs=0.01)


@pytest.mark.parametrize("vdot", sorted(PACE_TABLE))
def test_training_paces_match_published_table(vdot: int) -> None:
    e_fast, e_slow, m, th, i, r400 = (t(x) for x in PACE_TABLE[vdot])
    paces = training_paces(vdot)
    assert abs(paces.easy_fast_s_per_km - e_fast) <= 8
    assert abs(paces.easy_slow_s_per_km - e_slow) <= 8
    assert abs(paces.marathon_s_per_km - m) <= 3
    assert abs(paces.threshold_s_per_km - th) <= 2
    assert abs(paces.interval_s_per_km - i) <= 2
    assert abs(paces.repetition_s_per_km * 0.4 - r400) <= 2


@pytest.mark.parametrize("vdot", range(30, 86))
def test_zones_are_ordered_from_easy_to_repetition_at_every_table_vdot(vdot: int) -> None:
    p = training_paces(vdot)
    assert p.easy_slow_s_per_km > p.easy_fast_s_per_km > p.marathon_s_per_km
    assert p.marathon_s_per_km > p.threshold_s_per_km > p.interval_s_per_km
    assert p.interval_s_per_km > p.repetition_s_per_km
    assert p.in_tables


@pytest.mark.parametrize("vdot", range(30, 86))
def test_race_time_inverts_vdot_from_race(vdot: int) -> None:
    for distance in DISTANCES.values():
        assert vdot_from_race(distance, race_time(vdot, distance)) == pytest.approx(vdot, abs=1e-6)


def test_fitter_runners_get_faster_paces() -> None:
    slower, faster = training_paces(45), training_paces(46)
    for zone in Zone:
        assert faster.s_per_km(zone) < slower.s_per_km(zone)


def test_outside_table_range_is_computed_but_flagged() -> None:
    assert not training_paces(25).in_tables
    assert not training_paces(87).in_tables
    assert training_paces(25).threshold_s_per_km > training_paces(30).threshold_s_per_km


def test_riegel_is_a_different_model() -> None:
    five_k = t("19:57")
    riegel = riegel_time(five_k, 5000, 42195)
    daniels = race_time(50, 42195)
    assert riegel == pytest.approx(five_k * (42195 / 5000) ** 1.06)
    assert abs(riegel - daniels) > 30


@pytest.mark.parametrize("kmh", [8.0, 12.0, 13.3, 20.0])
def test_speed_pace_round_trip(kmh: float) -> None:
    assert kmh_from_pace(pace_from_kmh(kmh)) == pytest.approx(kmh)


@pytest.mark.parametrize(("distance", "seconds"), [(0, 100), (5000, 0), (-1, 10)])
def test_vdot_needs_positive_inputs(distance: float, seconds: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        vdot_from_race(distance, seconds)
