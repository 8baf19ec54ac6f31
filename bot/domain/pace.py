"""Jack Daniels' VDOT model: pure pace maths, no I/O.

Equations from Daniels & Gilbert (Oxygen Power, 1979) as used in Daniels' Running Formula (3rd ed.);
the zone fractions are tuned so the results match the book's Tables 5.1 and 5.2 within the
tolerances in ``shared/reference/pace-science.md``. Speeds are metres per minute inside this module;
everything it returns is seconds (race times) or seconds per kilometre (paces).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

MILE_M = 1609.344
KM_M = 1000.0

#: The range of VDOT values Daniels' tables print. Values outside are computed but flagged.
TABLE_MIN_VDOT = 30.0
TABLE_MAX_VDOT = 85.0

# Fractions of VDOT that reproduce the book's training-pace table (see pace-science.md).
_EASY_FAST_FRACTION = 0.735
_EASY_SLOW_FRACTION = 0.63
_THRESHOLD_FRACTION = 0.88
_INTERVAL_FRACTION = 0.975

_MARATHON_M = 42195.0
# Bisection bounds for race equivalents, in minutes: wide enough for any VDOT from 10 to 90
# over 800 m to 100 km.
_MIN_RACE_MINUTES = 0.5
_MAX_RACE_MINUTES = 3000.0


class Zone(StrEnum):
    """Daniels' training intensities."""

    EASY = "E"
    MARATHON = "M"
    THRESHOLD = "T"
    INTERVAL = "I"
    REPETITION = "R"

    @property
    def label(self) -> str:
        """The zone's name, like "Threshold"."""
        return _ZONE_LABELS[self]

    @property
    def purpose(self) -> str:
        """One short line on what the zone trains."""
        return _ZONE_PURPOSES[self]


_ZONE_LABELS = {
    Zone.EASY: "Easy",
    Zone.MARATHON: "Marathon",
    Zone.THRESHOLD: "Threshold",
    Zone.INTERVAL: "Interval",
    Zone.REPETITION: "Repetition",
}
_ZONE_PURPOSES = {
    Zone.EASY: "Base, recovery and long runs: conversational, most of your week.",
    Zone.MARATHON: "Goal-marathon rhythm: steady runs and long-run finishes.",
    Zone.THRESHOLD: "Comfortably hard: tempo runs and cruise intervals, about an hour race effort.",
    Zone.INTERVAL: "VO2max: hard 3-5 minute reps with equal or shorter jog recoveries.",
    Zone.REPETITION: "Speed and economy: short fast reps (200-400 m) with full recovery.",
}


def oxygen_cost(speed_m_per_min: float) -> float:
    """VO2 (ml/kg/min) needed to run at ``speed_m_per_min``."""
    v = speed_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def sustainable_fraction(minutes: float) -> float:
    """Fraction of VO2max a runner can hold for a race lasting ``minutes``."""
    return (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )


def speed_for_oxygen(vo2: float) -> float:
    """Running speed (m/min) whose oxygen cost is ``vo2``; the inverse of :func:`oxygen_cost`."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def vdot_from_race(distance_m: float, seconds: float) -> float:
    """VDOT shown by a race result.

    Args:
        distance_m: race distance in metres (positive).
        seconds: finishing time in seconds (positive).

    Returns:
        The VDOT, unrounded (5K in 19:57 gives 49.95).

    Raises:
        ValueError: if either argument is not positive.
    """
    if distance_m <= 0 or seconds <= 0:
        raise ValueError("distance and time must be positive")
    minutes = seconds / 60.0
    return oxygen_cost(distance_m / minutes) / sustainable_fraction(minutes)


def race_time(vdot: float, distance_m: float) -> float:
    """Equivalent race time in seconds for ``distance_m`` at ``vdot`` (Daniels' Table 5.1).

    Solved by bisection: VDOT shown by a time falls steadily as the time grows.

    Raises:
        ValueError: if ``vdot`` or ``distance_m`` is not positive.
    """
    if vdot <= 0 or distance_m <= 0:
        raise ValueError("vdot and distance must be positive")
    lo, hi = _MIN_RACE_MINUTES, _MAX_RACE_MINUTES
    # 48 halvings of 3,000 minutes leave under a nanosecond: far below any rounding shown.
    for _ in range(48):
        mid = (lo + hi) / 2
        if vdot_from_race(distance_m, mid * 60.0) > vdot:
            lo = mid  # still faster than the target fitness: the race takes longer
        else:
            hi = mid
    return (lo + hi) / 2 * 60.0


def riegel_time(seconds: float, from_m: float, to_m: float) -> float:
    """Riegel's ``T2 = T1 (D2/D1)^1.06``: a second opinion, never the headline prediction."""
    return seconds * math.pow(to_m / from_m, 1.06)


def _pace_at_fraction(vdot: float, fraction: float) -> float:
    return 60.0 * KM_M / speed_for_oxygen(fraction * vdot)


def repetition_offset_s_per_400(vdot: float) -> float:
    """How much faster R is than I per 400 m.

    The book takes 6 s off I per 400 from about VDOT 60 up and 7-8 s lower down; this
    piecewise-linear fit through its VDOT 40, 50 and 60 rows keeps R within half a second there.
    """
    if vdot >= 60:
        return 6.0
    if vdot >= 50:
        return 6.0 + (60.0 - vdot) * 0.09
    return 6.9 + (50.0 - max(vdot, 40.0)) * 0.16


@dataclass(frozen=True, slots=True)
class TrainingPaces:
    """Training paces for one VDOT, all in seconds per kilometre.

    Fields:
        vdot: the VDOT the paces are for.
        easy_fast_s_per_km: the quick end of the easy range.
        easy_slow_s_per_km: the slow end of the easy range.
        marathon_s_per_km: marathon pace (the marathon race equivalent).
        threshold_s_per_km: threshold (T) pace.
        interval_s_per_km: interval (I) pace.
        repetition_s_per_km: repetition (R) pace.
    """

    vdot: float
    easy_fast_s_per_km: float
    easy_slow_s_per_km: float
    marathon_s_per_km: float
    threshold_s_per_km: float
    interval_s_per_km: float
    repetition_s_per_km: float

    def s_per_km(self, zone: Zone) -> float:
        """Pace for ``zone``; for easy, the middle of the range."""
        if zone is Zone.EASY:
            return (self.easy_fast_s_per_km + self.easy_slow_s_per_km) / 2
        by_zone: dict[Zone, float] = {
            Zone.MARATHON: self.marathon_s_per_km,
            Zone.THRESHOLD: self.threshold_s_per_km,
            Zone.INTERVAL: self.interval_s_per_km,
            Zone.REPETITION: self.repetition_s_per_km,
        }
        return by_zone[zone]

    @property
    def in_tables(self) -> bool:
        """Whether the VDOT is inside the range Daniels' tables print (30-85)."""
        return is_in_tables(self.vdot)


def is_in_tables(vdot: float) -> bool:
    """Whether ``vdot`` lies within Daniels' published tables (30 to 85)."""
    return TABLE_MIN_VDOT <= vdot <= TABLE_MAX_VDOT


def training_paces(vdot: float) -> TrainingPaces:
    """Daniels' training paces for ``vdot`` (Table 5.2), in seconds per kilometre.

    Raises:
        ValueError: if ``vdot`` is not positive.
    """
    if vdot <= 0:
        raise ValueError("vdot must be positive")
    interval = _pace_at_fraction(vdot, _INTERVAL_FRACTION)
    repetition_per_400 = interval * 0.4 - repetition_offset_s_per_400(vdot)
    return TrainingPaces(
        vdot=vdot,
        easy_fast_s_per_km=_pace_at_fraction(vdot, _EASY_FAST_FRACTION),
        easy_slow_s_per_km=_pace_at_fraction(vdot, _EASY_SLOW_FRACTION),
        marathon_s_per_km=race_time(vdot, _MARATHON_M) / (_MARATHON_M / KM_M),
        threshold_s_per_km=_pace_at_fraction(vdot, _THRESHOLD_FRACTION),
        interval_s_per_km=interval,
        repetition_s_per_km=repetition_per_400 / 0.4,
    )


def time_for(s_per_km: float, distance_m: float) -> float:
    """Seconds to cover ``distance_m`` at ``s_per_km``."""
    return s_per_km * distance_m / KM_M


def kmh_from_pace(s_per_km: float) -> float:
    """Kilometres per hour for a pace in seconds per kilometre."""
    return 3600.0 / s_per_km


def pace_from_kmh(kmh: float) -> float:
    """Seconds per kilometre for a speed in kilometres per hour."""
    return 3600.0 / kmh
