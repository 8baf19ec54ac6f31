"""Server setup: announcement channel, time zone, organizer role, reminder lead times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.db.guilds_repo import GuildsRepo
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.duration import DEFAULT_MINUTES, parse_duration
from bot.domain.schedule import get_zone, parse_offsets
from bot.errors import InvalidInput
from bot.outbox.service import OutboxService
from bot.services.access import Actor, require_manager

if TYPE_CHECKING:
    from bot.clock import Clock

DEFAULT_REMINDERS: tuple[int, ...] = (24 * 3600, 3600)
DEFAULT_ANNOUNCE_DAYS = 6
MAX_ANNOUNCE_DAYS = 28
#: Upcoming sessions read back after a zone change: all of them, as re-planning reads them too
#: (the reply shows what fits and says how many more).
ZONE_CHANGE_LIST = 100_000
THREAD_CHOICES = ("off", "announcement", "first-reminder")


@dataclass(frozen=True, slots=True)
class GuildConfig:
    """A server's settings with defaults filled in."""

    guild_id: int
    announce_channel_id: int | None
    timezone: str
    organizer_role_id: int | None
    reminder_offsets: tuple[int, ...]
    announce_days: int
    #: False while the server still uses the bot-wide DEFAULT_TIMEZONE (``/setup timezone`` unset).
    timezone_chosen: bool = True
    #: Length of a session unless /session create names one (``/setup session-length``).
    session_minutes: int = DEFAULT_MINUTES
    #: Mirror sessions in Discord's events: True, False, or None (on when Pacer has Manage
    #: Events).
    discord_events: bool | None = None
    #: When a thread opens on each announcement: "announcement", "first-reminder" or None (off).
    threads_when: str | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class ChannelChange:
    """A new announcement channel, and the upcoming sessions (ids) moved to it."""

    config: GuildConfig
    previous: int | None
    moved: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ZoneChange:
    """A new server zone, and the upcoming sessions (same instants) to show in it: those in
    channels the member who changed it can view."""

    config: GuildConfig
    previous: str
    upcoming: tuple[SessionRow, ...]


class SetupService:
    def __init__(
        self,
        db: Database,
        repo: GuildsRepo,
        deliveries: OutboxService,
        default_timezone: str,
        sessions: SessionsRepo,
        *,
        clock: Clock,
    ) -> None:
        self._db = db
        self._clock = clock
        self._repo = repo
        self._sessions = sessions
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
            timezone_chosen=row.timezone is not None,
            session_minutes=(
                DEFAULT_MINUTES if row.session_minutes is None else row.session_minutes
            ),
            discord_events=row.discord_events,
            threads_when=row.threads_when,
        )

    async def show(self, actor: Actor, guild_id: int) -> GuildConfig:
        """The settings, for managers only (commands can be opened to others by overrides).

        Raises:
            NotAllowed: unless the member can manage the server.
        """
        require_manager(actor)
        return await self.config(guild_id)

    async def set_channel(self, actor: Actor, guild_id: int, channel_id: int) -> ChannelChange:
        """Announce in a new channel, from now on and for every upcoming session of the old one
        not announced yet (those already announced keep their channel: their reminders go
        where their announcement is).

        Raises:
            NotAllowed: unless the member can manage the server.
        """
        require_manager(actor)
        previous = (await self.config(guild_id)).announce_channel_id
        now = self._clock.now()
        moved: list[int] = []
        async with self._db.transaction():
            await self._repo.update(guild_id, now, announce_channel_id=channel_id)
            config = await self.config(guild_id)
            if previous is not None and previous != channel_id:
                moved = await self._sessions.move_unannounced(guild_id, previous, channel_id, now)
                if moved:
                    await self._deliveries.request_replan(guild_id, now)
        if moved:
            self._deliveries.replan_soon(guild_id)
        await self._setup_changed(guild_id)
        return ChannelChange(config, previous, tuple(moved))

    async def set_timezone(self, actor: Actor, guild_id: int, name: str) -> ZoneChange:
        """Read dates and times typed from now on in a new zone.

        Sessions already scheduled keep their instants (nobody's start moves); they are listed
        back in the new zone so a surprise shows at once.

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: for a name that is not an IANA zone.
        """
        require_manager(actor)
        zone = get_zone(name)
        previous = (await self.config(guild_id)).timezone
        now = self._clock.now()
        async with self._db.transaction():
            await self._repo.update(guild_id, now, timezone=zone.key)
            await self._sessions.set_zone(guild_id, zone.key, now)
            # "On the day" (announce-ahead 0) is midnight in the server's zone: re-plan.
            await self._deliveries.request_replan(guild_id, now)
        self._deliveries.replan_soon(guild_id)
        await self._setup_changed(guild_id)
        upcoming = await self._sessions.upcoming(guild_id, now, limit=ZONE_CHANGE_LIST)
        # A session in a channel the admin cannot view does not exist for them, here too.
        visible = tuple(s for s in upcoming if actor.can_view(s.channel_id))
        return ZoneChange(await self.config(guild_id), previous, visible)

    async def set_organizer_role(
        self, actor: Actor, guild_id: int, role_id: int | None
    ) -> GuildConfig:
        require_manager(actor)
        await self._repo.update(guild_id, self._clock.now(), organizer_role_id=role_id)
        await self._setup_changed(guild_id)
        return await self.config(guild_id)

    async def set_reminders(self, actor: Actor, guild_id: int, text: str) -> GuildConfig:
        """Save new lead times and re-plan the reminders of every upcoming session.

        The setting and a durable "re-plan pending" mark are saved in one short transaction;
        the sessions are then re-planned in chunks after the reply (see
        :meth:`OutboxService.replan_soon`), and nothing goes out by the old lead times meanwhile.

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: for lead times that can't be read or are out of bounds.
        """
        require_manager(actor)
        offsets = parse_offsets(text)
        await self._save_and_replan(guild_id, reminder_offsets=offsets)
        return await self.config(guild_id)

    async def set_announce_days(self, actor: Actor, guild_id: int, days: int) -> GuildConfig:
        """Save how many days ahead sessions are announced; those not yet announced are
        re-planned as :meth:`set_reminders` says.

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: for days out of 0-28.
        """
        require_manager(actor)
        if not 0 <= days <= MAX_ANNOUNCE_DAYS:
            raise InvalidInput(f"days: announce from 0 to {MAX_ANNOUNCE_DAYS} days ahead, like 6.")
        await self._save_and_replan(guild_id, announce_days=days)
        return await self.config(guild_id)

    async def plan_settings(self, guild_id: int) -> tuple[tuple[int, ...], int]:
        """The server's reminder lead times (seconds) and announce-ahead days, defaults filled
        in (what the outbox plans by)."""
        config = await self.config(guild_id)
        return config.reminder_offsets, config.announce_days

    async def _save_and_replan(self, guild_id: int, **values: object) -> None:
        now = self._clock.now()
        async with self._db.transaction():
            await self._repo.update(guild_id, now, **values)
            await self._deliveries.request_replan(guild_id, now)
        self._deliveries.replan_soon(guild_id)
        await self._setup_changed(guild_id)

    async def set_session_length(self, actor: Actor, guild_id: int, text: str) -> GuildConfig:
        """The length of sessions created from now on without a ``duration`` (existing ones
        keep theirs).

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: for a length that can't be read or is out of bounds.
        """
        require_manager(actor)
        minutes = parse_duration(text, "length")
        await self._repo.update(guild_id, self._clock.now(), session_minutes=minutes)
        return await self.config(guild_id)

    async def set_discord_events(self, actor: Actor, guild_id: int, enabled: bool) -> GuildConfig:
        """Mirror announced sessions in Discord's events, or stop (their events are deleted).
        Every announced upcoming session is brought in step at once, through the outbox.

        Raises:
            NotAllowed: unless the member can manage the server.
        """
        require_manager(actor)
        now = self._clock.now()
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            await self._repo.update(guild_id, now, discord_events=enabled)
            for session in await self._sessions.upcoming(guild_id, now, limit=ZONE_CHANGE_LIST):
                if session.announcement_message_id is not None or session.discord_event_id:
                    planned += await self._deliveries.plan_event(session, now)
        self._deliveries.arm(planned)
        await self._setup_changed(guild_id)
        return await self.config(guild_id)

    async def set_threads(self, actor: Actor, guild_id: int, when: str) -> GuildConfig:
        """Open a thread on each announcement ("announcement"), at the first reminder
        ("first-reminder"), or not ("off"). Announced sessions still ahead get theirs too.

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: for any other choice.
        """
        require_manager(actor)
        if when not in THREAD_CHOICES:
            raise InvalidInput(
                "when: use off, announcement or first-reminder, like when: announcement."
            )
        now = self._clock.now()
        stored = None if when == "off" else when
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            await self._repo.update(guild_id, now, threads_when=stored)
            if stored is not None:
                for session in await self._sessions.upcoming(guild_id, now, limit=ZONE_CHANGE_LIST):
                    if session.announcement_message_id is not None:
                        planned += await self._deliveries.plan_thread(session, now)
        self._deliveries.arm(planned)
        return await self.config(guild_id)

    async def _setup_changed(self, guild_id: int) -> None:
        # Organizers often fix a permission or channel by changing setup: retry what failed.
        await self._deliveries.retry(guild_id)
