"""Processes that own different Discord shards on one PostgreSQL (two independent pools): each
sends only its own servers' posts, expires only its own claims at start-up, and takes a dead
process's claims only after their lease; per-shard leases let disjoint processes run together
and refuse overlapping ones."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.database import PostgresDatabase
from bot.db.deliveries_repo import Claim, DeliveriesRepo, NewDelivery
from bot.domain.shards import Shards, shard_of
from bot.instance import SHARED_TTL, DatabaseInUse, InstanceGuard, lease_names

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
COUNT = 4
EVEN = Shards(COUNT, (0, 2))
ODD = Shards(COUNT, (1, 3))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.instant = now

    def now(self) -> datetime:
        return self.instant


def guild_on(shard: int) -> int:
    guild_id = (shard << 22) + (1 << 40)  # a snowflake-sized id on that shard
    while shard_of(guild_id, COUNT) != shard:
        guild_id += 1 << 22
    return guild_id


async def _opened(url: str) -> PostgresDatabase:
    db = PostgresDatabase(url)
    await db.open()
    await db.migrate()
    return db


async def _seed(db: PostgresDatabase) -> dict[int, int]:
    """One session and one due reminder per shard; {delivery id: shard}."""
    made = {}
    for shard in range(COUNT):
        guild = guild_on(shard)
        async with db.transaction() as conn:
            series = await conn.execute(
                "INSERT INTO series (guild_id, weeks, created_by, created_at)"
                " VALUES (?, 1, 7, ?) RETURNING id",
                (guild, NOW.isoformat()),
            )
            [(series_id,)] = await series.fetchall()
            cursor = await conn.execute(
                "INSERT INTO sessions (guild_id, series_id, position, title, location,"
                " channel_id, starts_at, timezone, created_by, created_at, updated_at)"
                " VALUES (?, ?, 1, 'Track', 'Oval', 55, ?, 'UTC', 7, ?, ?) RETURNING id",
                (guild, series_id, NOW.isoformat(), NOW.isoformat(), NOW.isoformat()),
            )
            [(session_id,)] = await cursor.fetchall()
        new = NewDelivery(guild, session_id, "reminder", NOW, 55, offset_s=3600)
        made[await DeliveriesRepo(db).add(new, NOW)] = shard
    return made


async def test_each_process_sends_only_its_own_shards(postgres_url: str) -> None:
    first, second = await _opened(postgres_url), await _opened(postgres_url)
    try:
        made = await _seed(first)
        even, odd = DeliveriesRepo(first, EVEN), DeliveriesRepo(second, ODD)
        due_even = {row.id for row in await even.due(NOW)}
        due_odd = {row.id for row in await odd.due(NOW)}
        assert {made[i] for i in due_even} == {0, 2}
        assert {made[i] for i in due_odd} == {1, 3}
        assert due_even | due_odd == set(made)
        armed = {row.id for row in await odd.open_due_before(NOW + timedelta(days=1))}
        assert armed == due_odd
    finally:
        await first.close()
        await second.close()


async def test_a_start_expires_only_its_own_claims_and_a_dead_ones_wait_for_the_lease(
    postgres_url: str,
) -> None:
    first, second = await _opened(postgres_url), await _opened(postgres_url)
    try:
        made = await _seed(first)
        even, odd = DeliveriesRepo(first, EVEN), DeliveriesRepo(second, ODD)
        lease = NOW + timedelta(minutes=2)
        for repo in (even, odd):
            for row in await repo.due(NOW):
                assert await repo.claim(row.id, "pending", "fp", NOW, lease) is Claim.TAKEN
        # The even process restarts: its own claims are looked up at once...
        third = await _opened(postgres_url)
        try:
            expired = await DeliveriesRepo(third, EVEN).expire_claims(NOW)
        finally:
            await third.close()
        assert {made[i] for i in expired} == {0, 2}
        # ...the odd process's live claims are left alone until their lease runs out.
        assert {made[row.id] for row in await odd.due(NOW)} == set()
        assert {made[row.id] for row in await odd.due(lease)} == {1, 3}
    finally:
        await first.close()
        await second.close()


async def test_per_shard_leases_admit_disjoint_processes_and_refuse_overlap(
    postgres_url: str,
) -> None:
    first, second = await _opened(postgres_url), await _opened(postgres_url)
    clock = Clock(NOW)
    try:
        even = InstanceGuard(first, clock, host="a", pid=1, names=lease_names(EVEN))
        odd = InstanceGuard(second, clock, host="b", pid=1, names=lease_names(ODD))
        await even.acquire()
        await odd.acquire()
        overlapping = InstanceGuard(
            second, clock, host="c", pid=1, names=lease_names(Shards(COUNT, (2, 3)))
        )
        with pytest.raises(DatabaseInUse):
            await overlapping.acquire()
        # Refused, it holds nothing: the odd process's shard 3 is still the odd process's.
        assert await odd.still_ours()
        assert await even.heartbeat()
        # The even process goes away cleanly: its shards are free for the newcomer... but
        # shard 3 is still held, so the newcomer is still refused as a whole.
        await even.release()
        with pytest.raises(DatabaseInUse):
            await overlapping.acquire()
        assert await odd.still_ours()
        taker = InstanceGuard(
            second, clock, host="c", pid=1, names=lease_names(Shards(COUNT, (0, 2)))
        )
        await taker.acquire()
        assert await taker.still_ours()
    finally:
        await first.close()
        await second.close()


async def test_a_rolling_restarts_new_process_waits_for_the_old_one_then_takes_over(
    postgres_url: str,
) -> None:
    """The new process starts first (same shards) and waits, posting nothing; it takes over the
    moment the old one stops cleanly, and, after a kill, once the old lease has run out."""
    first, second = await _opened(postgres_url), await _opened(postgres_url)
    clock = Clock(NOW)
    try:
        old = InstanceGuard(first, clock, host="a", pid=1, names=lease_names(EVEN), ttl=SHARED_TTL)
        await old.acquire()
        new = InstanceGuard(second, clock, host="b", pid=1, names=lease_names(EVEN), ttl=SHARED_TTL)
        waiting = asyncio.create_task(new.acquire_when_free(poll_s=0.02))
        await asyncio.sleep(0.2)
        assert not waiting.done()  # the overlap: the old process still posts
        assert await old.still_ours()
        await old.release()  # a clean stop gives the shards back
        await asyncio.wait_for(waiting, 5)
        assert await new.still_ours()
        assert not await old.still_ours()

        # The new one is killed (no release); the next start waits for the lease to run out.
        newer = InstanceGuard(
            first, clock, host="c", pid=1, names=lease_names(EVEN), ttl=SHARED_TTL
        )
        waiting = asyncio.create_task(newer.acquire_when_free(poll_s=0.02))
        await asyncio.sleep(0.2)
        assert not waiting.done()
        clock.instant = NOW + SHARED_TTL + timedelta(seconds=1)
        await asyncio.wait_for(waiting, 5)
        assert await newer.still_ours()
        assert not await new.heartbeat()  # the killed one, were it alive, would stop posting
    finally:
        await first.close()
        await second.close()
