"""PacerBot and create_bot: the one factory that python -m bot, the tests and the sandbox use."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import discord
from discord.ext import commands

from bot import clock
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

#: How long a server read over REST for a calendar feed is reused (feeds are polled hourly).
FEED_GUILD_TTL_S = 300.0
#: At most this many servers read over REST are kept (the oldest goes first).
FEED_GUILDS_KEPT = 1000

COGS: tuple[str, ...] = (
    "cogs.pace",
    "cogs.profile",
    "cogs.drills",
    "cogs.setup",
    "cogs.sessions",
    "cogs.rsvp",
    "cogs.attendance",
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
    """The bot. ``serve`` False is for command-line tools that log in over REST (``sync``,
    ``doctor``): discord.py's ``login`` runs ``setup_hook``, and such a tool must load the
    commands but never start the scheduler or post anything."""

    def __init__(self, settings: Settings, *, serve: bool = True, **sharding: Any) -> None:
        # Pacer never joins voice: don't warn that voice libraries are missing.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            **sharding,
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=PacerTree,
            help_command=None,
            # Members type titles and workouts: nothing they write may ping anyone by default.
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.settings = settings
        self.serve = serve
        self.core: Core | None = None
        self.feed_server: FeedServer | None = None
        self._feed_guilds: dict[
            int, tuple[float, tuple[discord.Guild, Mapping[int, discord.abc.GuildChannel]]]
        ] = {}

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
        """Open and migrate the database, build services and load every cog. No network.
        Once only: a second call (``login`` after ``prepare``) changes nothing."""
        if self.core is not None:
            return
        self.core = await build_core(self.settings, members=DiscordMembers(self))
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for extension in COGS:
            await self.load_extension(extension)

    async def setup_hook(self) -> None:
        # Here, not on_ready: on_ready fires again on every reconnect and would double the jobs.
        self._steps: list[tuple[str, float]] = list(getattr(self, "_before", []))
        self._began = clock.monotonic() - sum(seconds for _, seconds in self._steps)
        await self.prepare()
        self._step("database, services and cogs")
        if not self.serve:
            return
        if self.core is None:
            raise RuntimeError("prepare() did not build the core")
        await self.core.start_outbox(
            self,
            buttons_view,
            coalesce=self.settings.coalesce_announcement_edits,
            stop=self._stop_for,
        )
        self._step("outbox recovery and jobs")
        await self.sync_commands(on_start=True)
        self._step("commands")
        await self._serve_feeds()

    def started_step(self, name: str, seconds: float) -> None:
        """A start-up step taken before the bot runs (the database check), for the ready
        report."""
        self._before: list[tuple[str, float]] = [*getattr(self, "_before", []), (name, seconds)]

    def _step(self, name: str) -> None:
        mark = clock.monotonic()
        done = sum(seconds for _, seconds in self._steps)
        self._steps.append((name, mark - self._began - done))

    async def on_ready(self) -> None:
        """Report time to ready with each start-up step (the first READY only)."""
        steps = getattr(self, "_steps", None)
        if steps is None:
            return
        self._step("login and gateway")
        log.info(
            "Ready in %.2f s: %s",
            sum(seconds for _, seconds in steps),
            ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps),
        )
        del self._steps

    async def _serve_feeds(self) -> None:
        """Start the calendar feeds' HTTP server when ``HTTP_PORT`` is set. Feeds belong to no
        shard: with several processes only the one running shard 0 serves them (one owner, one
        port), reading servers of other shards from Discord's REST API."""
        port = self.settings.http_port
        if port is None or self.core is None:
            return
        if 0 not in self.settings.shards.ids:
            log.info("Calendar feeds are served by the process running shard 0, not this one")
            return
        feeds = self.core.services.feeds
        feeds.public_channels = self._public_channels
        feeds.viewable = self._member_sees
        server = FeedServer(feeds, self.settings.http_host, port)
        bound = await server.start()
        self.feed_server = server
        if feeds.base_url is None:
            feeds.base_url = f"http://{self.settings.http_host}:{bound}"

    async def _feed_guild(
        self, guild_id: int
    ) -> tuple[discord.Guild, Mapping[int, discord.abc.GuildChannel]] | None:
        """The server with its channels: from this process's cache when it runs the server's
        shard, else fetched over REST (roles and channel overwrites included) and kept for
        :data:`FEED_GUILD_TTL_S`. None when Pacer is not in it.

        Raises:
            OSError: Discord can't say now (failing or unreachable).
        """
        guild = self.get_guild(guild_id)
        if guild is not None:
            return guild, {channel.id: channel for channel in guild.channels}
        kept = self._feed_guilds.get(guild_id)
        if kept is not None and kept[0] > clock.monotonic():
            return kept[1]
        try:
            fetched = await self.fetch_guild(guild_id)
            channels = await fetched.fetch_channels()
        except (discord.NotFound, discord.Forbidden):
            return None
        except discord.HTTPException as exc:
            raise OSError(f"Discord failed: {exc}") from exc
        found = (fetched, {channel.id: channel for channel in channels})
        now = clock.monotonic()
        if len(self._feed_guilds) >= FEED_GUILDS_KEPT:  # drop what ran out (bounded memory)
            for stale in [g for g, (until, _) in self._feed_guilds.items() if until <= now]:
                del self._feed_guilds[stale]
            if len(self._feed_guilds) >= FEED_GUILDS_KEPT:
                self._feed_guilds.pop(next(iter(self._feed_guilds)))
        self._feed_guilds[guild_id] = (now + FEED_GUILD_TTL_S, found)
        return found

    async def _public_channels(self, guild_id: int, channel_ids: list[int]) -> frozenset[int]:
        """Of the channels, those every member of the server can view (private ones stay out
        of the server's calendar feed); none when the server can't be read."""
        try:
            found = await self._feed_guild(guild_id)
        except OSError as exc:
            log.warning("Could not read server %d for its calendar feed: %s", guild_id, exc)
            return frozenset()
        if found is None:
            return frozenset()
        guild, channels = found
        return _viewable(channels, channel_ids, guild.default_role)

    async def _member_sees(
        self, guild_id: int, user_id: int, channel_ids: list[int]
    ) -> frozenset[int] | None:
        """Of the channels, those the member can view now, read fresh from Discord (no member
        cache without the members intent); empty when they left, None when Discord can't say."""
        try:
            found = await self._feed_guild(guild_id)
            if found is None:
                return frozenset()
            guild, channels = found
            member = await guild.fetch_member(user_id)
        except discord.NotFound:
            return frozenset()
        except (discord.HTTPException, OSError) as exc:
            log.warning("Could not check a member's channels for their feed: %s", exc)
            return None
        return _viewable(channels, channel_ids, member)

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


def create_bot(settings: Settings, *, serve: bool = True) -> PacerBot:
    """Build the bot, unstarted. Everything it needs comes from ``settings``; ``serve`` False
    for a tool that only logs in (see :class:`PacerBot`)."""
    shards = settings.shards
    if shards.count == 1:
        return PacerBot(settings, serve=serve)
    return ShardedPacerBot(
        settings, serve=serve, shard_count=shards.count, shard_ids=list(shards.ids)
    )


class ShardedPacerBot(PacerBot, commands.AutoShardedBot):
    """The bot as one process of several: discord.py runs the gateway shards ``SHARD_IDS`` of
    ``SHARD_COUNT`` (one connection each); the outbox posts for their servers only."""


def _viewable(
    channels: Mapping[int, discord.abc.GuildChannel],
    channel_ids: list[int],
    who: discord.Member | discord.Role,
) -> frozenset[int]:
    """Of ``channel_ids``, those of ``channels`` that ``who`` (a member, or @everyone) can view."""
    return frozenset(
        channel_id
        for channel_id in channel_ids
        if (channel := channels.get(channel_id)) is not None
        and channel.permissions_for(who).view_channel
    )
