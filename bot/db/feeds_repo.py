"""SQL for calendar feed tokens."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Database

#: The user id of a server's own feed (every member's sessions in open channels).
SERVER_FEED = 0


class FeedsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def token(self, guild_id: int, user_id: int) -> str | None:
        row = await self._db.fetch_one(
            "SELECT token FROM calendar_feeds WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return None if row is None else str(row[0])

    async def set_token(self, guild_id: int, user_id: int, token: str, now: datetime) -> None:
        """Give the feed a new token (the old one, if any, stops working)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO calendar_feeds (token, guild_id, user_id, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id)"
                " DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
                (token, guild_id, user_id, now.isoformat()),
            )

    async def owner(self, token: str) -> tuple[int, int] | None:
        """(guild_id, user_id) of a token; user_id 0 for a server feed."""
        row = await self._db.fetch_one(
            "SELECT guild_id, user_id FROM calendar_feeds WHERE token = ?", (token,)
        )
        return None if row is None else (int(row[0]), int(row[1]))
