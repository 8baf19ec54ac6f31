"""Attendance: members check themselves in, organizers mark and correct, everyone reads figures.

Who may see what: a member reads only their own history (``/attendance me``); the club's figures
and the CSV name members, so they are for organizers; deleting a member's data is for server
managers.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.db.attendance_repo import AttendanceRepo, AttendanceSettingsRow, CameRow
from bot.db.database import Database
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.attendance import (
    MARKING_DAYS,
    CheckinWindow,
    ClubSummary,
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
from bot.domain.rsvp import State
from bot.errors import Conflict, InvalidInput, NotFound
from bot.services.access import Actor, require_manager, require_organizer
from bot.services.lookup import resolve_session
from bot.services.rsvps import RsvpResult, RsvpService
from bot.services.setup import SetupService


@dataclass(frozen=True, slots=True)
class AttendanceConfig:
    window: CheckinWindow
    season_start: str | None  # MM-DD; None = a calendar year


@dataclass(frozen=True, slots=True)
class Marked:
    """A mark saved: the session, the member's mark before (None: none) and now."""

    session: SessionRow
    user_id: int
    previous: Mark | None
    mark: Mark


@dataclass(frozen=True, slots=True)
class BulkMarked:
    """Everyone going not marked yet, marked at once: who (user ids) and how many were
    already marked (kept as they were)."""

    session: SessionRow
    user_ids: tuple[int, ...]
    kept: int
    mark: Mark


@dataclass(frozen=True, slots=True)
class MyAttendance:
    season_from: date
    season_sessions: tuple[CameRow, ...]
    streak_weeks: int
    last: CameRow | None
    timezone: str


@dataclass(frozen=True, slots=True)
class SessionMarks:
    """A session's attendance as organizers mark it: everyone going pre-listed (``None``: not
    marked yet) plus anyone marked who wasn't going (walk-ins), in user id order."""

    session: SessionRow
    going: tuple[tuple[int, Mark | None], ...]
    others: tuple[tuple[int, Mark], ...]


@dataclass(frozen=True, slots=True)
class Forgotten:
    marks: int
    #: Answers taken off upcoming sessions (their announcements need an edit, and a reaction
    #: left on one must go, or reading reactions back at start-up would answer for them again).
    upcoming: tuple[RsvpResult, ...]


class AttendanceService:
    def __init__(
        self,
        db: Database,
        repo: AttendanceRepo,
        sessions: SessionsRepo,
        setup: SetupService,
        rsvps: RsvpService,
        *,
        clock: Clock,
    ) -> None:
        self._db = db
        self._repo = repo
        self._sessions = sessions
        self._setup = setup
        self._rsvps = rsvps
        self._clock = clock
        self._window_changed: Callable[[int], Awaitable[int]] | None = None

    def connect_window_changes(self, changed: Callable[[int], Awaitable[int]]) -> None:
        """Who re-plans the server's sessions when its check-in window changes (set by the
        composition root: the outbox, which redraws "I'm here" at the window's edges)."""
        self._window_changed = changed

    async def config(self, guild_id: int) -> AttendanceConfig:
        row = await self._repo.settings(guild_id)
        window = CheckinWindow()
        return AttendanceConfig(
            CheckinWindow(
                window.before_s if row.checkin_before_s is None else row.checkin_before_s,
                window.after_s if row.checkin_after_s is None else row.checkin_after_s,
            ),
            row.season_start,
        )

    async def configure(
        self,
        actor: Actor,
        guild_id: int,
        *,
        before: str | None = None,
        after: str | None = None,
        season: str | None = None,
    ) -> AttendanceConfig:
        """Change the check-in window (``30m``, ``2h``) and/or the season start (``MM-DD``).

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: a value that can't be read (nothing is saved then).
        """
        require_manager(actor)
        current = await self._repo.settings(guild_id)
        row = AttendanceSettingsRow(
            parse_offset(before, "before") if before is not None else current.checkin_before_s,
            parse_offset(after, "after") if after is not None else current.checkin_after_s,
            parse_season_start(season) if season is not None else current.season_start,
        )
        async with self._db.transaction():
            await self._repo.save_settings(guild_id, row, self._clock.now())
        if self._window_changed is not None:
            await self._window_changed(guild_id)
        return await self.config(guild_id)

    async def check_in(
        self, guild_id: int, session_id: int, user_id: int, display_name: str
    ) -> Marked:
        """The member says "I'm here" during the check-in window.

        Someone who had not answered going is checked in as a walk-in. A check-in never undoes
        an organizer's mark.

        Raises:
            NotFound: the session is not in this server.
            Conflict: cancelled, or outside the window (the reply says when it opens or closed).
        """
        session = await self._sessions.get(session_id, guild_id)
        if session is None:
            raise NotFound("This session no longer exists in this server. See /session list.")
        if session.cancelled:
            raise Conflict(f"{session.title} was cancelled, so there is nothing to check in to.")
        config = await self.config(guild_id)
        now = self._clock.now()
        window = config.window
        state = window.state(session.starts_at, now)
        if state is Window.EARLY:
            opens = int(window.opens_at(session.starts_at).timestamp())
            raise Conflict(
                f"Check-in for {session.title} opens <t:{opens}:R> (<t:{opens}:t>). "
                "Come back then and press I'm here again."
            )
        if state is Window.CLOSED:
            raise Conflict(
                f"Check-in for {session.title} has closed. Ask an organizer to mark you with "
                "/attendance mark."
            )
        async with self._db.transaction():
            current = await self._repo.get(session.id, user_id)
            if current is not None and current.source == "organizer":
                return Marked(session, user_id, Mark(current.state), Mark(current.state))
            answer = await self._rsvps_state(session.id, user_id)
            mark = Mark.ATTENDED if answer is State.GOING else Mark.WALK_IN
            if current is None or current.state != mark.value:
                await self._repo.mark(
                    guild_id,
                    session.id,
                    user_id,
                    display_name,
                    mark.value,
                    "checkin",
                    user_id,
                    now,
                )
        previous = Mark(current.state) if current is not None else None
        return Marked(session, user_id, previous, mark)

    async def _rsvps_state(self, session_id: int, user_id: int) -> State | None:
        return (await self._rsvps.states_for(user_id, [session_id])).get(session_id)

    async def mark(
        self,
        actor: Actor,
        guild_id: int,
        reference: str,
        user_id: int,
        display_name: str,
        mark: Mark,
    ) -> Marked:
        """An organizer marks (or corrects) a member's attendance; every change is kept.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
            Conflict: cancelled, before the check-in window opens, or more than
                ``MARKING_DAYS`` days after the start.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        session = await resolve_session(self._sessions, guild_id, reference, actor)
        await self._markable(guild_id, session)
        now = self._clock.now()
        async with self._db.transaction():
            current = await self._repo.get(session.id, user_id)
            await self._repo.mark(
                guild_id,
                session.id,
                user_id,
                display_name,
                mark.value,
                "organizer",
                actor.user_id,
                now,
            )
        previous = Mark(current.state) if current is not None else None
        return Marked(session, user_id, previous, mark)

    async def mark_going(
        self, actor: Actor, guild_id: int, reference: str, mark: Mark
    ) -> BulkMarked:
        """Mark every member who said going and is not marked yet, at once (organizers mark
        the exceptions one by one with :meth:`mark`, walk-ins included). Marks already made,
        by an organizer or a check-in, are kept.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
            InvalidInput: ``walk_in`` (members who said going are not walk-ins).
            Conflict: as :meth:`mark`.
        """
        if mark is Mark.WALK_IN:
            raise InvalidInput(
                "state: members who said going aren't walk-ins. Pick attended or no-show, like "
                "/attendance mark-all session: 1 state: attended; mark walk-ins one by one "
                "with /attendance mark."
            )
        marks = await self.session_marks(actor, guild_id, reference)
        session = marks.session
        # The same window and cancel checks as one mark, before anything is written.
        await self._markable(guild_id, session)
        roster = await self._rsvps.roster(session.id)
        names = {entry.user_id: entry.display_name for entry in roster.everyone}
        now = self._clock.now()
        todo = [user_id for user_id, current in marks.going if current is None]
        done: list[int] = []
        async with self._db.transaction():
            for user_id in todo:
                # A check-in that landed meanwhile is kept.
                if await self._repo.get(session.id, user_id) is not None:
                    continue
                await self._repo.mark(
                    guild_id,
                    session.id,
                    user_id,
                    names.get(user_id, str(user_id)),
                    mark.value,
                    "organizer",
                    actor.user_id,
                    now,
                )
                done.append(user_id)
        return BulkMarked(session, tuple(done), len(marks.going) - len(done), mark)

    async def _markable(self, guild_id: int, session: SessionRow) -> None:
        """Raises Conflict when the session's attendance can't be marked now (cancelled,
        before check-in opens, or more than ``MARKING_DAYS`` days after the start)."""
        if session.cancelled:
            raise Conflict(
                f"session: {session.title} was cancelled; there is no attendance to mark."
            )
        settings = await self.config(guild_id)
        now = self._clock.now()
        if not marking_open(session.starts_at, now, settings.window):
            if now < session.starts_at:
                opens = int(settings.window.opens_at(session.starts_at).timestamp())
                raise Conflict(
                    f"session: attendance for {session.title} can be marked from <t:{opens}:f>, "
                    "when check-in opens."
                )
            raise Conflict(
                f"session: {session.title} was more than {MARKING_DAYS} days ago; its attendance "
                "is closed. Pick a more recent session."
            )

    async def session_marks(self, actor: Actor, guild_id: int, reference: str) -> SessionMarks:
        """Who was going and how each member is marked, for organizers.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        session = await resolve_session(self._sessions, guild_id, reference, actor)
        going = sorted(user for _, user in await self._repo.said_going([session.id]))
        marks = {row.user_id: Mark(row.state) for row in await self._repo.marks_for([session.id])}
        return SessionMarks(
            session,
            tuple((user, marks.get(user)) for user in going),
            tuple((user, mark) for user, mark in sorted(marks.items()) if user not in going),
        )

    async def history(self, session_id: int, user_id: int) -> list[tuple[str, str, int, str]]:
        return await self._repo.history(session_id, user_id)

    async def me(self, guild_id: int, user_id: int) -> MyAttendance:
        """The member's own sessions this season, streak and last time (only their own)."""
        zone = (await self._setup.config(guild_id)).zone
        settings = await self.config(guild_id)
        now = self._clock.now()
        today = now.astimezone(zone).date()
        came = [c for c in await self._repo.came_for_user(guild_id, user_id) if c.starts_at <= now]
        start = season_start(today, settings.season_start)
        season = tuple(c for c in came if c.starts_at.astimezone(zone).date() >= start)
        days = [c.starts_at.astimezone(zone).date() for c in came]
        return MyAttendance(
            season_from=start,
            season_sessions=season,
            streak_weeks=streak_weeks(days, today),
            last=came[-1] if came else None,
            timezone=zone.key,
        )

    async def club(self, actor: Actor, guild_id: int, period_text: str | None) -> ClubSummary:
        """The club's figures over a period (``4w``, ``3m``, ``2026``) for organizers.

        Raises:
            NotAllowed: unless an organizer.
            InvalidInput: a period that can't be read.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        zone = config.zone
        now = self._clock.now()
        today = now.astimezone(zone).date()
        period = parse_period(period_text, today)
        facts = await self._facts(guild_id, period, zone, now)
        last_came = {
            user: at.astimezone(zone).date()
            for user, at in await self._repo.last_came(guild_id, now)
        }
        return summarize(period, facts, last_came, today)

    async def _facts(
        self, guild_id: int, period: Period, zone: ZoneInfo, now: datetime
    ) -> list[SessionFacts]:
        since = datetime.combine(period.first, time(0), zone)
        until = min(now, datetime.combine(period.last + timedelta(days=1), time(0), zone))
        sessions = await self._repo.past_sessions(guild_id, since, until)
        ids = [s.session_id for s in sessions]
        going: dict[int, set[int]] = defaultdict(set)
        for session_id, user_id in await self._repo.said_going(ids):
            going[session_id].add(user_id)
        came: dict[int, set[int]] = defaultdict(set)
        for row in await self._repo.marks_for(ids):
            if Mark(row.state).came:
                came[row.session_id].add(row.user_id)
        return [
            SessionFacts(
                s.session_id,
                s.title,
                s.starts_at.astimezone(zone).date(),
                s.created_by,
                s.series_id,
                frozenset(going[s.session_id]),
                frozenset(came[s.session_id]),
            )
            for s in sessions
        ]

    async def export_csv(
        self, actor: Actor, guild_id: int, period_text: str | None
    ) -> tuple[str, bytes]:
        """Every mark of the period's sessions as CSV (organizers), formula-safe like the roster.

        Raises:
            NotAllowed: unless an organizer.
            InvalidInput: a period that can't be read.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        zone = config.zone
        now = self._clock.now()
        period = parse_period(period_text, now.astimezone(zone).date())
        since = datetime.combine(period.first, time(0), zone)
        until = min(now, datetime.combine(period.last + timedelta(days=1), time(0), zone))
        sessions = {s.session_id: s for s in await self._repo.past_sessions(guild_id, since, until)}
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                "session_id",
                "session_date",
                "session_title",
                "member_id",
                "display_name",
                "state",
                "source",
                "marked_by",
                "last_change_utc",
            ]
        )
        for row in await self._repo.marks_for(list(sessions)):
            session = sessions[row.session_id]
            writer.writerow(
                [
                    str(row.session_id),
                    session.starts_at.astimezone(zone).date().isoformat(),
                    csv_safe(session.title),
                    str(row.user_id),
                    csv_safe(row.display_name),
                    Mark(row.state).label,
                    row.source,
                    str(row.marked_by),
                    row.updated_at,
                ]
            )
        name = f"pacer-attendance-{period.first:%Y-%m-%d}-to-{period.last:%Y-%m-%d}.csv"
        return name, buffer.getvalue().encode()

    async def forget(self, actor: Actor, guild_id: int, user_id: int) -> Forgotten:
        """Delete a member's data in this server on their request: attendance marks and their
        history, and every answer to the server's sessions. Answers to upcoming sessions are taken
        off through the RSVP service, so the waitlist moves up and the announcements update.

        Raises:
            NotAllowed: unless the member can manage the server.
        """
        require_manager(actor)
        now = self._clock.now()
        upcoming: list[RsvpResult] = []
        for session in await self._sessions.upcoming(guild_id, now, limit=1000):
            if session.cancelled or await self._rsvps_state(session.id, user_id) is None:
                continue
            upcoming.append(await self._rsvps.remove_answer(actor, session, user_id))
        async with self._db.transaction():
            marks = await self._repo.forget_member(guild_id, user_id, now)
        return Forgotten(marks, tuple(upcoming))


def csv_safe(text: str) -> str:
    # A name like "=HYPERLINK(...)" must not run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def parse_mark(value: str) -> Mark:
    """Raises InvalidInput unless ``value`` is attended, no_show or walk_in."""
    try:
        return Mark(value)
    except ValueError:
        raise InvalidInput("state: pick attended, no-show or walk-in from the list.") from None
