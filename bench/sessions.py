"""Benchmarks for sessions: start-up with 10,000 upcoming occurrences, and reminder lateness.

Prints figures; asserts nothing. Run: .venv/bin/python bench/sessions.py
Each measurement runs in a fresh child process so memory figures are the bot's own.
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import discord
import simcord

from bot import create_bot
from bot.services.access import Actor
from bot.services.sessions import SessionForm
from bot.settings import Settings

OCCURRENCES = 10_000
ORGANIZER = Actor(user_id=1, manage_events=True)


def _settings(db: Path) -> Settings:
    return Settings(
        database_path=db, default_timezone="America/New_York", sync_commands_on_start=True
    )


async def populate(db: Path) -> None:
    """10,000 weekly occurrences in 52-week series starting over the next four weeks."""
    bot = create_bot(_settings(db))
    async with simcord.run(bot) as env:
        guild = env.create_guild("Run Club")
        channel = guild.create_text_channel("speed-sessions")
        sessions = bot.services.sessions
        created = 0
        day = 0
        while created < OCCURRENCES:
            weeks = min(52, OCCURRENCES - created)
            start = date(2026, 1, 2 + day % 28).isoformat()
            await sessions.create(
                ORGANIZER,
                guild.id,
                SessionForm(
                    title=f"Session {day}",
                    date=start,
                    time=f"{6 + day % 14}:30",
                    location="Track",
                    workout="6x800 @ I w/ 400 jog",
                    weeks=weeks,
                    channel_id=channel.id,
                ),
            )
            created += weeks
            day += 1
        await bot.close()


async def start_up(db: Path) -> dict[str, float]:
    before = time.perf_counter()
    bot = create_bot(_settings(db))
    async with simcord.run(bot) as env:
        ready = time.perf_counter() - before
        env.create_guild("Run Club")
        upcoming = await bot.services.sessions._sessions.count_upcoming(env.now())
        armed = len(bot.scheduler.armed()) if bot.scheduler else -1
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        await bot.close()
    return {"seconds_to_ready": ready, "peak_rss_mb": rss_mb, "upcoming": upcoming, "armed": armed}


async def lateness(db: Path) -> dict[str, float]:
    """60 sessions' announcements and reminders over 30 simulated days: how late was each post?"""
    bot = create_bot(_settings(db))
    async with simcord.run(bot) as env:
        guild = env.create_guild("Run Club")
        channel = guild.create_text_channel("speed-sessions")
        role = guild.create_role("Organizer", permissions=discord.Permissions(manage_events=True))
        organizer = guild.add_member(env.create_user("coach"), roles=[role])
        for number in range(30):
            # Created through the slash command, as an organizer would: jobs armed by bot code.
            await organizer.slash(
                channel,
                "session create",
                title=f"S{number}",
                date="2026-01-10",
                time=f"{(number % 14) + 6}:{(number * 7) % 60:02d}",
                location="Track",
                weeks=2,
                channel=channel,
            )
        await env.advance_time(30 * 86400)
        rows = await bot.db.fetch_all(
            "SELECT due_at, sent_at FROM deliveries WHERE status = 'sent'"
        )
        late = [
            (datetime.fromisoformat(sent) - datetime.fromisoformat(due)).total_seconds()
            for due, sent in rows
        ]
        await bot.close()
    return {"posts": len(late), "max_late_s": max(late), "mean_late_s": sum(late) / len(late)}


def child(kind: str, db: str) -> None:
    discord.utils.setup_logging(level=40)
    func = {"populate": populate, "startup": start_up, "lateness": lateness}[kind]
    result = asyncio.run(func(Path(db)))
    print(json.dumps(result))


def run_child(kind: str, db: Path) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", kind, str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "{}"
    return json.loads(line) if line.startswith("{") else {}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "bench.db"
        began = time.perf_counter()
        run_child("populate", db)
        print(f"populated {OCCURRENCES} occurrences in {time.perf_counter() - began:.1f} s")
        for attempt in range(3):
            figures = run_child("startup", db)
            print(
                f"start-up #{attempt + 1}: {figures['seconds_to_ready']:.2f} s to READY, "
                f"peak RSS {figures['peak_rss_mb']:.0f} MB, {figures['upcoming']} upcoming, "
                f"{figures['armed']} jobs armed"
            )
        figures = run_child("lateness", Path(scratch) / "late.db")
        print(
            f"reminders and announcements over 30 simulated days: {figures['posts']} posted, "
            f"max {figures['max_late_s']:.3f} s late, mean {figures['mean_late_s']:.3f} s late"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
