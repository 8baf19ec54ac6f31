"""Parsers for what runners type: times, races and distances, paces. Pure, no I/O.

Every parser raises :class:`~bot.errors.InvalidInput` whose message names the field, says what
was wrong and shows a valid example. Nothing else escapes, whatever the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.domain.pace import MILE_M, vdot_from_race
from bot.errors import InvalidInput

MAX_TEXT_LENGTH = 100

#: Fastest average speed any human has held over a race (m/s); anything faster is a typo.
MAX_HUMAN_SPEED_M_PER_S = 10.5
#: Slower than a stroll (m/s): not a running pace.
MIN_RUNNING_SPEED_M_PER_S = 0.5
MIN_VDOT = 10.0
MAX_VDOT = 90.0
MIN_RACE_M = 800.0
MAX_RACE_M = 100_000.0
MAX_DISTANCE_M = 1_000_000.0
MIN_PACE_S_PER_KM = 90.0  # 1:30/km, beyond a 400 m world record
MAX_PACE_S_PER_KM = 1800.0  # 30:00/km, 2 km/h


@dataclass(frozen=True, slots=True)
class Race:
    """A race distance. ``name`` is how Pacer shows it ("5K", "Half marathon", "12 km")."""

    name: str
    distance_m: float


@dataclass(frozen=True, slots=True)
class _Standard:
    race: Race
    aliases: tuple[str, ...]


_STANDARDS: tuple[_Standard, ...] = (
    _Standard(Race("1500m", 1500.0), ("1500", "1500m", "1500 m", "1.5k", "1.5km", "metric mile")),
    _Standard(Race("Mile", MILE_M), ("mile", "1 mile", "1mi", "1 mi", "1mile", "the mile")),
    _Standard(Race("3K", 3000.0), ("3k", "3 k", "3km", "3 km", "3000", "3000m", "3000 m")),
    _Standard(
        Race("2 mile", 2 * MILE_M), ("2 mile", "2 miles", "2mi", "2 mi", "two mile", "2mile")
    ),
    _Standard(
        Race("5K", 5000.0), ("5k", "5 k", "5km", "5 km", "5000", "5000m", "5000 m", "parkrun")
    ),
    _Standard(Race("8K", 8000.0), ("8k", "8 k", "8km", "8 km", "8000m", "8000 m")),
    _Standard(Race("10K", 10000.0), ("10k", "10 k", "10km", "10 km", "10000m", "10000 m")),
    _Standard(Race("15K", 15000.0), ("15k", "15 k", "15km", "15 km", "15000m")),
    _Standard(
        Race("10 mile", 10 * MILE_M), ("10 mile", "10 miles", "10mi", "10 mi", "ten mile", "10mile")
    ),
    _Standard(
        Race("Half marathon", 21097.5),
        (
            "half marathon",
            "half",
            "hm",
            "half-marathon",
            "halfmarathon",
            "21.1k",
            "21.1 km",
            "13.1 mi",
        ),
    ),
    _Standard(
        Race("Marathon", 42195.0),
        ("marathon", "full", "full marathon", "fm", "42.2k", "42.2 km", "26.2 mi", "26.2 miles"),
    ),
)

#: The distances Pacer predicts, in order.
PREDICTION_RACES: tuple[Race, ...] = tuple(
    s.race for s in _STANDARDS if s.race.name not in ("8K", "10 mile")
)
STANDARD_RACES: tuple[Race, ...] = tuple(s.race for s in _STANDARDS)

_ALIASES = {alias: s.race for s in _STANDARDS for alias in (*s.aliases, s.race.name.lower())}

#: Distance units a race or distance may be written in, in metres each.
DISTANCE_UNITS_M: dict[str, float] = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "k": 1000.0,
    "km": 1000.0,
    "kms": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
    "mi": MILE_M,
    "mile": MILE_M,
    "miles": MILE_M,
}
_DISTANCE_RE = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)$")
_TIME_RE = re.compile(r"^(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2}(?:\.\d+)?)$")
_RACE_EXAMPLE = "like 5K, 10K, half marathon, mile or 12 km"


def _clean(text: str, field: str, example: str) -> str:
    cleaned = " ".join(text.split()).strip()
    if not cleaned:
        raise InvalidInput(f"{field}: this can't be empty. Try {example.removeprefix('like ')}.")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise InvalidInput(
            f"{field}: that's too long to be a {field}. Try {example.removeprefix('like ')}."
        )
    return cleaned


def _quote(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return "'" + shown.replace("`", "'").replace("@", "@\u200b") + "'"


def parse_duration(text: str, field: str = "time") -> float:
    """Read a time typed as mm:ss or h:mm:ss (seconds may have decimals).

    Args:
        text: what the member typed, like "22:30" or "1:35:20".
        field: the option's name, used in error messages.

    Returns:
        The duration in seconds (always positive).

    Raises:
        InvalidInput: if the text is not a time, has minutes or seconds of 60 or more where not
            allowed, or is zero.
    """
    example = "mm:ss or h:mm:ss, like 22:30 or 1:35:20"
    cleaned = _clean(text, field, example)
    match = _TIME_RE.match(cleaned.replace(" ", ""))
    if match is None:
        raise InvalidInput(f"{field}: {_quote(cleaned)} isn't a time: use {example}.")
    hours_text, minutes_text, seconds_text = match.groups()
    hours = int(hours_text) if hours_text else 0
    minutes = int(minutes_text)
    seconds = float(seconds_text)
    if seconds >= 60 or (hours_text and minutes >= 60):
        raise InvalidInput(f"{field}: {_quote(cleaned)} isn't a time: use {example}.")
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise InvalidInput(f"{field}: a time must be more than 0:00, like 22:30.")
    return total


def parse_distance(text: str, field: str = "distance") -> float:
    """Read a distance with its unit ("400m", "12 km", "5 mi", "1 mile").

    Returns:
        The distance in metres.

    Raises:
        InvalidInput: if there is no number, no known unit, or the distance is zero or absurd.
    """
    example = "a number with a unit, like 400m, 12 km or 5 mi"
    cleaned = _clean(text, field, example).lower()
    match = _DISTANCE_RE.match(cleaned)
    if match is None:
        raise InvalidInput(f"{field}: {_quote(cleaned)} isn't a distance: use {example}.")
    number, unit = match.groups()
    if unit not in DISTANCE_UNITS_M:
        raise InvalidInput(
            f"{field}: I don't know the unit {_quote(unit)}: use m, km or mi, like 400m or 5 mi."
        )
    metres = float(number) * DISTANCE_UNITS_M[unit]
    if not math.isfinite(metres) or metres <= 0:
        raise InvalidInput(f"{field}: a distance must be more than zero, like 400m.")
    if metres > MAX_DISTANCE_M:
        raise InvalidInput(f"{field}: {_quote(cleaned)} is further than any race. Try {example}.")
    return metres


def parse_race(text: str, field: str = "race") -> Race:
    """Read a race by name or alias ("5k", "HM", "mile") or as any distance ("12 km").

    Raises:
        InvalidInput: if the text is neither a known race nor a distance.
    """
    cleaned = _clean(text, field, _RACE_EXAMPLE).lower()
    known = _ALIASES.get(cleaned) or _ALIASES.get(cleaned.replace(" ", ""))
    if known is not None:
        return known
    try:
        metres = parse_distance(cleaned, field)
    except InvalidInput:
        raise InvalidInput(
            f"{field}: {_quote(cleaned)} isn't a race I know: use a name or a distance, "
            f"{_RACE_EXAMPLE}."
        ) from None
    for race in STANDARD_RACES:
        if abs(race.distance_m - metres) < 0.5:
            return race
    return Race(format_distance(metres), metres)


def format_distance(metres: float) -> str:
    """Show a distance the way runners write it: "400 m", "3200 m", "12 km", "5 mi"."""
    miles = metres / MILE_M
    if round(miles) >= 1 and abs(miles - round(miles)) < 1e-6:
        return f"{round(miles)} mi"
    if metres < 10_000 and abs(metres - round(metres)) < 1e-6:
        return f"{round(metres)} m"
    return f"{metres / 1000:g} km"


def race_suggestions(current: str, limit: int = 25) -> list[Race]:
    """Races for autocomplete: the standard ones matching ``current``, plus ``current`` itself
    when it reads as a custom distance."""
    needle = " ".join(current.lower().split())[:MAX_TEXT_LENGTH]
    matches = [
        s.race
        for s in _STANDARDS
        if not needle
        or s.race.name.lower().startswith(needle)
        or any(a.startswith(needle) for a in s.aliases)
    ]
    if needle and not matches:
        matches = [s.race for s in _STANDARDS if any(needle in a for a in s.aliases)]
    try:
        custom = parse_race(needle) if needle else None
    except InvalidInput:
        custom = None
    if custom is not None and custom not in matches:
        matches.insert(0, custom)
    return matches[:limit]


def check_speed(race: Race, seconds: float) -> None:
    """Refuse a time over ``race`` that no human could run, or that is slower than walking.

    Raises:
        InvalidInput: naming the result and showing a valid example.
    """
    speed = race.distance_m / seconds
    shown = format_duration(seconds)
    if speed > MAX_HUMAN_SPEED_M_PER_S:
        raise InvalidInput(
            f"time: {race.name} in {shown} would be faster than any human has run. "
            "Check the time, like 22:30 for a 5K."
        )
    if speed < MIN_RUNNING_SPEED_M_PER_S:
        raise InvalidInput(
            f"time: {race.name} in {shown} is slower than walking. "
            "Check the time, like 22:30 for a 5K."
        )


def check_performance(race: Race, seconds: float) -> float:
    """Check a race result is humanly possible and return its VDOT.

    Raises:
        InvalidInput: if the distance is outside 800 m to 100 km, or the result would be faster
            than any human has run, or slower than walking.
    """
    if not MIN_RACE_M <= race.distance_m <= MAX_RACE_M:
        raise InvalidInput(
            f"race: VDOT needs a race from 800 m to 100 km, and {race.name} isn't. "
            "Try 5K, 10K or half marathon."
        )
    check_speed(race, seconds)
    vdot = vdot_from_race(race.distance_m, seconds)
    shown = format_duration(seconds)
    if vdot > MAX_VDOT:
        raise InvalidInput(
            f"time: {race.name} in {shown} would beat the world record. "
            "Check the time, like 22:30 for a 5K."
        )
    if vdot < MIN_VDOT:
        raise InvalidInput(
            f"time: {race.name} in {shown} is slower than walking, so I can't set paces from "
            "it. Check the time, like 22:30 for a 5K."
        )
    return vdot


_PACE_RE = re.compile(
    r"^(?P<value>\d+(?::\d{1,2}(?:\.\d+)?)?(?:\.\d+)?)\s*"
    r"(?:min(?:utes)?\s*)?(?:/|per\s+|a\s+)?\s*(?P<unit>[a-z/]+)$"
)
_PACE_UNITS = {
    "km": "per_km",
    "k": "per_km",
    "kilometer": "per_km",
    "kilometre": "per_km",
    "mi": "per_mile",
    "mile": "per_mile",
    "km/h": "kmh",
    "kmh": "kmh",
    "kph": "kmh",
    "kmph": "kmh",
    "mph": "mph",
    "mi/h": "mph",
}
_PACE_EXAMPLE = "like 4:30/km, 7:15/mi, 13.3 km/h or 8 mph"


@dataclass(frozen=True, slots=True)
class Pace:
    """A parsed pace: ``s_per_km`` plus the unit the member typed ("per_km", "per_mile",
    "kmh", "mph")."""

    s_per_km: float
    unit: str


def parse_pace(text: str, field: str = "pace") -> Pace:
    """Read a pace or speed: "4:30/km", "7:15 per mile", "13.3 km/h", "8 mph".

    Raises:
        InvalidInput: if the text is not a pace, or it is faster than 1:30/km or slower than
            30:00/km.
    """
    cleaned = _clean(text, field, _PACE_EXAMPLE).lower()
    match = _PACE_RE.match(cleaned)
    unit = _PACE_UNITS.get(match.group("unit")) if match else None
    if match is None or unit is None:
        raise InvalidInput(f"{field}: {_quote(cleaned)} isn't a pace: use one {_PACE_EXAMPLE}.")
    value = match.group("value")
    if unit in ("kmh", "mph"):
        if ":" in value:
            raise InvalidInput(
                f"{field}: a speed is a plain number, like 13.3 km/h or 8 mph, not {_quote(value)}."
            )
        speed = float(value)
        if speed <= 0:
            raise InvalidInput(f"{field}: a speed must be more than zero, like 13.3 km/h.")
        kmh = speed if unit == "kmh" else speed * MILE_M / 1000.0
        s_per_km = 3600.0 / kmh
    else:
        per_unit = (
            parse_duration(value, field) if ":" in value else _minutes_dot_seconds(value, field)
        )
        if per_unit <= 0:
            raise InvalidInput(f"{field}: a pace must be more than 0:00, like 4:30/km.")
        s_per_km = per_unit if unit == "per_km" else per_unit * 1000.0 / MILE_M
    if s_per_km < MIN_PACE_S_PER_KM:
        raise InvalidInput(
            f"{field}: {_quote(cleaned)} is faster than any human can run. Try {_PACE_EXAMPLE}."
        )
    if s_per_km > MAX_PACE_S_PER_KM:
        raise InvalidInput(
            f"{field}: {_quote(cleaned)} is slower than walking (30:00/km). Try {_PACE_EXAMPLE}."
        )
    return Pace(s_per_km, unit)


def _minutes_dot_seconds(value: str, field: str) -> float:
    """A pace written m.ss, as runners mean it: "4.50" is 4:50, like the clock time 18.30."""
    whole, _, fraction = value.partition(".")
    if not fraction:
        return float(whole) * 60.0
    if len(fraction) == 2 and int(fraction) < 60:
        return int(whole) * 60.0 + int(fraction)
    raise InvalidInput(
        f"{field}: {_quote(value)} is unclear: write minutes and seconds with a colon, like "
        "4:30/km (a dot is read as minutes.seconds: 4.50/km is 4:50/km)."
    )


def format_duration(seconds: float, tenths: bool = False) -> str:
    """Show seconds as m:ss or h:mm:ss ("22:30", "1:35:20"); ``tenths`` keeps one decimal."""
    if tenths:
        scaled = round(seconds * 10)
        whole, tenth = divmod(scaled, 10)
    else:
        whole, tenth = round(seconds), 0
    hours, rest = divmod(int(whole), 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"{text}.{tenth}" if tenths else text


def format_pace(s_per_km: float, per_mile: bool = False) -> str:
    """Show a pace as "4:30/km" or "7:15/mi"."""
    if per_mile:
        return f"{format_duration(s_per_km * MILE_M / 1000.0)}/mi"
    return f"{format_duration(s_per_km)}/km"
