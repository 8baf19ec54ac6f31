"""SQL for attendance marks, their history and each server's attendance settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database
from bot.db.retention_repo import decode_going, encode_going


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    session_id: int
    user_id: int
    display_name: str
    state: str
    source: str
    marked_by: int
    updated_at: str


@dataclass(frozen=True, slots=True)
class AttendanceSettingsRow:
    checkin_before_s: int | None
    checkin_after_s: int | None
    season_start: str | None


@dataclass(frozen=True, slots=True)
class CameRow:
    """A session this member came to: its id, title and start (aware UTC)."""

    session_id: int
    title: str
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class PastSessionRow:
    session_id: int
    title: str
    starts_at: datetime
    timezone: str
    created_by: int
    series_id: int


class AttendanceRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, session_id: int, user_id: int) -> AttendanceRow | None:
        row = await self._db.fetch_one(
            "SELECT session_id, user_id, display_name, state, source, marked_by, updated_at"
            " FROM attendance"
            " WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
        return AttendanceRow(*row) if row is not None else None

    async def mark(
        self,
        guild_id: int,
        session_id: int,
        user_id: int,
        display_name: str,
        state: str,
        source: str,
        marked_by: int,
        now: datetime,
    ) -> None:
        """Set the member's mark and keep the change in the history (inside a transaction)."""
        at = now.isoformat()
        await self._db.conn.execute(
            "INSERT INTO attendance_events"
            " (session_id, user_id, guild_id, state, source, marked_by, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session_id, user_id, guild_id, state, source, marked_by, at),
        )
        await self._db.conn.execute(
            "INSERT INTO attendance (session_id, user_id, guild_id, display_name, state, source,"
            " marked_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (session_id, user_id) DO UPDATE SET state = excluded.state,"
            " display_name = excluded.display_name, source = excluded.source,"
            " marked_by = excluded.marked_by, updated_at = excluded.updated_at",
            (session_id, user_id, guild_id, display_name, state, source, marked_by, at),
        )

    async def history(self, session_id: int, user_id: int) -> list[tuple[str, str, int, str]]:
        """(state, source, marked_by, at) of every mark, oldest first. A mark made once and
        never changed keeps no separate history once its session is pruned (it would repeat
        the mark): the mark itself is that history."""
        rows = await self._db.fetch_all(
            "SELECT state, source, marked_by, at FROM attendance_events"
            " WHERE session_id = ? AND user_id = ? ORDER BY id",
            (session_id, user_id),
        )
        if not rows:
            rows = await self._db.fetch_all(
                "SELECT state, source, marked_by, updated_at FROM attendance"
                " WHERE session_id = ? AND user_id = ?",
                (session_id, user_id),
            )
        return [(r[0], r[1], int(r[2]), r[3]) for r in rows]

    async def came_for_user(self, guild_id: int, user_id: int) -> list[CameRow]:
        """Sessions of the server the member came to (attended or walk-in), oldest first."""
        rows = await self._db.fetch_all(
            "SELECT s.id, s.title, s.starts_at FROM attendance a"
            " JOIN sessions s ON s.id = a.session_id"
            " WHERE a.guild_id = ? AND a.user_id = ? AND a.state != 'no_show'"
            " AND s.status = 'scheduled' ORDER BY s.starts_at, s.id",
            (guild_id, user_id),
        )
        return [CameRow(int(r[0]), r[1], datetime.fromisoformat(r[2])) for r in rows]

    async def past_sessions(
        self, guild_id: int, since: datetime, until: datetime
    ) -> list[PastSessionRow]:
        """Scheduled (not cancelled) sessions starting in [since, until]."""
        rows = await self._db.fetch_all(
            "SELECT id, title, starts_at, timezone, created_by, series_id FROM sessions"
            " WHERE guild_id = ? AND status = 'scheduled' AND starts_at >= ? AND starts_at <= ?"
            " ORDER BY starts_at, id",
            (guild_id, since.isoformat(), until.isoformat()),
        )
        return [
            PastSessionRow(
                int(r[0]), r[1], datetime.fromisoformat(r[2]), r[3], int(r[4]), int(r[5])
            )
            for r in rows
        ]

    async def marks_for(self, session_ids: list[int]) -> list[AttendanceRow]:
        if not session_ids:
            return []
        marks = ",".join("?" * len(session_ids))
        rows = await self._db.fetch_all(
            "SELECT session_id, user_id, display_name, state, source, marked_by, updated_at"  # noqa: S608
            f" FROM attendance WHERE session_id IN ({marks}) ORDER BY session_id, user_id",
            session_ids,
        )
        return [AttendanceRow(*r) for r in rows]

    async def said_going(self, session_ids: list[int]) -> list[tuple[int, int]]:
        """(session_id, user_id) of members whose answer was going when answers closed."""
        if not session_ids:
            return []
        marks = ",".join("?" * len(session_ids))
        rows = await self._db.fetch_all(
            f"SELECT session_id, user_id FROM rsvps WHERE session_id IN ({marks})"  # noqa: S608
            " AND state = 'going'",
            session_ids,
        )
        going = [(int(r[0]), int(r[1])) for r in rows]
        # Sessions pruned by retention keep only this list (see bot/db/retention_repo.py).
        kept = await self._db.fetch_all(
            f"SELECT session_id, user_ids FROM session_going WHERE session_id IN ({marks})",  # noqa: S608
            session_ids,
        )
        for session_id, user_ids in kept:
            going += [(int(session_id), user) for user in decode_going(user_ids)]
        return going

    async def last_came(self, guild_id: int, before: datetime) -> list[tuple[int, datetime]]:
        """Each member's latest start among sessions they came to, before ``before``."""
        rows = await self._db.fetch_all(
            "SELECT a.user_id, MAX(s.starts_at) FROM attendance a"
            " JOIN sessions s ON s.id = a.session_id"
            " WHERE a.guild_id = ? AND a.state != 'no_show' AND s.status = 'scheduled'"
            " AND s.starts_at <= ? GROUP BY a.user_id",
            (guild_id, before.isoformat()),
        )
        return [(int(r[0]), datetime.fromisoformat(r[1])) for r in rows]

    async def settings(self, guild_id: int) -> AttendanceSettingsRow:
        row = await self._db.fetch_one(
            "SELECT checkin_before_s, checkin_after_s, season_start FROM attendance_settings"
            " WHERE guild_id = ?",
            (guild_id,),
        )
        return (
            AttendanceSettingsRow(*row)
            if row is not None
            else AttendanceSettingsRow(None, None, None)
        )

    async def save_settings(
        self, guild_id: int, settings: AttendanceSettingsRow, now: datetime
    ) -> None:
        await self._db.conn.execute(
            "INSERT INTO attendance_settings"
            " (guild_id, checkin_before_s, checkin_after_s, season_start, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
            " checkin_before_s = excluded.checkin_before_s,"
            " checkin_after_s = excluded.checkin_after_s,"
            " season_start = excluded.season_start, updated_at = excluded.updated_at",
            (
                guild_id,
                settings.checkin_before_s,
                settings.checkin_after_s,
                settings.season_start,
                now.isoformat(),
            ),
        )

    async def forget_member(self, guild_id: int, user_id: int, now: datetime) -> int:
        """Delete the member's marks and their history in this server; returns marks deleted.
        Also deletes their answers to the server's sessions (inside a transaction; answers to
        upcoming sessions are taken off first by the RSVP service, which moves the waitlist).

        Which reactions Pacer saw them add is kept for sessions not started yet: a reaction
        Pacer could not take away (no Manage Messages) would otherwise be read back at the next
        start as a new answer."""
        conn = self._db.conn
        cursor = await conn.execute(
            "DELETE FROM attendance WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        count = cursor.rowcount
        await conn.execute(
            "DELETE FROM attendance_events WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        in_guild = "SELECT id FROM sessions WHERE guild_id = ?"
        for table in ("rsvps", "rsvp_events", "group_members", "group_leaders"):
            await conn.execute(
                f"DELETE FROM {table} WHERE user_id = ? AND session_id IN ({in_guild})",  # noqa: S608
                (user_id, guild_id),
            )
        cursor = await conn.execute(
            "SELECT g.session_id, g.user_ids FROM session_going g"
            " JOIN sessions s ON s.id = g.session_id WHERE s.guild_id = ? AND g.user_ids LIKE ?",
            (guild_id, f"%{user_id}%"),
        )
        for session_id, user_ids in await cursor.fetchall():
            kept = [user for user in decode_going(user_ids) if user != user_id]
            await conn.execute(
                "UPDATE session_going SET user_ids = ? WHERE session_id = ?",
                (encode_going(kept), session_id),
            )
        await cursor.close()
        await conn.execute(
            "DELETE FROM group_profile_notices WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        await conn.execute(
            "DELETE FROM reactions_seen WHERE user_id = ? AND session_id IN"
            " (SELECT id FROM sessions WHERE guild_id = ? AND starts_at <= ?)",
            (user_id, guild_id, now.isoformat()),
        )
        return max(count, 0)
