"""Session calendar files: what a member's calendar app reads back from the .ics Pacer sends."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, Event, Timezone

from bot.services.calendar import MAX_SLUG_CHARS, CalendarEvent, ics_filename, session_ics

NEW_YORK = "America/New_York"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
AFTER_DST = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)
BEFORE_DST = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)
TRICKY_TEXT = "Track, lane 1; bring water\nand shoes 🏃"
FILENAME = re.compile(r"pacer-[a-z0-9]+(-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}\.ics")


def make_event(**changes: object) -> CalendarEvent:
    event = CalendarEvent(
        uid="session-42@pacer",
        title="Speed session",
        starts_at=AFTER_DST,
        duration_minutes=75,
        timezone=NEW_YORK,
        location="Riverside track",
        description="6 x 800 m at interval pace",
        url="https://discord.com/channels/1/2/3",
    )
    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]


def parse(ics: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(ics)
    events = calendar.events
    assert len(events) == 1
    return calendar, events[0]


def start_of(vevent: Event) -> datetime:
    start = vevent.start
    assert isinstance(start, datetime)
    return start


def end_of(vevent: Event) -> datetime:
    end = vevent.end
    assert isinstance(end, datetime)
    return end


def test_calendar_has_publish_headers() -> None:
    calendar, _ = parse(session_ics(make_event(), NOW))

    assert str(calendar["PRODID"]) == "-//Pacer//Running club sessions//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_event_carries_every_session_property() -> None:
    event = make_event(sequence=3)

    _, vevent = parse(session_ics(event, NOW))

    assert str(vevent["UID"]) == "session-42@pacer"
    stamp = vevent.DTSTAMP
    assert stamp == NOW
    assert start_of(vevent).astimezone(UTC) == AFTER_DST
    assert end_of(vevent) - start_of(vevent) == timedelta(minutes=75)
    assert str(vevent["SUMMARY"]) == "Speed session"
    assert str(vevent["LOCATION"]) == "Riverside track"
    assert str(vevent["DESCRIPTION"]) == "6 x 800 m at interval pace"
    assert str(vevent["URL"]) == "https://discord.com/channels/1/2/3"
    assert vevent["SEQUENCE"] == 3
    assert str(vevent["STATUS"]) == "CONFIRMED"


def test_dtstamp_is_written_in_utc_whatever_zone_now_is_in() -> None:
    now = datetime(2026, 3, 1, 7, 0, tzinfo=ZoneInfo(NEW_YORK))

    ics = session_ics(make_event(), now)

    assert b"DTSTAMP:20260301T120000Z\r\n" in ics
    stamp = parse(ics)[1].DTSTAMP
    assert stamp == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_event_without_url_has_no_url_property() -> None:
    _, vevent = parse(session_ics(make_event(url=None), NOW))

    assert "URL" not in vevent


def test_cancelled_session_has_status_cancelled() -> None:
    ics = session_ics(make_event(cancelled=True, sequence=1), NOW)

    _, vevent = parse(ics)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == 1
    assert b"STATUS:CANCELLED\r\n" in ics


@pytest.mark.parametrize(
    ("starts_at", "local_start"),
    [
        pytest.param(AFTER_DST, "20260310T183000", id="after-dst-starts"),
        pytest.param(BEFORE_DST, "20260303T183000", id="before-dst-starts"),
    ],
)
def test_start_is_local_wall_time_across_dst(starts_at: datetime, local_start: str) -> None:
    ics = session_ics(make_event(starts_at=starts_at, duration_minutes=60), NOW)

    _, vevent = parse(ics)
    assert vevent["DTSTART"].params["TZID"] == NEW_YORK
    assert vevent["DTEND"].params["TZID"] == NEW_YORK
    assert start_of(vevent).time() == time(18, 30)
    assert end_of(vevent).time() == time(19, 30)
    assert start_of(vevent).astimezone(UTC) == starts_at
    assert f"DTSTART;TZID={NEW_YORK}:{local_start}\r\n".encode() in ics


def test_vtimezone_for_the_session_zone_is_included() -> None:
    calendar, vevent = parse(session_ics(make_event(), NOW))

    timezones: list[Timezone] = calendar.timezones
    assert [tz.tz_name for tz in timezones] == [NEW_YORK]
    assert vevent["DTSTART"].params["TZID"] == timezones[0].tz_name
    assert calendar.get_missing_tzids() == set()
    # The VTIMEZONE alone must give the right offsets, for apps that ignore the IANA name.
    tz = timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2026, 3, 10, 18, 30, tzinfo=tz).astimezone(UTC) == AFTER_DST
    assert datetime(2026, 3, 3, 18, 30, tzinfo=tz).astimezone(UTC) == BEFORE_DST


def test_session_ending_next_year_resolves_in_both_years() -> None:
    starts_at = datetime(2026, 12, 31, 23, 0, tzinfo=ZoneInfo(NEW_YORK)).astimezone(UTC)

    ics = session_ics(make_event(starts_at=starts_at, duration_minutes=120), NOW)

    calendar, vevent = parse(ics)
    assert f"DTEND;TZID={NEW_YORK}:20270101T010000\r\n".encode() in ics
    # Resolve with the VTIMEZONE alone: its span must cover both years.
    tz = calendar.timezones[0].to_tz(lookup_tzid=False)
    assert start_of(vevent).replace(tzinfo=tz).astimezone(UTC) == starts_at
    assert end_of(vevent).replace(tzinfo=tz).astimezone(UTC) == starts_at + timedelta(hours=2)


@pytest.mark.parametrize(
    ("zone", "starts_at", "wall"),
    [
        ("Europe/London", datetime(2026, 7, 1, 17, 0, tzinfo=UTC), time(18, 0)),
        ("Australia/Sydney", datetime(2026, 7, 1, 8, 0, tzinfo=UTC), time(18, 0)),
        ("Australia/Sydney", datetime(2026, 1, 10, 7, 0, tzinfo=UTC), time(18, 0)),
    ],
)
def test_other_zones_keep_their_wall_time(zone: str, starts_at: datetime, wall: time) -> None:
    _, vevent = parse(session_ics(make_event(timezone=zone, starts_at=starts_at), NOW))

    assert vevent["DTSTART"].params["TZID"] == zone
    assert start_of(vevent).time() == wall


def test_reminder_alarm_fires_an_hour_before() -> None:
    _, vevent = parse(session_ics(make_event(), NOW))

    alarms = vevent.walk("VALARM")
    assert len(alarms) == 1
    alarm = alarms[0]
    assert isinstance(alarm, Alarm)
    assert alarm.ACTION == "DISPLAY"
    trigger = alarm.TRIGGER
    assert trigger == timedelta(hours=-1)
    assert str(alarm["DESCRIPTION"]) == "Reminder: Speed session"


def test_commas_semicolons_newlines_and_emoji_round_trip() -> None:
    event = make_event(title=TRICKY_TEXT, location=TRICKY_TEXT, description=TRICKY_TEXT)

    ics = session_ics(event, NOW)

    _, vevent = parse(ics)
    assert str(vevent["SUMMARY"]) == TRICKY_TEXT
    assert str(vevent["LOCATION"]) == TRICKY_TEXT
    assert str(vevent["DESCRIPTION"]) == TRICKY_TEXT
    assert b"Track\\, lane 1\\; bring water\\nand shoes " in ics


def test_long_text_is_folded_to_75_octets_and_round_trips() -> None:
    long_text = (TRICKY_TEXT + " é ") * 40

    ics = session_ics(make_event(title=long_text, description=long_text), NOW)

    lines = ics.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in ics.replace(b"\r\n", b"")
    ics.decode("utf-8")  # folding never splits a multi-byte character
    _, vevent = parse(ics)
    assert str(vevent["SUMMARY"]) == long_text
    assert str(vevent["DESCRIPTION"]) == long_text


def test_same_inputs_give_identical_bytes() -> None:
    assert session_ics(make_event(), NOW) == session_ics(make_event(), NOW)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="starts_at"):
        make_event(starts_at=datetime(2026, 3, 10, 22, 30))  # noqa: DTZ001
    with pytest.raises(ValueError, match="now"):
        session_ics(make_event(), datetime(2026, 3, 1, 12, 0))  # noqa: DTZ001


def test_non_positive_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="duration_minutes"):
        make_event(duration_minutes=0)


@pytest.mark.parametrize(
    ("title", "starts_at", "expected"),
    [
        ("Speed Session", AFTER_DST, "pacer-speed-session-2026-03-10.ics"),
        # 02:00Z on the 11th is still the evening of the 10th in New York.
        (
            "Speed Session",
            datetime(2026, 3, 11, 2, 0, tzinfo=UTC),
            "pacer-speed-session-2026-03-10.ics",
        ),
        ("Café Crème à l'Île", AFTER_DST, "pacer-cafe-creme-a-l-ile-2026-03-10.ics"),
        ("Tempo 🏃 Tuesday!!", AFTER_DST, "pacer-tempo-tuesday-2026-03-10.ics"),
        ("", AFTER_DST, "pacer-session-2026-03-10.ics"),
        ("🏃🏃", AFTER_DST, "pacer-session-2026-03-10.ics"),
        ("東京ラン", AFTER_DST, "pacer-session-2026-03-10.ics"),
        ("../../etc/passwd", AFTER_DST, "pacer-etc-passwd-2026-03-10.ics"),
        ("a/b\\c", AFTER_DST, "pacer-a-b-c-2026-03-10.ics"),
        ("  --Hill   Repeats--  ", AFTER_DST, "pacer-hill-repeats-2026-03-10.ics"),
    ],
)
def test_ics_filename_is_a_safe_slug(title: str, starts_at: datetime, expected: str) -> None:
    assert ics_filename(title, starts_at, NEW_YORK) == expected


def test_ics_filename_truncates_long_titles_without_trailing_hyphen() -> None:
    title = "Long run " * 20

    name = ics_filename(title, AFTER_DST, NEW_YORK)

    slug = name.removeprefix("pacer-").removesuffix("-2026-03-10.ics")
    assert len(slug) <= MAX_SLUG_CHARS
    assert slug.startswith("long-run-long-run")
    assert not slug.endswith("-")
    assert FILENAME.fullmatch(name)


def test_ics_filename_refuses_naive_start() -> None:
    with pytest.raises(ValueError, match="starts_at"):
        ics_filename("Speed", datetime(2026, 3, 10, 18, 30), NEW_YORK)  # noqa: DTZ001


@given(
    title=st.text(),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)
def test_ics_filename_is_always_safe(title: str, day: date) -> None:
    starts_at = datetime.combine(day, time(12), tzinfo=UTC)

    name = ics_filename(title, starts_at, NEW_YORK)

    assert FILENAME.fullmatch(name)
    assert len(name) <= len("pacer--2026-03-10.ics") + MAX_SLUG_CHARS


def test_utc_session_is_written_in_z_form_without_vtimezone() -> None:
    ics = session_ics(make_event(timezone="UTC"), NOW)

    calendar, vevent = parse(ics)
    assert b"DTSTART:20260310T223000Z\r\n" in ics
    assert calendar.timezones == []
    assert start_of(vevent) == AFTER_DST
