"""SQL for RSVPs, their event log and the reactions seen on announcements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database
from bot.domain.rsvp import RosterEntry, State


@dataclass(frozen=True, slots=True)
class RsvpRow:
    session_id: int
    user_id: int
    display_name: str
    response: str
    state: State
    going_seq: int | None
    source: str


class RsvpsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def log(
        self, session_id: int, user_id: int, action: str, source: str, now: datetime
    ) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO rsvp_events (session_id, user_id, action, source, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (session_id, user_id, action, source, now.isoformat()),
            )
            return int(cursor.lastrowid or 0)

    async def get(self, session_id: int, user_id: int) -> RsvpRow | None:
        row = await self._db.fetch_one(
            "SELECT session_id, user_id, display_name, response, state, going_seq, source"
            " FROM rsvps WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
        if row is None:
            return None
        return RsvpRow(
            session_id=int(row[0]),
            user_id=int(row[1]),
            display_name=str(row[2]),
            response=str(row[3]),
            state=State(row[4]),
            going_seq=row[5],
            source=str(row[6]),
        )

    async def save(
        self,
        *,
        session_id: int,
        guild_id: int,
        user_id: int,
        display_name: str,
        response: str,
        state: State,
        going_seq: int | None,
        source: str,
        now: datetime,
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO rsvps (session_id, user_id, guild_id, display_name, response, state,"
                " going_seq, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id, user_id) DO UPDATE SET"
                " display_name = excluded.display_name, response = excluded.response,"
                " state = excluded.state, going_seq = excluded.going_seq,"
                " source = excluded.source, updated_at = excluded.updated_at",
                (
                    session_id,
                    user_id,
                    guild_id,
                    display_name,
                    response,
                    state.value,
                    going_seq,
                    source,
                    now.isoformat(),
                ),
            )

    async def delete(self, session_id: int, user_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM rsvps WHERE session_id = ? AND user_id = ?", (session_id, user_id)
            )

    async def count(self, session_id: int, state: State) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM rsvps WHERE session_id = ? AND state = ?",
            (session_id, state.value),
        )
        return int(row[0]) if row else 0

    async def waitlist_position(self, session_id: int, going_seq: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM rsvps WHERE session_id = ? AND state = 'waitlist'"
            " AND going_seq <= ?",
            (session_id, going_seq),
        )
        return int(row[0]) if row else 0

    async def waitlist_user_ids(self, session_id: int, limit: int) -> list[int]:
        """The first ``limit`` members on the waitlist, first come first."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM rsvps WHERE session_id = ? AND state = 'waitlist'"
            " ORDER BY going_seq LIMIT ?",
            (session_id, limit),
        )
        return [int(row[0]) for row in rows]

    async def promote_users(self, session_id: int, user_ids: list[int], now: datetime) -> None:
        """Give these waitlisted members a place."""
        async with self._db.transaction() as conn:
            for user_id in user_ids:
                await conn.execute(
                    "UPDATE rsvps SET state = 'going', updated_at = ?"
                    " WHERE session_id = ? AND user_id = ? AND state = 'waitlist'",
                    (now.isoformat(), session_id, user_id),
                )

    async def roster(self, session_id: int) -> list[RosterEntry]:
        rows = await self._db.fetch_all(
            "SELECT user_id, display_name, state, source, updated_at FROM rsvps"
            " WHERE session_id = ? ORDER BY COALESCE(going_seq, 9223372036854775807), updated_at,"
            " user_id",
            (session_id,),
        )
        return [
            RosterEntry(int(r[0]), str(r[1]), State(r[2]), str(r[3]), None, str(r[4])) for r in rows
        ]

    async def states_for_user(self, user_id: int, session_ids: list[int]) -> dict[int, State]:
        if not session_ids:
            return {}
        marks = ", ".join("?" for _ in session_ids)
        rows = await self._db.fetch_all(
            f"SELECT session_id, state FROM rsvps WHERE user_id = ?"  # noqa: S608
            f" AND session_id IN ({marks})",
            (user_id, *session_ids),
        )
        return {int(r[0]): State(r[1]) for r in rows}

    async def going_user_ids(self, session_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT user_id FROM rsvps WHERE session_id = ? AND state = 'going' ORDER BY going_seq",
            (session_id,),
        )
        return [int(r[0]) for r in rows]

    async def seen(self, session_id: int) -> set[tuple[int, str]]:
        rows = await self._db.fetch_all(
            "SELECT user_id, emoji FROM reactions_seen WHERE session_id = ?", (session_id,)
        )
        return {(int(r[0]), str(r[1])) for r in rows}

    async def set_seen(self, session_id: int, user_id: int, emoji: str, present: bool) -> None:
        async with self._db.transaction() as conn:
            if present:
                await conn.execute(
                    "INSERT OR IGNORE INTO reactions_seen (session_id, user_id, emoji)"
                    " VALUES (?, ?, ?)",
                    (session_id, user_id, emoji),
                )
            else:
                await conn.execute(
                    "DELETE FROM reactions_seen WHERE session_id = ? AND user_id = ? AND emoji = ?",
                    (session_id, user_id, emoji),
                )

    async def seen_for_user(self, session_id: int, user_id: int) -> set[str]:
        """The reactions (as Discord spells them) Pacer last saw from this member."""
        rows = await self._db.fetch_all(
            "SELECT emoji FROM reactions_seen WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
        return {str(r[0]) for r in rows}

    async def clear_seen(self, session_id: int, emoji: str | None) -> None:
        """Forget the reactions seen on an announcement: all of them, or one emoji's."""
        async with self._db.transaction() as conn:
            if emoji is None:
                await conn.execute("DELETE FROM reactions_seen WHERE session_id = ?", (session_id,))
            else:
                await conn.execute(
                    "DELETE FROM reactions_seen WHERE session_id = ? AND emoji = ?",
                    (session_id, emoji),
                )

    async def forget_seen(self, session_id: int) -> None:
        """A new announcement carries no member reactions yet: what was seen on the old one must
        not read as reactions taken back."""
        await self.clear_seen(session_id, None)
