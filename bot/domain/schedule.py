"""Dates, times of day, time zones, weekly series and delivery timing. Pure, no I/O.

Nothing here reads the clock: ``now`` and ``today`` are always parameters. Every instant going in
or out is an aware UTC datetime; local dates and wall-clock times are read in a server's IANA time
zone. Parsers raise :class:`~bot.errors.InvalidInput` whose message names the option, says what
was wrong and shows a valid example; nothing else escapes them, whatever the text. Autocomplete
helpers never raise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.parsing import MAX_TEXT_LENGTH
from bot.errors import InvalidInput

#: Sessions are scheduled within these years; outside them a date is a typo.
MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_WEEKS = 52
MIN_OFFSET_S = 5 * 60
MAX_OFFSET_S = 7 * 86400
MAX_OFFSETS = 5
#: How far ahead ``date_suggestions`` offers dates.
SUGGESTION_DAYS = 28
#: Discord caps autocomplete choices at 25, and a choice's name and value at 100 characters.
MAX_CHOICES = 25

#: Offered first when the timezone option is still empty.
COMMON_ZONES: tuple[str, ...] = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Tokyo",
    "UTC",
    "America/Phoenix",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/Dublin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Melbourne",
    "Pacific/Auckland",
)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Names in the zone database that are not places: the host's own zone and placeholders.
_NOT_ZONES = frozenset({"localtime", "factory", "posixrules"})
_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)

_DATE_EXAMPLE = "use YYYY-MM-DD, like 2026-03-10"
_CLOCK_EXAMPLE = "use 24-hour 18:30 or 6:30pm"
_ZONE_EXAMPLE = "use an IANA name like America/New_York or Europe/London"
_OFFSETS_EXAMPLE = "like 24h,1h,15m"

# re.ASCII keeps \d to 0-9: int() would happily read Arabic-Indic or full-width digits.
_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_CLOCK_24_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$", re.ASCII)
_CLOCK_12_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?$", re.ASCII)
_OFFSET_PART = r"\d+\s*[a-z]+"
_OFFSET_ITEM_RE = re.compile(rf"{_OFFSET_PART}(?:{_OFFSET_PART})*", re.ASCII)
_OFFSET_PART_RE = re.compile(r"(\d+)\s*([a-z]+)", re.ASCII)
_OFFSET_SEPARATORS = frozenset(" ,;")
_OFFSET_UNITS_S = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 7 * 86400,
    "wk": 7 * 86400,
    "week": 7 * 86400,
    "weeks": 7 * 86400,
}
_NO_OFFSETS = frozenset({"none", "off", "no", "no reminders"})


def _clean(text: str, field: str, example: str) -> str:
    cleaned = " ".join(text.split()).strip()
    if not cleaned:
        raise InvalidInput(f"{field}: this can't be empty: {example}.")
    if len(cleaned) > MAX_TEXT_LENGTH:
        noun = "list of lead times" if field == "offsets" else field
        raise InvalidInput(f"{field}: that's too long to be a {noun}: {example}.")
    return cleaned


def _quote(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return "'" + shown.replace("`", "'").replace("@", "@\u200b") + "'"


def format_date(day: date) -> str:
    """Show a date the way Pacer writes it in text: "Tue 10 Mar 2026" (English, any locale)."""
    return f"{_WEEKDAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def format_local(instant: datetime, zone: ZoneInfo) -> str:
    """Show an instant as wall-clock time in ``zone``: "Tue 10 Mar 2026, 18:30".

    Use this only where Discord timestamps (``<t:UNIX:F>``) can't be: autocomplete labels, CSV.

    Raises:
        ValueError: if ``instant`` is naive.
    """
    _require_aware(instant, "instant")
    local = instant.astimezone(zone)
    return f"{format_date(local.date())}, {local:%H:%M}"


def format_in_zone(instant: datetime, zone: ZoneInfo) -> str:
    """An instant in words with its zone, so a slip of zone shows: "Tue 20 Jan 2026 19:00
    Europe/London". Replies that set a time give this beside the Discord timestamp.

    Raises:
        ValueError: if ``instant`` is naive.
    """
    _require_aware(instant, "instant")
    local = instant.astimezone(zone)
    return f"{format_date(local.date())} {local:%H:%M} {zone.key or zone}"


def parse_date(text: str) -> date:
    """Read a calendar date typed as YYYY-MM-DD ("2026-03-10", also "2026-3-9").

    Args:
        text: what the member typed.

    Returns:
        The date (no time zone: it is read in the server's zone later).

    Raises:
        InvalidInput: if the text is empty, too long or not YYYY-MM-DD, if the date doesn't exist
            (2026-02-30), or if its year is outside 2000 to 2100.
    """
    cleaned = _clean(text, "date", _DATE_EXAMPLE)
    match = _DATE_RE.match(cleaned)
    if match is None:
        raise InvalidInput(f"date: {_quote(cleaned)} isn't a date: {_DATE_EXAMPLE}.")
    year, month, day = (int(part) for part in match.groups())
    shown = f"{year:04d}-{month:02d}-{day:02d}"
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(
            f"date: {shown} is too far away: use a year from {MIN_YEAR} to {MAX_YEAR}, "
            "like 2026-03-10."
        )
    if not 1 <= month <= 12:
        raise InvalidInput(
            f"date: {shown} doesn't exist: months go from 01 to 12. "
            "Use YYYY-MM-DD, like 2026-03-10."
        )
    try:
        return date(year, month, day)
    except ValueError:
        first_of_next = date(year + month // 12, month % 12 + 1, 1)
        days_in_month = (first_of_next - timedelta(days=1)).day
        raise InvalidInput(
            f"date: {shown} doesn't exist: {_MONTHS[month - 1]} {year} has {days_in_month} days. "
            f"Use YYYY-MM-DD, like {year:04d}-{month:02d}-{days_in_month:02d}."
        ) from None


def parse_clock(text: str) -> time:
    """Read a time of day: "18:30", "06:30", "18.30", "6:30pm", "6:30 p.m.", "6 pm", "noon".

    Without am/pm the hour is 24-hour, so "6:30" is 06:30 in the morning. With am/pm the hour goes
    from 1 to 12: "12:30am" is 00:30 and "12pm" is noon.

    Args:
        text: what the member typed.

    Returns:
        A naive time of day, to the minute (read in the server's zone later).

    Raises:
        InvalidInput: if the text is empty, too long or not a time of day, including "24:00",
            "13pm" and "0:30am".
    """
    cleaned = _clean(text, "time", _CLOCK_EXAMPLE).lower()
    wrong = f"time: {_quote(cleaned)} isn't a time of day: {_CLOCK_EXAMPLE}."
    if cleaned == "noon":
        return time(12, 0)
    match24 = _CLOCK_24_RE.match(cleaned)
    if match24 is not None:
        hour, minute = int(match24.group(1)), int(match24.group(2))
        if hour > 23:
            raise InvalidInput(
                f"time: {_quote(cleaned)} isn't a time of day: hours go from 00 to 23; "
                f"{_CLOCK_EXAMPLE}."
            )
        if minute > 59:
            raise InvalidInput(wrong)
        return time(hour, minute)
    match12 = _CLOCK_12_RE.match(cleaned)
    if match12 is None:
        raise InvalidInput(wrong)
    hour_text, minute_text, half = match12.groups()
    hour, minute = int(hour_text), int(minute_text or "0")
    if not 1 <= hour <= 12:
        raise InvalidInput(
            f"time: {_quote(cleaned)} isn't a time of day: with am or pm the hour goes from "
            f"1 to 12, like 6:30pm or 12:15am; or use 24-hour 18:30."
        )
    if minute > 59:
        raise InvalidInput(wrong)
    return time(hour % 12 + (12 if half == "p" else 0), minute)


@cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name this host knows, keyed by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones() if name.lower() not in _NOT_ZONES}


@cache
def _zone_parts() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """``(lower-case name, name, lower-case name parts)`` for ranking suggestions."""
    return tuple(
        (lowered, name, tuple(re.split(r"[/_\-]", lowered)))
        for lowered, name in sorted(_zone_names().items())
    )


def _zone_key(text: str) -> str:
    return "_".join(text.split()).lower()


def get_zone(name: str) -> ZoneInfo:
    """Find an IANA time zone by name, ignoring case ("america/new_york", "Europe/London").

    Spaces may stand for underscores ("America/New York").

    Raises:
        InvalidInput: if the name is empty, too long or not a zone in the IANA database.
    """
    cleaned = _clean(name, "timezone", _ZONE_EXAMPLE)
    canonical = _zone_names().get(_zone_key(cleaned))
    unknown = f"timezone: {_quote(cleaned)} isn't a time zone I know: {_ZONE_EXAMPLE}."
    if canonical is None:
        raise InvalidInput(unknown)
    try:
        return ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(unknown) from None


def timezone_suggestions(current: str, limit: int = MAX_CHOICES) -> list[str]:
    """Zone names for autocomplete. Never raises.

    Empty input gives :data:`COMMON_ZONES`. Otherwise every zone containing ``current`` (ignoring
    case; spaces match underscores), best first: exact name, then a name or name part starting
    with it ("york" -> America/New_York, "lond" -> Europe/London), then other matches; within
    each, common zones, then Area/City names, then legacy aliases (US/Eastern, EST5EDT).
    """
    limit = max(0, limit)
    needle = _zone_key(current[: MAX_TEXT_LENGTH * 2])[:MAX_TEXT_LENGTH]
    if not needle:
        return list(COMMON_ZONES[:limit])
    common = {name: index for index, name in enumerate(COMMON_ZONES)}
    ranked: list[tuple[int, int, int, str]] = []
    for lowered, name, parts in _zone_parts():
        if needle not in lowered:
            continue
        if lowered == needle:
            match_rank = 0
        elif lowered.startswith(needle) or any(part.startswith(needle) for part in parts):
            match_rank = 1
        else:
            match_rank = 2
        legacy = 0 if name == "UTC" or name.startswith(_AREAS) else 1
        ranked.append((match_rank, common.get(name, len(COMMON_ZONES)), legacy, name))
    ranked.sort()
    return [name for *_, name in ranked[:limit]]


def _require_aware(instant: datetime, name: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {instant!r}")


def _transition(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant in (before, after] where ``zone``'s offset changes, to the second."""
    low_offset = before.astimezone(zone).utcoffset()
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        middle = middle.replace(microsecond=0)
        if middle <= before:
            middle = before + timedelta(seconds=1)
        if middle.astimezone(zone).utcoffset() == low_offset:
            before = middle
        else:
            after = middle
    return after


def _gap_text(start: datetime, end: datetime) -> str:
    if start.date() == end.date():
        return f"{start:%H:%M}-{end:%H:%M}"
    return (
        f"{start:%H:%M} on {format_date(start.date())} to {end:%H:%M} on {format_date(end.date())}"
    )


def to_utc(local_date: date, clock: time, zone: ZoneInfo) -> datetime:
    """The instant a wall-clock time on a date in ``zone`` happens, as an aware UTC datetime.

    A wall time that happens twice (clocks fall back) means the first of the two. Any tzinfo or
    fold on ``clock`` is ignored.

    Raises:
        InvalidInput: if the wall time doesn't exist because clocks spring forward over it (the
            message names the missing hours), or the date's year is outside 2000 to 2100.
    """
    if not MIN_YEAR <= local_date.year <= MAX_YEAR:
        raise InvalidInput(
            f"date: {local_date.isoformat()} is too far away: use a year from {MIN_YEAR} to "
            f"{MAX_YEAR}, like 2026-03-10."
        )
    wall = datetime.combine(local_date, clock.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=zone).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap, fold=0 reads the wall time with the old offset and fold=1 with the new one; the
    # two readings straddle the transition, which bounds the missing wall-clock window.
    other = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    before, after = min(first, other), max(first, other)
    switch = _transition(before, after, zone)
    old_offset = before.astimezone(zone).utcoffset() or timedelta(0)
    gap_start = (switch + old_offset).replace(tzinfo=None)
    gap_end = switch.astimezone(zone).replace(tzinfo=None)
    zone_name = zone.key or str(zone)
    raise InvalidInput(
        f"time: {wall:%H:%M} on {format_date(local_date)} doesn't exist in {zone_name} "
        f"(clocks spring forward that night). Pick a time outside {_gap_text(gap_start, gap_end)}."
    )


def weekly_starts(first: date, clock: time, zone: ZoneInfo, weeks: int) -> list[datetime]:
    """UTC start instants of a weekly series that keeps its wall-clock time across DST.

    A Tuesday 18:30 series stays 18:30 local every week, so its UTC time shifts when the clocks
    change.

    Args:
        first: the local date of the first session.
        clock: the local wall-clock start time.
        zone: the server's time zone.
        weeks: how many weekly sessions, 1 to 52.

    Raises:
        InvalidInput: if ``weeks`` is outside 1 to 52, or (as :func:`to_utc`) if any session's
            start falls in a spring-forward gap or outside the years 2000 to 2100.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput(f"weeks: use 1 to {MAX_WEEKS} weekly sessions, like 6.")
    if not MIN_YEAR <= first.year <= MAX_YEAR:
        return [to_utc(first, clock, zone)]  # raises the out-of-range date error
    return [to_utc(first + timedelta(weeks=week), clock, zone) for week in range(weeks)]


def _offsets_error(detail: str) -> InvalidInput:
    return InvalidInput(f"offsets: {detail}: use lead times {_OFFSETS_EXAMPLE}, or none.")


def parse_offsets(text: str) -> tuple[int, ...]:
    """Read reminder lead times: "24h,1h", "24h 1h 15m", "1d", "90m", "2h30m", "30 min", "2 days".

    Lead times are separated by commas or spaces, so "2h 30m" is two reminders and "2h30m" is one.
    Units are m/min, h/hr/hour, d/day, w/week (and s) in whole numbers. "none" or "off" turns
    reminders off.

    Returns:
        Unique lead times in seconds, longest first; ``()`` for none.

    Raises:
        InvalidInput: if the text is empty or too long, has a number without a unit or an unknown
            unit, a lead time shorter than 5 minutes or longer than 7 days, or more than 5 lead
            times.
    """
    cleaned = _clean(text, "offsets", f"use lead times {_OFFSETS_EXAMPLE}, or none").lower()
    if cleaned in _NO_OFFSETS:
        return ()
    found: set[int] = set()
    position = 0
    while position < len(cleaned):
        if cleaned[position] in _OFFSET_SEPARATORS:
            position += 1
            continue
        match = _OFFSET_ITEM_RE.match(cleaned, position)
        end = match.end() if match else position
        if match is None or (end < len(cleaned) and cleaned[end] not in _OFFSET_SEPARATORS):
            word = re.split(r"[ ,;]", cleaned[position:], maxsplit=1)[0]
            if re.fullmatch(r"\d+", word, re.ASCII):
                raise _offsets_error(f"{_quote(word)} needs a unit (m, h or d)")
            if re.fullmatch(r"\d*[.]\d+\s*[a-z]*", word, re.ASCII):
                raise _offsets_error(f"{_quote(word)} isn't a whole number, write 1h30m not 1.5h")
            raise _offsets_error(f"{_quote(word)} isn't a lead time")
        item = match.group(0)
        seconds = 0
        for number, unit in _OFFSET_PART_RE.findall(item):
            if unit not in _OFFSET_UNITS_S:
                raise _offsets_error(f"I don't know the unit {_quote(unit)} in {_quote(item)}")
            seconds += int(number) * _OFFSET_UNITS_S[unit]
        if seconds < MIN_OFFSET_S:
            raise _offsets_error(f"{_quote(item)} is too close to the start, the least is 5m")
        if seconds > MAX_OFFSET_S:
            raise _offsets_error(f"{_quote(item)} is too far ahead, the most is 7d")
        found.add(seconds)
        if len(found) > MAX_OFFSETS:
            raise _offsets_error(f"that's more than {MAX_OFFSETS} reminders")
        position = end
    if not found:
        raise _offsets_error(f"{_quote(cleaned)} has no lead times")
    return tuple(sorted(found, reverse=True))


def format_offset(seconds: int) -> str:
    """Show a lead time compactly: "15m", "1h", "1h30m", "24h", "36h", "2d", "7d".

    Whole days are shown as days from 2 days up; shorter or uneven ones as hours and minutes
    (and seconds if any). ``parse_offsets(format_offset(x)) == (x,)`` for every valid lead time.
    """
    if seconds < 0:
        return "-" + format_offset(-seconds)
    if seconds >= 2 * 86400 and seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts) or "0m"


@dataclass(frozen=True, slots=True)
class DeliveryPlan:
    """When a session's announcement and reminders are due (aware UTC).

    Attributes:
        announce_due: when to post the announcement; equal to ``now`` means post at once.
        reminders: ``(offset seconds, due)`` pairs, earliest due first (longest lead first).
        close_due: when answers close and the announcement is redrawn so: the start.
    """

    announce_due: datetime
    reminders: tuple[tuple[int, datetime], ...]
    close_due: datetime


def plan_deliveries(
    starts_at: datetime,
    now: datetime,
    offsets: Sequence[int],
    announce_days: int,
    zone: ZoneInfo | None = None,
) -> DeliveryPlan:
    """Plan when a session is announced, reminded and closed to answers (at its start).

    The announcement is due ``announce_days`` days before the start; 0 means on the day, at
    midnight in ``zone`` (UTC if None; a session at 00:00 is announced at the midnight before,
    so it is announced before it starts), never "at once": a weekly series is announced one
    occurrence a week, and only those already inside the window go out together (at most
    ``announce_days // 7 + 1`` of one series). It is never after the earliest reminder kept
    (a reminder must not arrive before its announcement; when both fall at the same instant,
    send the announcement first), and never before ``now`` (if it is already that close, it is
    posted at once). Reminders whose due time is not after ``now`` are
    dropped: they were already past when the session was created.

    Args:
        starts_at: the session's start (aware).
        now: the current instant (aware).
        offsets: reminder lead times in seconds (duplicates are merged).
        announce_days: how many days ahead to announce.

    Raises:
        ValueError: if ``starts_at`` is not after ``now``, a datetime is naive, an offset is not
            positive or ``announce_days`` is negative. Callers check these first.
    """
    _require_aware(starts_at, "starts_at")
    _require_aware(now, "now")
    if starts_at <= now:
        raise ValueError(f"session starts at {starts_at.isoformat()}, not after {now.isoformat()}")
    if announce_days < 0:
        raise ValueError(f"announce_days must not be negative, got {announce_days}")
    if any(offset <= 0 for offset in offsets):
        raise ValueError(f"reminder offsets must be positive, got {list(offsets)}")
    starts_at, now = starts_at.astimezone(UTC), now.astimezone(UTC)
    reminders = tuple(
        (offset, starts_at - timedelta(seconds=offset))
        for offset in sorted(set(offsets), reverse=True)
        if starts_at - timedelta(seconds=offset) > now
    )
    if announce_days == 0:
        # The day of the last moment before the start: a session at 00:00 is announced at the
        # midnight before, never at its own start (which would be too late to post at all).
        last_moment = starts_at - timedelta(microseconds=1)
        local_day = last_moment.astimezone(zone or UTC).date()
        wanted = datetime.combine(local_day, time(0), tzinfo=zone or UTC).astimezone(UTC)
    else:
        wanted = starts_at - timedelta(days=announce_days)
    announce_due = max(now, wanted)
    if reminders:
        announce_due = min(announce_due, reminders[0][1])
    return DeliveryPlan(announce_due=announce_due, reminders=reminders, close_due=starts_at)


def upcoming_dates(today: date, count: int = 14) -> list[date]:
    """``count`` consecutive dates starting with ``today`` (fewer only at the calendar's end)."""
    count = min(max(0, count), (date.max - today).days + 1)
    return [today + timedelta(days=day) for day in range(count)]


def _relative(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return "past"


def date_suggestions(current: str, today: date, limit: int = MAX_CHOICES) -> list[tuple[str, str]]:
    """Dates for autocomplete as ``(label, value)``: ("Tue 10 Mar 2026 (in 2 days)", "2026-03-10").

    Offers the next 28 days from ``today``. Each word typed must match: a prefix of the
    YYYY-MM-DD value, or part of the weekday or month name ("tue", "march"), the day number,
    "today" or "tomorrow"; a leading "next" is ignored. A complete date typed further ahead is
    offered too. Never raises.
    """
    limit = max(0, limit)
    words = " ".join(current.lower().split())[:MAX_TEXT_LENGTH].split()
    if words[:1] == ["next"]:
        words = words[1:]
    found: list[tuple[str, str]] = []
    typed: date | None = None
    try:
        typed = parse_date(current)
    except InvalidInput:
        typed = None
    for day in upcoming_dates(today, SUGGESTION_DAYS):
        value = day.isoformat()
        relative = _relative(day, today)
        label = f"{format_date(day)} ({relative})"
        haystack = " ".join(
            (label.lower(), _WEEKDAYS[day.weekday()].lower(), _MONTHS[day.month - 1].lower())
        )
        if typed == day or all(value.startswith(w) or w in haystack for w in words):
            found.append((label, value))
    if typed is not None and typed >= today and typed.isoformat() not in {v for _, v in found}:
        found.insert(0, (f"{format_date(typed)} ({_relative(typed, today)})", typed.isoformat()))
    return found[:limit]
