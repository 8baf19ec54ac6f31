"""Server setup: announcement channel, time zone, organizer role, reminder lead times."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.db.guilds_repo import GuildsRepo
from bot.domain.schedule import get_zone, parse_offsets
from bot.errors import InvalidInput
from bot.outbox.service import OutboxService
from bot.services.access import Actor, require_manager

if TYPE_CHECKING:
    from bot.clock import Clock

DEFAULT_REMINDERS: tuple[int, ...] = (24 * 3600, 3600)
DEFAULT_ANNOUNCE_DAYS = 6
MAX_ANNOUNCE_DAYS = 28


@dataclass(frozen=True, slots=True)
class GuildConfig:
    """A server's settings with defaults filled in."""

    guild_id: int
    announce_channel_id: int | None
    timezone: str
    organizer_role_id: int | None
    reminder_offsets: tuple[int, ...]
    announce_days: int

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SetupService:
    def __init__(
        self,
        db: Database,
        repo: GuildsRepo,
        deliveries: OutboxService,
        default_timezone: str,
        *,
        clock: Clock,
    ) -> None:
        self._db = db
        self._clock = clock
        self._repo = repo
        self._deliveries = deliveries
        self._default_timezone = default_timezone

    async def config(self, guild_id: int) -> GuildConfig:
        row = await self._repo.get(guild_id)
        return GuildConfig(
            guild_id=guild_id,
            announce_channel_id=row.announce_channel_id,
            timezone=row.timezone or self._default_timezone,
            organizer_role_id=row.organizer_role_id,
            reminder_offsets=(
                DEFAULT_REMINDERS if row.reminder_offsets is None else row.reminder_offsets
            ),
            announce_days=(
                DEFAULT_ANNOUNCE_DAYS if row.announce_days is None else row.announce_days
            ),
        )

    async def show(self, actor: Actor, guild_id: int) -> GuildConfig:
        """The settings, for managers only (commands can be opened to others by overrides).

        Raises:
            NotAllowed: unless the member can manage the server.
        """
        require_manager(actor)
        return await self.config(guild_id)

    async def set_channel(self, actor: Actor, guild_id: int, channel_id: int) -> GuildConfig:
        require_manager(actor)
        await self._repo.update(guild_id, self._clock.now(), announce_channel_id=channel_id)
        await self._setup_changed(guild_id)
        return await self.config(guild_id)

    async def set_timezone(self, actor: Actor, guild_id: int, name: str) -> GuildConfig:
        """Raises InvalidInput for a name that is not an IANA zone."""
        require_manager(actor)
        zone = get_zone(name)
        await self._repo.update(guild_id, self._clock.now(), timezone=zone.key)
        await self._setup_changed(guild_id)
        return await self.config(guild_id)

    async def set_organizer_role(
        self, actor: Actor, guild_id: int, role_id: int | None
    ) -> GuildConfig:
        require_manager(actor)
        await self._repo.update(guild_id, self._clock.now(), organizer_role_id=role_id)
        await self._setup_changed(guild_id)
        return await self.config(guild_id)

    async def set_reminders(self, actor: Actor, guild_id: int, text: str) -> GuildConfig:
        """Save new lead times and re-plan the reminders of every upcoming session.

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: for lead times that can't be read or are out of bounds.
        """
        require_manager(actor)
        offsets = parse_offsets(text)
        async with self._db.transaction():
            await self._repo.update(guild_id, self._clock.now(), reminder_offsets=offsets)
            config = await self.config(guild_id)
            await self._deliveries.replan_guild(
                guild_id, offsets, config.announce_days, self._clock.now()
            )
        await self._setup_changed(guild_id)
        return config

    async def set_announce_days(self, actor: Actor, guild_id: int, days: int) -> GuildConfig:
        require_manager(actor)
        if not 0 <= days <= MAX_ANNOUNCE_DAYS:
            raise InvalidInput(f"days: announce from 0 to {MAX_ANNOUNCE_DAYS} days ahead, like 6.")
        async with self._db.transaction():
            await self._repo.update(guild_id, self._clock.now(), announce_days=days)
            config = await self.config(guild_id)
            await self._deliveries.replan_guild(
                guild_id, config.reminder_offsets, days, self._clock.now()
            )
        await self._setup_changed(guild_id)
        return config

    async def _setup_changed(self, guild_id: int) -> None:
        # Organizers often fix a permission or channel by changing setup: retry what failed.
        await self._deliveries.retry(guild_id)
