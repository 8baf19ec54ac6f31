"""SQL for the deliveries outbox: every post the bot makes on its own.

Kinds and statuses are validated by :mod:`bot.outbox.kinds` before they reach SQL; the schema
stores them as text so a new one needs no table rebuild.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db.database import Database, Row, SyncConnection
from bot.domain.shards import Shards

_FIELDS = (
    "id, guild_id, session_id, kind, offset_s, due_at, status, channel_id, payload, attempts,"
    " claimed_at, lease_until, fingerprint, sent_at, message_id, last_error"
)
_OPEN = "('pending', 'retrying')"


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
    payload: str | None
    attempts: int
    claimed_at: datetime | None
    lease_until: datetime | None
    fingerprint: str | None
    sent_at: datetime | None
    message_id: int | None
    last_error: str | None


class Claim(enum.Enum):
    """What :meth:`DeliveriesRepo.claim` found."""

    TAKEN = "taken"
    GONE = "gone"
    BUSY = "busy"


@dataclass(frozen=True, slots=True)
class NewDelivery:
    guild_id: int
    session_id: int
    kind: str
    due_at: datetime
    channel_id: int
    offset_s: int | None = None
    payload: str | None = None


_INSERT = (
    "INSERT INTO deliveries (guild_id, session_id, kind, offset_s, due_at,"
    " channel_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)


def _values(new: NewDelivery, stamp: str) -> tuple[Any, ...]:
    return (
        new.guild_id,
        new.session_id,
        new.kind,
        new.offset_s,
        new.due_at.isoformat(),
        new.channel_id,
        new.payload,
        stamp,
    )


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
        payload=row["payload"],
        attempts=int(row["attempts"]),
        claimed_at=_when(row["claimed_at"]),
        lease_until=_when(row["lease_until"]),
        fingerprint=row["fingerprint"],
        sent_at=_when(row["sent_at"]),
        message_id=row["message_id"],
        last_error=row["last_error"],
    )


class DeliveriesRepo:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        """``shards``: the Discord shards this process owns; the rows it takes to send (due,
        to arm, claims to expire) are those of their servers only. None: all."""
        self._db = db
        self.shards = shards or Shards()
        self._owned = self.shards.sql_filter()

    async def add(self, new: NewDelivery, now: datetime) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(_INSERT, _values(new, now.isoformat()))
            return int((await cursor.fetchall())[0][0])

    async def add_closed(self, new: NewDelivery, status: str, reason: str, now: datetime) -> int:
        """A bookkeeping row that is closed from the start (an edit that kept failing)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO deliveries (guild_id, session_id, kind, due_at, status, channel_id,"
                " last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.guild_id,
                    new.session_id,
                    new.kind,
                    new.due_at.isoformat(),
                    status,
                    new.channel_id,
                    reason,
                    now.isoformat(),
                ),
            )
            return int((await cursor.fetchall())[0][0])

    async def get(self, delivery_id: int) -> DeliveryRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_FIELDS} FROM deliveries WHERE id = ?",  # noqa: S608
            (delivery_id,),
        )
        return None if row is None else _delivery(row)

    async def due(self, instant: datetime, limit: int = 1000) -> list[DeliveryRow]:
        """Open rows due at or before ``instant`` and claims whose lease ran out, oldest first."""
        owned, shards = self._owned
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM deliveries WHERE ((status IN {_OPEN} AND due_at <= ?)"  # noqa: S608
            f" OR (status = 'claimed' AND lease_until <= ?)){owned} ORDER BY due_at, id LIMIT ?",
            (instant.isoformat(), instant.isoformat(), *shards, limit),
        )
        return [_delivery(row) for row in rows]

    async def open_due_before(self, instant: datetime, limit: int = 10_000) -> list[DeliveryRow]:
        """Open rows due at or before ``instant`` (to arm), oldest first."""
        owned, shards = self._owned
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM deliveries WHERE status IN {_OPEN}"  # noqa: S608
            f" AND due_at <= ?{owned} ORDER BY due_at, id LIMIT ?",
            (instant.isoformat(), *shards, limit),
        )
        return [_delivery(row) for row in rows]

    async def claim(
        self,
        delivery_id: int,
        expected_status: str,
        fingerprint: str,
        now: datetime,
        lease_until: datetime,
    ) -> Claim:
        """Take a row for sending with a lease until ``lease_until``.

        The row is read ``FOR UPDATE SKIP LOCKED``: on PostgreSQL a row another process is
        claiming at this very moment is passed over, never waited for. Returns
        :attr:`Claim.TAKEN`; :attr:`Claim.GONE` if it is no longer ``expected_status`` (someone
        else took it, or it was closed); :attr:`Claim.BUSY` if another process holds it right now
        (its claim may still fail: look again shortly). SQLite is never busy (one writer).
        """
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT status FROM deliveries WHERE id = ? FOR UPDATE SKIP LOCKED",
                (delivery_id,),
            )
            found = await cursor.fetchall()
            if not found:
                exists = await conn.execute(
                    "SELECT status FROM deliveries WHERE id = ?", (delivery_id,)
                )
                now_status = {str(row[0]) for row in await exists.fetchall()}
                return Claim.BUSY if now_status == {expected_status} else Claim.GONE
            if str(found[0][0]) != expected_status:
                return Claim.GONE
            await conn.execute(
                "UPDATE deliveries SET status = 'claimed', claimed_at = ?, lease_until = ?,"
                " fingerprint = ?, attempts = attempts + 1 WHERE id = ?",
                (now.isoformat(), lease_until.isoformat(), fingerprint, delivery_id),
            )
            return Claim.TAKEN

    async def extend_lease(self, delivery_id: int, claimed_at: datetime, until: datetime) -> bool:
        """Keep a claim whose outcome is being looked up; False if it changed hands."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE deliveries SET lease_until = ? WHERE id = ? AND status = 'claimed'"
                " AND claimed_at = ?",
                (until.isoformat(), delivery_id, claimed_at.isoformat()),
            )
            return cursor.rowcount == 1

    async def record_sent(self, delivery_id: int, message_id: int, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = ?,"
                " lease_until = NULL, last_error = NULL WHERE id = ?",
                (now.isoformat(), message_id, delivery_id),
            )

    async def move_open(self, session_id: int, kinds: tuple[str, ...], channel_id: int) -> None:
        """The session's open rows of ``kinds`` now go to ``channel_id`` (its thread)."""
        placeholders = ", ".join("?" for _ in kinds)
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE deliveries SET channel_id = ? WHERE session_id = ?"  # noqa: S608
                f" AND status IN {_OPEN} AND kind IN ({placeholders})",
                (channel_id, session_id, *kinds),
            )

    async def record_done(self, delivery_id: int, now: datetime) -> None:
        """A row that acts on something other than a message (a Discord event) is done."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = 'sent', sent_at = ?, lease_until = NULL,"
                " last_error = NULL WHERE id = ?",
                (now.isoformat(), delivery_id),
            )

    async def close(self, delivery_id: int, status: str, reason: str) -> None:
        """End a row without sending: skipped, superseded or failed, with the reason."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = ?, last_error = ?, lease_until = NULL"
                " WHERE id = ? AND status IN ('pending', 'retrying', 'claimed')",
                (status, reason, delivery_id),
            )

    async def postpone(self, delivery_id: int, due_at: datetime) -> bool:
        """Move an open row (pending or retrying) to ``due_at``; False if it is not open."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE deliveries SET due_at = ? WHERE id = ? AND status IN {_OPEN}",  # noqa: S608
                (due_at.isoformat(), delivery_id),
            )
            return cursor.rowcount > 0

    async def retry_later(self, delivery_id: int, due_at: datetime, error: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = 'retrying', due_at = ?, last_error = ?,"
                " lease_until = NULL WHERE id = ? AND status = 'claimed'",
                (due_at.isoformat(), error, delivery_id),
            )

    async def reopen(
        self, guild_id: int, session_id: int | None, now: datetime
    ) -> tuple[list[int], list[int]]:
        """Failed and retrying rows of the server's (or one session's) sessions still ahead
        become due now. Failed edit records are closed instead. Returns the reopened ids (to
        arm) and the sessions whose edits had failed (to redraw)."""
        only = " AND session_id = ?" if session_id is not None else ""
        params: tuple[Any, ...] = (guild_id, guild_id, now.isoformat())
        if session_id is not None:
            params += (session_id,)
        async with self._db.transaction() as conn:
            # The server's upcoming sessions through their (guild, start) index, not all sessions.
            ahead = (
                "guild_id = ? AND session_id IN"  # noqa: S608
                " (SELECT id FROM sessions WHERE guild_id = ? AND starts_at > ?)" + only
            )
            cursor = await conn.execute(
                f"SELECT id FROM deliveries WHERE {ahead}"  # noqa: S608
                " AND status IN ('failed', 'retrying') AND kind != 'announcement_edit'",
                params,
            )
            ids = [int(row[0]) for row in await cursor.fetchall()]
            await cursor.close()
            cursor = await conn.execute(
                f"SELECT DISTINCT session_id FROM deliveries WHERE {ahead}"  # noqa: S608
                " AND status = 'failed' AND kind = 'announcement_edit'",
                params,
            )
            redraw = [int(row[0]) for row in await cursor.fetchall()]
            await cursor.close()
            await conn.execute(
                f"UPDATE deliveries SET status = 'retrying', due_at = ?, attempts = 0"  # noqa: S608
                f" WHERE {ahead} AND status IN ('failed', 'retrying')"
                " AND kind != 'announcement_edit'",
                (now.isoformat(), *params),
            )
            await conn.execute(
                f"UPDATE deliveries SET status = 'superseded', last_error = 'retried'"  # noqa: S608
                f" WHERE {ahead} AND status = 'failed' AND kind = 'announcement_edit'",
                params,
            )
            return ids, redraw

    async def add_many(self, rows: Sequence[NewDelivery], now: datetime) -> list[int]:
        """:meth:`add` for many rows in one trip to the connection's thread (inside the
        caller's transaction); their ids, in order."""
        stamp = now.isoformat()

        def write(conn: SyncConnection) -> list[int]:
            ids = []
            for new in rows:
                cursor = conn.execute(_INSERT, _values(new, stamp))
                ids.append(int(cursor.fetchall()[0][0]))
            return ids

        return await self._db.run(write)

    async def supersede_many(
        self, closing: Sequence[tuple[int, tuple[str, ...]]], reason: str
    ) -> list[int]:
        """:meth:`supersede_pending` for many (session id, kinds) in one trip (inside the
        caller's transaction); the ids closed, to disarm."""

        def write(conn: SyncConnection) -> list[int]:
            closed: list[int] = []
            for session_id, kinds in closing:
                marks = ", ".join("?" for _ in kinds)
                closed += [
                    int(row[0])
                    for row in conn.execute(
                        f"UPDATE deliveries SET status = 'superseded', last_error = ?"  # noqa: S608
                        f" WHERE session_id = ? AND status IN {_OPEN} AND kind IN ({marks})"
                        " RETURNING id",
                        (reason, session_id, *kinds),
                    ).fetchall()
                ]
            return closed

        return await self._db.run(write)

    async def supersede_pending(
        self, session_id: int, kinds: tuple[str, ...], reason: str
    ) -> list[int]:
        """Close the session's open rows of ``kinds``; returns their ids (to disarm)."""
        placeholders = ", ".join("?" for _ in kinds)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"SELECT id FROM deliveries WHERE session_id = ? AND status IN {_OPEN}"  # noqa: S608
                f" AND kind IN ({placeholders})",
                (session_id, *kinds),
            )
            ids = [int(row[0]) for row in await cursor.fetchall()]
            await cursor.close()
            await conn.execute(
                f"UPDATE deliveries SET status = 'superseded', last_error = ?"  # noqa: S608
                f" WHERE session_id = ? AND status IN {_OPEN} AND kind IN ({placeholders})",
                (reason, session_id, *kinds),
            )
            return ids

    async def announced(self, session_id: int) -> bool:
        """Whether an announcement of the session was ever posted (even if since deleted) or
        may have been: a claim whose outcome is unknown can be on Discord already."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM deliveries WHERE session_id = ? AND kind = 'announcement'"
            " AND status IN ('sent', 'claimed') LIMIT 1",
            (session_id,),
        )
        return row is not None

    async def sessions_without(self, kind: str, since: datetime) -> list[int]:
        """Scheduled sessions of this process's servers starting after ``since`` that have no
        row of ``kind`` at all."""
        owned, shards = self.shards.sql_filter("s.guild_id")
        rows = await self._db.fetch_all(
            "SELECT s.id FROM sessions s WHERE s.status = 'scheduled' AND s.starts_at > ?"  # noqa: S608
            " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.session_id = s.id"
            f" AND d.kind = ?){owned} ORDER BY s.id",
            (since.isoformat(), kind, *shards),
        )
        return [int(row[0]) for row in rows]

    async def open_of_kind(self, session_id: int, kind: str) -> list[DeliveryRow]:
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM deliveries WHERE session_id = ? AND kind = ?"  # noqa: S608
            f" AND status IN {_OPEN} ORDER BY id",
            (session_id, kind),
        )
        return [_delivery(row) for row in rows]

    async def expire_claims(self, now: datetime) -> list[int]:
        """At start-up: claims of a process that is gone are presumed dead at once (their
        outcome is then looked up before anything is re-sent). Returns their ids.

        Only this process's shards: another process's claims are alive, and are taken over
        only once their lease runs out (:meth:`due`)."""
        owned, shards = self._owned
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE deliveries SET lease_until = ? WHERE status = 'claimed'{owned}"  # noqa: S608
                " RETURNING id",
                (now.isoformat(), *shards),
            )
            return sorted(int(row[0]) for row in await cursor.fetchall())

    async def sent_message_ids(self, channel_id: int, since: datetime) -> set[int]:
        """Messages already recorded for rows of this channel sent since ``since``."""
        rows = await self._db.fetch_all(
            "SELECT message_id FROM deliveries WHERE channel_id = ? AND status = 'sent'"
            " AND message_id IS NOT NULL AND sent_at >= ?",
            (channel_id, since.isoformat()),
        )
        return {int(r[0]) for r in rows}

    async def problems(
        self,
        guild_id: int,
        since: datetime,
        after_start: tuple[str, ...] = (),
        started_since: datetime | None = None,
    ) -> list[DeliveryRow]:
        """Failed and retrying rows of this server's sessions that have not started yet, and
        rows of the ``after_start`` kinds of sessions started since ``started_since``, newest
        first."""
        # Through the server's own sessions (index on guild_id, starts_at): no whole-table read.
        params: list[Any] = [guild_id, guild_id, since.isoformat()]
        later = ""
        if after_start and started_since is not None:
            marks = ", ".join("?" for _ in after_start)
            later = (
                f" OR (kind IN ({marks}) AND session_id IN"  # noqa: S608
                " (SELECT id FROM sessions WHERE guild_id = ? AND starts_at > ?))"
            )
            params += [*after_start, guild_id, started_since.isoformat()]
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM deliveries WHERE guild_id = ?"  # noqa: S608
            " AND status IN ('failed', 'retrying')"
            " AND (session_id IN (SELECT id FROM sessions WHERE guild_id = ? AND starts_at > ?)"
            f"{later}) ORDER BY id DESC LIMIT 10",
            params,
        )
        return [_delivery(row) for row in rows]
