"""The offline sandbox: the real bot against SimCord's simulated Discord, in a browser page.

Needs the ``sandbox`` extra (``simcord[preview]``). Builds a "Run Club" server with an organizer
and two runners, serves SimCord's preview page on 127.0.0.1 and reads terminal commands to move
the simulated clock so scheduled posts can be watched arriving.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import discord
import simcord
from simcord import SetupError

from bot.app import PacerBot, create_bot
from bot.services.access import Actor
from bot.settings import Settings

log = logging.getLogger(__name__)

SANDBOX_TIMEZONE = "America/New_York"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_FF = re.compile(r"^ff\s+(\d+(?:\.\d+)?)\s*([smhdw])$")
# advance_time runs every timer due in between; big jumps go in hour-sized steps so the page stays
# responsive and a browser action can slip in between.
_STEP_SECONDS = 3600.0
HELP = """Sandbox commands (type and press Enter):
  ff 30m | ff 2h | ff 2d | ff 1w   fast-forward the simulated clock
  now                              show the simulated time
  refresh                          republish the page
  quit                             stop the sandbox"""


def parse_fast_forward(line: str) -> float | None:
    """Seconds for a command like ``ff 30m`` or ``ff 2d``; None if it isn't one."""
    match = _FF.match(line.strip().lower())
    if match is None:
        return None
    return float(match.group(1)) * _UNITS[match.group(2)]


def _read_terminal(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str]) -> None:
    # A daemon thread: run_in_executor(readline) would block interpreter exit.
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line.strip())
    loop.call_soon_threadsafe(queue.put_nowait, "quit")


async def _retry(action: Any) -> None:
    for _ in range(50):
        try:
            await action()
            return
        except SetupError as exc:  # overlaps a browser action: wait for it and retry
            if "overlap" not in str(exc):
                raise
            await asyncio.sleep(0.1)
    log.warning("Gave up after the page kept the simulation busy; try again")


def build_world(env: Any) -> dict[str, Any]:
    """The sandbox's server: channels, an organizer role and three members."""
    guild = env.create_guild("Run Club")
    channel = guild.create_text_channel("speed-sessions")
    organizer_role = guild.create_role(
        "Organizer",
        permissions=discord.Permissions(manage_events=True, manage_guild=True),
    )
    coach = guild.add_member(
        env.create_user("coach", global_name="Coach Marc"), roles=[organizer_role]
    )
    alice = guild.add_member(env.create_user("alice", global_name="Alice"))
    ben = guild.add_member(env.create_user("ben", global_name="Ben"))
    return {"guild": guild, "channel": channel, "viewers": [coach, alice, ben]}


async def configure_club(bot: PacerBot, world: dict[str, Any]) -> None:
    """Set the club up as its admin would have: announcement channel and time zone."""
    admin = Actor(user_id=world["guild"].owner.id, manage_guild=True)
    setup = bot.services.setup
    await setup.set_channel(admin, world["guild"].id, world["channel"].id)
    await setup.set_timezone(admin, world["guild"].id, SANDBOX_TIMEZONE)


async def run_sandbox(settings: Settings, *, interactive: bool = True) -> int:
    """Serve the sandbox until the page's "End preview session", ``quit`` or Ctrl-C."""
    with tempfile.TemporaryDirectory(prefix="pacer-sandbox-") as scratch:
        sandbox_settings = settings.model_copy(
            update={
                "discord_token": None,
                "dev_guild_id": None,
                "database_path": Path(scratch) / "sandbox.db",
                "sync_commands_on_start": True,
            }
        )
        bot = create_bot(sandbox_settings)
        async with simcord.run(bot, check_errors=False) as env:
            world = build_world(env)
            await configure_club(bot, world)
            async with env.preview(
                world["channel"],
                viewers=world["viewers"],
                layout="channel",
                timezone=SANDBOX_TIMEZONE,
                port=0,
            ) as preview:
                print("\nPacer sandbox is running. Open this address in a browser:\n")
                print(f"  {preview.url}\n")
                print("Viewers: Coach Marc (organizer), Alice and Ben (runners).")
                print(
                    f"#speed-sessions is the announcement channel; the club's time zone is "
                    f"{SANDBOX_TIMEZONE}. Simulated time starts at 2026-01-01 00:00 UTC."
                )
                print(HELP, flush=True)
                await _serve(env, preview, interactive)
        await bot.close()
    return 0


async def _keep_clock_moving(env: Any, bot: PacerBot, preview: Any) -> None:
    """Announcement edits wait on a loop that only simulated time moves: while one is pending,
    let the simulated clock follow the real one, a second at a time, and show the result."""
    while True:
        await asyncio.sleep(1)
        publisher = bot.publisher
        if publisher is None or not publisher.editor.pending:
            continue
        with contextlib.suppress(SetupError):  # a browser action is running: next second
            await env.advance_time(1)
            if not publisher.editor.pending:
                await preview.refresh()


async def _serve(env: Any, preview: Any, interactive: bool) -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    ticker = asyncio.ensure_future(_keep_clock_moving(env, env.bot, preview))
    if interactive:
        threading.Thread(
            target=_read_terminal, args=(asyncio.get_running_loop(), queue), daemon=True
        ).start()
    closed = asyncio.ensure_future(preview.wait_closed())
    try:
        while not closed.done():
            getter = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({closed, getter}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:
                getter.cancel()
                break
            if not await _handle(env, preview, getter.result()):
                break
    finally:
        ticker.cancel()
        closed.cancel()
        for task in (closed, ticker):
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _handle(env: Any, preview: Any, line: str) -> bool:
    if not line:
        return True
    if line in ("quit", "exit", "q"):
        return False
    if line == "help":
        print(HELP, flush=True)
        return True
    if line == "now":
        print(f"Simulated time: {env.now():%Y-%m-%d %H:%M} UTC", flush=True)
        return True
    if line == "refresh":
        await _retry(preview.refresh)
        return True
    seconds = parse_fast_forward(line)
    if seconds is None:
        print(f"Unknown command {line!r}.\n{HELP}", flush=True)
        return True
    remaining = seconds
    while remaining > 0:
        step = min(remaining, _STEP_SECONDS)
        await _retry(lambda step=step: env.advance_time(step))
        remaining -= step
    await _retry(preview.refresh)
    print(f"Simulated time is now {env.now():%Y-%m-%d %H:%M} UTC.", flush=True)
    return True
