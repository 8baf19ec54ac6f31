"""Retention: the full record of a finished session is kept ``RETENTION_DAYS`` days after its
start, then pruned by a daily job in small chunks (see :mod:`bot.db.retention_repo` for what is
kept: the session, its attendance marks and who was going)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.db.database import Database
from bot.db.retention_repo import RetentionRepo

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)

#: Sessions pruned per transaction (each a few hundred rows): others wait at most a few ms.
PRUNE_CHUNK = 20
#: How often the job runs.
PRUNE_EVERY = timedelta(days=1)


class RetentionService:
    def __init__(self, db: Database, repo: RetentionRepo, *, clock: Clock, days: int) -> None:
        """``days``: how long after its start a session keeps its full record; 0 forever."""
        self._db = db
        self._repo = repo
        self._clock = clock
        self.days = days

    async def prune(self) -> int:
        """Prune every session that started more than ``days`` ago, a chunk of
        :data:`PRUNE_CHUNK` per transaction, letting other work in between. Returns how many
        sessions were pruned (0 when retention is off)."""
        if self.days <= 0:
            return 0
        pruned = 0
        while True:
            now = self._clock.now()
            async with self._db.transaction():
                chunk = await self._repo.finished(now - timedelta(days=self.days), PRUNE_CHUNK)
                await self._repo.prune(chunk, now)
            pruned += len(chunk)
            if len(chunk) < PRUNE_CHUNK:
                break
            await asyncio.sleep(0)  # answers and other servers get the database between chunks
        if pruned:
            log.info("Retention: pruned the full record of %d finished sessions", pruned)
        return pruned
