"""Dates, times of day, zones, weekly series across DST, reminder lead times and delivery timing."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.schedule import (
    COMMON_ZONES,
    MAX_OFFSET_S,
    MIN_OFFSET_S,
    DeliveryPlan,
    date_suggestions,
    format_date,
    format_local,
    format_offset,
    get_zone,
    parse_clock,
    parse_date,
    parse_offsets,
    plan_deliveries,
    timezone_suggestions,
    to_utc,
    upcoming_dates,
    weekly_starts,
)
from bot.errors import InvalidInput, UserError

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
HOUR = 3600
DAY = 86400


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-10", date(2026, 3, 10)),
        ("  2026-03-10  ", date(2026, 3, 10)),
        ("2026-3-9", date(2026, 3, 9)),
        ("2026-03-9", date(2026, 3, 9)),
        ("2026-12-31", date(2026, 12, 31)),
        ("2028-02-29", date(2028, 2, 29)),
        ("2000-01-01", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("2026-01-01", date(2026, 1, 1)),
        ("\t2026-07-04\n", date(2026, 7, 4)),
    ],
)
def test_date_reads_yyyy_mm_dd(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "can't be empty"),
        ("   ", "can't be empty"),
        ("tomorrow", "isn't a date"),
        ("10/03/2026", "isn't a date"),
        ("2026/03/10", "isn't a date"),
        ("26-03-10", "isn't a date"),
        ("2026-03", "isn't a date"),
        ("2026-03-10T18:30", "isn't a date"),
        ("２０２６-03-10", "isn't a date"),
        ("٢٠٢٦-03-10", "isn't a date"),
        ("2026-02-30", "2026-02-30 doesn't exist: February 2026 has 28 days"),
        ("2027-02-29", "doesn't exist: February 2027 has 28 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-13-01", "doesn't exist: months go from 01 to 12"),
        ("2026-00-10", "doesn't exist"),
        ("2026-03-00", "doesn't exist"),
        ("1999-12-31", "too far away"),
        ("9999-12-31", "too far away"),
        ("2" * 150, "too long"),
    ],
)
def test_bad_dates_name_the_field_and_show_an_example(text: str, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_date(text)
    assert raised.value.message.startswith("date:")
    assert why in raised.value.message
    assert "like 2" in raised.value.message


def test_not_a_date_message_quotes_the_text() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_date("next tuesday")
    assert raised.value.message == (
        "date: 'next tuesday' isn't a date: use YYYY-MM-DD, like 2026-03-10."
    )


# -- times of day ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:30", time(18, 30)),
        ("06:30", time(6, 30)),
        ("6:30", time(6, 30)),
        ("18.30", time(18, 30)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("6:30pm", time(18, 30)),
        ("6:30 pm", time(18, 30)),
        ("6:30 PM", time(18, 30)),
        ("6:30 p.m.", time(18, 30)),
        ("6 pm", time(18, 0)),
        ("6pm", time(18, 0)),
        ("6am", time(6, 0)),
        ("11:59pm", time(23, 59)),
        ("12pm", time(12, 0)),
        ("12:30pm", time(12, 30)),
        ("12am", time(0, 0)),
        ("12:30am", time(0, 30)),
        ("noon", time(12, 0)),
        (" Noon ", time(12, 0)),
    ],
)
def test_clock_reads_24_hour_and_am_pm(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "can't be empty"),
        ("25:00", "hours go from 00 to 23"),
        ("24:00", "hours go from 00 to 23"),
        ("18:60", "isn't a time of day"),
        ("13pm", "from 1 to 12"),
        ("0am", "from 1 to 12"),
        ("0:30am", "from 1 to 12"),
        ("18", "isn't a time of day"),
        ("6:3", "isn't a time of day"),
        ("6:300", "isn't a time of day"),
        ("evening", "isn't a time of day"),
        ("-6:30", "isn't a time of day"),
        ("6:30 xm", "isn't a time of day"),
        ("１８:３０", "isn't a time of day"),
        ("1" * 150, "too long"),
    ],
)
def test_bad_clocks_name_the_field_and_show_an_example(text: str, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_clock(text)
    assert raised.value.message.startswith("time:")
    assert why in raised.value.message
    assert "18:30" in raised.value.message or "6:30pm" in raised.value.message


def test_bad_clock_message_matches_the_house_style() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_clock("evening")
    assert raised.value.message == (
        "time: 'evening' isn't a time of day: use 24-hour 18:30 or 6:30pm."
    )


# -- time zones --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("America/New_York", "America/New_York"),
        ("america/new_york", "America/New_York"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("America/New York", "America/New_York"),
        (" Europe/London ", "Europe/London"),
        ("utc", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("Etc/GMT+5", "Etc/GMT+5"),
    ],
)
def test_zone_matches_iana_names_ignoring_case(text: str, key: str) -> None:
    assert get_zone(text).key == key


@pytest.mark.parametrize(
    "text",
    [
        "Mars/Base",
        "",
        "New York",
        "../../etc/passwd",
        "/etc/localtime",
        "localtime",
        "America/New_York\x00",
        "\x00",
        "EST\n5",
        "a" * 500,
    ],
)
def test_unknown_zones_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        get_zone(text)
    assert raised.value.message.startswith("timezone:")
    assert "America/New_York" in raised.value.message


def test_unknown_zone_message_matches_the_house_style() -> None:
    with pytest.raises(InvalidInput) as raised:
        get_zone("Mars/Base")
    assert raised.value.message == (
        "timezone: 'Mars/Base' isn't a time zone I know: use an IANA name like "
        "America/New_York or Europe/London."
    )


def test_empty_zone_search_offers_common_zones_first() -> None:
    suggestions = timezone_suggestions("")
    assert suggestions[:10] == [
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
    ]
    assert len(suggestions) <= 25
    for name in COMMON_ZONES:
        assert get_zone(name).key == name


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("york", "America/New_York"),
        ("new y", "America/New_York"),
        ("lond", "Europe/London"),
        ("LOND", "Europe/London"),
        ("chic", "America/Chicago"),
        ("utc", "UTC"),
        ("europe/lon", "Europe/London"),
        ("tokyo", "Asia/Tokyo"),
        ("america/", "America/New_York"),
    ],
)
def test_zone_search_puts_prefix_and_segment_matches_first(typed: str, first: str) -> None:
    assert timezone_suggestions(typed)[0] == first


def test_zone_search_finds_substrings_and_respects_the_limit() -> None:
    assert "America/Indiana/Indianapolis" in timezone_suggestions("ndianap")
    assert len(timezone_suggestions("a", limit=5)) == 5
    assert timezone_suggestions("a", limit=0) == []
    assert timezone_suggestions("zzzz-nowhere") == []


def test_zone_search_prefers_area_names_over_legacy_aliases() -> None:
    names = timezone_suggestions("pacific", limit=100)
    assert names[:2] == ["Pacific/Honolulu", "Pacific/Auckland"]
    assert "US/Pacific" in names
    assert names == sorted(names, key=lambda name: not name.startswith("Pacific/"))


# -- local wall time to UTC --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "clock", "zone", "expected"),
    [
        # America/New_York springs forward at 02:00 on Sun 8 Mar 2026 (EST -5 -> EDT -4).
        (date(2026, 3, 8), time(1, 59), NEW_YORK, utc(2026, 3, 8, 6, 59)),
        (date(2026, 3, 8), time(3, 0), NEW_YORK, utc(2026, 3, 8, 7, 0)),
        (date(2026, 3, 7), time(18, 30), NEW_YORK, utc(2026, 3, 7, 23, 30)),
        (date(2026, 3, 9), time(18, 30), NEW_YORK, utc(2026, 3, 9, 22, 30)),
        # Falls back on Sun 1 Nov 2026: 01:30 happens twice; the first (EDT) is meant.
        (date(2026, 11, 1), time(1, 30), NEW_YORK, utc(2026, 11, 1, 5, 30)),
        (date(2026, 11, 1), time(0, 59), NEW_YORK, utc(2026, 11, 1, 4, 59)),
        (date(2026, 11, 1), time(2, 0), NEW_YORK, utc(2026, 11, 1, 7, 0)),
        # Europe/London springs forward at 01:00 on Sun 29 Mar 2026 (GMT -> BST).
        (date(2026, 3, 29), time(0, 59), LONDON, utc(2026, 3, 29, 0, 59)),
        (date(2026, 3, 29), time(2, 0), LONDON, utc(2026, 3, 29, 1, 0)),
        (date(2026, 7, 1), time(18, 30), LONDON, utc(2026, 7, 1, 17, 30)),
        (date(2026, 1, 6), time(18, 30), ZoneInfo("UTC"), utc(2026, 1, 6, 18, 30)),
    ],
)
def test_to_utc_reads_wall_time_in_the_zone(
    day: date, clock: time, zone: ZoneInfo, expected: datetime
) -> None:
    instant = to_utc(day, clock, zone)
    assert instant == expected
    assert instant.tzinfo is UTC


def test_wall_time_in_the_spring_forward_gap_is_refused_with_the_gap() -> None:
    with pytest.raises(InvalidInput) as raised:
        to_utc(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert raised.value.message == (
        "time: 02:30 on Sun 8 Mar 2026 doesn't exist in America/New_York (clocks spring "
        "forward that night). Pick a time outside 02:00-03:00."
    )


@pytest.mark.parametrize(
    ("day", "clock", "zone", "window"),
    [
        (date(2026, 3, 8), time(2, 0), NEW_YORK, "02:00-03:00"),
        (date(2026, 3, 8), time(2, 59), NEW_YORK, "02:00-03:00"),
        (date(2026, 3, 29), time(1, 30), LONDON, "01:00-02:00"),
        # Lord Howe Island moves its clocks by half an hour.
        (date(2026, 10, 4), time(2, 15), ZoneInfo("Australia/Lord_Howe"), "02:00-02:30"),
    ],
)
def test_gap_window_is_computed_for_each_zone(
    day: date, clock: time, zone: ZoneInfo, window: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        to_utc(day, clock, zone)
    assert raised.value.message.startswith("time:")
    assert f"outside {window}." in raised.value.message


def test_to_utc_refuses_dates_outside_the_supported_years() -> None:
    with pytest.raises(InvalidInput, match=r"^date:"):
        to_utc(date(1, 1, 1), time(0, 0), NEW_YORK)


# -- weekly series -----------------------------------------------------------------------------


def test_weekly_series_keeps_local_time_across_the_spring_change() -> None:
    starts = weekly_starts(date(2026, 2, 24), time(18, 30), NEW_YORK, 6)
    assert [s.astimezone(NEW_YORK).strftime("%a %Y-%m-%d %H:%M") for s in starts] == [
        "Tue 2026-02-24 18:30",
        "Tue 2026-03-03 18:30",
        "Tue 2026-03-10 18:30",
        "Tue 2026-03-17 18:30",
        "Tue 2026-03-24 18:30",
        "Tue 2026-03-31 18:30",
    ]
    assert [s.strftime("%H:%M") for s in starts] == [
        "23:30",
        "23:30",
        "22:30",
        "22:30",
        "22:30",
        "22:30",
    ]
    assert all(s.tzinfo is UTC for s in starts)


def test_weekly_series_keeps_local_time_across_the_autumn_change() -> None:
    starts = weekly_starts(date(2026, 10, 27), time(6, 0), NEW_YORK, 2)
    assert starts == [utc(2026, 10, 27, 10, 0), utc(2026, 11, 3, 11, 0)]


@pytest.mark.parametrize("weeks", [1, 6, 52])
def test_weekly_series_accepts_1_to_52_weeks(weeks: int) -> None:
    starts = weekly_starts(date(2026, 1, 6), time(18, 30), NEW_YORK, weeks)
    assert len(starts) == weeks
    assert all(b - a >= timedelta(days=7) - timedelta(hours=1) for a, b in pairwise(starts))


@pytest.mark.parametrize("weeks", [0, -1, 53, 1000])
def test_weekly_series_refuses_other_lengths(weeks: int) -> None:
    with pytest.raises(InvalidInput) as raised:
        weekly_starts(date(2026, 1, 6), time(18, 30), NEW_YORK, weeks)
    assert raised.value.message == "weeks: use 1 to 52 weekly sessions, like 6."


def test_weekly_series_with_a_session_in_a_gap_names_that_date() -> None:
    with pytest.raises(InvalidInput) as raised:
        weekly_starts(date(2026, 2, 22), time(2, 30), NEW_YORK, 4)
    assert "on Sun 8 Mar 2026 doesn't exist" in raised.value.message


def test_weekly_series_past_the_supported_years_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"^date:"):
        weekly_starts(date(2100, 12, 1), time(18, 30), NEW_YORK, 10)
    with pytest.raises(InvalidInput, match=r"^date:"):
        weekly_starts(date(9999, 12, 30), time(18, 30), NEW_YORK, 10)


# -- reminder lead times -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h,1h", (24 * HOUR, HOUR)),
        ("24h, 1h, 15m", (24 * HOUR, HOUR, 15 * 60)),
        ("1h,24h", (24 * HOUR, HOUR)),
        ("24h 1h", (24 * HOUR, HOUR)),
        ("1d", (DAY,)),
        ("90m", (90 * 60,)),
        ("2h30m", (150 * 60,)),
        ("2h 30m", (2 * HOUR, 30 * 60)),
        ("1 h", (HOUR,)),
        ("30 min", (30 * 60,)),
        ("2 days", (2 * DAY,)),
        ("1 hour, 2 days", (2 * DAY, HOUR)),
        ("1w", (7 * DAY,)),
        ("5m", (MIN_OFFSET_S,)),
        ("7d", (MAX_OFFSET_S,)),
        ("1h,1h,60m", (HOUR,)),
        ("24H;1H", (24 * HOUR, HOUR)),
        ("none", ()),
        ("Off", ()),
    ],
)
def test_offsets_read_lead_times_longest_first(text: str, expected: tuple[int, ...]) -> None:
    assert parse_offsets(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "can't be empty"),
        (",", "has no lead times"),
        ("24", "'24' needs a unit"),
        ("24h,1", "'1' needs a unit"),
        ("1.5h", "whole number"),
        ("24x", "don't know the unit 'x'"),
        ("tomorrow", "isn't a lead time"),
        ("1h!", "isn't a lead time"),
        ("4m", "too close to the start"),
        ("0h", "too close to the start"),
        ("8d", "too far ahead"),
        ("169h", "too far ahead"),
        ("99999999999999999999d", "too far ahead"),
        ("1d,2h,3h,4h,5h,6h", "more than 5 reminders"),
        ("-1h", "isn't a lead time"),
        ("１h", "isn't a lead time"),
        ("1h" * 60, "too long"),
    ],
)
def test_bad_offsets_name_the_field_and_show_an_example(text: str, why: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_offsets(text)
    assert raised.value.message.startswith("offsets:")
    assert why in raised.value.message
    assert "24h,1h,15m" in raised.value.message


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (15 * 60, "15m"),
        (HOUR, "1h"),
        (90 * 60, "1h30m"),
        (DAY, "24h"),
        (36 * HOUR, "36h"),
        (2 * DAY, "2d"),
        (7 * DAY, "7d"),
        (2 * DAY + HOUR, "49h"),
        (5 * 60, "5m"),
        (HOUR + 1, "1h1s"),
    ],
)
def test_format_offset_is_compact(seconds: int, text: str) -> None:
    assert format_offset(seconds) == text


@given(st.integers(min_value=MIN_OFFSET_S, max_value=MAX_OFFSET_S))
def test_format_offset_round_trips_through_parse(seconds: int) -> None:
    assert parse_offsets(format_offset(seconds)) == (seconds,)


@given(st.lists(st.integers(min_value=5, max_value=7 * 24 * 60), min_size=1, max_size=5))
def test_offset_lists_round_trip(minutes: list[int]) -> None:
    seconds = [m * 60 for m in minutes]
    text = ",".join(format_offset(s) for s in seconds)
    assert parse_offsets(text) == tuple(sorted(set(seconds), reverse=True))


# -- announcement and reminder plan ------------------------------------------------------------


START = utc(2026, 3, 10, 22, 30)


def test_far_future_session_is_announced_days_ahead_with_every_reminder() -> None:
    plan = plan_deliveries(START, utc(2026, 2, 20, 12, 0), (HOUR, DAY), announce_days=6)
    assert plan == DeliveryPlan(
        announce_due=START - timedelta(days=6),
        reminders=((DAY, START - timedelta(days=1)), (HOUR, START - timedelta(hours=1))),
        close_due=START,
    )


def test_session_closer_than_the_announce_window_is_announced_now() -> None:
    now = START - timedelta(days=3)
    plan = plan_deliveries(START, now, (DAY, HOUR), announce_days=6)
    assert plan.announce_due == now
    assert [offset for offset, _ in plan.reminders] == [DAY, HOUR]


def test_reminders_already_past_are_dropped() -> None:
    now = START - timedelta(hours=5)
    plan = plan_deliveries(START, now, (DAY, HOUR, 15 * 60), announce_days=6)
    assert plan.announce_due == now
    assert plan.reminders == (
        (HOUR, START - timedelta(hours=1)),
        (15 * 60, START - timedelta(minutes=15)),
    )


def test_reminder_due_exactly_now_is_dropped() -> None:
    now = START - timedelta(hours=1)
    plan = plan_deliveries(START, now, (HOUR,), announce_days=6)
    assert plan.reminders == ()
    assert plan.announce_due == now


def test_announcement_is_never_after_the_first_reminder() -> None:
    now = START - timedelta(days=20)
    plan = plan_deliveries(START, now, (7 * DAY, HOUR), announce_days=2)
    assert plan.announce_due == START - timedelta(days=7)
    assert plan.announce_due <= plan.reminders[0][1]


@pytest.mark.parametrize("announce_days", [0, 1, 6, 30])
@pytest.mark.parametrize("lead", [timedelta(minutes=1), timedelta(hours=3), timedelta(days=40)])
def test_plan_invariants(announce_days: int, lead: timedelta) -> None:
    now = START - lead
    plan = plan_deliveries(START, now, (DAY, HOUR, 15 * 60), announce_days)
    assert now <= plan.announce_due < START
    assert all(now < due < START for _, due in plan.reminders)
    assert all(plan.announce_due <= due for _, due in plan.reminders)
    assert [due for _, due in plan.reminders] == sorted(due for _, due in plan.reminders)
    # Answers close exactly at the start, after every other post.
    assert plan.close_due == START


def test_no_reminders_plans_only_the_announcement() -> None:
    plan = plan_deliveries(START, START - timedelta(days=10), (), announce_days=6)
    assert plan == DeliveryPlan(START - timedelta(days=6), (), START)


@pytest.mark.parametrize(
    ("starts_at", "now", "offsets", "announce_days"),
    [
        (START, START, (HOUR,), 6),
        (START, START + timedelta(seconds=1), (HOUR,), 6),
        (START, START - timedelta(days=1), (0,), 6),
        (START, START - timedelta(days=1), (HOUR,), -1),
        (START.replace(tzinfo=None), START - timedelta(days=1), (HOUR,), 6),
    ],
)
def test_plan_refuses_callers_mistakes(
    starts_at: datetime, now: datetime, offsets: tuple[int, ...], announce_days: int
) -> None:
    with pytest.raises(ValueError, match=r"."):
        plan_deliveries(starts_at, now, offsets, announce_days)


# -- date suggestions and display --------------------------------------------------------------

TODAY = date(2026, 3, 8)  # a Sunday


def test_upcoming_dates_start_today() -> None:
    assert upcoming_dates(TODAY, 3) == [date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10)]
    assert len(upcoming_dates(TODAY)) == 14
    assert upcoming_dates(date.max, 5) == [date.max]


def test_empty_date_search_offers_the_next_days_with_labels() -> None:
    suggestions = date_suggestions("", TODAY)
    assert len(suggestions) == 25
    assert suggestions[:3] == [
        ("Sun 8 Mar 2026 (today)", "2026-03-08"),
        ("Mon 9 Mar 2026 (tomorrow)", "2026-03-09"),
        ("Tue 10 Mar 2026 (in 2 days)", "2026-03-10"),
    ]


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        ("2026-03-1", [f"2026-03-{d}" for d in range(10, 20)]),
        ("2026-04", [f"2026-04-0{d}" for d in range(1, 5)]),
        ("tue", ["2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31"]),
        ("Tuesday", ["2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31"]),
        ("next tue", ["2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31"]),
        ("apr", [f"2026-04-0{d}" for d in range(1, 5)]),
        ("sat april", ["2026-04-04"]),
        ("tomorrow", ["2026-03-09"]),
        ("2026-12-25", ["2026-12-25"]),
        ("2026-3-20", ["2026-03-20"]),
        ("2025-01-01", []),
        ("xyz", []),
    ],
)
def test_date_search_filters_by_value_weekday_or_month(typed: str, values: list[str]) -> None:
    assert [value for _, value in date_suggestions(typed, TODAY)] == values


def test_date_suggestion_labels_fit_discord() -> None:
    for label, value in date_suggestions("", TODAY, limit=25) + date_suggestions(
        "2100-12-31", TODAY
    ):
        assert 1 <= len(label) <= 100
        assert parse_date(value) >= TODAY


@pytest.mark.parametrize(
    ("instant", "zone", "text"),
    [
        (utc(2026, 3, 10, 22, 30), NEW_YORK, "Tue 10 Mar 2026, 18:30"),
        (utc(2026, 3, 3, 23, 30), NEW_YORK, "Tue 3 Mar 2026, 18:30"),
        (utc(2026, 7, 1, 17, 30), LONDON, "Wed 1 Jul 2026, 18:30"),
        (utc(2026, 1, 1, 3, 0), NEW_YORK, "Wed 31 Dec 2025, 22:00"),
    ],
)
def test_format_local_shows_wall_time(instant: datetime, zone: ZoneInfo, text: str) -> None:
    assert format_local(instant, zone) == text


def test_format_date_is_english_and_unpadded() -> None:
    assert format_date(date(2026, 3, 8)) == "Sun 8 Mar 2026"


# -- robustness --------------------------------------------------------------------------------


@given(st.text(max_size=200))
def test_parsers_raise_only_user_errors(text: str) -> None:
    for parser in (parse_date, parse_clock, get_zone, parse_offsets):
        with contextlib.suppress(UserError):
            parser(text)


@given(
    st.text(alphabet=st.sampled_from("0123456789-:.,; hmdaypnoftuesw"), max_size=30),
)
def test_parsers_raise_only_user_errors_on_near_misses(text: str) -> None:
    for parser in (parse_date, parse_clock, get_zone, parse_offsets):
        with contextlib.suppress(UserError):
            parser(text)


@given(st.text(max_size=300), st.dates(), st.integers(min_value=-5, max_value=30))
def test_suggestions_never_raise(text: str, today: date, limit: int) -> None:
    zones = timezone_suggestions(text, limit)
    dates = date_suggestions(text, today, limit)
    assert len(zones) <= max(0, limit)
    assert len(dates) <= max(0, limit)
    assert all(len(label) <= 100 and len(value) <= 100 for label, value in dates)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.times(),
    st.sampled_from(["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Tokyo"]),
)
def test_to_utc_round_trips_or_explains_the_gap(day: date, clock: time, name: str) -> None:
    zone = ZoneInfo(name)
    wall = datetime.combine(day, clock)
    exists = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall
    if not exists:
        with pytest.raises(InvalidInput, match=r"^time: .* Pick a time outside "):
            to_utc(day, clock, zone)
        return
    instant = to_utc(day, clock, zone)
    assert instant.tzinfo is UTC
    assert instant.astimezone(zone).replace(tzinfo=None) == wall


@pytest.mark.parametrize(
    ("local_start", "announced"),
    [
        # A session at midnight: "on the day" is the midnight before, never its own start.
        (datetime(2026, 1, 13, 0, 0, tzinfo=NEW_YORK), datetime(2026, 1, 12, tzinfo=NEW_YORK)),
        (datetime(2026, 1, 13, 0, 1, tzinfo=NEW_YORK), datetime(2026, 1, 13, tzinfo=NEW_YORK)),
        (datetime(2026, 3, 29, 0, 0, tzinfo=LONDON), datetime(2026, 3, 28, tzinfo=LONDON)),
        # After the spring change that night.
        (datetime(2026, 3, 29, 2, 0, tzinfo=LONDON), datetime(2026, 3, 29, tzinfo=LONDON)),
        (datetime(2026, 1, 13, 23, 59, tzinfo=NEW_YORK), datetime(2026, 1, 13, tzinfo=NEW_YORK)),
    ],
)
def test_on_the_day_is_always_before_the_start(local_start: datetime, announced: datetime) -> None:
    zone = local_start.tzinfo
    assert isinstance(zone, ZoneInfo)
    starts_at = local_start.astimezone(UTC)
    now = starts_at - timedelta(days=10)

    plan = plan_deliveries(starts_at, now, (), announce_days=0, zone=zone)

    assert plan.announce_due == announced.astimezone(UTC)
    assert plan.announce_due < starts_at
