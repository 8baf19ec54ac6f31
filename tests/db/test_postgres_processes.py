"""Several Pacer processes on one PostgreSQL: two independent pools (as two processes have),
racing on the same rows of a real server. Claims never go to both; answers to one session are
decided one after the other, so a capacity is never overfilled and the going count stays true."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import clock
from bot.composition import build_core
from bot.db.database import PostgresDatabase
from bot.db.deliveries_repo import Claim, DeliveriesRepo, NewDelivery
from bot.db.guilds_repo import GuildsRepo
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionRow
from bot.domain.rsvp import Response, State, state_for
from bot.outbox.service import LOOK_AGAIN
from bot.settings import Settings
from tests.outbox.test_service import GUILD as WORLD_GUILD
from tests.outbox.test_service import World, create, start

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GUILD = 1_000_000_000_000_000_001


async def _opened(url: str) -> PostgresDatabase:
    db = PostgresDatabase(url)
    await db.open()
    await db.migrate()
    return db


async def _session(db: PostgresDatabase, capacity: int | None) -> int:
    async with db.transaction() as conn:
        series = await conn.execute(
            "INSERT INTO series (guild_id, weeks, created_by, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (GUILD, 1, 7, NOW.isoformat()),
        )
        [(series_id,)] = await series.fetchall()
        cursor = await conn.execute(
            "INSERT INTO sessions (guild_id, series_id, position, title, location, capacity,"
            " channel_id, starts_at, timezone, created_by, created_at, updated_at)"
            " VALUES (?, ?, 1, 'Track', 'Oval', ?, 55, ?, 'UTC', 7, ?, ?) RETURNING id",
            (
                GUILD,
                series_id,
                capacity,
                (NOW + timedelta(days=2)).isoformat(),
                NOW.isoformat(),
                NOW.isoformat(),
            ),
        )
        [(session_id,)] = await cursor.fetchall()
    return int(session_id)


async def test_two_processes_never_claim_the_same_delivery(postgres_url: str) -> None:
    first, second = await _opened(postgres_url), await _opened(postgres_url)
    try:
        session_id = await _session(first, None)
        ids = await asyncio.gather(
            *(
                DeliveriesRepo(first).add(
                    NewDelivery(GUILD, session_id, "reminder", NOW, 55, offset_s=n), NOW
                )
                for n in range(120)
            )
        )
        lease = NOW + timedelta(minutes=2)

        async def sweep(db: PostgresDatabase, name: str) -> list[int]:
            repo = DeliveriesRepo(db)
            won = []
            for row in await repo.due(NOW + timedelta(seconds=1)):
                if await repo.claim(row.id, "pending", name, NOW, lease) is Claim.TAKEN:
                    won.append(row.id)
            return won

        won_a, won_b = await asyncio.gather(sweep(first, "a"), sweep(second, "b"))
        assert sorted(won_a + won_b) == sorted(ids)  # every one claimed, none twice
        assert not set(won_a) & set(won_b)
        rows = await first.fetch_all("SELECT fingerprint, attempts FROM deliveries")
        assert all(row[1] == 1 for row in rows)
        assert sorted(str(row[0]) for row in rows) == sorted(
            ["a"] * len(won_a) + ["b"] * len(won_b)
        )
    finally:
        await first.close()
        await second.close()


async def test_answers_from_two_processes_never_overfill_a_session(postgres_url: str) -> None:
    capacity, members = 25, 80
    first, second = await _opened(postgres_url), await _opened(postgres_url)
    try:
        session_id = await _session(first, capacity)

        def check(row: SessionRow | None) -> SessionRow:
            assert row is not None
            return row

        def decide(session: SessionRow, current: State | None, confirmed: int) -> State:
            return state_for(Response.GOING, current, confirmed, session.capacity)

        async def answer(db: PostgresDatabase, user_id: int) -> State:
            _, recorded = await RsvpsRepo(db).answer_at_once(
                session_id=session_id,
                guild_id=GUILD,
                user_id=user_id,
                display_name=f"runner {user_id}",
                response="going",
                source="button",
                now=NOW,
                check=check,
                decide=decide,
            )
            return recorded.state

        states = await asyncio.gather(
            *(answer(first if n % 2 else second, 1000 + n) for n in range(members))
        )
        assert states.count(State.GOING) == capacity
        assert states.count(State.WAITLIST) == members - capacity
        going = await first.fetch_one(
            "SELECT COUNT(*) FROM rsvps WHERE session_id = ? AND state = 'going'", (session_id,)
        )
        kept = await first.fetch_one("SELECT going_count FROM sessions WHERE id = ?", (session_id,))
        assert going is not None
        assert kept is not None
        assert int(going[0]) == int(kept[0]) == capacity
        seqs = await first.fetch_all(
            "SELECT going_seq FROM rsvps WHERE session_id = ?", (session_id,)
        )
        assert len({row[0] for row in seqs}) == members  # one place in the queue each
    finally:
        await first.close()
        await second.close()


class GaveUp(Exception):
    """The holder gives up without claiming (a crash mid-claim): its transaction rolls back."""


async def test_a_row_another_process_is_claiming_is_skipped_not_waited_for(
    postgres_url: str,
) -> None:
    """FOR UPDATE SKIP LOCKED: while one process holds a row (its claim's transaction still
    open), another's claim returns at once as BUSY instead of queueing behind the lock; once
    the holder gives up without claiming, the row can be taken; once it claimed, it is GONE."""
    first, second = await _opened(postgres_url), await _opened(postgres_url)
    try:
        session_id = await _session(first, None)
        repo_a, repo_b = DeliveriesRepo(first), DeliveriesRepo(second)
        delivery_id = await repo_a.add(
            NewDelivery(GUILD, session_id, "reminder", NOW, 55, offset_s=3600), NOW
        )
        lease = NOW + timedelta(minutes=2)
        holding, release = asyncio.Event(), asyncio.Event()

        async def hold_then_roll_back() -> None:
            async with first.transaction() as conn:
                await conn.execute(
                    "SELECT id FROM deliveries WHERE id = ? FOR UPDATE", (delivery_id,)
                )
                holding.set()
                await release.wait()
                raise GaveUp

        holder = asyncio.create_task(hold_then_roll_back())
        await holding.wait()
        # Returns while the lock is held: a blocked claim would time out here.
        busy = await asyncio.wait_for(repo_b.claim(delivery_id, "pending", "b", NOW, lease), 5)
        assert busy is Claim.BUSY
        release.set()
        with pytest.raises(GaveUp):
            await holder
        assert await repo_b.claim(delivery_id, "pending", "b", NOW, lease) is Claim.TAKEN
        assert await repo_a.claim(delivery_id, "pending", "a", NOW, lease) is Claim.GONE
        row = await repo_a.get(delivery_id)
        assert row is not None
        assert (row.status, row.fingerprint, row.attempts) == ("claimed", "b", 1)
    finally:
        await first.close()
        await second.close()


async def test_the_outbox_looks_again_at_a_row_another_process_was_claiming(
    postgres_url: str, tmp_path: Path
) -> None:
    """The publisher's side of SKIP LOCKED: a row found busy is armed again a few seconds
    later (the other process's claim may roll back), and then claimed if still open."""
    core = await build_core(
        Settings(
            database_path=tmp_path / "unused.db",
            database_url=postgres_url,
            default_timezone="America/New_York",
        )
    )
    other = await _opened(postgres_url)
    armed: list[tuple[int, object]] = []
    outbox = core.services.outbox
    outbox.connect_scheduler(lambda i, due: armed.append((i, due)), lambda i: None)
    world = World(core, core.db, outbox, core.services.sessions, armed)
    try:
        await GuildsRepo(core.db).update(WORLD_GUILD, clock.now(), announce_channel_id=555)
        await create(world, days_ahead=1)
        [due] = await outbox.due(clock.now())
        holding, release = asyncio.Event(), asyncio.Event()

        async def other_process_claiming() -> None:
            async with other.transaction() as conn:
                await conn.execute("SELECT id FROM deliveries WHERE id = ? FOR UPDATE", (due.id,))
                holding.set()
                await release.wait()
                raise GaveUp

        holder = asyncio.create_task(other_process_claiming())
        await holding.wait()
        armed.clear()
        before = clock.now()
        assert await asyncio.wait_for(start(world, due), 5) is None
        [(delivery_id, again)] = armed
        assert delivery_id == due.id
        assert isinstance(again, datetime)
        assert again - before >= LOOK_AGAIN
        release.set()
        with pytest.raises(GaveUp):
            await holder
        assert await start(world, due) is not None  # its claim rolled back: ours now
    finally:
        await other.close()
        await core.db.close()
