"""Several Pacer processes on one PostgreSQL: posting and RSVP throughput with 1, 2 and 4
processes, and a kill-and-restart run counting lost and doubled posts.

Each worker is a real OS process with its own asyncpg pool, running Pacer's own store code
(``DeliveriesRepo`` with its shards: ``due``, ``claim`` with a lease, ``expire_claims`` at start,
``record_sent``; ``InstanceGuard`` with per-shard leases; ``RsvpsRepo.answer_at_once`` with group
commit). Discord is replaced by ONE poster shared by all processes: a ``bench_posts`` table that
a "post" inserts into outside the claim's transaction (like a Discord call, it is not undone by
a crash). A worker that takes over an expired claim first looks the delivery up there, as the
real publisher looks for the claim's fingerprint in the channel, and adopts what it finds.
Lost = deliveries without a post; doubled = posts beyond the first per delivery.

The claim lease is 5 s here (Pacer's is 2 minutes) so a killed worker's claims come back within
the run; a restarted worker expires its own shards' claims at once, as Pacer does at start
(after taking its shards' leases).

The overlap run (``--overlap``) is a rolling restart without the shard leases' protection: each
replacement starts while the old worker still runs, both post for the same shards for a random
0.2-1 s, then the old one is killed. Nothing but the row claims (``FOR UPDATE SKIP LOCKED``, a
lease per claim) keeps them apart; a replacement then does not expire claims at start (the old
worker's are alive), it waits for their lease.

Usage:
    .venv/bin/python bench/scale_out.py                      # throughput 1/2/4 + kill run (10,000)
    .venv/bin/python bench/scale_out.py --deliveries 100000  # the full kill-and-restart run
    .venv/bin/python bench/scale_out.py --skip-throughput --overlap --deliveries 100000
    PACER_BENCH_DATABASE_URL=postgresql://... to use a server of your own; otherwise a durable
    throwaway one is started with scripts/postgres.sh (fsync on).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import SystemClock  # noqa: E402
from bot.db.database import PostgresDatabase  # noqa: E402
from bot.db.deliveries_repo import Claim, DeliveriesRepo, NewDelivery  # noqa: E402
from bot.db.rsvps_repo import RsvpsRepo  # noqa: E402
from bot.db.sessions_repo import SessionRow  # noqa: E402
from bot.domain.rsvp import Response, State, state_for  # noqa: E402
from bot.domain.shards import Shards, shard_of  # noqa: E402
from bot.instance import DatabaseInUse, InstanceGuard, lease_names  # noqa: E402

SHARD_COUNT = 4
GUILDS = 64
LEASE = timedelta(seconds=5)
DUE = datetime(2026, 1, 1, tzinfo=UTC)


def shard_sets(processes: int) -> list[Shards]:
    per = SHARD_COUNT // processes
    return [Shards(SHARD_COUNT, tuple(range(i * per, (i + 1) * per))) for i in range(processes)]


def guild_ids() -> list[int]:
    base = (1_100_000_000_000_000_000 >> 24) << 24  # on shard 0 of 4
    return [base + (n << 22) for n in range(GUILDS)]


async def opened(url: str) -> PostgresDatabase:
    db = PostgresDatabase(url, pool_size=4)
    await db.open()
    return db


async def prepare(url: str, deliveries: int, members: int) -> None:
    db = await opened(url)
    await db.migrate()
    async with db.transaction() as conn:
        await conn.execute(
            "CREATE TABLE bench_posts (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " delivery_id BIGINT NOT NULL, worker TEXT NOT NULL)"
        )
        await conn.execute("CREATE INDEX bench_posts_delivery ON bench_posts (delivery_id)")
    sessions = []
    for guild in guild_ids():
        async with db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO series (guild_id, weeks, created_by, created_at)"
                " VALUES (?, 1, 7, ?) RETURNING id",
                (guild, DUE.isoformat()),
            )
            [(series_id,)] = await cursor.fetchall()
            cursor = await conn.execute(
                "INSERT INTO sessions (guild_id, series_id, position, title, location, capacity,"
                " channel_id, starts_at, timezone, created_by, created_at, updated_at)"
                " VALUES (?, ?, 1, 'Track', 'Oval', ?, 55, ?, 'UTC', 7, ?, ?) RETURNING id",
                (
                    guild,
                    series_id,
                    max(1, members // 2),
                    DUE.isoformat(),
                    DUE.isoformat(),
                    DUE.isoformat(),
                ),
            )
            [(session_id,)] = await cursor.fetchall()
        sessions.append((guild, int(session_id)))
    repo = DeliveriesRepo(db)
    batch = 2000
    for start in range(0, deliveries, batch):
        rows = [
            NewDelivery(*sessions[n % GUILDS], "reminder", DUE, 55, offset_s=n)
            for n in range(start, min(deliveries, start + batch))
        ]
        async with db.transaction():
            await repo.add_many(rows, DUE)
    await db.close()


async def post_worker(url: str, shards: Shards, name: str, overlap: bool) -> None:
    """Post every due delivery of ``shards`` until none is left; then exit. ``overlap``: run
    beside a live predecessor (no shard lease, no expiring of its claims)."""
    db = await opened(url)
    clock = SystemClock()
    guard = InstanceGuard(db, clock, names=lease_names(shards), ttl=timedelta(seconds=30))
    repo = DeliveriesRepo(db, shards)
    if not overlap:
        while True:
            try:
                await guard.acquire()
                break
            except DatabaseInUse:
                await asyncio.sleep(0.2)
        await repo.expire_claims(clock.now())  # a predecessor's claims: look up at once

    async def one(row_id: int, status: str) -> None:
        now = clock.now()
        if (
            await repo.claim(row_id, status, f"{name}:{row_id}", now, now + LEASE)
            is not Claim.TAKEN
        ):
            return
        if status == "claimed":  # taken over: did the dead process post it?
            found = await db.fetch_one(
                "SELECT id FROM bench_posts WHERE delivery_id = ?", (row_id,)
            )
            if found is not None:
                await repo.record_sent(row_id, int(found[0]), clock.now())
                return
        async with db.transaction() as conn:  # the post itself: Discord's side
            cursor = await conn.execute(
                "INSERT INTO bench_posts (delivery_id, worker) VALUES (?, ?) RETURNING id",
                (row_id, name),
            )
            [(post_id,)] = await cursor.fetchall()
        await repo.record_sent(row_id, int(post_id), clock.now())

    while True:
        now = clock.now()
        due = await repo.due(now, limit=200)
        if not due:
            owned, params = shards.sql_filter()
            open_sql = "SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'claimed')"
            left = await db.fetch_one(open_sql + owned, params)
            if left is None or int(left[0]) == 0:
                break
            await asyncio.sleep(0.2)  # claims of a dead process: wait for their lease
            continue
        for start in range(0, len(due), 20):
            await asyncio.gather(*(one(r.id, r.status) for r in due[start : start + 20]))
    if not overlap:
        await guard.release()
    await db.close()


async def rsvp_worker(url: str, shards: Shards, members: int) -> None:
    """Every member of each owned server's session answers "going", 50 at a time."""
    db = await opened(url)
    repo = RsvpsRepo(db)
    rows = await db.fetch_all("SELECT id, guild_id FROM sessions ORDER BY id")
    owned = [(int(r[0]), int(r[1])) for r in rows if shards.owns(int(r[1]))]

    def check(row: SessionRow | None) -> SessionRow:
        assert row is not None
        return row

    def decide(session: SessionRow, current: State | None, confirmed: int) -> State:
        return state_for(Response.GOING, current, confirmed, session.capacity)

    async def answer(session_id: int, guild: int, user: int) -> None:
        await repo.answer_at_once(
            session_id=session_id,
            guild_id=guild,
            user_id=user,
            display_name=f"runner {user}",
            response="going",
            source="reaction",
            now=DUE,
            check=check,
            decide=decide,
        )

    work = [(s, g, 10_000 + u) for s, g in owned for u in range(members)]
    random.Random(1).shuffle(work)
    for start in range(0, len(work), 50):
        await asyncio.gather(*(answer(*job) for job in work[start : start + 50]))
    await db.close()


def spawn(url: str, role: str, shards: Shards, extra: str = "") -> subprocess.Popen[bytes]:
    ids = ",".join(str(i) for i in shards.ids)
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, role, url, ids, extra or uuid.uuid4().hex[:6]],
        cwd=ROOT,
    )


def fresh_schema(base: str) -> str:
    import asyncpg

    name = f"bench_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        conn = await asyncpg.connect(base)
        await conn.execute(f"CREATE SCHEMA {name}")
        await conn.close()

    asyncio.run(create())
    return f"{base}{'&' if '?' in base else '?'}search_path={name}"


async def counts(url: str) -> tuple[int, int, int, int]:
    """(deliveries, delivered ones with a post, lost, doubled)."""
    db = await opened(url)
    total = int((await db.fetch_one("SELECT COUNT(*) FROM deliveries"))[0])  # type: ignore[index]
    rows = await db.fetch_all("SELECT delivery_id, COUNT(*) FROM bench_posts GROUP BY delivery_id")
    await db.close()
    posted = len(rows)
    doubled = sum(int(r[1]) - 1 for r in rows)
    return total, posted, total - posted, doubled


async def rsvp_check(url: str, members: int) -> tuple[int, int]:
    """(answers saved, sessions whose going count or capacity is wrong)."""
    db = await opened(url)
    saved = int((await db.fetch_one("SELECT COUNT(*) FROM rsvps"))[0])  # type: ignore[index]
    wrong = await db.fetch_all(
        "SELECT s.id FROM sessions s WHERE s.going_count <> (SELECT COUNT(*) FROM rsvps r"
        " WHERE r.session_id = s.id AND r.state = 'going') OR s.going_count > s.capacity"
    )
    await db.close()
    return saved, len(wrong)


def throughput(base: str, deliveries: int, members: int) -> None:
    print(
        f"Throughput on one PostgreSQL: {deliveries:,} posts; {GUILDS} sessions x {members} answers"
    )
    for processes in (1, 2, 4):
        url = fresh_schema(base)
        asyncio.run(prepare(url, deliveries, members))
        began = time.perf_counter()
        workers = [spawn(url, "post", shards) for shards in shard_sets(processes)]
        for worker in workers:
            worker.wait()
        post_s = time.perf_counter() - began
        total, _, lost, doubled = asyncio.run(counts(url))
        began = time.perf_counter()
        workers = [spawn(url, "rsvp", shards, str(members)) for shards in shard_sets(processes)]
        for worker in workers:
            worker.wait()
        rsvp_s = time.perf_counter() - began
        saved, wrong = asyncio.run(rsvp_check(url, members))
        print(
            f"  {processes} process(es): posting {total / post_s:8.0f}/s ({post_s:.1f} s,"
            f" lost {lost}, doubled {doubled});"
            f" RSVPs {saved / rsvp_s:8.0f}/s ({rsvp_s:.1f} s, {saved:,} saved,"
            f" {wrong} sessions wrong)"
        )


def chaos(base: str, deliveries: int, seed: int, *, overlap: bool) -> None:
    url = fresh_schema(base)
    asyncio.run(prepare(url, deliveries, 1))
    rng = random.Random(seed)
    sets = shard_sets(4)
    role = "post-overlap" if overlap else "post"
    workers = {i: spawn(url, role, sets[i]) for i in range(4)}
    kills = 0
    began = time.perf_counter()
    while any(w.poll() is None for w in workers.values()):
        time.sleep(rng.uniform(0.2, 1.0))
        running = [i for i, w in workers.items() if w.poll() is None]
        if not running:
            break
        victim = rng.choice(running)
        old = workers[victim]
        if overlap:  # the replacement first; both post for the same shards for a while
            workers[victim] = spawn(url, role, sets[victim])
            time.sleep(rng.uniform(0.2, 1.0))
        old.send_signal(signal.SIGKILL)
        old.wait()
        kills += 1
        if not overlap:
            workers[victim] = spawn(url, role, sets[victim])  # restarted with the same shards
    for worker in workers.values():
        worker.wait()
    elapsed = time.perf_counter() - began
    total, posted, lost, doubled = asyncio.run(counts(url))
    how = (
        "each replacement started first and overlapping the old one for 0.2-1 s, no shard leases"
        if overlap
        else "each restarted at once"
    )
    print(
        f"Kill-and-restart{' with overlap' if overlap else ''}: {total:,} deliveries, 4 processes,"
        f" {kills} SIGKILLs at random ({how}) in {elapsed:.0f} s: posted {posted:,},"
        f" lost {lost}, doubled {doubled}"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("post", "post-overlap", "rsvp"):
        role, url, ids, extra = sys.argv[1:5]
        shards = Shards(SHARD_COUNT, tuple(int(i) for i in ids.split(",")))
        if role.startswith("post"):
            name = f"{os.getpid()}-{extra}"
            asyncio.run(post_worker(url, shards, name, overlap=role == "post-overlap"))
        else:
            asyncio.run(rsvp_worker(url, shards, int(extra)))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--throughput-deliveries", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--overlap", action="store_true", help="the rolling-restart overlap run")
    args = parser.parse_args()
    base = os.environ.get("PACER_BENCH_DATABASE_URL")
    folder = None
    if not base:
        folder = tempfile.mkdtemp(prefix="pacer-bench-pg.")
        base = subprocess.run(  # noqa: S603 - our own script
            ["bash", "scripts/postgres.sh", "start", folder, "--durable"],  # noqa: S607
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    try:
        assert all(shard_of(g, SHARD_COUNT) == n % SHARD_COUNT for n, g in enumerate(guild_ids()))
        if not args.skip_throughput:
            throughput(base, args.throughput_deliveries, args.members)
        chaos(base, args.deliveries, args.seed, overlap=args.overlap)
    finally:
        if folder is not None:
            stop = ["bash", "scripts/postgres.sh", "stop", folder]
            subprocess.run(stop, cwd=ROOT, check=False)  # noqa: S603 - our own script


if __name__ == "__main__":
    main()
