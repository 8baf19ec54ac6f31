"""Reading how long a session lasts: "90m", "1h30", "1h 30m", "2h", "45 min", "1:30".

Pure: no discord, no database, no clock.
"""

from __future__ import annotations

import re

from bot.errors import InvalidInput

#: Shortest and longest session Pacer accepts, in minutes (Discord's events need an end after
#: the start; a club session longer than a day is a mistake, not a run).
MIN_MINUTES = 10
MAX_MINUTES = 24 * 60
DEFAULT_MINUTES = 90
_EXAMPLE = "like 90m, 1h30 or 2h"

_UNITS = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
}
# "1h30", "1h 30m", "1 hour 30 minutes": hours, then optional minutes (unit optional).
_HOURS_MINUTES = re.compile(
    r"(?P<h>\d{1,4})\s*(?:h|hr|hrs|hour|hours)\s*(?:(?P<m>\d{1,2})\s*(?:m|min|mins|minute|minutes)?)?",
    re.ASCII,
)
# Digit counts are generous on purpose: "10080m" or "300h" is read, then refused (or accepted)
# by the caller's range check, which names the bounds, instead of "can't read".
_ONE_UNIT = re.compile(r"(?P<n>\d{1,6})\s*(?P<unit>[a-z]+)", re.ASCII)
_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>\d{2})", re.ASCII)


#: The longest "answers close before the start" Pacer accepts, in minutes (a week).
MAX_CLOSE_MINUTES = 7 * 24 * 60
_CLOSE_EXAMPLE = "like 2h, 30m or 1d (before the start), or 0 for at the start"
_DAYS = re.compile(r"(?P<n>\d{1,4})\s*(?:d|day|days)", re.ASCII)


def parse_close_lead(text: str, field: str = "rsvp-closes") -> int:
    """Read how long before a session's start its answers close.

    Accepts "0" (or "start": at the start), days ("1d", "2 days") and every length
    :func:`parse_duration` reads ("2h", "30m", "1h30").

    Returns:
        The lead in minutes, from 0 to :data:`MAX_CLOSE_MINUTES`.

    Raises:
        InvalidInput: naming ``field``, for unreadable text or a lead over a week; the message
            shows a valid example.
    """
    cleaned = " ".join(text.lower().split())
    if cleaned in ("0", "start", "at start", "at the start"):
        return 0
    if match := _DAYS.fullmatch(cleaned):
        minutes = int(match["n"]) * 24 * 60
    elif re.fullmatch(r"\d+", cleaned, re.ASCII):
        raise InvalidInput(f"{field}: {cleaned[:20]} needs a unit (m, h or d), {_CLOSE_EXAMPLE}.")
    else:
        try:
            minutes = _minutes(cleaned, field)
        except InvalidInput as exc:
            raise InvalidInput(
                f"{field}: can't read '{cleaned[:20]}' as a time before the start; use one "
                f"{_CLOSE_EXAMPLE}."
            ) from exc
    if minutes == 0:
        return 0  # "0m", "0h", "0d": zero in any unit is "at the start", like "0"
    if minutes > MAX_CLOSE_MINUTES:
        raise InvalidInput(
            f"{field}: answers can close at most 7 days before the start; use one {_CLOSE_EXAMPLE}."
        )
    return minutes


def parse_duration(text: str, field: str = "duration") -> int:
    """Read a session length typed by a member.

    Accepts minutes ("90m", "45 min"), hours ("2h", "1 hour"), hours and minutes ("1h30",
    "1h 30m", "1 hour 30 minutes") and a clock length ("1:30").

    Returns:
        The length in minutes, from :data:`MIN_MINUTES` to :data:`MAX_MINUTES`.

    Raises:
        InvalidInput: naming ``field``, for empty or unreadable text, a number without a unit, or
            a length outside the bounds; the message shows a valid example.
    """
    minutes = _minutes(" ".join(text.lower().split()), field)
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            f"{field}: {minutes} minutes is out of range; use {MIN_MINUTES} minutes to "
            f"{MAX_MINUTES // 60} hours, {_EXAMPLE}."
        )
    return minutes


def _minutes(cleaned: str, field: str) -> int:
    """A length in minutes, unbounded (callers bound it)."""
    if not cleaned:
        raise InvalidInput(f"{field}: this can't be empty; give a length, {_EXAMPLE}.")
    if len(cleaned) > 30:
        raise InvalidInput(f"{field}: that's too long to be a length; use one {_EXAMPLE}.")
    minutes: int | None = None
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        extra = int(match["m"]) if match["m"] else 0
        if extra >= 60:
            raise InvalidInput(f"{field}: {extra} minutes past the hour doesn't fit; {_EXAMPLE}.")
        minutes = int(match["h"]) * 60 + extra
    elif match := _CLOCK.fullmatch(cleaned):
        if int(match["m"]) >= 60:
            raise InvalidInput(f"{field}: {cleaned} isn't a length; {_EXAMPLE}.")
        minutes = int(match["h"]) * 60 + int(match["m"])
    elif (match := _ONE_UNIT.fullmatch(cleaned)) and match["unit"] in _UNITS:
        minutes = int(match["n"]) * _UNITS[match["unit"]]
    elif re.fullmatch(r"\d+", cleaned, re.ASCII):
        raise InvalidInput(f"{field}: {cleaned} needs a unit (m or h), {_EXAMPLE}.")
    if minutes is None:
        shown = cleaned if len(cleaned) <= 20 else cleaned[:19] + "…"
        raise InvalidInput(f"{field}: can't read '{shown}' as a length; use one {_EXAMPLE}.")
    return minutes
