"""PacerBot and create_bot: the one factory that python -m bot, the tests and the sandbox use."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord.ext import commands

from bot.composition import Core, build_core
from bot.db.database import Database
from bot.feed_server import FeedServer
from bot.members import DiscordMembers
from bot.outbox.publisher import Publisher
from bot.outbox.scheduler import Scheduler
from bot.services.registry import Services
from bot.settings import Settings
from bot.tree import PacerTree
from bot.ui.views import DYNAMIC_ITEMS, buttons_view

log = logging.getLogger(__name__)

COGS: tuple[str, ...] = (
    "cogs.pace",
    "cogs.profile",
    "cogs.drills",
    "cogs.setup",
    "cogs.sessions",
    "cogs.rsvp",
    "cogs.calendar",
    "cogs.help",
)


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
        self.core: Core | None = None
        self.feed_server: FeedServer | None = None

    @property
    def services(self) -> Services:
        if self.core is None:
            raise RuntimeError("services are built in setup_hook")
        return self.core.services

    @property
    def db(self) -> Database:
        if self.core is None:
            raise RuntimeError("the database is opened in setup_hook")
        return self.core.db

    @property
    def publisher(self) -> Publisher | None:
        return None if self.core is None else self.core.publisher

    @property
    def scheduler(self) -> Scheduler | None:
        return None if self.core is None else self.core.scheduler

    async def prepare(self) -> None:
        """Open and migrate the database, build services and load every cog. No network."""
        self.core = await build_core(self.settings, members=DiscordMembers(self))
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in COGS:
            await self.load_extension(extension)

    async def setup_hook(self) -> None:
        # Here, not on_ready: on_ready fires again on every reconnect and would double the jobs.
        await self.prepare()
        if self.core is None:
            raise RuntimeError("prepare() did not build the core")
        await self.core.start_outbox(
            self,
            buttons_view,
            coalesce=self.settings.coalesce_announcement_edits,
            stop=self._stop_for,
        )
        await self.sync_commands(on_start=True)
        await self._serve_feeds()

    async def _serve_feeds(self) -> None:
        """Start the calendar feeds' HTTP server when ``HTTP_PORT`` is set."""
        port = self.settings.http_port
        if port is None or self.core is None:
            return
        feeds = self.core.services.feeds
        feeds.is_public = self._everyone_sees
        server = FeedServer(feeds, self.settings.http_host, port)
        bound = await server.start()
        self.feed_server = server
        if feeds.base_url is None:
            feeds.base_url = f"http://{self.settings.http_host}:{bound}"

    def _everyone_sees(self, channel_id: int) -> bool:
        """Whether every member of its server can view the channel (private ones stay out of
        the server's calendar feed)."""
        channel = self.get_channel(channel_id)
        if not isinstance(channel, discord.abc.GuildChannel):
            return False
        return channel.permissions_for(channel.guild.default_role).view_channel

    async def _stop_for(self, reason: str) -> None:
        log.critical("Pacer is shutting down: %s", reason)
        asyncio.get_running_loop().create_task(self.close())

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
            if self.core is not None:
                if self.core.scheduler is not None:
                    self.core.scheduler.shutdown()
                if self.core.publisher is not None:
                    await self.core.publisher.stop()
            if self.feed_server is not None:
                await self.feed_server.stop()
            await super().close()
        finally:
            if self.core is not None:
                await self.core.close()


def create_bot(settings: Settings) -> PacerBot:
    """Build the bot, unstarted. Everything it needs comes from ``settings``."""
    return PacerBot(settings)
