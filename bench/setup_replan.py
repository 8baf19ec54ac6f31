"""Benchmark: `/setup reminders` and `/setup announce-ahead` in a server with 5,000 upcoming
sessions, and what another server's member waits meanwhile.

Drives the real services on a real SQLite file (WAL, synchronous=FULL): 97 weekly series of 52
weeks (5,044 upcoming sessions, each with its announcement and reminder rows), then changes the
reminder lead times and the announce-ahead days, timing each call (the reply follows it) and
the re-planning that follows in the background. While
each change runs, a member of another server answers an RSVP; its time is printed too. Asserts
nothing. Run: .venv/bin/python bench/setup_replan.py [series]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.composition import build_core
from bot.domain.rsvp import Response
from bot.services.access import Actor
from bot.services.sessions import SessionForm
from bot.settings import Settings

SERIES = int(sys.argv[1]) if len(sys.argv) > 1 else 97


class WallClock:
    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=time.monotonic() % 60)


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(database_path=Path(scratch) / "bench.db", default_timezone="UTC")
        core = await build_core(settings, clock=WallClock())
        services = core.services
        admin = Actor(user_id=1, manage_guild=True, manage_events=True)
        big, other = 42, 43
        for guild in (big, other):
            await services.setup.set_channel(admin, guild, 7)
        for n in range(SERIES):
            await services.sessions.create(
                admin,
                big,
                SessionForm(
                    title=f"Series {n}",
                    date="2026-02-02",
                    time=f"{6 + n % 14:02d}:{n % 4 * 15:02d}",
                    location="Track",
                    weeks=52,
                ),
            )
        outcome = await services.sessions.create(
            admin,
            other,
            SessionForm(title="Other club", date="2026-02-03", time="18:30", location="Park"),
        )
        other_session = outcome.sessions[0].id
        upcoming = await core.db.fetch_one(
            "SELECT COUNT(*) FROM sessions WHERE guild_id = ?", (big,)
        )
        print(f"{upcoming[0] if upcoming else 0} upcoming sessions in the big server")

        async def other_answers(user_id: int) -> float:
            await asyncio.sleep(0.05)  # lands while the change is running
            began = time.perf_counter()
            await services.rsvps.respond(
                other, other_session, user_id, "runner", Response.GOING, "button"
            )
            return time.perf_counter() - began

        for label, change in (
            ("/setup reminders 2h", lambda: services.setup.set_reminders(admin, big, "2h")),
            ("/setup reminders 1d 1h", lambda: services.setup.set_reminders(admin, big, "1d 1h")),
            ("/setup announce-ahead 3", lambda: services.setup.set_announce_days(admin, big, 3)),
        ):
            began = time.perf_counter()
            waited = asyncio.ensure_future(other_answers(1000 + len(label)))
            await change()
            took = time.perf_counter() - began
            answered = await waited
            await services.outbox.replans_done()
            replanned = time.perf_counter() - began
            print(
                f"{label}: reply after {took:.3f} s; another server's answer meanwhile "
                f"{answered:.3f} s; every session re-planned after {replanned:.2f} s"
            )
        # A second change while the first is still re-planning: it takes over from the start.
        began = time.perf_counter()
        await services.setup.set_reminders(admin, big, "3h")
        await services.setup.set_reminders(admin, big, "45m")
        took = time.perf_counter() - began
        await services.outbox.replans_done()
        pending = await core.db.fetch_one(
            "SELECT COUNT(DISTINCT session_id), COUNT(*), MIN(offset_s), MAX(offset_s)"
            " FROM deliveries WHERE guild_id = ? AND kind = 'reminder' AND status = 'pending'",
            (big,),
        )
        print(
            f"two changes back to back: both replies after {took:.3f} s; pending reminders "
            f"{tuple(pending) if pending else ()} (sessions, rows, min and max lead time)"
        )
        await core.close()


if __name__ == "__main__":
    asyncio.run(main())
