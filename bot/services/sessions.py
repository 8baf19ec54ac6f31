"""Group sessions: create single or weekly ones, edit, cancel, list; plan their posts."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.db.sessions_repo import NewSession, SessionRow, SessionsRepo
from bot.domain.duration import parse_close_lead, parse_duration
from bot.domain.rsvp import Roster, State
from bot.domain.schedule import (
    date_suggestions,
    format_in_zone,
    format_local,
    parse_clock,
    parse_date,
    to_utc,
    weekly_starts,
)
from bot.domain.workouts import parse_workout
from bot.errors import Conflict, InvalidInput, NotFound, UserError
from bot.outbox.kinds import CancelNotice, Kind, Status, TimeChange
from bot.outbox.service import OutboxService, workout_display
from bot.services.access import Actor, is_organizer, require_organizer
from bot.services.calendar import CalendarEvent, ics_filename, session_ics
from bot.services.lookup import resolve_session
from bot.services.rsvps import RsvpResult, RsvpService
from bot.services.setup import GuildConfig, SetupService
from bot.services.workouts import PersonalPlan, WorkoutService

if TYPE_CHECKING:
    from bot.clock import Clock

MAX_TITLE = 100
MAX_LOCATION = 100
MAX_DETAILS = 1000
MAX_WORKOUT = 200
MAX_REASON = 300
MAX_CAPACITY = 1000
SCOPES = ("this", "series")

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GivenRole:
    """A role Pacer is asked to give members going (the attendee role), as the cog found it:
    ``problem`` says why Pacer can't give it (no Manage Roles, a role at or above its own, a
    managed role), None when it can."""

    id: int
    problem: str | None = None


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
    #: "90m", "1h30"...; None: the server's default length (/setup session-length).
    duration: str | None = None
    #: Only members with this role may answer (None: everyone who can see the channel).
    answer_role_id: int | None = None
    #: Given to members going until the end.
    attendee_role: GivenRole | None = None
    #: How long before the start answers close ("2h", "1d"; None or "0": at the start).
    rsvp_closes: str | None = None


#: What /session edit can clear (its ``clear`` option).
CLEARABLE = ("role", "attendee-role")


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
    duration: str | None = None
    answer_role_id: int | None = None
    attendee_role: GivenRole | None = None
    rsvp_closes: str | None = None
    #: One of :data:`CLEARABLE`: take the answer role or the attendee role off.
    clear: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one occurrence, before and after an edit, in words."""

    field: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The sessions a command touched, and anything the organizer should be told.

    ``timezone`` is the server's zone, in which replies repeat every start in words;
    ``changes`` says, per session id, what an edit changed (absent: nothing changed there).
    """

    sessions: tuple[SessionRow, ...]
    notes: tuple[str, ...] = ()
    timezone: str = "UTC"
    changes: dict[int, tuple[FieldChange, ...]] = field(default_factory=dict)


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
    # NUL shows as nothing anywhere, and PostgreSQL's text cannot hold it (the save failed as
    # if the storage were down): dropped on both stores.
    value = value.replace("\x00", "")
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


def _workout(text: str | None) -> tuple[str | None, bool, str | None, str | None]:
    """(stored text, parsed?, note for the organizer, display lines to store)."""
    cleaned = _text(text, "workout", MAX_WORKOUT, "6x800 @ I w/ 400 jog", required=False)
    if cleaned is None:
        return None, False, None, None
    try:
        workout = parse_workout(cleaned)
        return workout.text, True, None, workout_display(workout.name, workout.lines())
    except UserError as exc:
        return (
            cleaned,
            False,
            "The workout is kept as free text, so runners won't get personal paces for it "
            f"({exc.message.removeprefix('workout: ')})",
            None,
        )


def _attendee_role(role: GivenRole | None) -> int | None:
    """The attendee role's id, once it is known that Pacer can give it.

    Raises:
        InvalidInput: naming attendee-role and why Pacer can't give that role.
    """
    if role is None:
        return None
    if role.problem is not None:
        raise InvalidInput(f"attendee-role: {role.problem}")
    return role.id


def _role_changes(changes: SessionChanges) -> dict[str, int | None]:
    """The role columns an edit sets or clears.

    Raises:
        InvalidInput: for an unknown ``clear``, clearing a role set in the same edit, or an
            attendee role Pacer can't give.
    """
    values: dict[str, int | None] = {}
    if changes.clear is not None and changes.clear not in CLEARABLE:
        raise InvalidInput("clear: use role or attendee-role, like clear: role.")
    if changes.answer_role_id is not None:
        values["answer_role_id"] = changes.answer_role_id
    if changes.attendee_role is not None:
        values["attendee_role_id"] = _attendee_role(changes.attendee_role)
    column = {"role": "answer_role_id", "attendee-role": "attendee_role_id"}.get(
        changes.clear or ""
    )
    if column is not None:
        if column in values:
            raise InvalidInput(
                f"clear: you both set and cleared {changes.clear}; do one, like clear: "
                f"{changes.clear} alone."
            )
        values[column] = None
    return values


def _closes_ahead(starts_at: datetime, closes_s: int, now: datetime, zone: ZoneInfo) -> None:
    """Raises InvalidInput (rsvp-closes) when answers would close before now."""
    closes_at = starts_at - timedelta(seconds=closes_s)
    if closes_s and closes_at <= now:
        raise InvalidInput(
            f"rsvp-closes: answers would close {format_local(closes_at, zone)}, which has "
            "passed. Pick a shorter time before the start, like 2h, or 0 for at the start."
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
        deliveries: OutboxService,
        workouts: WorkoutService,
        rsvps: RsvpService,
        *,
        clock: Clock,
    ) -> None:
        self._db = db
        self._clock = clock
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
        now = self._clock.now()
        title = _required(form.title, "title", MAX_TITLE, "Tuesday speed session")
        location = _required(form.location, "location", MAX_LOCATION, "Cherokee HS track")
        details = _text(form.details, "details", MAX_DETAILS, "bring spikes", required=False)
        workout, parsed, note, display = _workout(form.workout)
        capacity = _capacity(form.capacity)
        minutes = config.session_minutes if form.duration is None else parse_duration(form.duration)
        closes_s = 0 if form.rsvp_closes is None else parse_close_lead(form.rsvp_closes) * 60
        attendee_role_id = _attendee_role(form.attendee_role)
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
        _closes_ahead(starts[0], closes_s, now, config.zone)
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
                        workout_display=display,
                        details=details,
                        capacity=capacity,
                        channel_id=channel_id,
                        starts_at=starts_at,
                        timezone=config.timezone,
                        created_by=actor.user_id,
                        duration_s=minutes * 60,
                        answer_role_id=form.answer_role_id,
                        attendee_role_id=attendee_role_id,
                        rsvp_closes_s=closes_s,
                    ),
                    now,
                )
                session = await self._fresh(session_id)
                created.append(session)
                planned += await self._deliveries.plan_session(
                    session, config.reminder_offsets, config.announce_days, now
                )
                planned += await self._deliveries.plan_attendee_end(session, now)
        self._deliveries.arm(planned)
        return Outcome(tuple(created), (note,) if note else (), config.timezone)

    async def _fresh(self, session_id: int) -> SessionRow:
        session = await self._sessions.get(session_id)
        if session is None:
            raise RuntimeError(f"session {session_id} vanished inside its own transaction")
        return session

    async def resolve(self, guild_id: int, reference: str, viewer: Actor) -> SessionRow:
        """The session a member named, in this server only, if they can view its channel
        (see :func:`resolve_session`)."""
        return await resolve_session(self._sessions, guild_id, reference, viewer)

    async def edit(
        self,
        actor: Actor,
        guild_id: int,
        reference: str,
        changes: SessionChanges,
        scope: str = "this",
    ) -> Outcome:
        """Change one occurrence or it and the rest of its series; re-plan posts on a new start.

        Only the fields named change. A date and a time are read in the server's current zone.
        With scope "series", a new date moves every occurrence by as many days as it moves this
        one, and each keeps its own time of day unless a time is named (so an occurrence moved
        on its own keeps its time); the outcome lists what changed, occurrence by occurrence.

        Raises:
            NotAllowed: if the member is not an organizer.
            NotFound: for a session of another server or none.
            Conflict: if the session has started or is cancelled.
            InvalidInput: for any bad field (as in :meth:`create`) or no change at all.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        now = self._clock.now()
        session = await self.resolve(guild_id, reference, actor)
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
            workout, parsed, note, display = _workout(changes.workout)
            values["workout"], values["workout_parsed"] = workout, parsed
            values["workout_display"] = display
            notes += [note] if note else []
        if changes.capacity is not None:
            values["capacity"] = _capacity(changes.capacity)
        if changes.duration is not None:
            values["duration_s"] = parse_duration(changes.duration) * 60
        values.update(_role_changes(changes))
        if changes.rsvp_closes is not None:
            values["rsvp_closes_s"] = parse_close_lead(changes.rsvp_closes) * 60
        if changes.channel_id is not None and changes.channel_id != session.channel_id:
            if any(t.announcement_message_id is not None for t in targets):
                raise Conflict(
                    "channel: this session is already announced in its channel. Cancel it and "
                    "create it again to move it, or keep the channel."
                )
            values["channel_id"] = changes.channel_id
        new_starts = self._new_starts(targets, session, changes, config.zone, now)
        if "rsvp_closes_s" in values or new_starts:
            for target in targets:
                _closes_ahead(
                    new_starts.get(target.id, target.starts_at),
                    values.get("rsvp_closes_s", target.rsvp_closes_s),
                    now,
                    config.zone,
                )
        planned: list[tuple[int, datetime]] = []
        disarm: list[int] = []
        updated: list[SessionRow] = []
        changed: dict[int, tuple[FieldChange, ...]] = {}
        async with self._db.transaction():
            for target in targets:
                fields = dict(values)
                new_start = new_starts.get(target.id)
                if new_start is not None:
                    fields["starts_at"] = new_start
                await self._sessions.update(target.id, now, **fields)
                fresh = await self._fresh(target.id)
                updated.append(fresh)
                differences = _differences(target, fresh, config.zone)
                if differences:
                    changed[fresh.id] = differences
                if new_start is not None or "channel_id" in fields:
                    moved, ids = await self._replan(fresh, target, config, now)
                    planned += moved
                    disarm += ids
                elif "rsvp_closes_s" in fields:
                    planned += await self._deliveries.replan_close(fresh, now)
                planned += await self._attendee_role_changed(target, fresh, now)
                if "capacity" in fields:
                    planned += await self._rsvps.rebalance(fresh)
                if fresh.announcement_message_id is not None or fresh.discord_event_id:
                    planned += await self._deliveries.plan_event(fresh, now)
        self._deliveries.disarm(disarm)
        self._deliveries.arm(planned)
        role_id = values.get("answer_role_id")
        if role_id is not None:
            notes += await self._lacking_role_note(updated, role_id)
        return Outcome(tuple(updated), tuple(notes), config.timezone, changed)

    async def _lacking_role_note(self, updated: list[SessionRow], role_id: int) -> list[str]:
        """A newly set answer role keeps the answers already given (they were valid when
        given; taking them silently would surprise members), and the organizer is told who
        lacks the role, to take off with /session remove if they should not come."""
        notes: list[str] = []
        for session in updated:
            lacking = await self._rsvps.lacking_role(session, role_id)
            if lacking:
                shown = " ".join(f"<@{user_id}>" for user_id in lacking[:20])
                more = f" and {len(lacking) - 20} more" if len(lacking) > 20 else ""
                notes.append(
                    f"{session.title} (#{session.id}): answers given before the role was set are "
                    f"kept. These members lack <@&{role_id}>: {shown}{more}. Take one off with "
                    "/session remove."
                )
        return notes

    async def _attendee_role_changed(
        self, before: SessionRow, after: SessionRow, now: datetime
    ) -> list[tuple[int, datetime]]:
        """A new, changed or cleared attendee role, or a new end: the members going are brought
        in step with the old role (taken unless another session gives it) and the new one
        (given), and the new end takes it back. Inside the caller's transaction."""
        old, new = before.attendee_role_id, after.attendee_role_id
        planned: list[tuple[int, datetime]] = []
        if old != new:
            for role_id in (old, new):
                if role_id is not None:
                    planned += await self._deliveries.plan_attendee_role(
                        after, role_id, [None], now
                    )
        if new is not None and (old != new or before.ends_at != after.ends_at):
            planned += await self._deliveries.plan_attendee_end(after, now)
        return planned

    def _new_starts(
        self,
        targets: list[SessionRow],
        session: SessionRow,
        changes: SessionChanges,
        zone: ZoneInfo,
        now: datetime,
    ) -> dict[int, datetime]:
        """New starts, read in the server's current ``zone``: a named date moves every target by
        the same number of days; each keeps its own time of day unless a time is named."""
        if changes.date is None and changes.time is None:
            return {}
        local = session.starts_at.astimezone(zone)
        new_date = parse_date(changes.date) if changes.date is not None else local.date()
        new_clock = parse_clock(changes.time) if changes.time is not None else None
        shift = new_date - local.date()
        starts: dict[int, datetime] = {}
        for target in targets:
            target_local = target.starts_at.astimezone(zone)
            own_clock = target_local.time().replace(second=0, microsecond=0)
            starts_at = to_utc(target_local.date() + shift, new_clock or own_clock, zone)
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
        kinds: tuple[Kind, ...] = (Kind.REMINDER, Kind.CLOSE, Kind.CHECK_IN)
        if not announced:
            kinds += (Kind.ANNOUNCEMENT,)
        superseded = await self._deliveries.supersede(fresh.id, kinds, "session time changed")
        planned = await self._deliveries.plan_session(
            fresh, config.reminder_offsets, config.announce_days, now, announce=not announced
        )
        # Everyone who may have heard of the old start is told, whatever became of the
        # announcement; the outbox skips it if nobody can have (never announced, no answers).
        if fresh.starts_at != old.starts_at:
            planned.append(
                await self._deliveries.add_notice(
                    fresh, TimeChange(old.starts_at, fresh.starts_at), now
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

    async def roles_gone(self, guild_id: int, role_ids: frozenset[int]) -> list[int]:
        """Upcoming sessions of the server whose answer role or attendee role is not among
        ``role_ids`` (the server's roles now: one was deleted, maybe while Pacer was down) lose
        it. A deleted answer role can be given to nobody, so keeping it would shut every member
        out for good: the session opens to everyone, and the announcement, redrawn, no longer
        names the role. A deleted attendee role has nothing left to give or take.

        Returns the ids of the sessions changed (their announcements are out of date).
        """
        now = self._clock.now()
        changed: list[int] = []
        async with self._db.transaction():
            for session in await self._sessions.upcoming_with_roles(guild_id, now):
                values: dict[str, object] = {}
                if session.answer_role_id is not None and session.answer_role_id not in role_ids:
                    values["answer_role_id"] = None
                if (
                    session.attendee_role_id is not None
                    and session.attendee_role_id not in role_ids
                ):
                    values["attendee_role_id"] = None
                if values:
                    await self._sessions.update(session.id, now, **values)
                    changed.append(session.id)
        if changed:
            log.info(
                "Guild %d: %d sessions lost a deleted role (answers open to all)",
                guild_id,
                len(changed),
            )
        return changed

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
        now = self._clock.now()
        session = await self.resolve(guild_id, reference, actor)
        cleaned = _text(reason, "reason", MAX_REASON, "track closed for a meet", required=False)
        targets = await self._targets(session, scope, now)
        planned: list[tuple[int, datetime]] = []
        disarm: list[int] = []
        cancelled: list[SessionRow] = []
        async with self._db.transaction():
            for target in targets:
                await self._sessions.cancel(target.id, cleaned, now)
                disarm += await self._deliveries.supersede(
                    target.id,
                    # The check-in window's edges would only redraw a cancelled announcement.
                    (Kind.ANNOUNCEMENT, Kind.REMINDER, Kind.TIME_CHANGE, Kind.CLOSE, Kind.CHECK_IN),
                    "session cancelled",
                )
                fresh = await self._fresh(target.id)
                cancelled.append(fresh)
                # Told whether the announcement exists, was deleted or never went out; skipped
                # by the outbox only if nobody can have heard of the session.
                planned.append(await self._deliveries.add_notice(fresh, CancelNotice(cleaned), now))
                if fresh.attendee_role_id is not None:
                    # Cancelled: members going lose the role now, unless another session gives it.
                    planned += await self._deliveries.plan_attendee_role(
                        fresh, fresh.attendee_role_id, [None], now
                    )
                if fresh.discord_event_id is not None:
                    planned += await self._deliveries.plan_event(fresh, now)
        self._deliveries.disarm(disarm)
        self._deliveries.arm(planned)
        return Outcome(tuple(cancelled), timezone=config.timezone)

    async def listing(self, actor: Actor, guild_id: int) -> Listing:
        """Upcoming sessions; organizers also see posts that failed and why."""
        config = await self._setup.config(guild_id)
        now = self._clock.now()
        # All of them: those the member cannot view are left out before counting, so sessions
        # behind many private ones are still listed and the reply counts every one not shown.
        upcoming = await self._sessions.upcoming(
            guild_id, now, limit=ALL_UPCOMING, include_cancelled=True
        )
        sessions = [s for s in upcoming if actor.can_view(s.channel_id)]
        shown = {s.id for s in sessions}
        problems: list[str] = []
        if is_organizer(actor, config.organizer_role_id):
            for row in await self._deliveries.problems(guild_id, now):
                if row.session_id not in shown and not actor.can_view(row.channel_id):
                    continue
                retrying = row.status == Status.RETRYING
                problems.append(
                    f"{row.kind.replace('_', ' ')} for session #{row.session_id} "
                    f"{'not posted yet' if retrying else 'not posted'}: "
                    f"{row.last_error or 'unknown error'}"
                    + (f" (trying again {_relative_dt(row.due_at)})" if retrying else "")
                    + ("" if retrying else ". /session retry posts it again")
                )
        mine = await self._rsvps.states_for(actor.user_id, [s.id for s in sessions[:LISTING_LIMIT]])
        return Listing(tuple(sessions), tuple(problems), config.zone, mine)

    async def repost(self, actor: Actor, guild_id: int, reference: str) -> SessionRow:
        """Post a session's announcement again now, for organizers (a moderator deleted it, or
        it scrolled away); the old one, if still there, is deleted just before the new one is
        posted. Answers are kept.

        Raises:
            NotAllowed: unless the member is an organizer.
            NotFound: for a session of another server or none.
            Conflict: the session is cancelled or has started.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        now = self._clock.now()
        session = await self.resolve(guild_id, reference, actor)
        if session.cancelled:
            raise Conflict("That session is cancelled, so there's nothing to repost.")
        if session.starts_at <= now:
            raise Conflict("That session has already started, so it isn't reposted.")
        async with self._db.transaction():
            planned = await self._deliveries.repost(session, now)
        self._deliveries.arm([planned])
        return session

    async def retry(self, actor: Actor, guild_id: int, reference: str) -> int:
        """Post a session's failed (or waiting) posts again now, for organizers.

        Returns how many posts were queued again.

        Raises:
            NotAllowed: unless the member is an organizer.
            NotFound: for a session of another server or none.
            Conflict: the session has started, or has nothing failed to retry.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        session = await self.resolve(guild_id, reference, actor)
        if session.starts_at <= self._clock.now():
            raise Conflict("That session has already started, so its posts are no longer sent.")
        count = await self._deliveries.retry(guild_id, session.id)
        if count == 0:
            raise Conflict(
                f"Nothing to retry for {session.title}: none of its posts failed. "
                "See /session list for failures."
            )
        return count

    async def announced_open(self, guild_ids: Iterable[int]) -> list[SessionRow]:
        """Announced sessions of these servers that still take RSVPs (not started, not
        cancelled), nearest first: one indexed read for every server."""
        wanted = set(guild_ids)
        found = await self._sessions.announced_upcoming(self._clock.now())
        return [session for session in found if session.guild_id in wanted]

    async def roster(
        self, actor: Actor, guild_id: int, reference: str
    ) -> tuple[SessionRow, Roster]:
        """Everyone's answer for a session of this server whose channel the member can view.

        Raises:
            NotFound: for a session of another server, of a channel they can't view, or none.
        """
        session = await self.resolve(guild_id, reference, actor)
        return session, await self._rsvps.roster(session.id)

    async def remove_answer(
        self, actor: Actor, guild_id: int, reference: str, user_id: int
    ) -> RsvpResult:
        """Organizers: take a member's answer off a session (see
        :meth:`RsvpService.remove_answer`).

        Raises:
            NotAllowed, NotFound, Conflict: as :meth:`RsvpService.remove_answer`, and NotFound
                for a session the organizer can't see.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        session = await self.resolve(guild_id, reference, actor)
        return await self._rsvps.remove_answer(actor, session, user_id)

    async def export(self, actor: Actor, guild_id: int, reference: str) -> tuple[str, bytes]:
        """The roster as a CSV file, for organizers.

        Raises:
            NotFound: for a session of another server or none.
            NotAllowed: unless the member is an organizer.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        session = await self.resolve(guild_id, reference, actor)
        return await self._rsvps.export_csv(actor, session)

    async def suggestions(self, guild_id: int, current: str, actor: Actor) -> list[tuple[str, str]]:
        """(label, value) pairs for session autocomplete: upcoming ones matching the text, in
        channels the member can view, with starts in the server's current zone."""
        config = await self._setup.config(guild_id)
        needle = " ".join(current.lower().split())[:100]
        found = []
        for session in await self._sessions.upcoming(
            guild_id, self._clock.now(), limit=ALL_UPCOMING
        ):
            if not actor.can_view(session.channel_id):
                continue
            series = f" (week {session.position} of {session.weeks})" if session.weeks > 1 else ""
            head = f"{format_local(session.starts_at, config.zone)} · "
            tail = f"{series} #{session.id}"
            label = head + shorten(session.title, 100 - len(head) - len(tail)) + tail
            if not needle or needle in label.lower() or needle.lstrip("#") == str(session.id):
                found.append((label[:100], str(session.id)))
            if len(found) == 25:
                break
        return found

    async def date_choices(self, guild_id: int, current: str) -> list[tuple[str, str]]:
        config = await self._setup.config(guild_id)
        today = self._clock.now().astimezone(config.zone).date()
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
        workout = session.workout
        if workout is None:
            raise InvalidInput(
                "This session has no workout set, so there are no paces to give. "
                "Try /pace workout, like workout: 6x800 @ I w/ 400 jog."
            )
        if not session.workout_parsed:
            raise InvalidInput(
                f"This session's workout is free text ('{shorten(workout, 60)}'), so I can't "
                "time it. Try /pace workout with the reps, like 6x800 @ I w/ 400 jog."
            )
        try:
            return await self._workouts.plan_for(user_id, workout, guild_id=guild_id)
        except NotFound:
            raise NotFound(
                "You haven't saved a race yet, so I can't set your paces. Save one with "
                "/profile set, like race: 5K time: 22:30, then click My paces again. Or time "
                f"this session's workout now with /pace workout workout: {workout} race: 5K "
                "time: 22:30 (your own race and time)."
            ) from None

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
            duration_minutes=session.duration_s // 60,
            timezone=session.timezone,
            location=session.location,
            description=description,
            url=jump_url(session.guild_id, session.channel_id, session.announcement_message_id),
            cancelled=session.cancelled,
            sequence=session.version,
        )
        return (
            ics_filename(session.title, session.starts_at, session.timezone),
            session_ics(event, self._clock.now()),
        )


#: Of the sessions /session list shows, how many carry the member's own answer: more lines
#: than this never fit in one reply (the reply counts the rest).
LISTING_LIMIT = 200
#: "Every upcoming session" when reading them: filtering by what a member can view comes after.
ALL_UPCOMING = 100_000


def shorten(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at a word boundary with "…", never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:·-") + "…"


def _differences(before: SessionRow, after: SessionRow, zone: ZoneInfo) -> tuple[FieldChange, ...]:
    """What an edit changed on one occurrence, in words (starts in the server's zone)."""
    found: list[FieldChange] = []
    if before.starts_at != after.starts_at:
        found.append(
            FieldChange(
                "start",
                format_in_zone(before.starts_at, zone),
                format_in_zone(after.starts_at, zone),
            )
        )
    for name in ("title", "location", "capacity", "details", "workout"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            found.append(FieldChange(name, _shown(old), _shown(new)))
    if before.duration_s != after.duration_s:
        found.append(
            FieldChange("duration", minutes_text(before.duration_s), minutes_text(after.duration_s))
        )
    if before.channel_id != after.channel_id:
        found.append(FieldChange("channel", f"<#{before.channel_id}>", f"<#{after.channel_id}>"))
    for name, label in (("answer_role_id", "role"), ("attendee_role_id", "attendee role")):
        old_role, new_role = getattr(before, name), getattr(after, name)
        if old_role != new_role:
            found.append(FieldChange(label, _role_text(old_role), _role_text(new_role)))
    if before.rsvp_closes_s != after.rsvp_closes_s:
        found.append(
            FieldChange(
                "answers close", closes_text(before.rsvp_closes_s), closes_text(after.rsvp_closes_s)
            )
        )
    return tuple(found)


def _role_text(role_id: int | None) -> str:
    return "none" if role_id is None else f"<@&{role_id}>"


def closes_text(closes_s: int) -> str:
    """When answers close, in words: "at the start", "2 h before the start"."""
    if not closes_s:
        return "at the start"
    days, rest = divmod(closes_s, 86400)
    if days and not rest:
        return f"{days} day{'s' if days > 1 else ''} before the start"
    return f"{minutes_text(closes_s)} before the start"


def minutes_text(duration_s: int) -> str:
    """A length in words: "1 h 30 min", "45 min", "2 h"."""
    hours, minutes = divmod(duration_s // 60, 60)
    return (
        " ".join(
            part
            for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "")
            if part
        )
        or "0 min"
    )


def _shown(value: object) -> str:
    return "none" if value is None else str(value)


def _relative_dt(instant: datetime) -> str:
    return f"<t:{int(instant.timestamp())}:R>"


def jump_url(guild_id: int, channel_id: int, message_id: int | None) -> str | None:
    """The link to a message, as Discord builds it."""
    if message_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"
