"""SQL for pending re-plans: a server whose settings changed and whose sessions are being
re-planned in chunks (see :meth:`bot.outbox.service.OutboxService.replan_soon`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database
from bot.domain.shards import Shards


@dataclass(frozen=True, slots=True)
class ReplanMark:
    """A pending re-plan: sessions ordered by ``(starts_at, id)`` up to and including the
    cursor are done (no cursor: none yet)."""

    guild_id: int
    generation: int
    #: Deliveries with an id up to this one were planned by the settings before the change.
    stale_through_id: int
    after_starts_at: datetime | None
    after_id: int | None

    def covers(self, starts_at: datetime, session_id: int) -> bool:
        """Whether the session was re-planned already by this pass."""
        if self.after_starts_at is None or self.after_id is None:
            return False
        return (starts_at, session_id) <= (self.after_starts_at, self.after_id)


class ReplansRepo:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        """``shards``: the Discord shards this process owns; it resumes only their servers'
        re-plans (:meth:`pending`). None: all."""
        self._db = db
        self._owned = (shards or Shards()).sql_filter()

    async def request(self, guild_id: int, now: datetime) -> None:
        """Mark the server's sessions for re-planning from the nearest one (a pass already
        running starts over; inside the caller's transaction with the setting it follows)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO replans (guild_id, generation, stale_through_id, after_starts_at,"
                " after_id, requested_at)"
                " VALUES (?, 1, (SELECT COALESCE(MAX(id), 0) FROM deliveries), NULL, NULL, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET generation = replans.generation + 1,"
                " stale_through_id = excluded.stale_through_id, after_starts_at = NULL,"
                " after_id = NULL, requested_at = excluded.requested_at",
                (guild_id, now.isoformat()),
            )

    async def get(self, guild_id: int) -> ReplanMark | None:
        row = await self._db.fetch_one(
            "SELECT guild_id, generation, stale_through_id, after_starts_at, after_id"
            " FROM replans"
            " WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return None
        after = row["after_starts_at"]
        return ReplanMark(
            guild_id=int(row["guild_id"]),
            generation=int(row["generation"]),
            stale_through_id=int(row["stale_through_id"]),
            after_starts_at=None if after is None else datetime.fromisoformat(after),
            after_id=row["after_id"],
        )

    async def pending(self) -> list[int]:
        """This process's servers with a re-plan not finished (to resume at start-up)."""
        owned, shards = self._owned
        rows = await self._db.fetch_all(
            f"SELECT guild_id FROM replans WHERE 1 = 1{owned} ORDER BY requested_at",  # noqa: S608
            shards,
        )
        return [int(row[0]) for row in rows]

    async def advance(self, mark: ReplanMark, starts_at: datetime, session_id: int) -> None:
        """Move the cursor past a chunk just re-planned (inside that chunk's transaction)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE replans SET after_starts_at = ?, after_id = ?"
                " WHERE guild_id = ? AND generation = ?",
                (starts_at.isoformat(), session_id, mark.guild_id, mark.generation),
            )

    async def finish(self, mark: ReplanMark) -> None:
        """Every session is re-planned: drop the mark (unless a newer change replaced it)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM replans WHERE guild_id = ? AND generation = ?",
                (mark.guild_id, mark.generation),
            )
