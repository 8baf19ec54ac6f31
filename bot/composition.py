"""The composition root: the one place that builds the database, repositories, services, clock,
instance guard, publisher and scheduler, and connects them.

``PacerBot`` calls :func:`build_core` in ``prepare`` (no network) and :meth:`Core.start_outbox`
in ``setup_hook``. Tests build the same core around a real SQLite file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

import discord

from bot import reactions
from bot.clock import Clock, SystemClock
from bot.db.attendance_repo import AttendanceRepo
from bot.db.database import Database, open_store
from bot.db.deliveries_repo import DeliveriesRepo
from bot.db.dm_reminders_repo import DmRemindersRepo
from bot.db.feeds_repo import FeedsRepo
from bot.db.groups_repo import GroupsRepo
from bot.db.guilds_repo import GuildsRepo
from bot.db.prefs_repo import PrefsRepo
from bot.db.profiles_repo import ProfilesRepo
from bot.db.retention_repo import RetentionRepo
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionsRepo
from bot.domain.attendance import CheckinWindow
from bot.domain.rsvp import EMOJI
from bot.instance import (
    HEARTBEAT,
    SHARED_HEARTBEAT,
    SHARED_TTL,
    TTL,
    InstanceGuard,
    lease_names,
)
from bot.outbox.discord_poster import DiscordPoster, ViewFactory
from bot.outbox.poster import DeliveryError, Posted
from bot.outbox.publisher import Publisher
from bot.outbox.scheduler import Scheduler
from bot.outbox.service import OutboxService
from bot.services.attendance import AttendanceService
from bot.services.dm_reminders import DmRemindersService
from bot.services.feeds import FeedService
from bot.services.groups import GroupsService
from bot.services.members import EveryoneStays, MemberDirectory
from bot.services.profiles import ProfileService
from bot.services.registry import Services
from bot.services.retention import PRUNE_EVERY, RetentionService
from bot.services.rsvps import RsvpService
from bot.services.sessions import SessionService
from bot.services.setup import SetupService
from bot.services.units import UnitsService
from bot.services.upgrade import save_workout_displays
from bot.services.watch import WatchService
from bot.services.workouts import WorkoutService
from bot.settings import Settings

log = logging.getLogger(__name__)

Stop = Callable[[str], Awaitable[None]]


@dataclass
class Core:
    """Everything below Discord, built once."""

    settings: Settings
    clock: Clock
    db: Database
    services: Services
    guard: InstanceGuard
    publisher: Publisher | None = None
    scheduler: Scheduler | None = None
    _stop: Stop | None = field(default=None, repr=False)
    #: How often the lease is renewed (and missed posts swept up).
    heartbeat: timedelta = HEARTBEAT

    async def start_outbox(
        self, client: discord.Client, views: ViewFactory, *, coalesce: bool, stop: Stop
    ) -> Publisher:
        """Take the database's lease, then arm everything that posts.

        On PostgreSQL, while another live process holds this one's shards (a rolling restart),
        this waits until they are free.

        Raises:
            DatabaseInUse: another live Pacer holds the SQLite database.
        """
        if self.settings.database_url:
            await self.guard.acquire_when_free()
        else:
            await self.guard.acquire()
        self._stop = stop
        outbox = self.services.outbox
        # Rows older sessions lack (planned before their kind existed): written by the holder
        # of the servers' shards only, so two processes never both write them.
        await outbox.plan_missing_closes()
        await outbox.plan_missing_check_ins()
        poster = DiscordPoster(client, views)

        async def adopted(session_id: int, posted: Posted) -> None:
            # Reactions made on an announcement before it was found count now.
            session = await outbox.session(session_id)
            if session is None:
                return
            try:
                present = await poster.reactions(posted, EMOJI)
            except DeliveryError as exc:
                log.warning(
                    "Can't read reactions of session %d's announcement: %s", session_id, exc
                )
                return
            done = await self.services.rsvps.reconcile(session, present)
            if done.applied:
                self.services.changes.announcement_changed(session_id)
            for user_id, emojis in done.stale.items():
                await reactions.remove_stale(client, session, user_id, emojis)

        publisher = Publisher(
            outbox,
            poster,
            clock=self.clock,
            coalesce=coalesce,
            guard=self._still_ours,
            adopted=adopted,
        )
        self.publisher = publisher
        self.services.changes.listener = publisher.announcement_changed
        scheduler = Scheduler(publisher.process_due, self._sweep, sweep_every=self.heartbeat)
        self.scheduler = scheduler
        outbox.connect_scheduler(scheduler.arm, scheduler.disarm, scheduler.within_horizon)
        await outbox.recover()
        await outbox.mirror_announced()
        await outbox.resume_replans()
        self.db.on_file_lost = self._file_lost
        scheduler.start()
        # Off the hot path: daily, in small chunks (the first a day after start-up).
        scheduler.every("retention", PRUNE_EVERY, self._prune)
        await self.arm_upcoming()
        return publisher

    async def _prune(self) -> None:
        try:
            await self.services.retention.prune()
        except Exception:
            # Nothing is lost by pruning later: the next day's run takes it up.
            log.exception("Retention: pruning stopped")

    async def arm_upcoming(self) -> int:
        if self.publisher is None or self.scheduler is None:
            return 0
        armed = self.scheduler.armed()
        fresh = [
            (delivery_id, due_at)
            for delivery_id, due_at in await self.publisher.arm_upcoming(self.scheduler.horizon)
            if delivery_id not in armed
        ]
        self.services.outbox.arm(fresh)
        return len(fresh)

    async def _sweep(self) -> None:
        """The heartbeat and safety net: renew the lease, post anything due but missed, and arm
        what falls due soon."""
        if self.publisher is None:
            return
        if not await self.guard.heartbeat():
            await self._lost()
            return
        await self.services.outbox.resume_replans()
        await self.publisher.process_due()
        await self.arm_upcoming()

    async def _still_ours(self) -> bool:
        if await self.guard.still_ours():
            return True
        await self._lost()
        return False

    def _file_lost(self, reason: str) -> None:
        self.guard.mark_lost(reason)
        asyncio.get_running_loop().create_task(self._lost())

    async def _lost(self) -> None:
        reason = self.guard.lost or "the database can't be used"
        log.critical("Stopping: %s. Nothing more will be posted from it.", reason)
        if self.publisher is not None:
            self.publisher.stop_soon()
        if self.scheduler is not None:
            self.scheduler.shutdown()
        if self._stop is not None:
            stop, self._stop = self._stop, None
            await stop(reason)

    async def close(self) -> None:
        """Stop posting, give the lease back, close the database."""
        try:
            if self.scheduler is not None:
                self.scheduler.shutdown()
            if self.publisher is not None:
                await self.publisher.stop()
            if self.db.is_open:
                await self.services.outbox.stop_replans()
            if self.publisher is not None and self.db.is_open:
                try:
                    await self.guard.release()
                except Exception:
                    log.exception("Could not release the database lease")
        finally:
            await self.db.close()


async def build_core(
    settings: Settings, clock: Clock | None = None, members: MemberDirectory | None = None
) -> Core:
    """Open and migrate the database and build every service. No network.

    ``members`` answers who is still in a server (the bot passes its REST directory); without
    one, nobody counts as having left (tools and tests without Discord).

    Raises:
        DatabaseError: the database can't be opened or is newer than this Pacer.
    """
    clock = clock or SystemClock()
    db = open_store(settings.database_path, settings.database_url)
    await db.open()
    await db.migrate()
    profiles = ProfilesRepo(db)
    sessions = SessionsRepo(db, settings.shards)
    rsvps_repo = RsvpsRepo(db)
    await save_workout_displays(sessions)
    prefs = PrefsRepo(db)
    workouts = WorkoutService(profiles, prefs)
    guilds = GuildsRepo(db)
    dm_reminders = DmRemindersRepo(db)
    outbox = OutboxService(
        db,
        DeliveriesRepo(db, settings.shards),
        sessions,
        rsvps_repo,
        clock=clock,
        guilds=guilds,
        dm_reminders=dm_reminders,
    )
    setup = SetupService(db, guilds, outbox, settings.default_timezone, sessions, clock=clock)
    outbox.connect_settings(setup.plan_settings)
    rsvps = RsvpService(
        db, rsvps_repo, sessions, outbox, setup, members or EveryoneStays(), clock=clock
    )
    outbox.connect_members(rsvps.departed_of)
    session_service = SessionService(db, sessions, setup, outbox, workouts, rsvps, clock=clock)
    groups = GroupsService(
        db, GroupsRepo(db), profiles, prefs, sessions, setup, rsvps, outbox, clock=clock
    )
    outbox.connect_groups(groups.public_view)
    attendance = AttendanceService(db, AttendanceRepo(db), sessions, setup, rsvps, clock=clock)

    async def window_of(guild_id: int) -> CheckinWindow:
        return (await attendance.config(guild_id)).window

    outbox.connect_check_in(window_of)
    attendance.connect_window_changes(outbox.replan_check_in)
    services = Services(
        profiles=ProfileService(profiles, prefs, clock=clock),
        workouts=workouts,
        setup=setup,
        sessions=session_service,
        outbox=outbox,
        rsvps=rsvps,
        units=UnitsService(prefs, clock=clock),
        watch=WatchService(workouts, session_service, setup, clock),
        attendance=attendance,
        groups=groups,
        dm_reminders=DmRemindersService(dm_reminders, clock=clock),
        feeds=FeedService(
            FeedsRepo(db), sessions, rsvps_repo, clock=clock, base_url=_feed_url(settings)
        ),
        retention=RetentionService(
            db, RetentionRepo(db, settings.shards), clock=clock, days=settings.retention_days
        ),
    )
    # Sharded, processes may be on several machines (a dead one is known by its silence).
    shared = settings.shards.count > 1
    return Core(
        settings=settings,
        clock=clock,
        db=db,
        services=services,
        guard=InstanceGuard(
            db,
            clock,
            names=lease_names(settings.shards),
            ttl=SHARED_TTL if shared else TTL,
        ),
        heartbeat=SHARED_HEARTBEAT if shared else HEARTBEAT,
    )


def _feed_url(settings: Settings) -> str | None:
    """Where calendar feeds are reached, or None when the HTTP server is off. With port 0 (a
    free one, picked at start) the address is set once the server listens."""
    if settings.http_port is None:
        return None
    if settings.public_url is not None:
        return settings.public_url
    if settings.http_port == 0:
        return None
    return f"http://{settings.http_host}:{settings.http_port}"
