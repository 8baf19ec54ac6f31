"""Benchmark: /attendance club and /attendance export for a busy club, and the turnout chart;
/session groups' grouping rule for a big turnout.

A year of three weekly series (156 sessions) with 60 members, each going to and coming to about
half of them (4,600 marks), on a real migrated SQLite file. Prints figures; asserts nothing.
Run: .venv/bin/python bench/attendance.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.composition import build_core
from bot.domain.groups import Runner, by_count, by_spread
from bot.services.access import Actor
from bot.settings import Settings
from bot.ui.attendance import turnout_chart

GUILD = 1
ORGANIZER = Actor(user_id=999, manage_events=True)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


async def seed(db: object, now: datetime) -> None:
    conn = db.conn  # type: ignore[attr-defined]
    rng = random.Random(13)
    first = now - timedelta(days=364)
    async with db.transaction():  # type: ignore[attr-defined]
        for series in range(1, 4):
            await conn.execute(
                "INSERT INTO series (id, guild_id, weeks, created_by, created_at)"
                " VALUES (?, ?, 52, ?, ?)",
                (series, GUILD, 900 + series, first.isoformat()),
            )
            for week in range(52):
                starts = first + timedelta(weeks=week, days=series)
                cursor = await conn.execute(
                    "INSERT INTO sessions (guild_id, series_id, position, title, location,"
                    " channel_id, starts_at, timezone, created_by, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, 'Track', 5, ?, 'UTC', ?, ?, ?)",
                    (
                        GUILD,
                        series,
                        week + 1,
                        f"Series {series}",
                        starts.isoformat(),
                        900 + series,
                        first.isoformat(),
                        first.isoformat(),
                    ),
                )
                session_id = cursor.lastrowid
                for user in range(1, 61):
                    if rng.random() < 0.5:
                        await conn.execute(
                            "INSERT INTO rsvps (session_id, user_id, guild_id, display_name,"
                            " response, state, source, updated_at)"
                            " VALUES (?, ?, ?, 'x', 'going', 'going', 'button', ?)",
                            (session_id, user, GUILD, starts.isoformat()),
                        )
                    if rng.random() < 0.5:
                        await conn.execute(
                            "INSERT INTO attendance (session_id, user_id, guild_id, display_name,"
                            " state, source, marked_by, updated_at)"
                            " VALUES (?, ?, ?, 'x', 'attended', 'checkin', ?, ?)",
                            (session_id, user, GUILD, user, starts.isoformat()),
                        )


async def main() -> None:
    now = datetime(2026, 12, 31, 12, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_path=Path(folder) / "bench.db", default_timezone="UTC")
        core = await build_core(settings, clock=FixedClock(now))
        await seed(core.db, now)
        service = core.services.attendance
        for period in ("4w", "2026"):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                summary = await service.club(ORGANIZER, GUILD, period)
                times.append(time.perf_counter() - start)
            print(
                f"/attendance club {period} ({len(summary.turnout)} sessions): "
                f"median {statistics.median(times) * 1000:.1f} ms"
            )
            start = time.perf_counter()
            chart = turnout_chart(summary)
            print(
                f"  turnout chart: {(time.perf_counter() - start) * 1000:.0f} ms, "
                f"{len(chart or b'') // 1024} KB PNG"
            )
        start = time.perf_counter()
        _, data = await service.export_csv(ORGANIZER, GUILD, "2026")
        rows = len(data.splitlines()) - 1
        print(
            f"/attendance export 2026: {(time.perf_counter() - start) * 1000:.1f} ms, {rows} rows"
        )
        await core.db.close()
    rng = random.Random(7)
    runners = [Runner(i, rng.uniform(30, 70)) for i in range(200)]
    for label, call in (
        ("spread 15", lambda: by_spread(runners, 15)),
        ("5 groups", lambda: by_count(runners, 5)),
    ):
        start = time.perf_counter()
        groups = call()
        print(
            f"pace groups, 200 runners, {label}: {(time.perf_counter() - start) * 1000:.0f} ms, "
            f"{len(groups)} groups"
        )


if __name__ == "__main__":
    asyncio.run(main())
