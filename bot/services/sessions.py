"""Group sessions: create single or weekly ones, edit, cancel, list; plan their posts."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import clock
from bot.db.database import Database
from bot.db.sessions_repo import NewSession, SessionRow, SessionsRepo
from bot.domain.rsvp import Roster, State
from bot.domain.schedule import (
    date_suggestions,
    format_local,
    parse_clock,
    parse_date,
    to_utc,
    weekly_starts,
)
from bot.domain.workouts import parse_workout
from bot.errors import Conflict, InvalidInput, NotFound, UserError
from bot.services.access import Actor, is_organizer, require_organizer
from bot.services.calendar import CalendarEvent, ics_filename, session_ics
from bot.services.deliveries import (
    ANNOUNCEMENT,
    CANCEL_NOTICE,
    REMINDER,
    TIME_CHANGE,
    DeliveryService,
)
from bot.services.lookup import resolve_session
from bot.services.rsvps import RsvpService
from bot.services.setup import GuildConfig, SetupService
from bot.services.workouts import PersonalPlan, WorkoutService

MAX_TITLE = 100
MAX_LOCATION = 100
MAX_DETAILS = 1000
MAX_WORKOUT = 200
MAX_REASON = 300
MAX_CAPACITY = 1000
SCOPES = ("this", "series")
SESSION_MINUTES = 90


@dataclass(frozen=True, slots=True)
class SessionForm:
    """What an organizer typed into /session create."""

    title: str
    date: str
    time: str
    location: str
    workout: str | None = None
    details: str | None = None
    weeks: int = 1
    capacity: int | None = None
    channel_id: int | None = None


@dataclass(frozen=True, slots=True)
class SessionChanges:
    """What an organizer typed into /session edit; None leaves a field as it is."""

    title: str | None = None
    date: str | None = None
    time: str | None = None
    location: str | None = None
    workout: str | None = None
    details: str | None = None
    capacity: int | None = None
    channel_id: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The sessions a command touched, and anything the organizer should be told."""

    sessions: tuple[SessionRow, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Listing:
    sessions: tuple[SessionRow, ...]
    problems: tuple[str, ...]
    zone: ZoneInfo
    mine: dict[int, State]  # the asking member's own status, by session id


def _text(value: str | None, field: str, limit: int, example: str, required: bool) -> str | None:
    if value is None:
        if required:
            raise InvalidInput(f"{field}: this can't be empty. Try {example}.")
        return None
    single_line = field in ("title", "location")
    cleaned = " ".join(value.split()) if single_line else value.strip()
    if not _visible(cleaned):
        if required:
            raise InvalidInput(f"{field}: this can't be empty. Try {example}.")
        return None
    if len(cleaned) > limit:
        raise InvalidInput(
            f"{field}: that's {len(cleaned)} characters; keep it to {limit}, like {example}."
        )
    return cleaned


# Characters that render as nothing but are not whitespace to Python.
_BLANKS = frozenset("\u2800\u3164\u115f\u1160\uffa0\u180e")


def _visible(text: str) -> bool:
    """Whether the text shows anything: zero-width, format and blank-looking characters don't."""
    return any(
        not ch.isspace()
        and ch not in _BLANKS
        and unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Mn")
        for ch in text
    )


def _required(value: str | None, field: str, limit: int, example: str) -> str:
    cleaned = _text(value, field, limit, example, required=True)
    if cleaned is None:  # _text raises first; this keeps the type exact
        raise InvalidInput(f"{field}: this can't be empty. Try {example}.")
    return cleaned


def _workout(text: str | None) -> tuple[str | None, bool, str | None]:
    """(stored text, parsed?, note for the organizer)."""
    cleaned = _text(text, "workout", MAX_WORKOUT, "6x800 @ I w/ 400 jog", required=False)
    if cleaned is None:
        return None, False, None
    try:
        return parse_workout(cleaned).text, True, None
    except UserError as exc:
        return (
            cleaned,
            False,
            "The workout is kept as free text, so runners won't get personal paces for it "
            f"({exc.message.removeprefix('workout: ')})",
        )


def _capacity(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_CAPACITY:
        raise InvalidInput(f"capacity: use 1 to {MAX_CAPACITY} places, like 20.")
    return value


class SessionService:
    def __init__(
        self,
        db: Database,
        sessions: SessionsRepo,
        setup: SetupService,
        deliveries: DeliveryService,
        workouts: WorkoutService,
        rsvps: RsvpService,
    ) -> None:
        self._db = db
        self._workouts = workouts
        self._rsvps = rsvps
        self._sessions = sessions
        self._setup = setup
        self._deliveries = deliveries

    async def create(self, actor: Actor, guild_id: int, form: SessionForm) -> Outcome:
        """Create a session, or a weekly series of ``weeks`` occurrences, and plan its posts.

        Raises:
            NotAllowed: if the member is not an organizer.
            InvalidInput: for an empty or too long text, a bad date or time, a past start, a
                time that does not exist that day, weeks outside 1-52, a bad capacity, or no
                announcement channel.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        now = clock.now()
        title = _required(form.title, "title", MAX_TITLE, "Tuesday speed session")
        location = _required(form.location, "location", MAX_LOCATION, "Cherokee HS track")
        details = _text(form.details, "details", MAX_DETAILS, "bring spikes", required=False)
        workout, parsed, note = _workout(form.workout)
        capacity = _capacity(form.capacity)
        channel_id = form.channel_id or config.announce_channel_id
        if channel_id is None:
            raise InvalidInput(
                "channel: there's no announcement channel yet. Pass channel, or ask an admin to "
                "run /setup channel, like /setup channel #speed-sessions."
            )
        if not 1 <= form.weeks <= 52:
            raise InvalidInput("weeks: use 1 to 52 weekly sessions, like 6.")
        first_date = parse_date(form.date)
        start_clock = parse_clock(form.time)
        starts = weekly_starts(first_date, start_clock, config.zone, form.weeks)
        if starts[0] <= now:
            raise InvalidInput(
                f"date: {format_local(starts[0], config.zone)} is in the past "
                f"({config.timezone}). Pick a coming date, like "
                f"{(now + timedelta(days=7)).astimezone(config.zone):%Y-%m-%d}."
            )
        planned: list[tuple[int, datetime]] = []
        created: list[SessionRow] = []
        async with self._db.transaction():
            series_id = await self._sessions.create_series(guild_id, form.weeks, actor.user_id, now)
            for position, starts_at in enumerate(starts, start=1):
                session_id = await self._sessions.create(
                    series_id,
                    NewSession(
                        guild_id=guild_id,
                        position=position,
                        title=title,
                        location=location,
                        workout=workout,
                        workout_parsed=parsed,
                        details=details,
                        capacity=capacity,
                        channel_id=channel_id,
                        starts_at=starts_at,
                        timezone=config.timezone,
                        created_by=actor.user_id,
                    ),
                    now,
                )
                session = await self._fresh(session_id)
                created.append(session)
                planned += await self._deliveries.plan_session(
                    session, config.reminder_offsets, config.announce_days, now
                )
        self._deliveries.arm(planned)
        return Outcome(tuple(created), (note,) if note else ())

    async def _fresh(self, session_id: int) -> SessionRow:
        session = await self._sessions.get(session_id)
        if session is None:
            raise RuntimeError(f"session {session_id} vanished inside its own transaction")
        return session

    async def resolve(self, guild_id: int, reference: str) -> SessionRow:
        """The session a member named, in this server only (see :func:`resolve_session`)."""
        return await resolve_session(self._sessions, guild_id, reference)

    async def edit(
        self,
        actor: Actor,
        guild_id: int,
        reference: str,
        changes: SessionChanges,
        scope: str = "this",
    ) -> Outcome:
        """Change one occurrence or it and the rest of its series; re-plan posts on a new start.

        Raises:
            NotAllowed: if the member is not an organizer.
            NotFound: for a session of another server or none.
            Conflict: if the session has started or is cancelled.
            InvalidInput: for any bad field (as in :meth:`create`) or no change at all.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        now = clock.now()
        session = await self.resolve(guild_id, reference)
        targets = await self._targets(session, scope, now)
        if changes.is_empty():
            raise InvalidInput(
                "Nothing to change: give at least one field, like time: 18:45 or location: "
                "Cherry Hill East HS."
            )
        values: dict[str, Any] = {}
        notes: list[str] = []
        if changes.title is not None:
            values["title"] = _text(changes.title, "title", MAX_TITLE, "Speed session", True)
        if changes.location is not None:
            values["location"] = _text(
                changes.location, "location", MAX_LOCATION, "the track", True
            )
        if changes.details is not None:
            values["details"] = _text(
                changes.details, "details", MAX_DETAILS, "bring spikes", False
            )
        if changes.workout is not None:
            workout, parsed, note = _workout(changes.workout)
            values["workout"], values["workout_parsed"] = workout, parsed
            notes += [note] if note else []
        if changes.capacity is not None:
            values["capacity"] = _capacity(changes.capacity)
        if changes.channel_id is not None and changes.channel_id != session.channel_id:
            if any(t.announcement_message_id is not None for t in targets):
                raise Conflict(
                    "channel: this session is already announced in its channel. Cancel it and "
                    "create it again to move it, or keep the channel."
                )
            values["channel_id"] = changes.channel_id
        new_starts = self._new_starts(targets, session, changes, now)
        planned: list[tuple[int, datetime]] = []
        disarm: list[int] = []
        updated: list[SessionRow] = []
        async with self._db.transaction():
            for target in targets:
                fields = dict(values)
                new_start = new_starts.get(target.id)
                if new_start is not None:
                    fields["starts_at"] = new_start
                await self._sessions.update(target.id, now, **fields)
                fresh = await self._fresh(target.id)
                updated.append(fresh)
                if new_start is not None or "channel_id" in fields:
                    moved, ids = await self._replan(fresh, target, config, now)
                    planned += moved
                    disarm += ids
                if "capacity" in fields:
                    planned += await self._rsvps.rebalance(fresh)
        self._deliveries.disarm(disarm)
        self._deliveries.arm(planned)
        return Outcome(tuple(updated), tuple(notes))

    def _new_starts(
        self,
        targets: list[SessionRow],
        session: SessionRow,
        changes: SessionChanges,
        now: datetime,
    ) -> dict[int, datetime]:
        if changes.date is None and changes.time is None:
            return {}
        zone = ZoneInfo(session.timezone)
        local = session.starts_at.astimezone(zone)
        new_date = parse_date(changes.date) if changes.date is not None else local.date()
        new_clock = parse_clock(changes.time) if changes.time is not None else local.time()
        shift = new_date - local.date()
        starts: dict[int, datetime] = {}
        for target in targets:
            target_local = target.starts_at.astimezone(zone)
            starts_at = to_utc(target_local.date() + shift, new_clock, zone)
            if starts_at <= now:
                example = (now + timedelta(days=7)).astimezone(zone)
                raise InvalidInput(
                    f"date: the new start, {format_local(starts_at, zone)}, is in the past. "
                    f"Pick a coming date and time, like {example:%Y-%m-%d}."
                )
            if starts_at != target.starts_at:
                starts[target.id] = starts_at
        return starts

    async def _replan(
        self, fresh: SessionRow, old: SessionRow, config: GuildConfig, now: datetime
    ) -> tuple[list[tuple[int, datetime]], list[int]]:
        """New start: the old pending posts are never sent; new ones are planned; people who
        saw the announcement are told."""
        announced = fresh.announcement_message_id is not None
        kinds = (REMINDER,) if announced else (ANNOUNCEMENT, REMINDER)
        superseded = await self._deliveries.supersede(fresh.id, kinds, "session time changed")
        planned = await self._deliveries.plan_session(
            fresh, config.reminder_offsets, config.announce_days, now, announce=not announced
        )
        if announced and fresh.starts_at != old.starts_at:
            planned.append(
                await self._deliveries.add_notice(
                    fresh, TIME_CHANGE, now, {"old_starts_at": old.starts_at.isoformat()}
                )
            )
        return planned, superseded

    async def _targets(self, session: SessionRow, scope: str, now: datetime) -> list[SessionRow]:
        if scope not in SCOPES:
            raise InvalidInput("scope: use this (one session) or series (it and the rest).")
        if session.cancelled:
            raise Conflict("That session is cancelled. Create a new one with /session create.")
        if session.starts_at <= now:
            raise Conflict("That session has already started, so it can't be changed now.")
        if scope == "this":
            return [session]
        return await self._sessions.series_from(session.series_id, session.position, now)

    async def cancel(
        self, actor: Actor, guild_id: int, reference: str, scope: str, reason: str | None
    ) -> Outcome:
        """Cancel one occurrence or it and the rest of its series; drop their pending posts and
        tell those who saw the announcement.

        Raises:
            NotAllowed, NotFound, Conflict, InvalidInput: as for :meth:`edit`.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        now = clock.now()
        session = await self.resolve(guild_id, reference)
        cleaned = _text(reason, "reason", MAX_REASON, "track closed for a meet", required=False)
        targets = await self._targets(session, scope, now)
        planned: list[tuple[int, datetime]] = []
        disarm: list[int] = []
        cancelled: list[SessionRow] = []
        async with self._db.transaction():
            for target in targets:
                await self._sessions.cancel(target.id, cleaned, now)
                disarm += await self._deliveries.supersede(
                    target.id, (ANNOUNCEMENT, REMINDER, TIME_CHANGE), "session cancelled"
                )
                fresh = await self._fresh(target.id)
                cancelled.append(fresh)
                if fresh.announcement_message_id is not None:
                    planned.append(
                        await self._deliveries.add_notice(
                            fresh, CANCEL_NOTICE, now, {"reason": cleaned}
                        )
                    )
        self._deliveries.disarm(disarm)
        self._deliveries.arm(planned)
        return Outcome(tuple(cancelled))

    async def listing(self, actor: Actor, guild_id: int) -> Listing:
        """Upcoming sessions; organizers also see posts that failed and why."""
        config = await self._setup.config(guild_id)
        now = clock.now()
        sessions = await self._sessions.upcoming(guild_id, now, include_cancelled=True)
        problems: list[str] = []
        if is_organizer(actor, config.organizer_role_id):
            for row in await self._deliveries.problems(guild_id, now):
                problems.append(
                    f"{row.kind.replace('_', ' ')} for session #{row.session_id} not posted: "
                    f"{row.last_error or 'unknown error'}"
                )
        mine = await self._rsvps.states_for(actor.user_id, [s.id for s in sessions])
        return Listing(tuple(sessions), tuple(problems), config.zone, mine)

    async def announced_open(self, guild_id: int) -> list[SessionRow]:
        """Announced sessions that still take RSVPs (not started, not cancelled)."""
        upcoming = await self._sessions.upcoming(guild_id, clock.now(), limit=500)
        return [s for s in upcoming if s.announcement_message_id is not None]

    async def roster(self, guild_id: int, reference: str) -> tuple[SessionRow, Roster]:
        """Everyone's answer for a session of this server.

        Raises:
            NotFound: for a session of another server or none.
        """
        session = await self.resolve(guild_id, reference)
        return session, await self._rsvps.roster(session.id)

    async def export(self, actor: Actor, guild_id: int, reference: str) -> tuple[str, bytes]:
        """The roster as a CSV file, for organizers.

        Raises:
            NotFound: for a session of another server or none.
            NotAllowed: unless the member is an organizer.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        session = await self.resolve(guild_id, reference)
        return await self._rsvps.export_csv(actor, session)

    async def suggestions(self, guild_id: int, current: str) -> list[tuple[str, str]]:
        """(label, value) pairs for session autocomplete: upcoming ones matching the text."""
        config = await self._setup.config(guild_id)
        needle = " ".join(current.lower().split())[:100]
        found = []
        for session in await self._sessions.upcoming(guild_id, clock.now(), limit=200):
            label = f"{format_local(session.starts_at, config.zone)} · {session.title}"
            if session.weeks > 1:
                label += f" (week {session.position} of {session.weeks})"
            label = f"{label[:90]} #{session.id}"
            if not needle or needle in label.lower() or needle.lstrip("#") == str(session.id):
                found.append((label[:100], str(session.id)))
            if len(found) == 25:
                break
        return found

    async def date_choices(self, guild_id: int, current: str) -> list[tuple[str, str]]:
        config = await self._setup.config(guild_id)
        today = clock.now().astimezone(config.zone).date()
        return date_suggestions(current, today)

    async def get(self, guild_id: int, session_id: int) -> SessionRow:
        """For buttons on announcements: the session, if it is in this server.

        Raises:
            NotFound: otherwise.
        """
        session = await self._sessions.get(session_id, guild_id)
        if session is None:
            raise NotFound("That session no longer exists.")
        return session

    async def config(self, guild_id: int) -> GuildConfig:
        return await self._setup.config(guild_id)

    async def paces_for(self, guild_id: int, session_id: int, user_id: int) -> PersonalPlan:
        """The runner's own targets for the session's workout (the "My paces" button).

        Raises:
            NotFound: no such session here, or the runner has no saved race.
            InvalidInput: the session has no workout, or only free text.
        """
        session = await self.get(guild_id, session_id)
        if session.workout is None:
            raise InvalidInput(
                "This session has no workout set, so there are no paces to give. "
                "Try /pace workout, like workout: 6x800 @ I w/ 400 jog."
            )
        if not session.workout_parsed:
            raise InvalidInput(
                f"This session's workout is free text ('{session.workout[:60]}'), so I can't "
                "time it. Try /pace workout with the reps, like 6x800 @ I w/ 400 jog."
            )
        return await self._workouts.plan_for(user_id, session.workout, guild_id=guild_id)

    async def calendar_file(self, guild_id: int, session_id: int) -> tuple[str, bytes]:
        """An .ics file for one occurrence (the "Add to calendar" button).

        Raises:
            NotFound: no such session in this server.
        """
        session = await self.get(guild_id, session_id)
        description = "\n\n".join(part for part in (session.workout, session.details) if part)
        event = CalendarEvent(
            uid=f"pacer-session-{session.id}@pacer",
            title=session.title,
            starts_at=session.starts_at,
            duration_minutes=SESSION_MINUTES,
            timezone=session.timezone,
            location=session.location,
            description=description,
            url=jump_url(session.guild_id, session.channel_id, session.announcement_message_id),
            cancelled=session.cancelled,
            sequence=session.version,
        )
        return (
            ics_filename(session.title, session.starts_at, session.timezone),
            session_ics(event, clock.now()),
        )


def jump_url(guild_id: int, channel_id: int, message_id: int | None) -> str | None:
    """The link to a message, as Discord builds it."""
    if message_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"
