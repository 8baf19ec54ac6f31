"""The offline sandbox: the real bot against SimCord's simulated Discord, in a browser page.

Needs the ``sandbox`` extra (``simcord[preview]``). Builds a "Run Club" server with an organizer
and two runners, names the bot "Pacer", serves SimCord's preview page on 127.0.0.1, prints the
members' DMs in the terminal (the page shows one channel) and reads terminal commands to move the
simulated clock so scheduled posts can be watched arriving.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import re
import sys
import tempfile
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import discord
from discord import app_commands

from bot.app import PacerBot, create_bot
from bot.db.database import DatabaseError
from bot.logs import quiet_sandbox_logs
from bot.services.access import Actor
from bot.settings import Settings
from bot.tree import handle_error, message_for

# simcord is imported where it is used, after quiet_sandbox_logs: importing it builds a probe
# client whose start-up warnings are meant for SimCord's own developers.
if importlib.util.find_spec("simcord") is None:
    raise ImportError("the sandbox needs the 'sandbox' extra (simcord[preview])")

log = logging.getLogger(__name__)

BOT_NAME = "Pacer"
CLUB_NAME = "Run Club"
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


def _is_overlap(exc: Exception) -> bool:
    from simcord import SetupError

    return isinstance(exc, SetupError) and "overlap" in str(exc)


async def _retry(action: Any) -> None:
    for _ in range(50):
        try:
            await action()
            return
        except Exception as exc:
            if not _is_overlap(exc):  # anything but "a browser action is running" is real
                raise
            await asyncio.sleep(0.1)
    log.warning("Gave up after the page kept the simulation busy; try again")


_UNITS_LONG = (("day", 86400), ("hour", 3600), ("minute", 60))
_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")


def _plain_timestamps(text: str, zone: ZoneInfo, sent_at: datetime) -> str:
    """Discord's ``<t:…>`` markup as the club's local time (relative ones as of ``sent_at``),
    since a terminal can't render it."""

    def local(match: re.Match[str]) -> str:
        when = datetime.fromtimestamp(int(match.group(1)), tz=zone)
        if match.group(2) != "R":
            return f"{when:%a %d %b %Y %H:%M}"
        seconds = (when - sent_at).total_seconds()
        unit, size = next(
            (unit, size) for unit, size in _UNITS_LONG if abs(seconds) >= size or unit == "minute"
        )
        count = round(abs(seconds) / size)
        amount = f"{count} {unit}{'' if count == 1 else 's'}"
        return f"in {amount}" if seconds >= 0 else f"{amount} ago"

    return _TIMESTAMP.sub(local, text)


_LINK = re.compile(r"\[([^\]]+)\]\(<?https?://[^)\s]+>?\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _plain_markdown(text: str) -> str:
    """Links as their text (they point into Discord, which the sandbox only simulates) and bold
    without its asterisks."""
    return _BOLD.sub(r"\1", _LINK.sub(r"\1", text))


def describe_dm(name: str, message: discord.Message, zone: ZoneInfo) -> str:
    """One terminal entry for a DM the bot sent: its text, embed titles and file names."""
    text = _plain_timestamps(message.content or "", zone, message.created_at)
    lines = _plain_markdown(text).splitlines() or [""]
    out = [f"DM to {name}: {lines[0]}".rstrip(), *(f"  {line}" for line in lines[1:])]
    out += [f"  [embed] {embed.title or embed.description or ''}" for embed in message.embeds]
    out += [f"  [file] {attachment.filename}" for attachment in message.attachments]
    return "\n".join(out)


@dataclass
class DmReporter:
    """Prints the bot's DMs to the sandbox's members as they arrive.

    The page shows one channel, and SimCord serves one page per simulated Discord, so DMs are
    read from each member's DM channel and printed in the terminal instead.
    """

    members: dict[str, Any]
    _seen: set[int] = field(default_factory=set)

    def check(self) -> list[str]:
        """Print and return every DM not reported yet, oldest first."""
        entries = []
        for name, member in self.members.items():
            for message in member.user.dm_channel.history():
                if message.id in self._seen or message.author.id == member.id:
                    continue
                self._seen.add(message.id)
                entries.append(describe_dm(name, message, ZoneInfo(SANDBOX_TIMEZONE)))
        for entry in entries:
            print(entry, flush=True)
        return entries


@dataclass
class Sandbox:
    """A running sandbox: SimCord's ``env``, the bot and the club built in it."""

    env: Any
    bot: PacerBot
    guild: Any
    channel: Any
    members: dict[str, Any]  # display name -> SimCord member: Coach Marc, Alice, Ben
    dms: DmReporter

    @property
    def viewers(self) -> list[Any]:
        return list(self.members.values())


def build_world(env: Any) -> dict[str, Any]:
    """The sandbox's server: channels, an organizer role and three members.

    Built in the same order at the same simulated instant on every start, so every id comes out
    the same and a kept sandbox database still matches the server.
    """
    guild = env.create_guild(CLUB_NAME)
    channel = guild.create_text_channel(
        "speed-sessions",
        topic=f"{CLUB_NAME}: Pacer announces sessions here (club time zone {SANDBOX_TIMEZONE})",
    )
    organizer_role = guild.create_role(
        "Organizer",
        permissions=discord.Permissions(manage_events=True, manage_guild=True),
    )
    coach = guild.add_member(
        env.create_user("coach", global_name="Coach Marc"), roles=[organizer_role]
    )
    alice = guild.add_member(env.create_user("alice", global_name="Alice"))
    ben = guild.add_member(env.create_user("ben", global_name="Ben"))
    return {
        "guild": guild,
        "channel": channel,
        "members": {"Coach Marc": coach, "Alice": alice, "Ben": ben},
    }


async def configure_club(bot: PacerBot, world: dict[str, Any]) -> None:
    """Set the club up as its admin would have: announcement channel and time zone.

    A kept database that is already set up is left as it is (its admin may have changed it).
    """
    setup = bot.services.setup
    guild_id = world["guild"].id
    if (await setup.config(guild_id)).announce_channel_id is not None:
        return
    admin = Actor(user_id=world["guild"].owner.id, manage_guild=True)
    await setup.set_channel(admin, guild_id, world["channel"].id)
    await setup.set_timezone(admin, guild_id, SANDBOX_TIMEZONE)


def report_only_bot_failures(bot: PacerBot) -> None:
    """Let the page show a member's mistake as the private reply it is, not a failed action.

    SimCord marks a page action failed when any exception reaches the command tree's error
    handler (it wraps ``tree.on_error`` to record them). Pacer's handler turns a member's mistake
    into a private reply, which on Discord is a normal answer; only exceptions it has no words for
    (bugs, storage faults) are passed on to SimCord's recorder.
    """
    tree = bot.tree
    recording = tree.on_error  # SimCord's wrapper around PacerTree.on_error

    async def on_error(
        interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        if message_for(error) is None:
            await recording(interaction, error)
        else:
            await handle_error(interaction, error)

    tree.on_error = on_error  # type: ignore[method-assign]


def sandbox_database(settings: Settings, scratch: Path) -> Path:
    """The kept database if ``SANDBOX_DATABASE_PATH`` is set, else a file in ``scratch``.

    Raises:
        DatabaseError: it is the real bot's database (simulated servers would be written into it).
    """
    kept = settings.sandbox_database_path
    if kept is None:
        return scratch / "sandbox.db"
    if kept.resolve() == settings.database_path.resolve():
        raise DatabaseError(
            f"SANDBOX_DATABASE_PATH is the real bot's database ({kept}); "
            "give the sandbox its own file, like data/sandbox.db"
        )
    return kept


@contextlib.asynccontextmanager
async def open_sandbox(settings: Settings) -> AsyncIterator[Sandbox]:
    """Start the bot against a fresh simulated Discord with the club built and set up.

    Developer-only log lines are hidden while it runs (see :func:`bot.logs.quiet_sandbox_logs`).

    Raises:
        DatabaseError: the kept sandbox database can't be used.
    """
    with quiet_sandbox_logs(), tempfile.TemporaryDirectory(prefix="pacer-sandbox-") as scratch:
        import simcord

        sandbox_settings = settings.model_copy(
            update={
                "discord_token": None,
                "dev_guild_id": None,
                "database_path": sandbox_database(settings, Path(scratch)),
                "database_url": None,
                # One simulated process on its own file: the shards of the .env (one process of
                # several) would leave the simulated club on a shard it does not post for.
                "shard_count": 1,
                "shard_ids": None,
                "sync_commands_on_start": True,
            }
        )
        bot = create_bot(sandbox_settings)
        try:
            async with simcord.run(bot, check_errors=False) as env:
                try:
                    if bot.user is None:  # simcord.run returns once READY, so it is logged in
                        raise RuntimeError("the simulated login did not complete")
                    await bot.user.edit(username=BOT_NAME)
                    report_only_bot_failures(bot)
                    world = build_world(env)
                    await configure_club(bot, world)
                    yield Sandbox(
                        env=env,
                        bot=bot,
                        guild=world["guild"],
                        channel=world["channel"],
                        members=world["members"],
                        dms=DmReporter(world["members"]),
                    )
                finally:
                    # Inside: SimCord's shutdown waits for the bot's loops (a pending
                    # announcement edit) that only closing the bot stops.
                    await bot.close()
        finally:
            await bot.close()  # start-up failed (a bad kept database): release the file


async def run_sandbox(settings: Settings, *, interactive: bool = True) -> int:
    """Serve the sandbox until the page's "End preview session", ``quit`` or Ctrl-C."""
    try:
        async with (
            open_sandbox(settings) as sandbox,
            sandbox.env.preview(
                sandbox.channel,
                viewers=sandbox.viewers,
                layout="channel",
                timezone=SANDBOX_TIMEZONE,
                port=0,
            ) as preview,
        ):
            kept = settings.sandbox_database_path
            print("\nPacer sandbox is running. Open this address in a browser:\n")
            print(f"  {preview.url}\n")
            print(f"{CLUB_NAME}: Coach Marc (organizer), Alice and Ben (runners).")
            print(
                f"#speed-sessions is the announcement channel; the club's time zone is "
                f"{SANDBOX_TIMEZONE}. Simulated time starts at 2026-01-01 00:00 UTC."
            )
            print(
                f"Pacer's data is kept in {kept}."
                if kept
                else "Everything starts fresh and is forgotten at quit "
                "(set SANDBOX_DATABASE_PATH to keep it)."
            )
            print("DMs the bot sends to members are printed here.")
            print(HELP, flush=True)
            await _serve(sandbox, preview, interactive)
    except DatabaseError as exc:
        print(f"pacer: {exc}", file=sys.stderr)
        return 2
    return 0


async def _keep_clock_moving(sandbox: Sandbox, preview: Any) -> None:
    """Every second: print new DMs; and while an announcement edit is pending (it waits on a loop
    that only simulated time moves), let the simulated clock follow the real one and show it."""
    from simcord import SetupError

    while True:
        await asyncio.sleep(1)
        sandbox.dms.check()
        publisher = sandbox.bot.publisher
        if publisher is None or not publisher.editor.pending:
            continue
        # A browser action is running, or the page is closing: try again next second.
        with contextlib.suppress(SetupError):
            await sandbox.env.advance_time(1)
            if not publisher.editor.pending:
                await preview.refresh()


async def _serve(sandbox: Sandbox, preview: Any, interactive: bool) -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    ticker = asyncio.ensure_future(_keep_clock_moving(sandbox, preview))
    if interactive:
        threading.Thread(
            target=_read_terminal, args=(asyncio.get_running_loop(), queue), daemon=True
        ).start()
    closed = asyncio.ensure_future(preview.wait_closed())
    try:
        while not closed.done():
            getter = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait(
                {closed, getter, ticker}, return_when=asyncio.FIRST_COMPLETED
            )
            if ticker in done:
                ticker.result()  # the clock loop failed: stop and show why
            if getter not in done:
                getter.cancel()
                break
            if not await _handle(sandbox, preview, getter.result()):
                break
    finally:
        ticker.cancel()
        closed.cancel()
        for task in (closed, ticker):
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _handle(sandbox: Sandbox, preview: Any, line: str) -> bool:
    env = sandbox.env
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
    if seconds is None and line.lower().split(" ", 1)[0] == "ff":
        print(
            f"{line!r}: ff needs a positive amount and a unit (s, m, h, d or w), like ff 30m, "
            "ff 2h or ff 1w.",
            flush=True,
        )
        return True
    if seconds is None:
        print(f"Unknown command {line!r}.\n{HELP}", flush=True)
        return True
    remaining = seconds
    while remaining > 0:
        step = min(remaining, _STEP_SECONDS)
        await _retry(lambda step=step: env.advance_time(step))
        remaining -= step
    await _retry(preview.refresh)
    sandbox.dms.check()
    print(f"Simulated time is now {env.now():%Y-%m-%d %H:%M} UTC.", flush=True)
    return True
