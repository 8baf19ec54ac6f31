"""SQL for the instance lease: which process may post from this database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database, Row


@dataclass(frozen=True, slots=True)
class LeaseRow:
    holder: str
    host: str
    pid: int
    heartbeat_at: datetime
    expires_at: datetime


class LeaseRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, name: str) -> LeaseRow | None:
        row = await self._db.fetch_one(
            "SELECT holder, host, pid, heartbeat_at, expires_at FROM instance_lease WHERE name = ?",
            (name,),
        )
        return None if row is None else _lease(row)

    async def all(self) -> list[tuple[str, LeaseRow]]:
        """Every lease, by name (a handful: one per shard at most)."""
        rows = await self._db.fetch_all(
            "SELECT holder, host, pid, heartbeat_at, expires_at, name FROM instance_lease"
            " ORDER BY name"
        )
        return [(str(row[5]), _lease(row)) for row in rows]

    async def take(
        self,
        name: str,
        holder: str,
        host: str,
        pid: int,
        now: datetime,
        expires_at: datetime,
        replacing: str | None,
    ) -> bool:
        """Become the holder if the lease is still held by ``replacing`` (None: nobody)."""
        async with self._db.transaction() as conn:
            if replacing is None:
                cursor = await conn.execute(
                    "INSERT INTO instance_lease (name, holder, host, pid, heartbeat_at,"
                    " expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (name, holder, host, pid, now.isoformat(), expires_at.isoformat()),
                )
            else:
                cursor = await conn.execute(
                    "UPDATE instance_lease SET holder = ?, host = ?, pid = ?, heartbeat_at = ?,"
                    " expires_at = ? WHERE name = ? AND holder = ?",
                    (holder, host, pid, now.isoformat(), expires_at.isoformat(), name, replacing),
                )
            return cursor.rowcount == 1

    async def renew(self, name: str, holder: str, now: datetime, expires_at: datetime) -> bool:
        """The heartbeat; False if another process holds the lease now."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE instance_lease SET heartbeat_at = ?, expires_at = ?"
                " WHERE name = ? AND holder = ?",
                (now.isoformat(), expires_at.isoformat(), name, holder),
            )
            return cursor.rowcount == 1

    async def release(self, name: str, holder: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM instance_lease WHERE name = ? AND holder = ?", (name, holder)
            )


def _lease(row: Row) -> LeaseRow:
    """A row starting ``holder, host, pid, heartbeat_at, expires_at``."""
    return LeaseRow(
        holder=str(row[0]),
        host=str(row[1]),
        pid=int(row[2]),
        heartbeat_at=datetime.fromisoformat(row[3]),
        expires_at=datetime.fromisoformat(row[4]),
    )
