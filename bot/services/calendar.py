"""Calendar files for sessions: an RFC 5545 ``.ics`` a member can add to their own calendar.

Pure (no database, no clock): the caller passes ``now`` so the output is deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from icalendar.enums import STATUS

PRODID = "-//Pacer//Running club sessions//EN"
REMINDER_BEFORE = timedelta(hours=1)
MAX_SLUG_CHARS = 60
FALLBACK_SLUG = "session"

_NON_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """What a calendar file says about one session.

    Attributes:
        uid: Stable across updates, so a re-imported file replaces the old entry.
        starts_at: Aware UTC instant the session starts.
        timezone: IANA zone the session is held in, e.g. ``"America/New_York"``.
        sequence: Bumped on every change so calendar apps accept the newer copy.
    """

    uid: str
    title: str
    starts_at: datetime
    duration_minutes: int
    timezone: str
    location: str
    description: str
    url: str | None
    cancelled: bool = False
    sequence: int = 0

    def __post_init__(self) -> None:
        _require_aware(self.starts_at, "starts_at")
        if self.duration_minutes <= 0:
            raise ValueError(f"duration_minutes must be positive, got {self.duration_minutes}")
        if self.sequence < 0:
            raise ValueError(f"sequence must not be negative, got {self.sequence}")


def session_ics(event: CalendarEvent, now: datetime) -> bytes:
    """Render one session as a complete ``VCALENDAR`` (``METHOD:PUBLISH``).

    Start and end are written as wall time with a ``TZID`` and a matching ``VTIMEZONE``, so
    calendar apps show the club's local time and follow its DST rules. The file carries a
    display reminder an hour before the start.

    Args:
        event: The session to describe.
        now: Aware current instant, written as ``DTSTAMP``.

    Returns:
        The calendar as CRLF-delimited, folded UTF-8 bytes; equal inputs give equal bytes.

    Raises:
        ValueError: If ``now`` is naive.
        zoneinfo.ZoneInfoNotFoundError: If ``event.timezone`` is not a known IANA zone.
    """
    _require_aware(now, "now")
    vevent, start, end = _vevent(event, now)
    calendar = _calendar()
    calendar.add_component(vevent)
    # The default span (1970-2038) lists every transition for decades; the event's own years
    # are enough for the wall time to resolve and keep the file small.
    calendar.add_missing_timezones(
        first_date=date(start.year, 1, 1), last_date=date(end.year + 1, 1, 1)
    )
    ics: bytes = calendar.to_ical()
    return ics


def feed_ics(events: list[CalendarEvent], now: datetime, name: str) -> bytes:
    """Render many sessions as one subscribable ``VCALENDAR`` (a calendar feed).

    Each session keeps its uid, so a calendar app that polls the feed updates an edited session
    in place, and marks a cancelled one (``STATUS:CANCELLED``) instead of losing track of it.

    Args:
        events: The sessions, any order.
        now: Aware current instant, written as ``DTSTAMP``.
        name: The calendar's name as apps show it (``X-WR-CALNAME``).

    Raises:
        ValueError: If ``now`` is naive.
    """
    _require_aware(now, "now")
    calendar = _calendar()
    calendar.add("X-WR-CALNAME", name)
    years: list[int] = []
    for event in events:
        vevent, start, end = _vevent(event, now)
        calendar.add_component(vevent)
        years += [start.year, end.year]
    if years:
        calendar.add_missing_timezones(
            first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1)
        )
    ics: bytes = calendar.to_ical()
    return ics


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.calscale = "GREGORIAN"
    calendar.method = "PUBLISH"
    return calendar


def _vevent(event: CalendarEvent, now: datetime) -> tuple[Event, datetime, datetime]:
    zone = ZoneInfo(event.timezone)
    start = event.starts_at.astimezone(zone)
    end = (event.starts_at + timedelta(minutes=event.duration_minutes)).astimezone(zone)

    vevent = Event.new(
        uid=event.uid,
        stamp=now,
        start=start,
        end=end,
        summary=event.title,
        location=event.location,
        description=event.description,
        url=event.url,
        sequence=event.sequence,
        status=STATUS.CANCELLED if event.cancelled else STATUS.CONFIRMED,
    )
    vevent.add_component(
        Alarm.new_display(description=f"Reminder: {event.title}", trigger=-REMINDER_BEFORE)
    )
    return vevent, start, end


def ics_filename(title: str, starts_at: datetime, timezone: str) -> str:
    """A safe download name such as ``pacer-speed-session-2026-03-10.ics``.

    The slug is lowercase ASCII (accents folded, everything else a hyphen), at most
    ``MAX_SLUG_CHARS`` long and never empty; the date is the session's local date.

    Raises:
        ValueError: If ``starts_at`` is naive.
        zoneinfo.ZoneInfoNotFoundError: If ``timezone`` is not a known IANA zone.
    """
    _require_aware(starts_at, "starts_at")
    local_date = starts_at.astimezone(ZoneInfo(timezone)).date()
    return f"pacer-{_slug(title)}-{local_date.isoformat()}.ics"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    return slug or FALLBACK_SLUG


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
