"""SQL for runners' goal races and units, and servers' default unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database


@dataclass(frozen=True, slots=True)
class RunnerPrefsRow:
    """A runner's choices; None means "not chosen".

    Fields:
        units: "km" or "mi".
        goal_race_name / goal_distance_m / goal_seconds: the goal race, all set or all None.
    """

    user_id: int
    units: str | None = None
    goal_race_name: str | None = None
    goal_distance_m: float | None = None
    goal_seconds: float | None = None


class PrefsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> RunnerPrefsRow:
        row = await self._db.fetch_one(
            "SELECT units, goal_race_name, goal_distance_m, goal_seconds"
            " FROM runner_prefs WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return RunnerPrefsRow(user_id)
        return RunnerPrefsRow(
            user_id=user_id,
            units=row["units"],
            goal_race_name=row["goal_race_name"],
            goal_distance_m=row["goal_distance_m"],
            goal_seconds=row["goal_seconds"],
        )

    async def set_units(self, user_id: int, units: str, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO runner_prefs (user_id, units, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET units = excluded.units,"
                " updated_at = excluded.updated_at",
                (user_id, units, now.isoformat()),
            )

    async def set_goal(
        self, user_id: int, race_name: str, distance_m: float, seconds: float, now: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO runner_prefs"
                " (user_id, goal_race_name, goal_distance_m, goal_seconds, updated_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET goal_race_name = excluded.goal_race_name,"
                " goal_distance_m = excluded.goal_distance_m,"
                " goal_seconds = excluded.goal_seconds, updated_at = excluded.updated_at",
                (user_id, race_name, distance_m, seconds, now.isoformat()),
            )

    async def delete(self, user_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM runner_prefs WHERE user_id = ?", (user_id,))
            return cursor.rowcount > 0

    async def guild_units(self, guild_id: int) -> str | None:
        row = await self._db.fetch_one(
            "SELECT units FROM guild_units WHERE guild_id = ?", (guild_id,)
        )
        return None if row is None else str(row["units"])

    async def set_guild_units(self, guild_id: int, units: str, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guild_units (guild_id, units, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET units = excluded.units,"
                " updated_at = excluded.updated_at",
                (guild_id, units, now.isoformat()),
            )
