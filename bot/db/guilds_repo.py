"""SQL for per-server settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database

_COLUMNS = (
    "announce_channel_id",
    "timezone",
    "organizer_role_id",
    "reminder_offsets",
    "announce_days",
    "session_minutes",
    "discord_events",
    "threads_when",
)


@dataclass(frozen=True, slots=True)
class GuildSettingsRow:
    """A server's stored choices; None means "not set, use the default"."""

    guild_id: int
    announce_channel_id: int | None = None
    timezone: str | None = None
    organizer_role_id: int | None = None
    reminder_offsets: tuple[int, ...] | None = None
    announce_days: int | None = None
    session_minutes: int | None = None
    discord_events: bool | None = None
    threads_when: str | None = None


class GuildsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, guild_id: int) -> GuildSettingsRow:
        row = await self._db.fetch_one(
            "SELECT guild_id, announce_channel_id, timezone, organizer_role_id,"
            " reminder_offsets, announce_days, session_minutes, discord_events, threads_when"
            " FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return GuildSettingsRow(guild_id=guild_id)
        offsets = row["reminder_offsets"]
        return GuildSettingsRow(
            guild_id=guild_id,
            announce_channel_id=row["announce_channel_id"],
            timezone=row["timezone"],
            organizer_role_id=row["organizer_role_id"],
            reminder_offsets=(
                None
                if offsets is None
                else tuple(int(part) for part in str(offsets).split(",") if part)
            ),
            announce_days=row["announce_days"],
            session_minutes=row["session_minutes"],
            discord_events=(None if row["discord_events"] is None else bool(row["discord_events"])),
            threads_when=row["threads_when"],
        )

    async def update(self, guild_id: int, now: datetime, **values: object) -> None:
        """Set the given columns (names from the table), creating the row if needed."""
        unknown = set(values) - set(_COLUMNS)
        if unknown:
            raise ValueError(f"unknown guild settings: {sorted(unknown)}")
        stored = {
            key: ",".join(str(v) for v in value) if isinstance(value, tuple) else value
            for key, value in values.items()
        }
        names = list(stored)
        placeholders = ", ".join("?" for _ in names)
        updates = ", ".join(f"{name} = excluded.{name}" for name in names)
        # Column names come from _COLUMNS above, never from members.
        sql = (
            f"INSERT INTO guild_settings (guild_id, {', '.join(names)}, updated_at)"  # noqa: S608
            f" VALUES (?, {placeholders}, ?)"
            f" ON CONFLICT (guild_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at"
        )
        async with self._db.transaction() as conn:
            await conn.execute(sql, (guild_id, *stored.values(), now.isoformat()))
