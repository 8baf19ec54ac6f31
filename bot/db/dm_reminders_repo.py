"""SQL for members' choice of reminders by DM (/profile reminders) and DMs found closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database


@dataclass(frozen=True, slots=True)
class DmRemindersRow:
    """A member's choice. ``closed_at``: when a DM reminder bounced (their DMs are closed to
    Pacer; none are sent until they turn reminders on again); ``told_at``: when they were told
    so."""

    user_id: int
    enabled: bool = False
    closed_at: datetime | None = None
    told_at: datetime | None = None


class DmRemindersRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> DmRemindersRow:
        row = await self._db.fetch_one(
            "SELECT enabled, closed_at, told_at FROM dm_reminders WHERE user_id = ?", (user_id,)
        )
        if row is None:
            return DmRemindersRow(user_id)
        return DmRemindersRow(
            user_id=user_id,
            enabled=bool(row["enabled"]),
            closed_at=_when(row["closed_at"]),
            told_at=_when(row["told_at"]),
        )

    async def set(self, user_id: int, enabled: bool, now: datetime) -> None:
        """Turn DM reminders on or off; either way a bounce recorded before is forgotten."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO dm_reminders (user_id, enabled, closed_at, told_at, updated_at)"
                " VALUES (?, ?, NULL, NULL, ?) ON CONFLICT (user_id) DO UPDATE SET"
                " enabled = excluded.enabled, closed_at = NULL, told_at = NULL,"
                " updated_at = excluded.updated_at",
                (user_id, int(enabled), now.isoformat()),
            )

    async def wanting(self, user_ids: list[int]) -> list[int]:
        """Of ``user_ids``, those who want reminders by DM and whose DMs were not found closed,
        in the order given."""
        wanted: set[int] = set()
        for at in range(0, len(user_ids), 500):
            chunk = user_ids[at : at + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT user_id FROM dm_reminders WHERE enabled = 1"  # noqa: S608
                f" AND closed_at IS NULL AND user_id IN ({marks})",
                chunk,
            )
            wanted |= {int(row["user_id"]) for row in rows}
        return [user_id for user_id in user_ids if user_id in wanted]

    async def mark_closed(self, user_id: int, now: datetime) -> None:
        """A DM bounced: no more DM reminders until the member turns them on again."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE dm_reminders SET closed_at = ?, updated_at = ?"
                " WHERE user_id = ? AND closed_at IS NULL",
                (now.isoformat(), now.isoformat(), user_id),
            )

    async def take_untold(self, user_id: int, now: datetime) -> datetime | None:
        """When the member's DMs were found closed, the first time this is asked after it
        (then recorded as told, so they are told once); None otherwise."""
        # One statement, so two processes asking at once (the member's servers on two shards)
        # tell them once: the second waits for the first's row lock, then finds it told.
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE dm_reminders SET told_at = ? WHERE user_id = ?"
                " AND closed_at IS NOT NULL AND told_at IS NULL RETURNING closed_at",
                (now.isoformat(), user_id),
            )
            rows = await cursor.fetchall()
            await cursor.close()
            return datetime.fromisoformat(rows[0][0]) if rows else None


def _when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
