"""The outbox's database half: planning, claiming and recording everything the bot posts.

Every post is a row written in the same transaction as the change that caused it. Sending is:
decide (against the current state), claim with a short lease and the post's fingerprint, post,
record the message id. A row whose outcome is unknown (the recording failed, or the process
died) is found again when its lease runs out, and the publisher looks for the post in the
channel before anything is re-sent. No discord here: see :mod:`bot.outbox.publisher`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.db.deliveries_repo import Claim, DeliveriesRepo, DeliveryRow, NewDelivery
from bot.db.dm_reminders_repo import DmRemindersRepo
from bot.db.guilds_repo import GuildsRepo
from bot.db.replans_repo import ReplansRepo
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.attendance import CheckinWindow, Window
from bot.domain.duration import MAX_MINUTES
from bot.domain.rsvp import Roster, build_roster
from bot.domain.schedule import plan_deliveries
from bot.outbox.kinds import (
    IN_THREAD,
    KINDS,
    Announcement,
    AttendeeRole,
    CheckIn,
    Close,
    Current,
    DiscordEvent,
    Kind,
    Mentions,
    Payload,
    Reminder,
    ReminderDm,
    Status,
    ThreadStep,
    TimeChange,
    decide,
    decode,
    encode,
    nonce,
    spec,
)
from bot.outbox.views import GroupsView, PostView, SessionView, WorkoutView

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)

#: Transient failures (server errors, network): tries, and the waits between them.
MAX_ATTEMPTS = 6
BACKOFF_S = (60, 300, 900, 1800, 3600)
#: Missing permission or channel: retried until the session starts, waiting longer each time,
#: and at once when organizers change the server's setup or use /session retry.
ACCESS_BACKOFF_S = (300, 900, 3600, 3 * 3600, 6 * 3600)
#: How long after a session's end its thread is archived.
ARCHIVE_AFTER = timedelta(days=1)
#: What acts after the start (Discord events, threads, attendee roles) is retried until this
#: long after the end, and shown to organizers meanwhile.
AFTER_END_RETRY = timedelta(days=2)
#: The longest session (so the sessions that can still be running are found by their start).
MAX_SESSION = timedelta(minutes=MAX_MINUTES)
#: How long a claim may stay unrecorded before its outcome is looked up.
LEASE = timedelta(minutes=2)
#: A row another process was claiming at that instant is looked at again this much later.
LOOK_AGAIN = timedelta(seconds=5)

#: Sessions re-planned per transaction after a settings change (about 6 rows each).
REPLAN_CHUNK = 100

Armer = Callable[[int, datetime], None]
#: ``guild_id`` -> (reminder lead times in seconds, announce-ahead days), defaults filled in.
SettingsOf = Callable[[int], Awaitable[tuple[tuple[int, ...], int]]]
#: ``(session_id, user_ids)`` -> those of them who left the server.
Departed = Callable[[int, Sequence[int]], Awaitable[frozenset[int]]]
#: ``guild_id`` -> the server's check-in window.
WindowOf = Callable[[int], Awaitable[CheckinWindow]]
#: ``session_id`` -> its published pace groups as the announcement shows them, or None.
GroupsOf = Callable[[int], Awaitable[GroupsView | None]]


@dataclass(frozen=True, slots=True)
class Job:
    """A due delivery that should go out: its row, typed payload and what to draw."""

    delivery: DeliveryRow
    payload: Payload
    view: PostView

    @property
    def nonce(self) -> str:
        return nonce(self.delivery.id)

    @property
    def kind(self) -> Kind:
        return Kind(self.delivery.kind)

    @property
    def outcome_unknown(self) -> bool:
        """A previous attempt claimed the row and never recorded what happened."""
        return self.delivery.status == Status.CLAIMED


def workout_display(name: str | None, lines: Iterable[str]) -> str:
    """How a parsed workout is stored for display (see :func:`session_view`)."""
    return json.dumps({"name": name, "lines": list(lines)})


def session_view(
    session: SessionRow,
    *,
    with_workout: bool = True,
    answers_closed: bool = False,
    check_in_open: bool = True,
) -> SessionView:
    """The view model of a session row (``with_workout=False``: posts that don't show it;
    ``answers_closed``: the session has started, drawn with its answers closed).

    Raises:
        ValueError: a parsed workout without its saved display lines (written before they were
            saved, or damaged): the row is failed with this reason rather than re-parsed.
    """
    workout = None
    if session.workout is not None and with_workout:
        if session.workout_parsed:
            if not session.workout_display:
                raise ValueError(
                    "the workout's display lines were never saved; edit the workout to fix it"
                )
            shown = json.loads(session.workout_display)
            workout = WorkoutView(
                text=session.workout,
                name=shown.get("name"),
                lines=tuple(str(line) for line in shown.get("lines", ())),
                parsed=True,
            )
        else:
            workout = WorkoutView(text=session.workout)
    return SessionView(
        id=session.id,
        guild_id=session.guild_id,
        channel_id=session.channel_id,
        title=session.title,
        location=session.location,
        starts_at=session.starts_at,
        details=session.details,
        workout=workout,
        capacity=session.capacity,
        position=session.position,
        weeks=session.weeks,
        cancelled=session.cancelled,
        cancel_reason=session.cancel_reason,
        announcement_message_id=session.announcement_message_id,
        answers_closed=answers_closed,
        check_in_open=check_in_open,
        answers_close_at=session.answers_close_at if session.rsvp_closes_s else None,
        answer_role_id=session.answer_role_id,
        attendee_role_id=session.attendee_role_id,
    )


class OutboxService:
    def __init__(
        self,
        db: Database,
        deliveries: DeliveriesRepo,
        sessions: SessionsRepo,
        rsvps: RsvpsRepo,
        *,
        clock: Clock,
        guilds: GuildsRepo | None = None,
        dm_reminders: DmRemindersRepo | None = None,
    ) -> None:
        """``guilds``: the servers' settings (whether sessions are mirrored in Discord's
        events); without it, they are (the default). ``dm_reminders``: who wants reminders by
        DM; without it, nobody gets them."""
        self._db = db
        self._dm_reminders = dm_reminders
        self._guilds = guilds
        self._deliveries = deliveries
        self._sessions = sessions
        self._rsvps = rsvps
        self._clock = clock
        self._armer: Armer | None = None
        self._disarmer: Callable[[int], None] | None = None
        self._within: Callable[[datetime], bool] | None = None
        self._departed: Departed | None = None
        self._groups_of: GroupsOf | None = None
        self._window_of: WindowOf | None = None
        self._replans = ReplansRepo(db, deliveries.shards)
        self._settings_of: SettingsOf | None = None
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._kicked: set[int] = set()

    # -- scheduling ------------------------------------------------------------------------------

    def connect_scheduler(
        self,
        arm: Armer,
        disarm: Callable[[int], None],
        within: Callable[[datetime], bool] | None = None,
    ) -> None:
        """Tell the service how to arm and disarm jobs, and which due instants are within the
        scheduler's horizon (set by the composition root)."""
        self._armer, self._disarmer, self._within = arm, disarm, within

    def connect_members(self, departed: Departed) -> None:
        """Tell the service who left a server (set by the composition root: the RSVP service,
        which also takes their answers off and moves the waitlist up)."""
        self._departed = departed

    def connect_groups(self, groups_of: GroupsOf) -> None:
        """Tell the service where announcements read their published pace groups (set by the
        composition root: the groups service)."""
        self._groups_of = groups_of

    def connect_check_in(self, window_of: WindowOf) -> None:
        """Tell the service each server's check-in window (set by the composition root: the
        attendance service). Without it, "I'm here" is always shown and no edges are planned."""
        self._window_of = window_of

    async def _window(self, guild_id: int) -> CheckinWindow | None:
        return None if self._window_of is None else await self._window_of(guild_id)

    async def _check_in_open(self, session: SessionRow) -> bool:
        window = await self._window(session.guild_id)
        if window is None:
            return True
        return window.state(session.starts_at, self._clock.now()) is Window.OPEN

    async def _groups(self, session: SessionRow) -> GroupsView | None:
        if self._groups_of is None or session.cancelled:
            return None
        return await self._groups_of(session.id)

    def arm(self, planned: Iterable[tuple[int, datetime]]) -> None:
        """Arm jobs for rows just committed that fall due within the scheduler's horizon; the
        periodic sweep arms the rest as they come near, so memory holds only the horizon."""
        if self._armer is None:
            return
        for delivery_id, due_at in planned:
            if self._within is None or self._within(due_at):
                self._armer(delivery_id, due_at)

    def disarm(self, delivery_ids: Iterable[int]) -> None:
        if self._disarmer is None:
            return
        for delivery_id in delivery_ids:
            self._disarmer(delivery_id)

    # -- writing rows (inside the caller's transaction) -------------------------------------------

    async def plan_session(
        self,
        session: SessionRow,
        offsets: tuple[int, ...],
        announce_days: int,
        now: datetime,
        *,
        announce: bool = True,
    ) -> list[tuple[int, datetime]]:
        """Write the announcement (unless already posted), reminder and close rows for
        ``session``. Callers re-planning a session supersede its open rows of those kinds first.

        Call inside the caller's transaction; arm the returned rows after it commits.
        """
        planned = []
        window = await self._window(session.guild_id)
        for new in self._plan_rows(
            session, offsets, announce_days, now, announce=announce, window=window
        ):
            planned.append((await self._deliveries.add(new, now), new.due_at))
        return planned

    def _plan_rows(
        self,
        session: SessionRow,
        offsets: tuple[int, ...],
        announce_days: int,
        now: datetime,
        *,
        announce: bool,
        window: CheckinWindow | None = None,
    ) -> list[NewDelivery]:
        # "On the day" (announce-ahead 0) is midnight in the session's own zone.
        plan = plan_deliveries(
            session.starts_at, now, offsets, announce_days, ZoneInfo(session.timezone)
        )
        payloads: list[tuple[Payload, datetime]] = []
        if announce:
            payloads.append((Announcement(), plan.announce_due))
        payloads += [(Reminder(offset_s=offset_s), due_at) for offset_s, due_at in plan.reminders]
        payloads.append(self._close_row(session, now))
        if window is not None:
            payloads += [(edge, edge.at) for edge in check_in_edges(session, window, now)]
        return [_new_row(session, payload, due_at) for payload, due_at in payloads]

    @staticmethod
    def _close_row(session: SessionRow, now: datetime) -> tuple[Payload, datetime]:
        """Answers close at the start, or ``rsvp_closes_s`` before it (at once if that passed)."""
        return Close(starts_at=session.starts_at), max(now, session.answers_close_at)

    async def replan_close(self, session: SessionRow, now: datetime) -> list[tuple[int, datetime]]:
        """When answers close changed: the open close row is replaced (inside the caller's
        transaction; arm the returned rows after it commits)."""
        self.disarm(
            await self._deliveries.supersede_pending(
                session.id, (Kind.CLOSE.value,), "answers close at another time"
            )
        )
        payload, due_at = self._close_row(session, now)
        return [await self._add(session, payload, due_at, now)]

    async def plan_attendee_role(
        self, session: SessionRow, role_id: int, user_ids: Iterable[int | None], now: datetime
    ) -> list[tuple[int, datetime]]:
        """Rows that bring ``role_id`` in step now for each of ``user_ids`` (None: everyone
        going to the session). Inside the caller's transaction; arm the result after it
        commits."""
        return [
            await self._add(session, AttendeeRole(role_id=role_id, user_id=user_id), now, now)
            for user_id in user_ids
        ]

    async def plan_attendee_end(
        self, session: SessionRow, now: datetime
    ) -> list[tuple[int, datetime]]:
        """At the session's end its attendee role is taken from the members going (those
        going to another session with the role that has not ended keep it). A row left at an
        old end by an edit is harmless: it takes the role only from whom the sessions no
        longer give it. Nothing when the session has no attendee role."""
        role_id = session.attendee_role_id
        if role_id is None:
            return []
        return [await self._add(session, AttendeeRole(role_id=role_id), session.ends_at, now)]

    async def plan_missing_closes(self, lookback: timedelta = timedelta(days=7)) -> int:
        """At start-up: sessions planned before answers closed by an outbox row get their
        close row (due at their start, so one that started meanwhile, up to ``lookback``
        ago, is closed at once). Returns how many were planned."""
        now = self._clock.now()
        planned = 0
        async with self._db.transaction():
            for session_id in await self._deliveries.sessions_without(
                Kind.CLOSE.value, now - lookback
            ):
                session = await self._sessions.get(session_id)
                if session is not None:
                    closes = Close(starts_at=session.starts_at)
                    await self._add(session, closes, session.starts_at, now)
                    planned += 1
        if planned:
            log.info("Planned closing answers at the start for %d sessions", planned)
        return planned

    async def plan_missing_check_ins(self) -> int:
        """At start-up: sessions planned before the check-in window's edges were get them (a
        session whose window is already open or over is redrawn at once). Returns how many."""
        now = self._clock.now()
        planned: list[tuple[int, datetime]] = []
        sessions = 0
        windows: dict[int, CheckinWindow | None] = {}
        async with self._db.transaction():
            for session_id in await self._deliveries.sessions_without(
                Kind.CHECK_IN.value, now - timedelta(days=1)
            ):
                session = await self._sessions.get(session_id)
                if session is None:
                    continue
                if session.guild_id not in windows:
                    windows[session.guild_id] = await self._window(session.guild_id)
                window = windows[session.guild_id]
                if window is None:
                    continue
                sessions += 1
                for edge in check_in_edges(session, window, now, catch_up=True):
                    planned.append(await self._add(session, edge, edge.at, now))
        self.arm(planned)
        return sessions

    async def replan_check_in(self, guild_id: int) -> int:
        """After the server's check-in window changed: the edges of its sessions still ahead or
        in their window are planned again, and each is redrawn now (its "I'm here" may have to
        appear or go at once). Returns how many sessions."""
        now = self._clock.now()
        window = await self._window(guild_id)
        if window is None:
            return 0
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            # Windows last at most 24 h after the start: sessions that started within a day
            # may still be in theirs.
            sessions = await self._sessions.upcoming(
                guild_id, now - timedelta(days=1), limit=100_000
            )
            for session in sessions:
                if session.cancelled:
                    continue
                self.disarm(
                    await self._deliveries.supersede_pending(
                        session.id, (Kind.CHECK_IN.value,), "check-in window changed"
                    )
                )
                for edge in check_in_edges(session, window, now, catch_up=True):
                    planned.append(await self._add(session, edge, edge.at, now))
        self.arm(planned)
        return len(sessions)

    async def add_notice(
        self, session: SessionRow, payload: Payload, now: datetime
    ) -> tuple[int, datetime]:
        """A notice due now (cancel, time change, promotion); inside the caller's transaction.

        A kind that replaces pending ones (time changes) closes them first; a time change then
        tells the start members last heard of, not the one in between that nobody was told.
        """
        if spec(payload.kind).replaces_pending:
            for older in await self._deliveries.open_of_kind(session.id, payload.kind):
                previous = decode(older.kind, older.payload)
                if isinstance(payload, TimeChange) and isinstance(previous, TimeChange):
                    payload = TimeChange(previous.old_starts_at, payload.new_starts_at)
            replaced = await self._deliveries.supersede_pending(
                session.id, (payload.kind,), "superseded by a later change"
            )
            self.disarm(replaced)
        return await self._add(session, payload, now, now)

    async def _add(
        self, session: SessionRow, payload: Payload, due_at: datetime, now: datetime
    ) -> tuple[int, datetime]:
        return await self._deliveries.add(_new_row(session, payload, due_at), now), due_at

    async def plan_event(self, session: SessionRow, now: datetime) -> list[tuple[int, datetime]]:
        """Rows that keep the session's Discord event in step: now (create, redraw or cancel
        it), at the start (active) and after the end (completed). Open ones are replaced. Inside
        the caller's transaction; arm the returned rows after it commits. Nothing when the
        server turned Discord events off and the session has none."""
        if session.discord_event_id is None and (
            await self.discord_events_setting(session.guild_id) is False
        ):
            return []
        self.disarm(
            await self._deliveries.supersede_pending(
                session.id, (Kind.DISCORD_EVENT.value,), "replaced by a newer sync"
            )
        )
        planned = [await self._add(session, DiscordEvent(), now, now)]
        for instant in (session.starts_at, session.ends_at):
            if instant > now:
                planned.append(await self._add(session, DiscordEvent(), instant, now))
        return planned

    async def plan_thread(self, session: SessionRow, now: datetime) -> list[tuple[int, datetime]]:
        """After the announcement is recorded (inside that transaction): the rows that open the
        session's thread (now, or at its first reminder) and archive it a day after the end.
        Nothing when the server has threads off or the session has one already."""
        when = await self.threads_when(session.guild_id)
        if when is None or session.thread_id is not None:
            return []
        opens_at = now
        if when == "first-reminder":
            reminders = await self._deliveries.open_of_kind(session.id, Kind.REMINDER.value)
            opens_at = max(now, min((r.due_at for r in reminders), default=now))
        self.disarm(
            await self._deliveries.supersede_pending(
                session.id, (Kind.THREAD.value,), "replaced by a newer plan"
            )
        )
        return [
            await self._add(session, ThreadStep("open"), opens_at, now),
            await self._add(session, ThreadStep("archive"), session.ends_at + ARCHIVE_AFTER, now),
        ]

    async def plan_thread_add(
        self, session: SessionRow, user_ids: Iterable[int], now: datetime
    ) -> list[tuple[int, datetime]]:
        """Members who became going once the session's thread is open are added to it, a row
        each (inside the caller's transaction; arm the result after it commits). Nothing when
        the session has no thread."""
        if session.thread_id is None:
            return []
        return [
            await self._add(session, ThreadStep("add", user_id), now, now) for user_id in user_ids
        ]

    async def plan_thread_archive(self, session: SessionRow, due_at: datetime) -> None:
        """Archive the session's thread at ``due_at`` (its end moved later)."""
        async with self._db.transaction():
            planned = await self._add(session, ThreadStep("archive"), due_at, self._clock.now())
        self.arm([planned])

    async def threads_when(self, guild_id: int) -> str | None:
        """When the server opens a thread per session: "announcement", "first-reminder", or
        None (off, the default)."""
        if self._guilds is None:
            return None
        return (await self._guilds.get(guild_id)).threads_when

    async def going(self, session_id: int) -> list[int]:
        """Ids of the members going, in the order they got their place."""
        roster = build_roster(await self._rsvps.roster(session_id))
        return [entry.user_id for entry in roster.going]

    async def thread_done(
        self, delivery: DeliveryRow, thread_id: int | None, reason: str | None
    ) -> None:
        """Record a thread step: a new thread becomes the session's and its open reminders and
        notices move there, in one transaction; the row is done, or skipped with ``reason``."""
        async with self._db.transaction():
            session = await self._sessions.get(delivery.session_id)
            if session is not None and thread_id is not None and session.thread_id != thread_id:
                await self._sessions.set_thread(session.id, thread_id)
                await self._deliveries.move_open(
                    session.id, tuple(kind.value for kind in IN_THREAD), thread_id
                )
            await self.step_done(delivery, reason)

    async def attendee_role_holders(
        self, guild_id: int, role_id: int, user_ids: list[int], now: datetime
    ) -> set[int]:
        """Of ``user_ids``, those who should hold attendee role ``role_id`` at ``now``."""
        return await self._sessions.attendee_role_holders(
            guild_id, role_id, user_ids, now, MAX_SESSION
        )

    async def step_done(self, delivery: DeliveryRow, reason: str | None) -> None:
        """Record a step that acts on Discord (not a post): done, or skipped with ``reason``."""
        if reason is None:
            await self._deliveries.record_done(delivery.id, self._clock.now())
        else:
            await self._deliveries.close(delivery.id, Status.SKIPPED, reason[:300])

    async def thread_gone(self, job: Job, error: str) -> bool:
        """A post to the session's thread found it deleted: the session forgets the thread, its
        open reminders and notices (this one included) go back to the channel, and this one is
        due again now. Returns False when the post was not for the session's thread."""
        session = await self._sessions.get(job.delivery.session_id)
        if session is None or session.thread_id != job.delivery.channel_id:
            return False
        now = self._clock.now()
        async with self._db.transaction():
            await self._sessions.set_thread(session.id, None)
            await self._deliveries.retry_later(job.delivery.id, now, f"thread gone: {error}")
            await self._deliveries.move_open(
                session.id, tuple(kind.value for kind in IN_THREAD), session.channel_id
            )
        log.warning("Thread of session %d was deleted; posting in its channel", session.id)
        self.arm([(job.delivery.id, now)])
        return True

    async def mirror_announced(self) -> int:
        """At start-up: sessions announced before Pacer mirrored them in Discord's events get
        their rows now (once: a session that had any is left to them). Returns how many."""
        now = self._clock.now()
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            sessions = await self._sessions.announced_never_mirrored(now)
            for session in sessions:
                planned += await self.plan_event(session, now)
        self.arm(planned)
        return len(sessions)

    async def discord_events_setting(self, guild_id: int) -> bool | None:
        """The server's choice: True, False, or None (on when Pacer has Manage Events)."""
        if self._guilds is None:
            return None
        return (await self._guilds.get(guild_id)).discord_events

    async def event_synced(
        self, delivery: DeliveryRow, event_id: int | None, reason: str | None
    ) -> None:
        """Record a Discord event sync: the event now mirroring the session (or none), and the
        row done, or skipped with ``reason``."""
        async with self._db.transaction():
            session = await self._sessions.get(delivery.session_id)
            if session is not None and session.discord_event_id != event_id:
                await self._sessions.set_discord_event(session.id, event_id)
            await self.step_done(delivery, reason)
        if reason is not None:
            log.info("Discord event of session %d: %s", delivery.session_id, reason)

    async def event_gave_way(self, event_id: int, retry_at: datetime) -> None:
        """A farther session's event was deleted to mirror a nearer one: it tries again at
        ``retry_at`` (and is shown to organizers as waiting meanwhile)."""
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            session = await self._sessions.by_discord_event(event_id)
            if session is None:
                return
            await self._sessions.set_discord_event(session.id, None)
            row_id, _ = await self._add(session, DiscordEvent(), retry_at, self._clock.now())
            planned.append((row_id, retry_at))
        self.arm(planned)

    async def supersede(self, session_id: int, kinds: tuple[str, ...], reason: str) -> list[int]:
        """Close open rows of ``kinds`` for the session; disarm the returned ids."""
        return await self._deliveries.supersede_pending(session_id, kinds, reason)

    # -- sending ---------------------------------------------------------------------------------

    async def recover(self) -> int:
        """At start-up (this process holds the database): claims left by a process that died
        are looked up at once rather than after their lease."""
        now = self._clock.now()
        expired = await self._deliveries.expire_claims(now)
        if expired:
            log.warning(
                "Looking up %d posts interrupted by a crash before re-sending", len(expired)
            )
            self.arm((delivery_id, now) for delivery_id in expired)
        return len(expired)

    async def due(self, now: datetime) -> list[DeliveryRow]:
        return await self._deliveries.due(now)

    async def due_within(self, instant: datetime) -> list[DeliveryRow]:
        return await self._deliveries.open_due_before(instant)

    async def prepare(
        self, delivery: DeliveryRow, now: datetime, due: list[DeliveryRow]
    ) -> Job | None:
        """Check a due row against the current state and build what it will show.

        Returns None when the row was closed instead (skipped with its reason, or failed because
        it can't be read). ``due`` is every row due now, for the one-of-several rule.
        """
        if await self._planned_before_change(delivery):
            return None
        if await self._waits_for_announcement(delivery, now):
            return None
        try:
            payload = decode(delivery.kind, delivery.payload, delivery.offset_s)
        except ValueError as exc:
            await self.fail_for_good(delivery.id, f"the stored post can't be read ({exc})")
            return None
        if spec(delivery.kind).redraws:
            await self._close_answers(delivery, payload, now)
            return None
        if not spec(delivery.kind).posts:
            await self._deliveries.close(delivery.id, Status.SKIPPED, "nothing to post")
            return None
        session = await self._sessions.get(delivery.session_id)
        if session is None:
            await self._deliveries.close(delivery.id, Status.SKIPPED, "session no longer exists")
            return None
        rules = spec(delivery.kind)
        member_state = None
        member_id = getattr(payload, "user_id", None)
        if isinstance(member_id, int):
            states = await self._rsvps.states_for_user(member_id, [session.id])
            member_state = states[session.id].value if session.id in states else None
        roster, members = await self._audience(session, rules.pings_members)
        audience = sum(len(ids) for ids in members.values())
        current = Current(
            starts_at=session.starts_at,
            cancelled=session.cancelled,
            member_state=member_state,
            announced=(
                session.announcement_message_id is not None
                or await self._deliveries.announced(session.id)
            ),
            audience=audience,
            later_reminder_due=any(
                other.session_id == delivery.session_id
                and other.kind == delivery.kind
                and other.id != delivery.id
                and other.status != Status.CLAIMED
                and (other.offset_s or 0) < (delivery.offset_s or 0)
                for other in due
            ),
        )
        decision = decide(delivery.kind, payload, min(delivery.due_at, now), now, current)
        if not decision.send:
            reason = decision.reason or "skipped"
            await self._deliveries.close(delivery.id, Status.SKIPPED, reason)
            log.info("Skipped delivery %d (%s): %s", delivery.id, delivery.kind, reason)
            return None
        try:
            view = session_view(
                session,
                with_workout=rules.shows_roster,
                check_in_open=await self._check_in_open(session),
            )
        except ValueError as exc:
            await self.fail_for_good(delivery.id, f"can't be drawn: {exc}")
            return None
        view_model = PostView(
            view,
            going=members["going"],
            roster=roster if rules.shows_roster else None,
            waitlist=members["waitlist"],
            maybe=members["maybe"],
            groups=await self._groups(session) if rules.shows_roster else None,
        )
        return Job(delivery=delivery, payload=payload, view=view_model)

    async def _waits_for_announcement(self, delivery: DeliveryRow, now: datetime) -> bool:
        """A reminder whose session's announcement is still to go out (pending, or retried
        after a failure) is moved to just after that announcement's next try, so a channel
        never reads a reminder before the announcement it points to (True). An announcement
        that failed for good holds nothing; one whose outcome is unknown is looked up first
        anyway (it is due earlier, in the same channel)."""
        if delivery.kind not in _AFTER_ANNOUNCEMENT:  # (an unreadable kind fails later)
            return False
        waiting = await self._deliveries.open_of_kind(delivery.session_id, Kind.ANNOUNCEMENT.value)
        if not waiting:
            return False
        after = max(now, min(row.due_at for row in waiting)) + AFTER_ANNOUNCEMENT
        if await self._deliveries.postpone(delivery.id, after):
            self.arm([(delivery.id, after)])
        log.info(
            "Delivery %d (%s) waits for its announcement until %s",
            delivery.id,
            delivery.kind,
            after,
        )
        return True

    async def _close_answers(self, delivery: DeliveryRow, payload: Payload, now: datetime) -> None:
        """Answers close at the start (and the check-in window opens or closes, the same way):
        the announcement is marked out of date, so the editor
        redraws it closed (see :func:`session_view`), and the row is recorded sent with the
        announcement's id, in one transaction. Nothing is claimed: the redraw ends on what the
        database holds, so doing it again after a crash changes nothing members see."""
        session = await self._sessions.get(delivery.session_id)
        if session is None:
            await self._deliveries.close(delivery.id, Status.SKIPPED, "session no longer exists")
            return
        message_id = session.announcement_message_id
        current = Current(
            starts_at=session.starts_at,
            cancelled=session.cancelled,
            announced=message_id is not None,
        )
        decision = decide(delivery.kind, payload, min(delivery.due_at, now), now, current)
        if not decision.send or message_id is None:
            reason = decision.reason or "skipped"
            await self._deliveries.close(delivery.id, Status.SKIPPED, reason)
            log.info("Skipped delivery %d (%s): %s", delivery.id, delivery.kind, reason)
            return
        async with self._db.transaction():
            if delivery.kind == Kind.CLOSE:
                await self._deliveries.record_sent(delivery.id, message_id, now)
            else:
                # Several edges redraw one message: none of them is that message's post.
                await self._deliveries.record_done(delivery.id, now)
            await self._sessions.touch(session.id)
        if delivery.kind == Kind.CLOSE:
            log.info("Answers closed for session %d (delivery %d)", session.id, delivery.id)
        else:
            log.info("Check-in window edge for session %d (delivery %d)", session.id, delivery.id)

    async def _audience(
        self, session: SessionRow, pings_members: bool
    ) -> tuple[Roster, dict[str, tuple[int, ...]]]:
        """The roster, and the member ids of each group still in the server (going, waitlist,
        maybe). Members who left are not pinged (and lose their place)."""
        roster = build_roster(await self._rsvps.roster(session.id))
        gone: frozenset[int] = frozenset()
        if pings_members and self._departed is not None:
            gone = await self._departed(session.id, [e.user_id for e in roster.everyone])
            if gone:
                roster = build_roster(await self._rsvps.roster(session.id))
        members = {
            name: tuple(entry.user_id for entry in entries if entry.user_id not in gone)
            for name, entries in (
                ("going", roster.going),
                ("waitlist", roster.waitlist),
                ("maybe", roster.maybe),
            )
        }
        return roster, members

    async def redraw(self, delivery: DeliveryRow) -> tuple[Payload, PostView] | None:
        """What ``delivery`` shows now, without deciding or closing anything (to work out who a
        post found after an unknown outcome left unpinged). None if it can't be drawn."""
        try:
            payload = decode(delivery.kind, delivery.payload, delivery.offset_s)
        except ValueError:
            return None
        session = await self._sessions.get(delivery.session_id)
        if session is None:
            return None
        rules = spec(delivery.kind)
        roster, members = await self._audience(session, rules.pings_members)
        try:
            view = session_view(
                session,
                with_workout=rules.shows_roster,
                check_in_open=await self._check_in_open(session),
            )
        except ValueError:
            return None
        return payload, PostView(
            view,
            going=members["going"],
            roster=roster if rules.shows_roster else None,
            waitlist=members["waitlist"],
            maybe=members["maybe"],
            groups=await self._groups(session) if rules.shows_roster else None,
        )

    async def claim(self, job: Job, fingerprint: str, now: datetime) -> Job | None:
        """Take the row for sending with a lease; None if another sender has it."""
        taken = await self._deliveries.claim(
            job.delivery.id, job.delivery.status, fingerprint, now, now + LEASE
        )
        if taken is Claim.BUSY:
            # Another process is claiming it this instant (a rolling restart's overlap): look
            # again shortly, in case its claim does not go through.
            self.arm([(job.delivery.id, now + LOOK_AGAIN)])
            return None
        if taken is not Claim.TAKEN:
            return None
        claimed = await self._deliveries.get(job.delivery.id)
        return None if claimed is None else Job(claimed, job.payload, job.view)

    async def hold(self, delivery: DeliveryRow, now: datetime) -> bool:
        """Keep an unknown-outcome claim while it is looked up (another sender may not take it)."""
        if delivery.claimed_at is None:
            return False
        return await self._deliveries.extend_lease(delivery.id, delivery.claimed_at, now + LEASE)

    async def known_messages(self, channel_id: int, since: datetime) -> set[int]:
        """Messages already recorded in this channel since ``since`` (never adopted twice)."""
        return await self._deliveries.sent_message_ids(channel_id, since)

    async def sent(
        self,
        delivery: DeliveryRow,
        message_id: int,
        now: datetime,
        continuations: Iterable[tuple[int, ...]] = (),
    ) -> None:
        """Record the post, in one transaction with what follows from it: an announcement
        becomes the session's (reactions on an older one no longer count), and members who did
        not fit in a notice get continuation rows, due now (armed here)."""
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            await self._deliveries.record_sent(delivery.id, message_id, now)
            if delivery.kind == Kind.ANNOUNCEMENT:
                await self._sessions.set_announcement(delivery.session_id, message_id)
                await self._rsvps.forget_seen(delivery.session_id)
                announced = await self._sessions.get(delivery.session_id)
                if announced is not None and not announced.cancelled:
                    planned += await self.plan_event(announced, now)
                    planned += await self.plan_thread(announced, now)
            if delivery.kind == Kind.REMINDER:
                planned += await self._plan_reminder_dms(delivery, now)
            for part, user_ids in enumerate(continuations, start=2):
                new = NewDelivery(
                    guild_id=delivery.guild_id,
                    session_id=delivery.session_id,
                    kind=Kind.MENTIONS.value,
                    due_at=now,
                    channel_id=delivery.channel_id,
                    payload=encode(Mentions(user_ids=user_ids, part=part)),
                )
                planned.append((await self._deliveries.add(new, now), now))
        self.arm(planned)

    async def _plan_reminder_dms(
        self, delivery: DeliveryRow, now: datetime
    ) -> list[tuple[int, datetime]]:
        """With a reminder recorded (same transaction, so exactly once): the same reminder by DM
        to each member going who asked for reminders by DM."""
        if self._dm_reminders is None:
            return []
        session = await self._sessions.get(delivery.session_id)
        if session is None:
            return []
        wanting = await self._dm_reminders.wanting(await self.going(session.id))
        offset_s = delivery.offset_s or 0
        return [
            await self._add(session, ReminderDm(user_id=user_id, offset_s=offset_s), now, now)
            for user_id in wanting
        ]

    async def dm_closed(self, delivery: DeliveryRow, user_id: int, error: str) -> None:
        """A DM reminder bounced: the row is skipped (never retried) and the member's DM
        reminders stop until they turn them on again (they are told once)."""
        now = self._clock.now()
        async with self._db.transaction():
            await self._deliveries.close(
                delivery.id, Status.SKIPPED, f"the member's DMs are closed ({error})"[:300]
            )
            if self._dm_reminders is not None:
                await self._dm_reminders.mark_closed(user_id, now)
        log.info(
            "DM reminder %d bounced: DMs closed; DM reminders off for that member", delivery.id
        )

    async def failed(
        self, job: Job, error: str, now: datetime, *, access: bool = False
    ) -> datetime | None:
        """Record a failed send and plan the next try.

        Transient failures get :data:`MAX_ATTEMPTS` tries spaced by :data:`BACKOFF_S`; missing
        access (permission, channel) is retried until the session starts, spaced by
        :data:`ACCESS_BACKOFF_S`. Returns the next try's time to arm, or None when the row is
        closed as failed. Either way it is shown to organizers.
        """
        attempts = job.delivery.attempts
        if not access and attempts >= MAX_ATTEMPTS:
            await self.fail_for_good(job.delivery.id, error)
            return None
        waits = ACCESS_BACKOFF_S if access else BACKOFF_S
        retry_at = now + timedelta(seconds=waits[min(attempts - 1, len(waits) - 1)])
        if retry_at >= await self._retry_deadline(job):
            await self.fail_for_good(job.delivery.id, error)
            return None
        await self._deliveries.retry_later(job.delivery.id, retry_at, error)
        log.warning("Delivery %d failed (%s); retrying at %s", job.delivery.id, error, retry_at)
        return retry_at

    async def skip(self, delivery_id: int, reason: str) -> None:
        """Close a claimed row without sending, by a stated rule (a DM-only note whose
        member's DMs are closed)."""
        await self._deliveries.close(delivery_id, Status.SKIPPED, reason[:300])
        log.info("Skipped delivery %d: %s", delivery_id, reason)

    async def _retry_deadline(self, job: Job) -> datetime:
        """Posts are worth retrying until the start; what acts after the start (a Discord
        event, a thread, an attendee role) until :data:`AFTER_END_RETRY` after the end."""
        if not spec(job.delivery.kind).after_start:
            return job.view.session.starts_at
        session = await self._sessions.get(job.delivery.session_id)
        if session is None:
            return job.view.session.starts_at
        return session.ends_at + AFTER_END_RETRY

    async def fail_for_good(self, delivery_id: int, error: str) -> None:
        await self._deliveries.close(delivery_id, Status.FAILED, error[:300])
        log.warning("Delivery %d failed: %s", delivery_id, error)

    async def retry(self, guild_id: int, session_id: int | None = None) -> int:
        """Failed and waiting posts of the server (or one session) still ahead go out now, and
        announcements whose edits were given up are redrawn.

        Called when organizers change the server's setup and by /session retry. Returns how many
        posts and announcements were queued again.
        """
        now = self._clock.now()
        async with self._db.transaction():
            ids, redraw = await self._deliveries.reopen(guild_id, session_id, now)
            for changed in redraw:
                await self._sessions.touch(changed)  # out of date: the editor redraws it
        self.arm((delivery_id, now) for delivery_id in ids)
        if ids or redraw:
            log.info("Retrying %d posts and %d edits in guild %d", len(ids), len(redraw), guild_id)
        return len(ids) + len(redraw)

    async def repost(self, session: SessionRow, now: datetime) -> tuple[int, datetime]:
        """Post the session's announcement again now (the old one, if still there, is deleted
        just before); inside the caller's transaction."""
        replaced = await self._deliveries.supersede_pending(
            session.id, (Kind.ANNOUNCEMENT.value,), "reposted"
        )
        self.disarm(replaced)
        return await self._add(
            session, Announcement(replaces=session.announcement_message_id), now, now
        )

    async def problems(self, guild_id: int, now: datetime) -> list[DeliveryRow]:
        """Failed and retrying rows of sessions still ahead, and of what acts after the start
        (Discord events, threads, attendee roles) for sessions that started lately."""
        after_start = tuple(kind.value for kind, rules in KINDS.items() if rules.after_start)
        return await self._deliveries.problems(
            guild_id, now, after_start, now - AFTER_END_RETRY - MAX_SESSION
        )

    # -- announcements ---------------------------------------------------------------------------

    async def stale_announcements(self) -> list[SessionRow]:
        """Posted announcements whose session changed since they were last drawn."""
        return await self._sessions.out_of_date()

    async def announcement(self, session_id: int) -> tuple[SessionRow, PostView] | None:
        """A posted announcement that is behind its session, with what it should show now."""
        session = await self._sessions.get(session_id)
        if session is None or session.announcement_message_id is None:
            return None
        if session.rendered_version >= session.version:
            return None
        roster = build_roster(await self._rsvps.roster(session.id))
        closed = self._clock.now() >= session.answers_close_at
        return session, PostView(
            session_view(
                session,
                answers_closed=closed,
                check_in_open=await self._check_in_open(session),
            ),
            (),
            roster,
            groups=await self._groups(session),
        )

    async def rendered(self, session_id: int, version: int) -> None:
        await self._sessions.mark_rendered(session_id, version)

    async def announcement_gone(self, session_id: int) -> None:
        """The announcement was deleted: stop editing it (reminders still go out, unlinked)."""
        await self._sessions.forget_announcement(session_id)
        log.warning("Announcement of session %d was deleted; no longer editing it", session_id)

    async def edit_failed(self, session: SessionRow, error: str) -> None:
        """Redrawing the announcement kept failing: stop, and tell organizers."""
        now = self._clock.now()
        async with self._db.transaction():
            await self._deliveries.add_closed(
                NewDelivery(
                    guild_id=session.guild_id,
                    session_id=session.id,
                    kind=Kind.ANNOUNCEMENT_EDIT.value,
                    due_at=now,
                    channel_id=session.channel_id,
                ),
                Status.FAILED,
                f"updating the announcement failed: {error}"[:300],
                now,
            )
            await self._sessions.mark_rendered(session.id, session.version)

    async def session(self, session_id: int) -> SessionRow | None:
        return await self._sessions.get(session_id)

    # -- re-planning after a settings change ------------------------------------------------------

    def connect_settings(self, settings_of: SettingsOf) -> None:
        """Tell the service how to read a server's reminder lead times and announce-ahead days
        (set by the composition root: the setup service, which fills in the defaults)."""
        self._settings_of = settings_of

    async def request_replan(self, guild_id: int, now: datetime) -> None:
        """Mark the server's upcoming sessions for re-planning by its settings (inside the
        transaction that saves them); call :meth:`replan_soon` once it commits.

        Until a session is re-planned, its rows planned before the change are re-planned on the
        spot when they fall due (see :meth:`prepare`), so nothing goes out by the old settings.
        """
        await self._replans.request(guild_id, now)

    def replan_soon(self, guild_id: int) -> None:
        """Re-plan the server's sessions in chunks of :data:`REPLAN_CHUNK`, each its own short
        transaction, nearest sessions first, in a task of its own (the caller replies at once).
        A pass already running picks up a newer change and starts over from the nearest."""
        self._kicked.add(guild_id)
        if guild_id in self._workers:
            return
        task = asyncio.get_running_loop().create_task(self._replan_worker(guild_id))
        self._workers[guild_id] = task

    async def resume_replans(self) -> int:
        """At start-up and on each sweep: resume re-plans a stopped process left unfinished.
        Returns how many servers have one pending."""
        pending = await self._replans.pending()
        for guild_id in pending:
            if guild_id not in self._workers:
                self.replan_soon(guild_id)
        if pending:
            log.info("Re-planning the sessions of %d servers after a settings change", len(pending))
        return len(pending)

    async def replans_done(self) -> None:
        """Wait until no re-plan is running (tests, benchmarks, shutdown)."""
        while self._workers:
            await asyncio.gather(*self._workers.values(), return_exceptions=True)

    async def stop_replans(self) -> None:
        """Stop re-planning (shutdown): a chunk in progress is rolled back; the mark stays, so
        the next start resumes it."""
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    async def _replan_worker(self, guild_id: int) -> None:
        try:
            while True:
                self._kicked.discard(guild_id)
                try:
                    more = True
                    while more:
                        more = await self._replan_chunk(guild_id)
                        # Other work (answers, other servers) gets the database between chunks.
                        await asyncio.sleep(0)
                except Exception:
                    # The mark stays: the next sweep or start-up resumes, and rows that fall
                    # due meanwhile are re-planned on the spot.
                    log.exception("Re-planning the sessions of guild %d stopped", guild_id)
                    return
                # No await between this test and leaving the worker table: a change committed
                # after the last chunk either kicked this worker or finds it gone.
                if guild_id not in self._kicked:
                    return
        finally:
            self._workers.pop(guild_id, None)

    async def _replan_chunk(self, guild_id: int) -> bool:
        """Re-plan the next :data:`REPLAN_CHUNK` sessions; False when none are left (the mark
        is dropped) or there is no mark."""
        async with self._db.transaction():
            mark = await self._replans.get(guild_id)
            if mark is None:
                return False
            now = self._clock.now()
            after = None
            if mark.after_starts_at is not None and mark.after_id is not None:
                after = (mark.after_starts_at, mark.after_id)
            sessions = await self._sessions.upcoming(guild_id, now, limit=REPLAN_CHUNK, after=after)
            if not sessions:
                await self._replans.finish(mark)
                log.debug("Re-planned the sessions of guild %d", guild_id)
                return False
            dropped, planned = await self._replan_sessions(guild_id, sessions, now)
            last = sessions[-1]
            await self._replans.advance(mark, last.starts_at, last.id)
        self.disarm(dropped)
        self.arm(planned)
        return True

    async def _replan_sessions(
        self,
        guild_id: int,
        sessions: Sequence[SessionRow],
        now: datetime,
        as_of: datetime | None = None,
    ) -> tuple[list[int], list[tuple[int, datetime]]]:
        """Supersede the pending posts of ``sessions`` and plan them anew by the server's
        settings: new reminder lead times, and a new announce-ahead window for those not yet
        announced (never later than their first reminder). In bulk (one trip to close the old
        rows, one to write the new); inside the caller's transaction. Returns the ids closed
        (to disarm) and the rows planned (to arm).

        ``as_of`` (default ``now``): plan what is still ahead of that instant; rows the new
        plan has due between it and ``now`` are due at once."""
        as_of = now if as_of is None else min(as_of, now)
        if self._settings_of is None:
            raise RuntimeError("connect_settings() was not called")
        offsets, announce_days = await self._settings_of(guild_id)
        window = await self._window(guild_id)
        closing: list[tuple[int, tuple[str, ...]]] = []
        rows: list[NewDelivery] = []
        for session in sessions:
            if session.starts_at <= now:
                continue
            closing.append((session.id, tuple(kind.value for kind in _replanned(session))))
            announced = session.announcement_message_id is not None
            rows += self._plan_rows(
                session, offsets, announce_days, as_of, announce=not announced, window=window
            )
        dropped = await self._deliveries.supersede_many(closing, "server settings changed")
        ids = await self._deliveries.add_many(rows, now)
        planned = list(zip(ids, (row.due_at for row in rows), strict=True))
        # A thread opening at the first reminder moves with the reminders (read back from the
        # rows just written).
        if await self.threads_when(guild_id) == "first-reminder":
            for session in sessions:
                if session.starts_at > now and session.announcement_message_id is not None:
                    planned += await self.plan_thread(session, now)
        return dropped, planned

    async def _planned_before_change(self, delivery: DeliveryRow) -> bool:
        """A row planned by settings that have since changed, whose session the pending re-plan
        has not reached: re-plan that session now and close the row (True), so nothing goes
        out by the old settings. False for every other row (one indexed read)."""
        opens_thread = await self._opens_thread_at_first_reminder(delivery)
        if delivery.kind not in _REPLANNED_KINDS and not opens_thread:
            return False
        mark = await self._replans.get(delivery.guild_id)
        if mark is None or delivery.id > mark.stale_through_id:
            return False
        session = await self._sessions.get(delivery.session_id)
        now = self._clock.now()
        if (
            session is None
            or session.cancelled
            or session.starts_at <= now  # the usual rules skip it
            or (Kind(delivery.kind) not in _replanned(session) and not opens_thread)
        ):
            return False
        planned: list[tuple[int, datetime]] = []
        dropped: list[int] = []
        async with self._db.transaction():
            if not mark.covers(session.starts_at, session.id):
                # As of just before the old row fell due: a post the new plan has due at that
                # same instant (a lead time kept) is not lost as "already past".
                dropped, planned = await self._replan_sessions(
                    session.guild_id, [session], now, delivery.due_at - _JUST_BEFORE
                )
            # Also when the pass covered the session: a row it could not close (claimed by a
            # sender that then stopped) is from the old plan too.
            await self._deliveries.close(delivery.id, Status.SUPERSEDED, "server settings changed")
        self.disarm(dropped)
        self.arm(planned)
        log.info("Re-planned session %d before its old-plan delivery %d", session.id, delivery.id)
        return True

    async def _opens_thread_at_first_reminder(self, delivery: DeliveryRow) -> bool:
        """A row opening a thread at the first reminder: planned from the reminder lead times,
        so re-planned with them."""
        if delivery.kind != Kind.THREAD.value:
            return False
        try:
            step = decode(delivery.kind, delivery.payload, delivery.offset_s)
        except ValueError:
            return False
        if not isinstance(step, ThreadStep) or step.action != "open":
            return False
        return await self.threads_when(delivery.guild_id) == "first-reminder"


#: The kinds held until the session's announcement has gone out.
_AFTER_ANNOUNCEMENT = frozenset(
    kind.value for kind, rules in KINDS.items() if rules.after_announcement
)
#: A reminder held for its announcement goes this long after the announcement's next try.
AFTER_ANNOUNCEMENT = timedelta(seconds=1)

#: The smallest step back in time (SQLite keeps instants to the microsecond).
_JUST_BEFORE = timedelta(microseconds=1)

#: What a re-plan replaces: reminders, the close, the check-in window's edges, and the
#: announcement of a session not announced yet.
_REPLANNED_KINDS = frozenset(
    {Kind.REMINDER.value, Kind.CLOSE.value, Kind.CHECK_IN.value, Kind.ANNOUNCEMENT.value}
)


def _replanned(session: SessionRow) -> tuple[Kind, ...]:
    kinds: tuple[Kind, ...] = (Kind.REMINDER, Kind.CLOSE, Kind.CHECK_IN)
    if session.announcement_message_id is None:
        kinds += (Kind.ANNOUNCEMENT,)
    return kinds


def check_in_edges(
    session: SessionRow, window: CheckinWindow, now: datetime, *, catch_up: bool = False
) -> list[CheckIn]:
    """The check-in window's edges still ahead: its opening, and a second after its closing
    (the window includes its last instant). With ``catch_up``, one edge due now stands for
    any already passed, so an announcement drawn before them is redrawn."""
    opens = window.opens_at(session.starts_at)
    closes = window.closes_at(session.starts_at) + timedelta(seconds=1)
    edges = [CheckIn("open", opens), CheckIn("close", closes)]
    ahead = [edge for edge in edges if edge.at > now]
    if catch_up and len(ahead) < len(edges):
        ahead.insert(0, CheckIn("now", now))
    return ahead


def _new_row(session: SessionRow, payload: Payload, due_at: datetime) -> NewDelivery:
    # Once the session has a thread, its reminders and notices go there.
    in_thread = session.thread_id is not None and payload.kind in IN_THREAD
    return NewDelivery(
        guild_id=session.guild_id,
        session_id=session.id,
        kind=payload.kind.value,
        due_at=due_at,
        channel_id=session.thread_id if in_thread and session.thread_id else session.channel_id,
        offset_s=payload.offset_s if isinstance(payload, Reminder) else None,
        payload=encode(payload),
    )
