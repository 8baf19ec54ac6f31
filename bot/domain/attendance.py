"""Attendance rules: the check-in window, seasons, periods, streaks and the club's figures.

Pure: times come in as aware datetimes and dates, nothing here reads the clock or stores anything.
The figures follow what club tools (Spond, TeamSnap, Meetup) report: turnout per session, the show
rate (members who came among those who said they would), regulars and members drifting away.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.errors import InvalidInput

#: Default check-in window: from 30 minutes before the start to 2 hours after it (issue 13).
CHECKIN_BEFORE_S = 30 * 60
CHECKIN_AFTER_S = 2 * 3600
#: Organizers may mark or correct attendance for this long after the start ("a few days").
MARKING_DAYS = 7
#: A member who came before but not in this many days is listed as not seen lately.
ABSENT_AFTER_DAYS = 28


class Mark(StrEnum):
    """An attendance mark. ``walk_in``: came without having said they were going."""

    ATTENDED = "attended"
    NO_SHOW = "no_show"
    WALK_IN = "walk_in"

    @property
    def came(self) -> bool:
        return self is not Mark.NO_SHOW

    @property
    def label(self) -> str:
        return {"attended": "attended", "no_show": "no-show", "walk_in": "walk-in"}[self.value]


class Window(StrEnum):
    EARLY = "early"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class CheckinWindow:
    """How long before and after a session's start members may check themselves in, seconds."""

    before_s: int = CHECKIN_BEFORE_S
    after_s: int = CHECKIN_AFTER_S

    def opens_at(self, starts_at: datetime) -> datetime:
        return starts_at - timedelta(seconds=self.before_s)

    def closes_at(self, starts_at: datetime) -> datetime:
        return starts_at + timedelta(seconds=self.after_s)

    def state(self, starts_at: datetime, now: datetime) -> Window:
        """Where ``now`` falls: before the window, in it (both ends included), or after it."""
        if now < self.opens_at(starts_at):
            return Window.EARLY
        if now <= self.closes_at(starts_at):
            return Window.OPEN
        return Window.CLOSED


def marking_open(starts_at: datetime, now: datetime, window: CheckinWindow) -> bool:
    """Organizers mark from the check-in window's opening until ``MARKING_DAYS`` after the
    start."""
    return window.opens_at(starts_at) <= now <= starts_at + timedelta(days=MARKING_DAYS)


_DURATION = re.compile(r"^\s*(\d{1,4})\s*(m|min|h)\s*$", re.IGNORECASE)


def parse_offset(text: str, field: str) -> int:
    """A check-in offset like ``30m`` or ``2h`` in seconds, from 0 to 24 h.

    Raises:
        InvalidInput: anything else, naming ``field``.
    """
    match = _DURATION.match(text or "")
    if match is not None:
        amount = int(match.group(1))
        seconds = amount * (3600 if match.group(2).lower() == "h" else 60)
        if seconds <= 86400:
            return seconds
    raise InvalidInput(
        f"{field}: '{(text or '').strip()[:20]}' is not a duration from 0m to 24h. "
        "Write minutes or hours, like 30m or 2h."
    )


_MONTH_DAY = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*$")


def parse_season_start(text: str) -> str:
    """A season start as ``MM-DD`` (``09-01`` for a season from 1 September).

    Raises:
        InvalidInput: not a real month and day (29 February is refused: it would skip years).
    """
    match = _MONTH_DAY.match(text or "")
    if match is not None:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            date(2025, month, day)
        except ValueError:
            pass
        else:
            return f"{month:02d}-{day:02d}"
    raise InvalidInput(
        f"season-start: '{(text or '').strip()[:20]}' is not a month and day. "
        "Write MM-DD, like 09-01 for a season starting on 1 September."
    )


def season_start(today: date, month_day: str | None) -> date:
    """The first day of the season containing ``today``: the last ``month_day`` (MM-DD, default
    01-01, a calendar year) on or before it."""
    month, day = (int(part) for part in (month_day or "01-01").split("-"))
    start = date(today.year, month, day)
    return start if start <= today else date(today.year - 1, month, day)


@dataclass(frozen=True, slots=True)
class Period:
    """A span of local dates, both ends included, and how to say it."""

    first: date
    last: date
    label: str


# Up to three digits so every span the bounds below allow (104w) can be written.
_PERIOD = re.compile(r"^\s*(?:(\d{1,3})\s*([wm])|(\d{4}))\s*$", re.IGNORECASE)


def parse_period(text: str | None, today: date) -> Period:
    """``4w`` (the last 4 weeks, today included), ``3m`` (3 calendar months back) or a year
    (``2026``); empty means ``4w``.

    Raises:
        InvalidInput: anything else, or a span of zero or more than 24 months / 104 weeks.
    """
    raw = (text or "4w").strip()
    match = _PERIOD.match(raw)
    if match is not None and match.group(3):
        year = int(match.group(3))
        if 2000 <= year <= today.year:
            return Period(date(year, 1, 1), min(date(year, 12, 31), today), str(year))
    elif match is not None:
        amount, unit = int(match.group(1)), match.group(2).lower()
        if unit == "w" and 1 <= amount <= 104:
            return Period(
                today - timedelta(weeks=amount) + timedelta(days=1), today, f"last {amount} weeks"
            )
        if unit == "m" and 1 <= amount <= 24:
            return Period(
                _months_back(today, amount) + timedelta(days=1), today, f"last {amount} months"
            )
    raise InvalidInput(
        f"period: '{raw[:20]}' is not a period I know. Write weeks (1w-104w), months (1m-24m) "
        f"or a year from 2000 up to this one, like 4w, 3m or {today.year}."
    )


def _months_back(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def week_of(day: date) -> date:
    """The Monday starting the ISO week of ``day``."""
    return day - timedelta(days=day.weekday())


def streak_weeks(days_came: Iterable[date], today: date) -> int:
    """Consecutive weeks (Monday to Sunday) with at least one session, ending this week, or last
    week while this week has none yet (a streak is not broken before the week is over)."""
    weeks = {week_of(day) for day in days_came}
    current = week_of(today)
    if current not in weeks:
        current -= timedelta(weeks=1)
    count = 0
    while current in weeks:
        count += 1
        current -= timedelta(weeks=1)
    return count


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """One past session as the summary needs it: its local day, who said going, who came."""

    session_id: int
    title: str
    day: date
    organizer_id: int
    series_id: int
    said_going: frozenset[int]
    came: frozenset[int]


@dataclass(frozen=True, slots=True)
class Turnout:
    session_id: int
    title: str
    day: date
    came: int
    said_going: int
    showed: int  # of those who said going, how many came

    @property
    def show_rate(self) -> float | None:
        return self.showed / self.said_going if self.said_going else None


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """Figures for the sessions of one organizer or one series."""

    key: int
    sessions: int
    came: int
    label: str = ""

    @property
    def average(self) -> float:
        return self.came / self.sessions if self.sessions else 0.0


@dataclass(frozen=True, slots=True)
class ClubSummary:
    period: Period
    turnout: tuple[Turnout, ...]
    said_going: int
    showed: int
    regulars: tuple[tuple[int, int], ...]  # (user_id, sessions came), most first
    not_seen: tuple[tuple[int, date], ...]  # (user_id, last day came), longest ago first
    by_organizer: tuple[GroupFigures, ...]
    by_series: tuple[GroupFigures, ...]

    @property
    def show_rate(self) -> float | None:
        return self.showed / self.said_going if self.said_going else None


def summarize(
    period: Period,
    sessions: Sequence[SessionFacts],
    last_came: dict[int, date],
    today: date,
) -> ClubSummary:
    """The club's figures over ``period``.

    Args:
        sessions: the period's sessions that have started (cancelled ones left out).
        last_came: each member's last day at any session of the server (ever), to find who has
            not come for ``ABSENT_AFTER_DAYS`` days.
        today: the server's local date.

    Regulars came to at least half of the period's sessions (and at least one).
    """
    ordered = sorted(sessions, key=lambda s: (s.day, s.session_id))
    turnout = tuple(
        Turnout(
            s.session_id,
            s.title,
            s.day,
            len(s.came),
            len(s.said_going),
            len(s.said_going & s.came),
        )
        for s in ordered
    )
    counts: Counter[int] = Counter(user for s in ordered for user in s.came)
    needed = max(1, -(-len(ordered) // 2))  # half, rounded up
    regulars = tuple(
        sorted(
            ((user, n) for user, n in counts.items() if n >= needed), key=lambda p: (-p[1], p[0])
        )
    )
    sizes = Counter(s.series_id for s in ordered)
    cutoff = today - timedelta(days=ABSENT_AFTER_DAYS)
    not_seen = tuple(
        sorted(((u, d) for u, d in last_came.items() if d < cutoff), key=lambda p: (p[1], p[0]))
    )
    return ClubSummary(
        period=period,
        turnout=turnout,
        said_going=sum(t.said_going for t in turnout),
        showed=sum(t.showed for t in turnout),
        regulars=regulars,
        not_seen=not_seen,
        by_organizer=_grouped(ordered, lambda s: s.organizer_id),
        # A one-off session is its own "series": only weekly series get a line.
        by_series=_grouped([s for s in ordered if sizes[s.series_id] > 1], lambda s: s.series_id),
    )


def _grouped(
    sessions: Sequence[SessionFacts], key: Callable[[SessionFacts], int]
) -> tuple[GroupFigures, ...]:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    labels: dict[int, str] = {}
    for s in sessions:
        k = key(s)
        totals[k][0] += 1
        totals[k][1] += len(s.came)
        labels.setdefault(k, s.title)
    return tuple(
        GroupFigures(k, n, came, labels[k])
        for k, (n, came) in sorted(totals.items(), key=lambda item: (-item[1][1], item[0]))
    )
