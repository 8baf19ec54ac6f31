"""PacerBot and create_bot: the one factory that python -m bot, the tests and the sandbox use."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import discord
from discord.ext import commands

from bot.db.database import Database
from bot.db.profiles_repo import ProfilesRepo
from bot.services.profiles import ProfileService
from bot.services.workouts import WorkoutService
from bot.settings import Settings
from bot.tree import PacerTree

log = logging.getLogger(__name__)

COGS: tuple[str, ...] = (
    "cogs.pace",
    "cogs.profile",
    "cogs.drills",
)


@dataclass(frozen=True, slots=True)
class Services:
    """The use-cases cogs call; built once in ``setup_hook``."""

    profiles: ProfileService
    workouts: WorkoutService


def intents() -> discord.Intents:
    """Only what Pacer needs, and nothing privileged: servers and reactions."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    return wanted


class PacerBot(commands.Bot):
    def __init__(self, settings: Settings) -> None:
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
        self.db = Database(settings.database_path)
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are built in setup_hook")
        return self._services

    async def prepare(self) -> None:
        """Open and migrate the database, build services and load every cog. No network."""
        await self.db.open()
        await self.db.migrate()
        profiles = ProfilesRepo(self.db)
        self._services = Services(
            profiles=ProfileService(profiles),
            workouts=WorkoutService(profiles),
        )
        for extension in COGS:
            await self.load_extension(extension)

    async def setup_hook(self) -> None:
        await self.prepare()
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
            await super().close()
        finally:
            await self.db.close()


def create_bot(settings: Settings) -> PacerBot:
    """Build the bot, unstarted. Everything it needs comes from ``settings``."""
    return PacerBot(settings)
