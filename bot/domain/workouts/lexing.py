"""Lexing: turn what coaches type into one plain spelling before the grammar reads it.

Everything here is about number and unit forms, never about what a workout means:
``×`` and dashes, ``1,200``, ``1/2 mile``, ``2.5-mile``, ``400's``, ``90"``, ``3'``, number words,
yards, and amounts (a distance or a time) with their units.

``m.ss`` is read one way everywhere, as runners mean it: in a pace or a target time, ``4.50`` is
4:50 (like the clock time ``18.30``); in a distance, ``0.75 mile`` is three quarters of a mile.
"""

from __future__ import annotations

import re

from bot.domain.pace import MILE_M
from bot.domain.parsing import DISTANCE_UNITS_M

YARD_M = 0.9144
FLAGS = re.IGNORECASE | re.ASCII

_CHAR_MAP: dict[int, str | None] = {
    ord("×"): "x",
    ord("–"): "-",
    ord("—"): "-",
    ord("‐"): "-",
    ord("‑"): "-",
    ord("−"): "-",
    ord("＠"): "@",
    ord("’"): "'",
    ord("‘"): "'",
    ord("′"): "'",
    ord("″"): '"',
    ord("“"): '"',
    ord("”"): '"',
    ord("½"): " 1/2",
    ord("¼"): " 1/4",
    ord("¾"): " 3/4",
    ord("\t"): " ",
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None),
}

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
}
_NUMBER_WORD_RE = re.compile(
    r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b", FLAGS
)

DISTANCE_UNITS: dict[str, float] = {
    # Every unit a race distance may be written in, plus what only workouts use.
    **DISTANCE_UNITS_M,
    "miler": MILE_M,
    "yd": YARD_M,
    "yds": YARD_M,
    "yard": YARD_M,
    "yards": YARD_M,
    "lap": 400.0,
    "laps": 400.0,
}
TIME_UNITS: dict[str, float] = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    '"': 1.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "'": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
}
_DIST_UNIT = "|".join(sorted(map(re.escape, DISTANCE_UNITS), key=len, reverse=True))
_TIME_UNIT = "|".join(sorted(map(re.escape, TIME_UNITS), key=len, reverse=True))
NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"

_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_FRACTION_RE = re.compile(r"(?:(\d+)\s+)?\b(\d)/(\d{1,2})\b(?=\s*-?\s*(?:mi|miles?|k|km)\b)", FLAGS)
_APOSTROPHE_PLURAL_RE = re.compile(r"(\d)'s\b", FLAGS)
_MIN_SEC_MARK_RE = re.compile(r"\b(\d{1,2})'\s*(\d{1,2})\"?", FLAGS)
_NUMBER_UNIT_HYPHEN_RE = re.compile(rf"({NUMBER})-(?=(?:{_DIST_UNIT}|{_TIME_UNIT})\b)", FLAGS)
_MSS_PACE_RE = re.compile(
    r"(?<![\d.:])(\d{1,2})\.([0-5]\d)(?=\s*(?:/|per\b|min/|min\s+per\b|a\s+(?:km|k|mi|mile)\b))",
    FLAGS,
)
# "@ 8.40" for 2 km reps: a time per rep or per unit written m.ss, as runners write clock times
# ("18.30"); not a distance ("@ 10.5 km").
_MSS_AFTER_AT_RE = re.compile(
    r"((?:@|\bat\b|\bin\b)\s*)(\d{1,2})\.([0-5]\d)(?![\d.:])"
    r"(?!\s*-?\s*(?:k|km|mi|miles?|m|meters?|metres?|kilomet\w*|marathon)\b)",
    FLAGS,
)
_HALF_MILE_RE = re.compile(r"\b(?:a\s+)?half[\s-]+mile\b", FLAGS)
_QUARTER_MILE_RE = re.compile(r"\b(?:a\s+)?quarter[\s-]+mile\b", FLAGS)
_SPACES_RE = re.compile(r"[ ]+")
# "4 x mile", "a mile @ T": one of the unit.
_BARE_UNIT_RE = re.compile(r"(\bx|\ba)\s*(mile|km|kilomet(?:er|re))\b", FLAGS)

AMOUNT_RE = re.compile(
    rf"""(?P<amount>
        (?P<clock>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)
      | (?P<hm>\d+)\s*h(?:rs?|ours?)?\s*(?P<hm_m>\d{{1,2}})(?:\s*(?:min|mins|minutes?|'))?(?![\w])
      | (?P<ms>\d+)\s*(?:min|mins|minutes?|')\s*(?P<ms_s>\d{{1,2}})\s*(?:s|secs?|seconds?|")?
        (?![\w])
      | (?P<num>{NUMBER})(?P<plural>s)?(?:\s*-?\s*(?P<unit>{_DIST_UNIT}|{_TIME_UNIT})(?![a-z]))?
    )""",
    FLAGS | re.VERBOSE,
)


def tidy(text: str) -> str:
    """What was typed, one line, single spaces: the text Pacer stores and reads back."""
    lines = (" ".join(line.translate(_CHAR_MAP).split()) for line in text.splitlines())
    return "; ".join(line for line in lines if line)


def normalise(text: str) -> str:
    """One spelling for number and unit forms (see the module docstring); lower case."""
    text = tidy(text).lower()
    text = _THOUSANDS_RE.sub("", text)
    text = _HALF_MILE_RE.sub("0.5 mile", text)
    text = _QUARTER_MILE_RE.sub("0.25 mile", text)
    text = _FRACTION_RE.sub(_fraction, text)
    text = _NUMBER_WORD_RE.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]), text)
    text = _APOSTROPHE_PLURAL_RE.sub(r"\1s", text)
    text = _BARE_UNIT_RE.sub(r"\1 1 \2", text)
    text = _MIN_SEC_MARK_RE.sub(lambda m: f"{m.group(1)}:{int(m.group(2)):02d}", text)
    text = _MSS_PACE_RE.sub(r"\1:\2", text)
    text = _MSS_AFTER_AT_RE.sub(r"\1\2:\3", text)
    text = _NUMBER_UNIT_HYPHEN_RE.sub(r"\1 ", text)
    return _SPACES_RE.sub(" ", text).strip()


def _fraction(match: re.Match[str]) -> str:
    whole = int(match.group(1) or 0)
    value = whole + int(match.group(2)) / int(match.group(3))
    return f"{value:g}"


def read_clock(text: str) -> float:
    """Seconds in "1:30", "2:00" or "1:05:00" (already matched as a clock)."""
    parts = [int(p) for p in text.split(":")]
    total = 0
    for part in parts:
        total = total * 60 + part
    return float(total)


def amount_of(match: re.Match[str], bare: str = "m") -> tuple[float | None, float | None] | None:
    """The (distance_m, seconds) an :data:`AMOUNT_RE` match stands for, or None.

    Args:
        match: a match of :data:`AMOUNT_RE`.
        bare: what a number without a unit is: "m" (metres), "s" (seconds) or "" (nothing).
    """
    if match.group("clock"):
        clock = match.group("clock")
        parts = clock.split(":")
        if any(int(p) >= 60 for p in parts[1:]):
            return None
        return None, read_clock(clock)
    if match.group("hm"):
        return None, int(match.group("hm")) * 3600.0 + int(match.group("hm_m")) * 60.0
    if match.group("ms"):
        return None, int(match.group("ms")) * 60.0 + int(match.group("ms_s"))
    number = float(match.group("num"))
    unit = (match.group("unit") or "").lower()
    if match.group("plural"):
        # "400s" is runners' plural of 400 m reps; seconds are written "400 sec".
        if unit or number < 100 or number % 50:
            if not unit and number < 100:
                return None, number
            return None
        return number, None
    if unit in DISTANCE_UNITS:
        return number * DISTANCE_UNITS[unit], None
    if unit in TIME_UNITS:
        return None, number * TIME_UNITS[unit]
    if bare == "m":
        return number, None
    if bare == "s":
        return None, number
    return None


def uses_miles(text: str) -> bool:
    """Whether the (normalised) text measures in miles or yards."""
    found = re.search(r"\d\s*(?:mi|mile|miles|miler|yd|yds|yards?)\b|\bmiles?\b", text, FLAGS)
    return found is not None
