"""SQL for the deliveries outbox: every post the bot makes on its own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.database import Database, Row

_FIELDS = (
    "id, guild_id, session_id, kind, offset_s, due_at, status, channel_id, payload, attempts,"
    " claimed_at, sent_at, message_id, last_error"
)


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: int
    guild_id: int
    session_id: int
    kind: str
    offset_s: int | None
    due_at: datetime
    status: str
    channel_id: int
    payload: dict[str, Any]
    attempts: int
    claimed_at: datetime | None
    sent_at: datetime | None
    message_id: int | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class NewDelivery:
    guild_id: int
    session_id: int
    kind: str
    due_at: datetime
    channel_id: int
    offset_s: int | None = None
    payload: dict[str, Any] | None = None


def _when(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _delivery(row: Row) -> DeliveryRow:
    return DeliveryRow(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        session_id=int(row["session_id"]),
        kind=str(row["kind"]),
        offset_s=row["offset_s"],
        due_at=datetime.fromisoformat(row["due_at"]),
        status=str(row["status"]),
        channel_id=int(row["channel_id"]),
        payload=json.loads(row["payload"]) if row["payload"] else {},
        attempts=int(row["attempts"]),
        claimed_at=_when(row["claimed_at"]),
        sent_at=_when(row["sent_at"]),
        message_id=row["message_id"],
        last_error=row["last_error"],
    )


class DeliveriesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, new: NewDelivery, now: datetime) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO deliveries (guild_id, session_id, kind, offset_s, due_at,"
                " channel_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.guild_id,
                    new.session_id,
                    new.kind,
                    new.offset_s,
                    new.due_at.isoformat(),
                    new.channel_id,
                    json.dumps(new.payload) if new.payload else None,
                    now.isoformat(),
                ),
            )
            return int(cursor.lastrowid or 0)

    async def get(self, delivery_id: int) -> DeliveryRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_FIELDS} FROM deliveries WHERE id = ?",  # noqa: S608
            (delivery_id,),
        )
        return None if row is None else _delivery(row)

    async def pending_due_before(self, instant: datetime, limit: int = 1000) -> list[DeliveryRow]:
        """Pending rows due at or before ``instant``, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM deliveries WHERE status = 'pending'"  # noqa: S608
            " AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (instant.isoformat(), limit),
        )
        return [_delivery(row) for row in rows]

    async def claim(self, delivery_id: int, now: datetime) -> bool:
        """Take a pending row for sending; False if someone else has it or it is done."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE deliveries SET status = 'claimed', claimed_at = ?, attempts = attempts + 1"
                " WHERE id = ? AND status = 'pending'",
                (now.isoformat(), delivery_id),
            )
            return cursor.rowcount == 1

    async def record_sent(self, delivery_id: int, message_id: int, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = ?,"
                " last_error = NULL WHERE id = ?",
                (now.isoformat(), message_id, delivery_id),
            )

    async def close(self, delivery_id: int, status: str, reason: str) -> None:
        """End a row without sending: skipped, superseded or failed, with the reason."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = ?, last_error = ? WHERE id = ?"
                " AND status IN ('pending', 'claimed')",
                (status, reason, delivery_id),
            )

    async def retry_later(self, delivery_id: int, due_at: datetime, error: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = 'pending', due_at = ?, last_error = ?"
                " WHERE id = ? AND status = 'claimed'",
                (due_at.isoformat(), error, delivery_id),
            )

    async def supersede_pending(
        self, session_id: int, kinds: tuple[str, ...], reason: str
    ) -> list[int]:
        """Close the session's pending rows of ``kinds``; returns their ids (to disarm)."""
        placeholders = ", ".join("?" for _ in kinds)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"SELECT id FROM deliveries WHERE session_id = ? AND status = 'pending'"  # noqa: S608
                f" AND kind IN ({placeholders})",
                (session_id, *kinds),
            )
            ids = [int(row[0]) for row in await cursor.fetchall()]
            await cursor.close()
            await conn.execute(
                f"UPDATE deliveries SET status = 'superseded', last_error = ?"  # noqa: S608
                f" WHERE session_id = ? AND status = 'pending' AND kind IN ({placeholders})",
                (reason, session_id, *kinds),
            )
            return ids

    async def release_claims(self) -> int:
        """At start-up: rows claimed by a process that died go back to pending (same nonce)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE deliveries SET status = 'pending' WHERE status = 'claimed'"
            )
            return cursor.rowcount

    async def problems(self, guild_id: int, since: datetime) -> list[DeliveryRow]:
        """Failed rows of this server's sessions that have not started yet, newest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM deliveries WHERE guild_id = ? AND status = 'failed'"  # noqa: S608
            " AND session_id IN (SELECT id FROM sessions WHERE starts_at > ?)"
            " ORDER BY id DESC LIMIT 10",
            (guild_id, since.isoformat()),
        )
        return [_delivery(row) for row in rows]
