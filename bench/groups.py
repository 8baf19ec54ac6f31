"""Benchmark: drawing a session's published pace groups on its announcement (each coalesced
redraw does it once), for clubs of growing size.

One session with a workout, N members going (N-5 with a profile, 5 without), groups published
at 15 s/km; then the groups service's announcement view, as the editor calls it, timed over
repeated redraws on a real migrated SQLite file. Prints figures; asserts nothing.
Run: .venv/bin/python bench/groups.py
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.composition import build_core
from bot.domain.pace import vdot_from_race
from bot.services.access import Actor
from bot.settings import Settings

GUILD = 1
ORGANIZER = Actor(user_id=999, manage_events=True)
SIZES = (20, 100, 500)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


async def seed(db: object, now: datetime, going: int) -> None:
    conn = db.conn  # type: ignore[attr-defined]
    async with db.transaction():  # type: ignore[attr-defined]
        await conn.execute(
            "INSERT INTO series (id, guild_id, weeks, created_by, created_at)"
            " VALUES (1, ?, 1, 999, ?)",
            (GUILD, now.isoformat()),
        )
        await conn.execute(
            "INSERT INTO sessions (id, guild_id, series_id, position, title, location,"
            " channel_id, starts_at, timezone, created_by, created_at, updated_at, workout)"
            " VALUES (1, ?, 1, 1, 'Speed', 'Track', 5, ?, 'UTC', 999, ?, ?,"
            " '6x800 @ I w/ 400 jog')",
            (GUILD, (now + timedelta(days=2)).isoformat(), now.isoformat(), now.isoformat()),
        )
        for user in range(1, going + 1):
            await conn.execute(
                "INSERT INTO rsvps (session_id, user_id, guild_id, display_name, response,"
                " state, source, updated_at) VALUES (1, ?, ?, ?, 'going', 'going', 'button', ?)",
                (user, GUILD, f"runner {user}", now.isoformat()),
            )
            if user > 5:
                seconds = 17 * 60 + (user * 37) % (13 * 60)
                await conn.execute(
                    "INSERT INTO profiles (user_id, race_name, distance_m, seconds, vdot,"
                    " updated_at) VALUES (?, '5K', 5000, ?, ?, ?)",
                    (user, seconds, vdot_from_race(5000, seconds), now.isoformat()),
                )


async def one(size: int) -> tuple[float, float, int]:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_path=Path(folder) / "bench.db")
        core = await build_core(settings, FixedClock(now))  # type: ignore[arg-type]
        try:
            await seed(core.db, now, size)
            groups = core.services.groups
            published = await groups.groups(ORGANIZER, GUILD, "1", publish=True)
            await groups.public_view(1)  # first draw: newcomers' places and notes written
            times = []
            for _ in range(30):
                began = time.perf_counter()
                await groups.public_view(1)
                times.append((time.perf_counter() - began) * 1000)
            return statistics.median(times), max(times), len(published.groups)
        finally:
            await core.close()


async def main() -> None:
    print("| members going | groups | median redraw of the groups | slowest of 30 |")
    print("|---|---|---|---|")
    for size in SIZES:
        median, worst, count = await one(size)
        print(f"| {size} | {count} | {median:.1f} ms | {worst:.1f} ms |")


if __name__ == "__main__":
    asyncio.run(main())
