"""Benchmark: N members answer one announcement within 5 s of wall time, concurrently.

SimCord runs one actor at a time, so this drives the real services the way the gateway would:
one task per answer, started at its arrival instant (spread evenly over 5 s), on a real SQLite
file (WAL, synchronous=FULL). A click's acknowledgement is modelled as the moment ``respond``
returns (the reply is sent only after that; sending it is Discord's half); a reaction's is its
commit (``react`` returning). Edits are counted through the coalescing editor, as the bot does.

Prints p50/p99/max click-to-acknowledgement, answers lost and the most announcement edits in any
5 s. Asserts nothing. Run: .venv/bin/python bench/rsvp_concurrent.py [N ...]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.composition import build_core
from bot.domain.rsvp import Response
from bot.outbox.editor import Editor
from bot.services.access import Actor
from bot.services.sessions import SessionForm
from bot.settings import Settings

WINDOW_S = 5.0


class WallClock:
    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=time.monotonic())


async def burst(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(database_path=Path(scratch) / "bench.db", default_timezone="UTC")
        core = await build_core(settings, clock=WallClock())
        services = core.services
        admin = Actor(user_id=1, manage_guild=True, manage_events=True)
        guild_id = 42
        await services.setup.set_channel(admin, guild_id, 7)
        outcome = await services.sessions.create(
            admin,
            guild_id,
            SessionForm(title="Track night", date="2027-01-05", time="18:30", location="Track"),
        )
        session = outcome.sessions[0]
        edit_times: list[float] = []
        loop = asyncio.get_running_loop()
        began = loop.time()

        async def edit(session_id: int) -> None:
            edit_times.append(loop.time() - began)
            await services.rsvps.roster(session_id)  # what drawing the roster reads

        async def give_up(session_id: int, reason: str) -> None:
            return None

        editor = Editor(edit, give_up, clock=WallClock())
        latencies: list[float] = []
        lost = 0

        async def answer(index: int) -> None:
            nonlocal lost
            await asyncio.sleep(index * WINDOW_S / count)
            start = loop.time()
            user_id = 1000 + index
            try:
                if index % 3 == 2:
                    result = await services.rsvps.respond(
                        guild_id, session.id, user_id, f"m{index}", Response.MAYBE, "button"
                    )
                    changed = result.changed
                else:
                    reacted = await services.rsvps.react(session, user_id, f"m{index}", "✅", True)
                    changed = reacted.changed
            except Exception:
                lost += 1
                return
            latencies.append(loop.time() - start)
            if changed:
                editor.mark(session.id)

        await asyncio.gather(*(answer(i) for i in range(count)))
        while editor.pending:  # noqa: ASYNC110 (the editor offers no event to wait on)
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.1)
        editor.stop()
        rows = await core.db.fetch_all("SELECT COUNT(*) FROM rsvps")
        await core.close()
    latencies.sort()
    most = max((sum(1 for t in edit_times if s <= t < s + WINDOW_S) for s in edit_times), default=0)
    return {
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "max": latencies[-1],
        "lost": count - int(rows[0][0]) + lost,
        "edits": len(edit_times),
        "most_in_5s": most,
    }


async def main() -> None:
    for count in [int(a) for a in sys.argv[1:]] or [2000, 10000]:
        f = await burst(count)
        print(
            f"{count} answers in {WINDOW_S:.0f} s: acknowledgement p50 {f['p50']:.3f} s, "
            f"p99 {f['p99']:.3f} s, max {f['max']:.3f} s; {f['lost']} lost; "
            f"{f['edits']} edits, at most {f['most_in_5s']} in any 5 s"
        )


if __name__ == "__main__":
    asyncio.run(main())
