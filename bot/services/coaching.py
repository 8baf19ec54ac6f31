"""Pace and drill questions: parse what the member typed, do the maths, return plain results.

Pure use-cases (no database): the cogs call these so no arithmetic on paces lives in a cog.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import drills as drill_data
from bot.domain.pace import (
    KM_M,
    MILE_M,
    TrainingPaces,
    is_in_tables,
    race_time,
    riegel_time,
    training_paces,
)
from bot.domain.parsing import (
    PREDICTION_RACES,
    Pace,
    Race,
    check_performance,
    check_speed,
    parse_duration,
    parse_pace,
    parse_race,
)
from bot.domain.parsing import race_suggestions as race_suggestions
from bot.domain.workouts import workout_suggestions as workout_suggestions
from bot.errors import InvalidInput

MIN_LAP_M = 100
MAX_LAP_M = 5000


@dataclass(frozen=True, slots=True)
class RaceResult:
    """A race result a member typed, checked and with its VDOT."""

    race: Race
    seconds: float
    vdot: float

    @property
    def in_tables(self) -> bool:
        return is_in_tables(self.vdot)


@dataclass(frozen=True, slots=True)
class ZonesReport:
    result: RaceResult
    paces: TrainingPaces


@dataclass(frozen=True, slots=True)
class Prediction:
    race: Race
    seconds: float
    riegel_seconds: float
    is_source: bool


@dataclass(frozen=True, slots=True)
class PredictReport:
    result: RaceResult
    predictions: tuple[Prediction, ...]


@dataclass(frozen=True, slots=True)
class SplitsReport:
    race: Race
    seconds: float
    lap_m: int
    laps: tuple[tuple[float, float], ...]  # (distance reached in m, elapsed seconds)
    s_per_km: float

    @property
    def per_mile_seconds(self) -> float:
        return self.s_per_km * MILE_M / KM_M


def read_result(race_text: str, time_text: str) -> RaceResult:
    """Parse and check a race result.

    Raises:
        InvalidInput: for an unknown race, a malformed time or an impossible result.
    """
    race = parse_race(race_text)
    seconds = parse_duration(time_text)
    vdot = check_performance(race, seconds)
    return RaceResult(race=race, seconds=seconds, vdot=vdot)


def zones(race_text: str, time_text: str) -> ZonesReport:
    """VDOT and Daniels training paces from a race result (``/pace zones``).

    Raises:
        InvalidInput: see :func:`read_result`.
    """
    result = read_result(race_text, time_text)
    return ZonesReport(result=result, paces=training_paces(result.vdot))


def predict(race_text: str, time_text: str) -> PredictReport:
    """Equivalent times at the standard distances (``/pace predict``).

    Raises:
        InvalidInput: see :func:`read_result`.
    """
    result = read_result(race_text, time_text)
    predictions = []
    for race in PREDICTION_RACES:
        same = abs(race.distance_m - result.race.distance_m) < 0.5
        predictions.append(
            Prediction(
                race=race,
                seconds=result.seconds if same else race_time(result.vdot, race.distance_m),
                riegel_seconds=riegel_time(result.seconds, result.race.distance_m, race.distance_m),
                is_source=same,
            )
        )
    return PredictReport(result=result, predictions=tuple(predictions))


def convert(pace_text: str) -> Pace:
    """Read a pace or speed in any unit (``/pace convert``).

    Raises:
        InvalidInput: for text that is not a pace, or an impossible one.
    """
    return parse_pace(pace_text)


def splits(race_text: str, time_text: str, lap_m: int = 400) -> SplitsReport:
    """Even splits for a goal time (``/pace splits``).

    Raises:
        InvalidInput: for a bad race, time or lap, or an impossible speed.
    """
    race = parse_race(race_text)
    seconds = parse_duration(time_text)
    if not MIN_LAP_M <= lap_m <= MAX_LAP_M:
        raise InvalidInput(f"lap: use a lap from {MIN_LAP_M} to {MAX_LAP_M} metres, like 400.")
    if lap_m > race.distance_m:
        raise InvalidInput(
            f"lap: a {lap_m} m lap is longer than the {race.name} itself. Try lap 400."
        )
    check_speed(race, seconds)
    laps: list[tuple[float, float]] = []
    reached = float(lap_m)
    while reached < race.distance_m - 1e-6:
        laps.append((reached, seconds * reached / race.distance_m))
        reached += lap_m
    laps.append((race.distance_m, seconds))
    return SplitsReport(
        race=race,
        seconds=seconds,
        lap_m=lap_m,
        laps=tuple(laps),
        s_per_km=seconds / race.distance_m * KM_M,
    )


find_drill = drill_data.find_drill
search_drills = drill_data.search_drills
drills_in = drill_data.drills_in
warmup_routine = drill_data.warmup_routine
DRILL_CATEGORIES = drill_data.CATEGORIES
