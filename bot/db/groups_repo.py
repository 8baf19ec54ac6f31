"""SQL for published pace groups: the rule, placements and moves, leaders, the one-time
no-profile notes, and runners' choice to show their pace in public groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database


@dataclass(frozen=True, slots=True)
class PublicationRow:
    """How a session's groups were published: ``spread_s_per_km`` or ``group_count`` is set."""

    session_id: int
    spread_s_per_km: float | None
    group_count: int | None
    published_by: int
    published_at: datetime


@dataclass(frozen=True, slots=True)
class PlacementRow:
    user_id: int
    group_no: int
    #: The organizer who moved them here, or None when the rule placed them.
    moved_by: int | None


class GroupsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def publication(self, session_id: int) -> PublicationRow | None:
        row = await self._db.fetch_one(
            "SELECT session_id, spread_s_per_km, group_count, published_by, published_at"
            " FROM group_publications WHERE session_id = ?",
            (session_id,),
        )
        if row is None:
            return None
        return PublicationRow(
            session_id=int(row["session_id"]),
            spread_s_per_km=row["spread_s_per_km"],
            group_count=row["group_count"],
            published_by=int(row["published_by"]),
            published_at=datetime.fromisoformat(row["published_at"]),
        )

    async def placements(self, session_id: int) -> list[PlacementRow]:
        rows = await self._db.fetch_all(
            "SELECT user_id, group_no, moved_by FROM group_members WHERE session_id = ?"
            " ORDER BY user_id",
            (session_id,),
        )
        return [PlacementRow(int(r["user_id"]), int(r["group_no"]), r["moved_by"]) for r in rows]

    async def leaders(self, session_id: int) -> dict[int, int]:
        """Group number -> leader's user id."""
        rows = await self._db.fetch_all(
            "SELECT group_no, user_id FROM group_leaders WHERE session_id = ?", (session_id,)
        )
        return {int(r["group_no"]): int(r["user_id"]) for r in rows}

    async def publish(
        self,
        guild_id: int,
        session_id: int,
        spread_s_per_km: float | None,
        group_count: int | None,
        placed: Sequence[tuple[int, int]],
        by: int,
        now: datetime,
    ) -> None:
        """Publish (or publish again with a new rule): the rule, and ``placed`` (user id, group
        number) for everyone not moved by an organizer; moves and leaders are kept. Inside a
        transaction."""
        conn = self._db.conn
        at = now.isoformat()
        await conn.execute(
            "INSERT INTO group_publications"
            " (session_id, guild_id, spread_s_per_km, group_count, published_by, published_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (session_id) DO UPDATE SET spread_s_per_km = excluded.spread_s_per_km,"
            " group_count = excluded.group_count, published_by = excluded.published_by,"
            " published_at = excluded.published_at",
            (session_id, guild_id, spread_s_per_km, group_count, by, at),
        )
        await conn.execute(
            "DELETE FROM group_members WHERE session_id = ? AND moved_by IS NULL", (session_id,)
        )
        await conn.executemany(
            "INSERT INTO group_members (session_id, user_id, group_no, moved_by, placed_at)"
            " VALUES (?, ?, ?, NULL, ?) ON CONFLICT (session_id, user_id) DO NOTHING",
            [(session_id, user_id, group_no, at) for user_id, group_no in placed],
        )

    async def place(
        self, session_id: int, placed: Sequence[tuple[int, int]], now: datetime
    ) -> None:
        """Keep where newcomers were placed by the rule, (user id, group number); a member
        placed meanwhile keeps their place. Inside a transaction."""
        await self._db.conn.executemany(
            "INSERT INTO group_members (session_id, user_id, group_no, moved_by, placed_at)"
            " VALUES (?, ?, ?, NULL, ?) ON CONFLICT (session_id, user_id) DO NOTHING",
            [(session_id, user_id, group_no, now.isoformat()) for user_id, group_no in placed],
        )

    async def unpublish(self, session_id: int) -> bool:
        """Forget the session's groups, moves and leaders; False if none were published.
        Inside a transaction."""
        conn = self._db.conn
        cursor = await conn.execute(
            "DELETE FROM group_publications WHERE session_id = ?", (session_id,)
        )
        for table in ("group_members", "group_leaders"):
            await conn.execute(
                f"DELETE FROM {table} WHERE session_id = ?",  # noqa: S608
                (session_id,),
            )
        return cursor.rowcount > 0

    async def move(
        self, session_id: int, user_id: int, group_no: int, by: int, now: datetime
    ) -> None:
        """Put a member in a group by an organizer's hand (inside a transaction); a leader
        moved out of their group no longer leads it."""
        conn = self._db.conn
        await conn.execute(
            "INSERT INTO group_members (session_id, user_id, group_no, moved_by, placed_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO UPDATE SET"
            " group_no = excluded.group_no, moved_by = excluded.moved_by,"
            " placed_at = excluded.placed_at",
            (session_id, user_id, group_no, by, now.isoformat()),
        )
        await conn.execute(
            "DELETE FROM group_leaders WHERE session_id = ? AND user_id = ? AND group_no <> ?",
            (session_id, user_id, group_no),
        )

    async def set_leader(
        self, session_id: int, group_no: int, user_id: int, by: int, now: datetime
    ) -> None:
        """Name a group's leader, replacing the one before (inside a transaction)."""
        await self._db.conn.execute(
            "INSERT INTO group_leaders (session_id, group_no, user_id, named_by, named_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id, group_no) DO UPDATE SET"
            " user_id = excluded.user_id, named_by = excluded.named_by,"
            " named_at = excluded.named_at",
            (session_id, group_no, user_id, by, now.isoformat()),
        )

    async def noticed(self, guild_id: int, user_ids: Sequence[int]) -> set[int]:
        """Which of ``user_ids`` were already told how to add a profile in this server."""
        if not user_ids:
            return set()
        marks = ",".join("?" * len(user_ids))
        rows = await self._db.fetch_all(
            f"SELECT user_id FROM group_profile_notices WHERE guild_id = ?"  # noqa: S608
            f" AND user_id IN ({marks})",
            (guild_id, *user_ids),
        )
        return {int(r["user_id"]) for r in rows}

    async def record_notice(
        self, guild_id: int, user_id: int, session_id: int, now: datetime
    ) -> bool:
        """Remember that the member is being told (inside a transaction); False if they were
        already."""
        cursor = await self._db.conn.execute(
            "INSERT INTO group_profile_notices (guild_id, user_id, session_id, noticed_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO NOTHING",
            (guild_id, user_id, session_id, now.isoformat()),
        )
        return cursor.rowcount > 0

    async def public_pace(self, user_ids: Sequence[int]) -> set[int]:
        """Which of ``user_ids`` chose to show their pace in public groups."""
        if not user_ids:
            return set()
        marks = ",".join("?" * len(user_ids))
        rows = await self._db.fetch_all(
            f"SELECT user_id FROM runner_prefs WHERE public_pace = 1"  # noqa: S608
            f" AND user_id IN ({marks})",
            tuple(user_ids),
        )
        return {int(r["user_id"]) for r in rows}

    async def set_public_pace(self, user_id: int, public: bool, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO runner_prefs (user_id, public_pace, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET public_pace = excluded.public_pace,"
                " updated_at = excluded.updated_at",
                (user_id, int(public), now.isoformat()),
            )

    async def published_sessions_of(self, user_id: int, now: datetime) -> list[int]:
        """Sessions not started yet whose published groups the member is going to."""
        rows = await self._db.fetch_all(
            "SELECT p.session_id FROM group_publications p"
            " JOIN sessions s ON s.id = p.session_id"
            " JOIN rsvps r ON r.session_id = p.session_id"
            " WHERE r.user_id = ? AND r.state = 'going' AND s.starts_at > ?"
            " ORDER BY p.session_id",
            (user_id, now.isoformat()),
        )
        return [int(r["session_id"]) for r in rows]
