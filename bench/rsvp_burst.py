"""Benchmark: 500 reactions and clicks on one announcement within 5 simulated seconds.

Prints, with coalescing on and off: RSVPs lost, announcement edits made (and the most in any 5 s
window), simulated seconds from the last answer until the roster shows the database, and answers
processed per second of wall time. Asserts nothing. Run: .venv/bin/python bench/rsvp_burst.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import discord
import simcord

from bot import create_bot
from bot.services.access import Actor
from bot.settings import Settings

BURST = int(sys.argv[1]) if len(sys.argv) > 1 else 500
WINDOW = 5.0


async def burst(coalesce: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            database_path=Path(scratch) / "bench.db",
            default_timezone="America/New_York",
            sync_commands_on_start=True,
            coalesce_announcement_edits=coalesce,
        )
        bot = create_bot(settings)
        async with simcord.run(bot) as env:
            guild = env.create_guild("Run Club")
            channel = guild.create_text_channel("speed-sessions")
            organizers = discord.Permissions(manage_events=True)
            role = guild.create_role("Organizer", permissions=organizers)
            coach = guild.add_member(env.create_user("coach"), roles=[role])
            await bot.services.setup.set_channel(
                Actor(user_id=0, manage_guild=True), guild.id, channel.id
            )
            await coach.slash(
                channel,
                "session create",
                title="Track night",
                date="2026-01-06",
                time="18:30",
                location="Track",
            )
            members = [guild.add_member(env.create_user(f"m{n}")) for n in range(BURST)]
            viewer = members[0]
            message = next(m for m in channel.history(viewer=viewer) if m.embeds)
            path = f"/channels/{channel.id}/messages/{message.id}"
            step = WINDOW / BURST
            edit_times: list[float] = []
            seen = 0
            began = time.perf_counter()
            for index, member in enumerate(members):
                if index % 3 == 2:
                    await member.click(message, label="Maybe")
                else:
                    await member.react(message, "✅")
                await env.advance_time(step)
                count = sum(1 for r in env.http_requests if r.method == "PATCH" and r.path == path)
                if count > seen:
                    edit_times.append((index + 1) * step)
                    seen = count
            wall = time.perf_counter() - began
            going = BURST - BURST // 3
            waited = 0.0
            while waited < 30:
                latest = next(m for m in reversed(channel.history(viewer=viewer)) if m.embeds)
                field = next(f.value for f in latest.embeds[0].fields if f.name == "Who's coming")
                if f"Going {going}" in (field or "") and f"Maybe {BURST // 3}" in (field or ""):
                    break
                await env.advance_time(0.1)
                waited += 0.1
            rows = await bot.db.fetch_all("SELECT COUNT(*) FROM rsvps")
            total_edits = sum(
                1 for r in env.http_requests if r.method == "PATCH" and r.path == path
            )
            most_in_window = max(
                (sum(1 for t in edit_times if start <= t < start + WINDOW) for start in edit_times),
                default=0,
            )
            await bot.close()
    return {
        "lost": BURST - int(rows[0][0]),
        "edits": total_edits,
        "most_in_5s": most_in_window,
        "settled_after_s": waited,
        "per_second": BURST / wall,
    }


async def main() -> None:
    discord.utils.setup_logging(level=40)
    for coalesce in (True, False):
        figures = await burst(coalesce)
        label = "coalescing on " if coalesce else "coalescing off"
        print(
            f"{label}: {BURST} answers, {figures['lost']} lost, {figures['edits']} edits "
            f"(at most {figures['most_in_5s']} in any 5 s), roster right "
            f"{figures['settled_after_s']:.1f} s after the last answer, "
            f"{figures['per_second']:.0f} answers/s of wall time"
        )


if __name__ == "__main__":
    asyncio.run(main())
