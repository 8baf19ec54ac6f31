"""PacerBot and create_bot: the one factory that python -m bot, the tests and the sandbox use."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord
from discord.ext import commands

from bot.db.database import Database
from bot.db.deliveries_repo import DeliveriesRepo
from bot.db.guilds_repo import GuildsRepo
from bot.db.profiles_repo import ProfilesRepo
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionsRepo
from bot.members import DiscordMembers
from bot.publisher import Publisher
from bot.scheduler import Scheduler
from bot.services.deliveries import DeliveryService
from bot.services.profiles import ProfileService
from bot.services.rsvps import RsvpService
from bot.services.sessions import SessionService
from bot.services.setup import SetupService
from bot.services.workouts import WorkoutService
from bot.settings import Settings
from bot.tree import PacerTree
from bot.ui.views import DYNAMIC_ITEMS

log = logging.getLogger(__name__)

COGS: tuple[str, ...] = (
    "cogs.pace",
    "cogs.profile",
    "cogs.drills",
    "cogs.setup",
    "cogs.sessions",
    "cogs.rsvp",
    "cogs.help",
)


@dataclass(frozen=True, slots=True)
class Services:
    """The use-cases cogs call; built once in ``setup_hook``."""

    profiles: ProfileService
    workouts: WorkoutService
    setup: SetupService
    sessions: SessionService
    deliveries: DeliveryService
    rsvps: RsvpService


def intents() -> discord.Intents:
    """Only what Pacer needs, and nothing privileged: servers and reactions."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    return wanted


class PacerBot(commands.Bot):
    """The bot. ``serve`` False is for command-line tools that log in over REST (``sync``,
    ``doctor``): discord.py's ``login`` runs ``setup_hook``, and such a tool must load the
    commands but never start the scheduler or post anything."""

    def __init__(self, settings: Settings, *, serve: bool = True) -> None:
        # Pacer never joins voice: don't warn that voice libraries are missing.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=PacerTree,
            help_command=None,
            # Members type titles and workouts: nothing they write may ping anyone by default.
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.settings = settings
        self.serve = serve
        self.db = Database(settings.database_path)
        self._services: Services | None = None
        self.scheduler: Scheduler | None = None
        self.publisher: Publisher | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are built in setup_hook")
        return self._services

    async def prepare(self) -> None:
        """Open and migrate the database, build services and load every cog. No network.
        Once only: a second call (``login`` after ``prepare``) changes nothing."""
        if self._services is not None:
            return
        await self.db.open()
        await self.db.migrate()
        profiles = ProfilesRepo(self.db)
        sessions = SessionsRepo(self.db)
        workouts = WorkoutService(profiles)
        deliveries = DeliveryService(self.db, DeliveriesRepo(self.db), sessions)
        setup = SetupService(
            self.db, GuildsRepo(self.db), deliveries, self.settings.default_timezone, sessions
        )
        rsvps = RsvpService(
            self.db, RsvpsRepo(self.db), sessions, deliveries, setup, DiscordMembers(self)
        )
        self._services = Services(
            profiles=ProfileService(profiles),
            workouts=workouts,
            setup=setup,
            sessions=SessionService(self.db, sessions, setup, deliveries, workouts, rsvps),
            deliveries=deliveries,
            rsvps=rsvps,
        )
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in COGS:
            await self.load_extension(extension)

    async def setup_hook(self) -> None:
        # Here, not on_ready: on_ready fires again on every reconnect and would double the jobs.
        await self.prepare()
        if not self.serve:
            return
        deliveries = self.services.deliveries
        self.publisher = Publisher(
            self,
            deliveries,
            self.services.rsvps,
            coalesce=self.settings.coalesce_announcement_edits,
        )
        self.scheduler = Scheduler(self.publisher.process_due, self.publisher.sweep)
        deliveries.connect_scheduler(self.scheduler.arm, self.scheduler.disarm)
        await deliveries.recover()
        self.scheduler.start()
        await self.publisher.arm_upcoming()
        await self.sync_commands(on_start=True)

    async def sync_commands(self, *, on_start: bool = False) -> int:
        """Sync slash commands to the dev guild if set, else globally.

        At start-up this only happens with ``DEV_GUILD_ID`` (or in simulations): a global sync on
        every start burns Discord's daily command-create budget.
        """
        guild_id = self.settings.dev_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("Synced %d commands to the dev guild", len(synced))
            return len(synced)
        if on_start and not self.settings.sync_commands_on_start:
            return 0
        synced = await self.tree.sync()
        log.info("Synced %d commands globally", len(synced))
        return len(synced)

    async def close(self) -> None:
        try:
            if self.scheduler is not None:
                self.scheduler.shutdown()
            if self.publisher is not None:
                await self.publisher.stop()
            await super().close()
        finally:
            await self.db.close()


def create_bot(settings: Settings, *, serve: bool = True) -> PacerBot:
    """Build the bot, unstarted. Everything it needs comes from ``settings``; ``serve`` False
    for a tool that only logs in (see :class:`PacerBot`)."""
    return PacerBot(settings, serve=serve)
