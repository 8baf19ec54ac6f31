"""Benchmark: years of history. Storage per club-year before and after retention, the hot
queries at about 2,000 club-years (their timings and query plans), and time to ready after a
restart with 300,000 stored occurrences in 500 servers.

The databases are built directly with SQL (minutes of slash commands otherwise), on a real
SQLite file migrated by Pacer, with rows shaped as Pacer writes them:

- Storage: 10 clubs of 300 members, each running 3 sessions a week for a year (156 sessions).
  Each session: 60 answers (40 going, 10 maybe, 10 no; 1.3 answer events each, half by
  reaction), 35 attendance marks (30 check-ins, 5 walk-ins; one in ten corrected once), and
  what the outbox posted (announcement, two reminders, the close, three Discord event syncs, a
  thread opened and archived, and one superseded row). Size is the file after VACUUM, less an
  empty database, per club-year; then the retention job runs and the size is taken again.
- Scale: 500 servers, 600 weekly occurrences each (300,000): 450 finished (3 answers, 4
  delivery rows each), 150 upcoming (4 pending rows each; those within 6 days announced).

Time to ready is measured in this process with every step Pacer takes before it can post:
open and migrate, quick check (only after a stop that was not clean), building the services
(which plans missing closes), the outbox's recovery, arming the 12 h horizon, resuming
re-plans, and listing the announcements whose reactions are read back after READY (those that
can still change); reading them back is modelled at 8 in flight within Discord's 50 requests
per second (the gateway login is not included).
Asserts nothing. Run: .venv/bin/python bench/history.py [kept-scale.db]
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.composition import build_core
from bot.db.database import Database
from bot.settings import Settings

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MEMBER_BASE = 400_000_000_000_000_000


class Clock:
    def now(self) -> datetime:
        return NOW


async def migrated(path: Path) -> None:
    db = Database(path)
    await db.open()
    await db.migrate()
    await db.close()


def iso(instant: datetime) -> str:
    return instant.isoformat()


class Builder:
    """Rows as Pacer writes them, inserted in bulk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.session_id = 0
        self.event_id = 0
        self.message_id = 10**17
        self.rng = random.Random(7)

    def series(self, guild: int, weeks: int, created: datetime) -> int:
        cursor = self.conn.execute(
            "INSERT INTO series (guild_id, weeks, created_by, created_at) VALUES (?, ?, 1, ?)",
            (guild, weeks, iso(created)),
        )
        return int(cursor.lastrowid or 0)

    def session(
        self, guild: int, series: int, position: int, starts: datetime, announced: bool
    ) -> int:
        self.message_id += 1
        cursor = self.conn.execute(
            "INSERT INTO sessions (guild_id, series_id, position, title, location, workout,"
            " workout_parsed, workout_display, details, channel_id, starts_at, timezone,"
            " announcement_message_id, version, rendered_version, created_by, created_at,"
            " updated_at) VALUES (?, ?, ?, 'Tuesday track', 'Cherokee HS track',"
            " '6x800 @ I w/ 400 jog', 1, ?, 'Bring water', ?, ?, 'America/New_York', ?, 3, 3,"
            " 1, ?, ?)",
            (
                guild,
                series,
                position,
                json.dumps({"name": None, "lines": ["6 × 800 m @ 3:40", "400 m jog"]}),
                guild * 10,
                iso(starts),
                self.message_id if announced else None,
                iso(starts - timedelta(days=30)),
                iso(starts - timedelta(days=6)),
            ),
        )
        return int(cursor.lastrowid or 0)

    def deliveries(self, guild: int, session: int, starts: datetime, rows: list[str]) -> None:
        """``rows``: kinds, each "kind:status"."""
        values = []
        for spec in rows:
            kind, status = spec.split(":")
            self.message_id += 1
            sent = status == "sent"
            values.append(
                (
                    guild,
                    session,
                    kind,
                    3600 if kind == "reminder" else None,
                    iso(starts - timedelta(hours=1)),
                    status,
                    guild * 10,
                    '{"offset_s": 3600}' if kind == "reminder" else None,
                    1 if sent else 0,
                    iso(starts - timedelta(hours=1)) if sent else None,
                    "3f1c0e2a9b8d7c6e5f4a3b2c1d0e9f8a" if sent else None,
                    iso(starts - timedelta(hours=1)) if sent else None,
                    self.message_id if sent and kind not in ("close", "discord_event") else None,
                    "superseded by a later change" if status == "superseded" else None,
                    iso(starts - timedelta(days=30)),
                )
            )
        self.conn.executemany(
            "INSERT INTO deliveries (guild_id, session_id, kind, offset_s, due_at, status,"
            " channel_id, payload, attempts, claimed_at, fingerprint, sent_at, message_id,"
            " last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )

    def answers(
        self, guild: int, session: int, starts: datetime, members: list[int], going: int
    ) -> None:
        events, rsvps, seen = [], [], []
        for index, user in enumerate(members):
            response = "going" if index < going else ("maybe" if index % 2 else "no")
            at = iso(starts - timedelta(days=2, minutes=index))
            source = "reaction" if index % 2 else "button"
            if index % 3 == 0:  # changed their mind once
                self.event_id += 1
                events.append((self.event_id, session, user, "maybe", source, at))
            self.event_id += 1
            events.append((self.event_id, session, user, response, source, at))
            rsvps.append(
                (
                    session,
                    user,
                    guild,
                    f"runner{user % 1000}",
                    response,
                    response,
                    self.event_id if response == "going" else None,
                    source,
                    at,
                )
            )
            if source == "reaction":
                emoji = {"going": "✅", "maybe": "🤔", "no": "❌"}[response]
                seen.append((session, user, emoji))
        self.conn.executemany(
            "INSERT INTO rsvp_events (id, session_id, user_id, action, source, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            events,
        )
        self.conn.executemany(
            "INSERT INTO rsvps (session_id, user_id, guild_id, display_name, response, state,"
            " going_seq, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rsvps,
        )
        self.conn.executemany(
            "INSERT INTO reactions_seen (session_id, user_id, emoji) VALUES (?, ?, ?)", seen
        )

    def attendance(
        self, guild: int, session: int, starts: datetime, members: list[int], marks: int
    ) -> None:
        current, history = [], []
        for index, user in enumerate(members[:marks]):
            state = "attended" if index < marks - 5 else "walk_in"
            at = iso(starts + timedelta(minutes=index % 30))
            if index % 10 == 0:  # corrected once by an organizer
                history.append((session, user, guild, "no_show", "organizer", 1, at))
                current.append((session, user, guild, f"runner{user % 1000}", state,
                                "organizer", 1, at))  # fmt: skip
                history.append((session, user, guild, state, "organizer", 1, at))
            else:
                current.append((session, user, guild, f"runner{user % 1000}", state,
                                "checkin", user, at))  # fmt: skip
                history.append((session, user, guild, state, "checkin", user, at))
        self.conn.executemany(
            "INSERT INTO attendance (session_id, user_id, guild_id, display_name, state,"
            " source, marked_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            current,
        )
        self.conn.executemany(
            "INSERT INTO attendance_events (session_id, user_id, guild_id, state, source,"
            " marked_by, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            history,
        )


def size_mb(path: Path) -> float:
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return float(pages * page) / 1e6


async def storage(scratch: Path) -> None:
    empty = scratch / "empty.db"
    await migrated(empty)
    base = size_mb(empty)
    path = scratch / "clubs.db"
    await migrated(path)
    clubs = 10
    conn = sqlite3.connect(path)
    build = Builder(conn)
    first = datetime(2025, 1, 7, 23, 30, tzinfo=UTC)
    for guild in range(1, clubs + 1):
        members = [MEMBER_BASE + guild * 1000 + n for n in range(300)]
        for day in range(3):
            series = build.series(guild, 52, first)
            for week in range(52):
                starts = first + timedelta(days=2 * day, weeks=week)
                session = build.session(guild, series, week + 1, starts, announced=True)
                build.deliveries(
                    guild, session, starts,
                    ["announcement:sent", "reminder:sent", "reminder:sent", "close:sent",
                     "discord_event:sent", "discord_event:sent", "discord_event:sent",
                     "thread:sent", "thread:sent", "reminder:superseded"],
                )  # fmt: skip
                picked = build.rng.sample(members, 60)
                build.answers(guild, session, starts, picked, going=40)
                build.attendance(guild, session, starts, picked, marks=35)
    conn.commit()
    counts = {
        table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
        for table in ("sessions", "rsvps", "rsvp_events", "deliveries", "attendance")
    }
    conn.close()
    before = (size_mb(path) - base) / clubs
    settings = Settings(database_path=path, default_timezone="UTC", retention_days=90)
    core = await build_core(settings, clock=Clock())
    began = time.perf_counter()
    pruned = await core.services.retention.prune()
    took = time.perf_counter() - began
    await core.close()
    after = (size_mb(path) - base) / clubs
    print(f"storage: {clubs} club-years, {counts}")
    print(f"  before retention: {before:.2f} MB per club-year")
    print(
        f"  after retention (90 days): {after:.2f} MB per club-year; pruning {pruned} sessions"
        f" took {took:.1f} s in chunks"
    )


async def build_scale(path: Path, servers: int, per_server: int, upcoming: int) -> None:
    await migrated(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    build = Builder(conn)
    past = per_server - upcoming
    for guild in range(1, servers + 1):
        members = [MEMBER_BASE + guild * 1000 + n for n in range(3)]
        series = build.series(guild, 52, NOW)
        first = NOW - timedelta(weeks=past) + timedelta(hours=guild % 24, minutes=7)
        for week in range(per_server):
            starts = first + timedelta(weeks=week)
            ahead = starts > NOW
            announced = starts <= NOW + timedelta(days=6)
            session = build.session(guild, series, week % 52 + 1, starts, announced)
            if ahead:
                kinds = ["reminder:pending", "reminder:pending", "close:pending"]
                kinds.append("announcement:sent" if announced else "announcement:pending")
                build.deliveries(guild, session, starts, kinds)
                if announced:
                    build.answers(guild, session, starts, members, going=2)
            else:
                build.deliveries(
                    guild,
                    session,
                    starts,
                    ["announcement:sent", "reminder:sent", "reminder:sent", "close:sent"],
                )
                build.answers(guild, session, starts, members, going=2)
        if guild % 100 == 0:
            conn.commit()
    conn.commit()
    conn.close()


class Traced:
    """The SQL a call ran (expanded), to show its query plan."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.statements: list[str] = []

    async def __aenter__(self) -> Traced:
        self.statements.clear()
        await self.db.conn.set_trace_callback(self.statements.append)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.db.conn.set_trace_callback(None)


async def plan(db: Database, sql: str) -> str:
    rows = await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}")
    return "; ".join(str(row[3]) for row in rows)


async def hot_queries(core: Any, guild: int) -> None:
    services = core.services
    outbox = services.outbox
    sessions_repo = services.sessions._sessions
    rsvps_repo = services.rsvps._rsvps
    deliveries = outbox._deliveries
    upcoming = await sessions_repo.upcoming(guild, NOW, limit=1)
    session = upcoming[0]
    user = MEMBER_BASE + guild * 1000
    calls: list[tuple[str, Any]] = [
        ("due rows (every sweep and due job)", lambda: deliveries.due(NOW)),
        ("rows due within 12 h (arming)", lambda: deliveries.open_due_before(NOW)),
        ("announcements behind (after every post)", lambda: sessions_repo.out_of_date()),
        ("a server's upcoming sessions", lambda: sessions_repo.upcoming(guild, NOW, 25)),
        ("a session's roster (every answer)", lambda: rsvps_repo.roster(session.id)),
        (
            "a member's answers (every answer)",
            lambda: rsvps_repo.states_for_user(user, [session.id]),
        ),
        (
            "a session's open rows (every change)",
            lambda: deliveries.open_of_kind(session.id, "reminder"),
        ),
        (
            "posts already recorded in a channel (unknown outcome)",
            lambda: deliveries.sent_message_ids(guild * 10, NOW - timedelta(minutes=5)),
        ),
        ("a server's failed posts (/session problems)", lambda: deliveries.problems(guild, NOW)),
        ("retry a server's failed posts (every /setup)", lambda: outbox.retry(guild)),
        (
            "sessions without a close (start-up)",
            lambda: deliveries.sessions_without("close", NOW - timedelta(days=7)),
        ),
        (
            "announced, never mirrored (start-up)",
            lambda: sessions_repo.announced_never_mirrored(NOW),
        ),
        (
            "finished sessions to prune (daily)",
            lambda: services.retention._repo.finished(NOW - timedelta(days=90), 20),
        ),
    ]
    for label, call in calls:
        await call()  # warm
        began = time.perf_counter()
        async with Traced(core.db) as traced:
            await call()
        took = (time.perf_counter() - began) * 1000
        shown = [s for s in traced.statements if s.lstrip().upper().startswith("SELECT")]
        plans = [await plan(core.db, s) for s in shown[:2]]
        scan = any("SCAN" in p and "USING" not in p.split("SCAN", 1)[1][:60] for p in plans)
        print(f"  {label}: {took:.1f} ms{'  FULL SCAN' if scan else ''}")
        for shown_plan in plans:
            print(f"      {shown_plan}")


async def scale(scratch: Path, kept: Path | None) -> None:
    servers, per_server, upcoming = 500, 600, 150
    path = kept or scratch / "scale.db"
    began = time.perf_counter()
    if not path.exists():
        await build_scale(path, servers, per_server, upcoming)
    print(
        f"scale: {servers * per_server:,} occurrences in {servers} servers"
        f" ({servers * per_server / 156:,.0f} club-years of 156 sessions;"
        f" {path.stat().st_size / 1e6:.0f} MB) built in {time.perf_counter() - began:.0f} s"
    )
    steps: list[tuple[str, float]] = []
    mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        steps.append((name, now - mark))
        mark = now

    db = Database(path)
    await db.open()
    await db.migrate()
    step("open and migrations check")
    problems = await db.quick_check()
    step("quick check")
    await db.close()
    settings = Settings(database_path=path, default_timezone="UTC", retention_days=0)
    core = await build_core(settings, clock=Clock())
    step("services (missing closes, workout displays)")
    outbox = core.services.outbox
    await outbox.recover()
    await outbox.mirror_announced()
    await outbox.resume_replans()
    step("outbox recovery")
    armed = await outbox.due_within(NOW + timedelta(hours=12))
    step("arming the 12 h horizon")
    reads = len(await core.services.sessions.announced_open(range(1, servers + 1)))
    step("listing announcements to read back")
    modelled = max(reads / 50, reads * 0.08 / 8)
    total = sum(seconds for _, seconds in steps)
    checked = dict(steps)["quick check"]
    print(
        f"  time to ready (before login): {total - checked:.1f} s after a clean stop,"
        f" {total:.1f} s after a crash (with the quick check; {len(problems)} problems)"
    )
    for name, seconds in steps:
        print(f"    {name}: {seconds:.2f} s")
    print(
        f"  then, after READY: reading back the {reads} announcements that can still change"
        f" (modelled, 8 in flight at 80 ms within 50 requests/s): {modelled:.1f} s;"
        " none on a resumed session"
    )
    print(f"  jobs armed: {len(armed)}")
    print("hot queries at this size:")
    await hot_queries(core, guild=250)
    await core.close()


async def main() -> None:
    # An optional path keeps the scale database between runs (built once, then reused).
    kept = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as scratch:
        if kept is None or not kept.exists():
            await storage(Path(scratch))
        await scale(Path(scratch), kept)


if __name__ == "__main__":
    asyncio.run(main())
