"""SQL for runner profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db.database import Database


@dataclass(frozen=True, slots=True)
class ProfileRow:
    user_id: int
    race_name: str
    distance_m: float
    seconds: float
    vdot: float
    updated_at: datetime


class ProfilesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> ProfileRow | None:
        row = await self._db.fetch_one(
            "SELECT user_id, race_name, distance_m, seconds, vdot, updated_at"
            " FROM profiles WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return ProfileRow(
            user_id=int(row["user_id"]),
            race_name=str(row["race_name"]),
            distance_m=float(row["distance_m"]),
            seconds=float(row["seconds"]),
            vdot=float(row["vdot"]),
            updated_at=datetime.fromisoformat(row["updated_at"]),
        )

    async def upsert(self, profile: ProfileRow) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO profiles (user_id, race_name, distance_m, seconds, vdot, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET race_name = excluded.race_name,"
                " distance_m = excluded.distance_m, seconds = excluded.seconds,"
                " vdot = excluded.vdot, updated_at = excluded.updated_at",
                (
                    profile.user_id,
                    profile.race_name,
                    profile.distance_m,
                    profile.seconds,
                    profile.vdot,
                    profile.updated_at.isoformat(),
                ),
            )

    async def delete(self, user_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM profiles WHERE user_id = ?", (user_id,))
            return cursor.rowcount > 0
