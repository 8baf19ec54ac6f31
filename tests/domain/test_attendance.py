"""The attendance rules: window, periods, seasons, streaks and the club's figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.attendance import (
    CheckinWindow,
    Mark,
    Period,
    SessionFacts,
    Window,
    marking_open,
    parse_offset,
    parse_period,
    parse_season_start,
    season_start,
    streak_weeks,
    summarize,
)
from bot.errors import InvalidInput

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (timedelta(minutes=-31), Window.EARLY),
        (timedelta(minutes=-30), Window.OPEN),
        (timedelta(0), Window.OPEN),
        (timedelta(hours=2), Window.OPEN),
        (timedelta(hours=2, seconds=1), Window.CLOSED),
    ],
)
def test_default_window_is_30_minutes_before_to_2_hours_after(
    offset: timedelta, expected: Window
) -> None:
    assert CheckinWindow().state(START, START + offset) is expected


def test_marking_is_open_from_check_in_until_seven_days_after() -> None:
    window = CheckinWindow()
    assert not marking_open(START, START - timedelta(minutes=31), window)
    assert marking_open(START, START + timedelta(days=7), window)
    assert not marking_open(START, START + timedelta(days=7, seconds=1), window)


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        (None, date(2026, 3, 4), date(2026, 3, 31), "last 4 weeks"),
        ("4w", date(2026, 3, 4), date(2026, 3, 31), "last 4 weeks"),
        ("1W", date(2026, 3, 25), date(2026, 3, 31), "last 1 weeks"),
        ("3m", date(2026, 1, 1), date(2026, 3, 31), "last 3 months"),
        ("1m", date(2026, 3, 1), date(2026, 3, 31), "last 1 months"),
        ("2026", date(2026, 1, 1), date(2026, 3, 31), "2026"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
    ],
)
def test_periods(text: str | None, first: date, last: date, label: str) -> None:
    assert parse_period(text, date(2026, 3, 31)) == Period(first, last, label)


def test_months_back_from_the_31st_land_on_the_months_last_day() -> None:
    assert parse_period("1m", date(2026, 3, 31)).first == date(2026, 3, 1)
    assert parse_period("1m", date(2026, 5, 31)).first == date(2026, 5, 1)


@pytest.mark.parametrize("text", ["fortnight", "0w", "105w", "25m", "2027", "1999", "4 weeks"])
def test_bad_periods_name_the_field_and_show_examples(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^period: .* like 4w, 3m or 2026\."):
        parse_period(text, date(2026, 3, 31))


@pytest.mark.parametrize(
    ("text", "seconds"), [("30m", 1800), ("2h", 7200), ("0m", 0), ("24h", 86400), ("90 min", 5400)]
)
def test_offsets(text: str, seconds: int) -> None:
    assert parse_offset(text, "before") == seconds


@pytest.mark.parametrize("text", ["soon", "25h", "-5m", "1d", ""])
def test_bad_offsets(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^after: .* like 30m or 2h\."):
        parse_offset(text, "after")


@pytest.mark.parametrize(
    ("today", "month_day", "expected"),
    [
        (date(2026, 3, 1), None, date(2026, 1, 1)),
        (date(2026, 3, 1), "09-01", date(2025, 9, 1)),
        (date(2026, 9, 1), "09-01", date(2026, 9, 1)),
        (date(2026, 12, 31), "9-1", date(2026, 9, 1)),
    ],
)
def test_season_start(today: date, month_day: str | None, expected: date) -> None:
    stored = parse_season_start(month_day) if month_day else None
    assert season_start(today, stored) == expected


@pytest.mark.parametrize("text", ["02-29", "13-01", "09-31", "September", ""])
def test_bad_season_starts(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^season-start: "):
        parse_season_start(text)


MON = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        ([], MON, 0),
        ([MON], MON, 1),
        ([MON, MON + timedelta(days=6)], MON + timedelta(days=6), 1),  # one week, twice
        ([MON, MON + timedelta(days=8)], MON + timedelta(days=8), 2),
        ([MON, MON + timedelta(days=8)], MON + timedelta(days=14), 2),  # this week not over
        ([MON, MON + timedelta(days=8)], MON + timedelta(days=21), 0),  # a whole week missed
        ([MON, MON + timedelta(days=14)], MON + timedelta(days=14), 1),  # a gap breaks it
    ],
)
def test_streak_counts_consecutive_weeks(days: list[date], today: date, expected: int) -> None:
    assert streak_weeks(days, today) == expected


@given(st.lists(st.dates(date(2024, 1, 1), date(2026, 3, 1)), max_size=30))
def test_streak_is_never_more_than_the_weeks_with_a_session(days: list[date]) -> None:
    weeks = {d - timedelta(days=d.weekday()) for d in days}
    assert 0 <= streak_weeks(days, date(2026, 3, 1)) <= len(weeks)


def facts(
    i: int, going: set[int], came: set[int], organizer: int = 1, series: int = 1
) -> SessionFacts:
    return SessionFacts(
        i, "Speed", MON + timedelta(weeks=i), organizer, series, frozenset(going), frozenset(came)
    )


def test_summary_figures() -> None:
    period = parse_period("3m", date(2026, 3, 31))
    sessions = [
        facts(0, {1, 2, 3}, {1, 2, 9}),  # 9 walked in
        facts(1, {1, 2}, {1}),
        facts(2, {1}, {1, 3}, organizer=7, series=2),
        facts(3, set(), set(), organizer=7, series=3),
    ]
    summary = summarize(
        period, sessions, {5: date(2026, 2, 1), 1: date(2026, 3, 30)}, date(2026, 3, 31)
    )
    assert [(t.came, t.said_going, t.showed) for t in summary.turnout] == [
        (3, 3, 2),
        (1, 2, 1),
        (2, 1, 1),
        (0, 0, 0),
    ]
    assert summary.turnout[3].show_rate is None
    assert (summary.showed, summary.said_going) == (4, 6)
    assert summary.regulars == ((1, 3),)  # half of 4 sessions is 2: only member 1 reaches it
    assert summary.not_seen == ((5, date(2026, 2, 1)),)
    assert [(g.key, g.sessions, g.came) for g in summary.by_organizer] == [(1, 2, 4), (7, 2, 2)]
    assert [(g.key, g.sessions) for g in summary.by_series] == [(1, 2)]  # one-offs left out


@pytest.mark.parametrize("count", [0, 1, 3])
def test_regulars_need_at_least_half_rounded_up(count: int) -> None:
    sessions = [facts(i, set(), {1} if i == 0 else {2}) for i in range(count)]
    summary = summarize(parse_period("2026", date(2026, 3, 31)), sessions, {}, date(2026, 3, 31))
    expected = {0: (), 1: ((1, 1),), 3: ((2, 2),)}[count]
    assert summary.regulars == expected


def test_marks_say_who_came() -> None:
    assert Mark.ATTENDED.came
    assert Mark.WALK_IN.came
    assert not Mark.NO_SHOW.came
    assert Mark.NO_SHOW.label == "no-show"
