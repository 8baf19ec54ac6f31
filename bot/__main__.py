"""python -m bot [run|sandbox|check|sync]

With no command: run against Discord if a token is configured, else start the offline sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from pathlib import Path

import aiohttp
import discord

from bot.app import create_bot
from bot.db.database import Database, DatabaseError
from bot.logs import setup_logging
from bot.settings import Settings, SettingsError

log = logging.getLogger("bot")

EXIT_USAGE = 2
CONNECT_HINT = (
    "No DISCORD_TOKEN is configured, so Pacer can't connect to Discord. Put it in .env "
    "(see README.md), or try Pacer offline with: python -m bot sandbox"
)


def _fail(message: str) -> int:
    print(f"pacer: {message}", file=sys.stderr)
    return EXIT_USAGE


def _load_settings() -> Settings:
    return Settings.from_env()


async def _run(settings: Settings) -> int:
    if settings.discord_token is None:
        return _fail(CONNECT_HINT)
    bot = create_bot(settings)
    try:
        async with bot:
            await bot.start(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        return _fail(
            "Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal "
            "(Bot -> Reset Token) into .env."
        )
    except discord.PrivilegedIntentsRequired:
        return _fail("Discord refused the connection's intents; Pacer needs no privileged intent.")
    except (aiohttp.ClientConnectionError, OSError) as exc:
        return _fail(f"can't reach Discord ({exc.__class__.__name__}): check the network.")
    except DatabaseError as exc:
        return _fail(str(exc))
    return 0


async def _sync(settings: Settings) -> int:
    if settings.discord_token is None:
        return _fail(CONNECT_HINT)
    bot = create_bot(settings)
    try:
        async with bot:
            await bot.login(settings.discord_token.get_secret_value())
            count = await bot.sync_commands()
    except discord.LoginFailure:
        return _fail("Discord rejected DISCORD_TOKEN. Copy a fresh one into .env.")
    except (aiohttp.ClientConnectionError, OSError) as exc:
        return _fail(f"can't reach Discord ({exc.__class__.__name__}): check the network.")
    except DatabaseError as exc:
        return _fail(str(exc))
    where = f"server {settings.dev_guild_id}" if settings.dev_guild_id else "every server (global)"
    print(f"Synced {count} commands to {where}.")
    return 0


async def _check(settings: Settings) -> int:
    """Migrate a scratch database, load every cog, lint command descriptions; no network."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch_settings = settings.model_copy(
            update={"database_path": Path(scratch) / "check.db", "discord_token": None}
        )
        bot = create_bot(scratch_settings)
        try:
            await bot.prepare()
            problems += describe_command_problems(bot)
            commands = sum(1 for _ in bot.tree.walk_commands())
        finally:
            await bot.close()
    if settings.database_path.exists():
        db = Database(settings.database_path)
        try:
            await db.open()
            problems += [f"database integrity: {p}" for p in await db.integrity_check()]
            version = await db.user_version()
            print(f"Database {settings.database_path}: schema version {version}, integrity ok.")
        except DatabaseError as exc:
            problems.append(str(exc))
        finally:
            await db.close()
    if problems:
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        return 1
    print(f"Check passed: {commands} commands loaded, every command and option described.")
    return 0


def describe_command_problems(bot: discord.Client) -> list[str]:
    """Commands or options without a real description (discord.py's placeholder is '…')."""
    from discord import app_commands

    tree = getattr(bot, "tree", None)
    if tree is None:
        return ["the bot has no command tree"]
    problems = []
    for command in tree.walk_commands():
        name = command.qualified_name
        if not command.description or command.description == "…":
            problems.append(f"/{name} has no description")
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                if not parameter.description or parameter.description == "…":
                    problems.append(f"/{name} option '{parameter.name}' has no description")
    return problems


def _sandbox(settings: Settings) -> int:
    try:
        from bot.sandbox import run_sandbox
    except ImportError:
        return _fail(
            "the sandbox needs the optional extra: pip install -e '.[sandbox]' "
            "(or run scripts/start.sh, which installs it)"
        )
    return asyncio.run(run_sandbox(settings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Pacer, the running-club bot"
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=("run", "sandbox", "check", "sync"),
        help="run: connect to Discord; sandbox: offline simulated Discord in your browser; "
        "check: load everything without connecting; sync: publish slash commands. "
        "Default: run if DISCORD_TOKEN is set, else sandbox.",
    )
    args = parser.parse_args(argv)
    try:
        settings = _load_settings()
    except SettingsError as exc:
        print("pacer: invalid settings (from the environment or .env):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_USAGE
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    setup_logging(settings.log_level_number, secrets=[token])
    command = args.command
    if command is None:
        if settings.discord_token is None:
            print(
                "No DISCORD_TOKEN configured: starting the offline sandbox instead "
                "(simulated Discord in your browser). Set DISCORD_TOKEN in .env to connect."
            )
            command = "sandbox"
        else:
            command = "run"
    try:
        if command == "run":
            return asyncio.run(_run(settings))
        if command == "sync":
            return asyncio.run(_sync(settings))
        if command == "check":
            return asyncio.run(_check(settings))
        return _sandbox(settings)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
