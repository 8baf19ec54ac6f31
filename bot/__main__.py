"""python -m bot [run|sandbox|check|doctor|sync|backup PATH]

With no command: run against Discord if a token is configured, else start the offline sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import aiohttp
import discord

from bot import clock
from bot.app import create_bot
from bot.clock import SystemClock
from bot.db.database import (
    STORAGE_ERRORS,
    Database,
    DatabaseError,
    PostgresDatabase,
    available_migrations,
)
from bot.db.guilds_repo import GuildsRepo
from bot.db.sessions_repo import SessionsRepo
from bot.doctor import diagnose
from bot.instance import DatabaseInUse, InstanceGuard, lease_names
from bot.logs import SCRATCH_NOISE, dropping, setup_logging
from bot.settings import POSTGRES_EXAMPLE, Settings, SettingsError, is_postgres_url

log = logging.getLogger("bot")

EXIT_USAGE = 2
#: ``run`` could not reach Discord, or Discord failed (sysexits' EX_TEMPFAIL): unlike exit 2,
#: trying again later can work, so deploy/pacer.service restarts Pacer after it.
EXIT_TEMPORARY = 75
#: Below this much free space a start-up is refused: members' answers could not be saved.
MIN_FREE_BYTES = 20_000_000
CONNECT_HINT = (
    "No DISCORD_TOKEN is configured, so Pacer can't connect to Discord. Put it in .env "
    "(see README.md), or try Pacer offline with: python -m bot sandbox"
)


def _fail(message: str) -> int:
    print(f"pacer: {message}", file=sys.stderr)
    return EXIT_USAGE


def _unreachable(exc: BaseException) -> str:
    """One line for a network failure or a Discord server error, without a traceback."""
    if isinstance(exc, discord.DiscordServerError):
        return (
            f"Discord answered with a server error ({exc.status}): it is having trouble; "
            "try again in a few minutes."
        )
    return f"can't reach Discord ({exc.__class__.__name__}): check the network."


#: Failures where the same command can work later: the network, or Discord itself.
TEMPORARY_ERRORS = (
    aiohttp.ClientConnectionError,
    OSError,
    discord.DiscordServerError,
    discord.GatewayNotFound,
)


def _load_settings() -> Settings:
    return Settings.from_env()


def _free_bytes(path: Path) -> int | None:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def used_marker(path: Path) -> Path:
    """The file beside the database saying Pacer has run on it, so a database that disappears
    is noticed at the next start instead of quietly starting empty."""
    return path.with_name(path.name + ".used")


async def _preflight_postgres(settings: Settings) -> None:
    """Reach, migrate and check the PostgreSQL database before connecting to Discord. Shards
    held by another live Pacer are not an error here: start-up waits for them (a rolling
    restart; :meth:`bot.instance.InstanceGuard.acquire_when_free`).

    Raises:
        DatabaseError: unreachable, read-only or from a newer Pacer.
    """
    db = PostgresDatabase(settings.database_url or "")
    try:
        await db.open()
        await db.migrate()
        guard = InstanceGuard(db, SystemClock(), names=lease_names(settings.shards))
        try:
            await guard.check_free()
        except DatabaseInUse as exc:
            log.warning("%s; this process waits for it before posting", exc)
    except STORAGE_ERRORS as exc:
        if isinstance(exc, DatabaseError):
            raise
        raise DatabaseError(f"can't use the database at {db.where}: {exc}") from exc
    finally:
        await db.close()


async def preflight_database(settings: Settings) -> None:
    """Open, migrate and check the database before connecting, so a storage problem stops
    start-up with its reason instead of surfacing after login.

    Raises:
        DatabaseError: unwritable, full, corrupt, from a newer Pacer, held by another running
            Pacer, or missing although Pacer has run on it before.
    """
    if settings.database_url:
        await _preflight_postgres(settings)
        return
    marker = used_marker(settings.database_path)
    if marker.exists() and not settings.database_path.exists():
        raise DatabaseError(
            f"the database at {settings.database_path} is missing, but Pacer has run on it "
            f"before; restore a backup (see README.md), or delete {marker} to start empty"
        )
    free = await asyncio.to_thread(_free_bytes, settings.database_path)
    if free is not None and free < MIN_FREE_BYTES:
        raise DatabaseError(
            f"the disk holding {settings.database_path} is full ({free // 1024} KB free); "
            f"free at least {MIN_FREE_BYTES // 1_000_000} MB so RSVPs can be saved."
        )
    db = Database(settings.database_path)
    try:
        await db.open()
        await db.migrate()
        guard = InstanceGuard(db, SystemClock(), names=lease_names(settings.shards))
        # Proportionate: the quick check (6 s at 600 MB) only after a stop that was not clean
        # (a crash, a power cut, a kill); a clean stop left the file whole. The full check
        # reads every index too (44 s at 3 GB): `python -m bot check` runs it.
        if await guard.stopped_cleanly():
            log.debug("Start-up: the last stop was clean; the database quick check is skipped")
        else:
            began = clock.monotonic()
            problems = await db.quick_check()
            log.debug(
                "Start-up: the last stop was not clean; database quick check in %.2f s",
                clock.monotonic() - began,
            )
            if problems:
                raise DatabaseError(
                    f"the database at {settings.database_path} is damaged ({problems[0]}). "
                    "Restore a backup (see README.md)."
                )
        # Before connecting: a second Pacer on the same database would post everything twice.
        await guard.check_free()
        marker.write_text(
            "Pacer has run on the database beside this file. If the database goes missing, "
            "Pacer refuses to start empty; delete this file to allow it.\n",
            encoding="utf-8",
        )
    except sqlite3.Error as exc:
        raise DatabaseError(f"can't use the database at {settings.database_path}: {exc}") from exc
    finally:
        await db.close()


async def _backup(settings: Settings, target: Path) -> int:
    """A consistent copy of the live database (SQLite's online backup), safe while the bot runs."""
    if settings.database_url:
        return _fail(
            "DATABASE_URL is set: back up PostgreSQL with its own tools "
            "(pg_dump --format=custom), see README.md."
        )
    try:
        written = await asyncio.to_thread(_copy_database, settings.database_path, target)
    except FileNotFoundError:
        return _fail(f"there is no database at {settings.database_path} to back up.")
    except LiveTarget as exc:
        return _fail(str(exc))
    except (OSError, sqlite3.Error) as exc:
        return _fail(f"backup to {target} failed: {exc}")
    print(f"Backed up {settings.database_path} to {written}.")
    return 0


class LiveTarget(Exception):
    """The backup would overwrite the live database (or its journal)."""


def _copy_database(source: Path, target: Path) -> Path:
    if not source.exists():
        raise FileNotFoundError(source)
    if target.is_dir():
        target = target / f"pacer-backup-{source.stem}.db"
    live = source.resolve()
    companions = {live, live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")}
    same = target.exists() and target.resolve().exists() and os.path.samefile(target, source)
    if same or target.resolve() in companions:
        raise LiveTarget(
            f"backup refused: {target} is the live database ({source}); "
            "write the backup to another file, like backups/pacer.db"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)
        problems = dst.execute("PRAGMA integrity_check").fetchone()
        if problems is None or problems[0] != "ok":
            raise sqlite3.DatabaseError(f"the copy failed its integrity check: {problems}")
    partial.replace(target)
    return target


async def _run(settings: Settings) -> int:
    if settings.discord_token is None:
        return _fail(CONNECT_HINT)
    began = clock.monotonic()
    try:
        await preflight_database(settings)
    except DatabaseError as exc:
        return _fail(str(exc))
    bot = create_bot(settings)
    bot.started_step("database check (migrate, quick check, lease)", clock.monotonic() - began)
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
    except DatabaseError as exc:
        return _fail(str(exc))
    except TEMPORARY_ERRORS as exc:
        # Not EXIT_USAGE: at boot the network may come up late, or Discord may be down for a
        # while; the service must keep trying rather than treat it as a configuration problem.
        _fail(_unreachable(exc))
        return EXIT_TEMPORARY
    return 0


async def _sync(settings: Settings) -> int:
    if settings.discord_token is None:
        return _fail(CONNECT_HINT)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            # The commands are loaded against a scratch database: publishing them never touches
            # the club's database, nor posts anything, even while the service runs.
            scratch_settings = settings.model_copy(
                update={"database_path": Path(scratch) / "sync.db", "database_url": None}
            )
            bot = create_bot(scratch_settings, serve=False)
            async with bot:
                with dropping(SCRATCH_NOISE):
                    await bot.prepare()
                await bot.login(settings.discord_token.get_secret_value())
                count = await bot.sync_commands()
    except discord.LoginFailure:
        return _fail("Discord rejected DISCORD_TOKEN. Copy a fresh one into .env.")
    except TEMPORARY_ERRORS as exc:
        return _fail(_unreachable(exc))
    except DatabaseError as exc:
        return _fail(str(exc))
    except discord.HTTPException as exc:
        return _fail(f"Discord refused to publish the commands ({exc}).")
    where = f"server {settings.dev_guild_id}" if settings.dev_guild_id else "every server (global)"
    print(f"Synced {count} commands to {where}.")
    return 0


async def _check(settings: Settings) -> int:
    """Migrate a scratch database, load every cog, lint command descriptions; no network."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch_settings = settings.model_copy(
            update={
                "database_path": Path(scratch) / "check.db",
                "database_url": None,
                "discord_token": None,
            }
        )
        bot = create_bot(scratch_settings)
        # ``async with``: a sharded bot (SHARD_COUNT > 1) can only be closed once set up, and
        # check never logs in.
        async with bot:
            with dropping(SCRATCH_NOISE):
                await bot.prepare()
            problems += describe_command_problems(bot)
            commands = sum(1 for _ in bot.tree.walk_commands())
    if settings.database_path.exists():
        problems += await _check_database(settings.database_path)
    if problems:
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        return 1
    print(f"Check passed: {commands} commands loaded, every command and option described.")
    return 0


async def _doctor(settings: Settings) -> int:
    """Log in over REST and report what a club still has to fix; exit 1 if anything."""
    if settings.discord_token is None:
        return _fail(CONNECT_HINT)
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        # Commands are loaded against a scratch database: the doctor never migrates the real one.
        bot = create_bot(
            settings.model_copy(
                update={"database_path": Path(scratch) / "doctor.db", "database_url": None}
            ),
            serve=False,
        )
        path = settings.database_path
        empty = Database(Path(scratch) / "empty.db")
        db: Database = empty
        where: str = str(path)
        if settings.database_url:
            # The store the bot runs on (PostgreSQL), read only; the SQLite path is not used.
            db = PostgresDatabase(settings.database_url)
            where = db.where
        elif path.exists():
            db = Database(path)
        else:
            notes.append(f"no database yet at {path}: it is created at the first start")
        try:
            with dropping(SCRATCH_NOISE):
                await bot.prepare()
                await db.open()
                if db is not empty and await db.user_version() == 0:
                    notes.append(f"no tables yet at {where}: they are made at the first start")
                    await db.close()
                    db = empty
                    await db.open()
                if db is empty:
                    await db.migrate()  # the scratch stand-in: every server reads as not set up
            await bot.login(settings.discord_token.get_secret_value())
            findings = await diagnose(
                bot,
                GuildsRepo(db),
                SessionsRepo(db),
                expected_commands={c.name for c in bot.tree.get_commands()},
                dev_guild_id=settings.dev_guild_id,
                default_timezone=settings.default_timezone,
                now=SystemClock().now(),
            )
        except discord.LoginFailure:
            return _fail(
                "Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal "
                "(Bot -> Reset Token) into .env."
            )
        except TEMPORARY_ERRORS as exc:
            return _fail(_unreachable(exc))
        except STORAGE_ERRORS as exc:
            return _fail(f"can't read the database at {where}: {exc}")
        except discord.HTTPException as exc:
            return _fail(f"Discord refused a check ({exc}); run python -m bot doctor again later.")
        finally:
            await db.close()
            await bot.close()
    for note in notes:
        print(f"note    {note}")
    for finding in findings:
        print(finding.render())
    problems = sum(1 for f in findings if not f.ok)
    print(f"{problems} problem(s) found." if problems else "No problems found.")
    return 1 if problems else 0


async def _check_database(path: Path) -> list[str]:
    """SQLite's integrity check and the schema version of the configured database (read only:
    nothing is migrated)."""
    db = Database(path)
    try:
        await db.open()
        problems = [f"database integrity: {p}" for p in await db.integrity_check()]
        version = await db.user_version()
        latest = list(available_migrations())[-1][0]
        if version > latest:
            problems.append(f"database schema {version} is newer than this Pacer ({latest})")
        if not problems:
            print(f"Database {path}: schema version {version} of {latest}, integrity ok.")
        return problems
    except (DatabaseError, sqlite3.Error) as exc:
        return [f"database {path}: {exc}"]
    finally:
        await db.close()


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


async def _migrate_db(settings: Settings, url: str) -> int:
    """Copy the SQLite file into the empty PostgreSQL database at ``url`` and check it."""
    from bot.db.transfer import copy_sqlite_to_postgres

    if not is_postgres_url(url):
        return _fail(f"--to {url!r} is not a PostgreSQL address; use one like {POSTGRES_EXAMPLE}")
    if not settings.database_path.exists():
        return _fail(f"there is no SQLite database at {settings.database_path} to copy.")
    source = Database(settings.database_path)
    target = PostgresDatabase(url)
    # Held for the whole copy, under this configuration's lease names: a Pacer started on the
    # file meanwhile is refused instead of changing rows between the copy and its checksum.
    guard = InstanceGuard(source, SystemClock(), names=lease_names(settings.shards))
    try:
        await source.open()
        await source.migrate()
        await guard.acquire()
        await target.open()
        copies = await copy_sqlite_to_postgres(source, target, progress=print)
    except STORAGE_ERRORS as exc:
        return _fail(str(exc))
    finally:
        if source.is_open:
            with contextlib.suppress(*STORAGE_ERRORS):
                await guard.release()
        await source.close()
        await target.close()
    bad = [copy for copy in copies if not copy.ok]
    for copy in copies:
        mark = "ok" if copy.ok else "DIFFERS"
        print(
            f"{copy.table:<22} {copy.source_rows:>9} -> {copy.target_rows:<9} "
            f"sha256 {copy.target_sum[:16]}  {mark}"
        )
    if bad:
        return _fail(
            f"the copy differs from the file in {', '.join(c.table for c in bad)}; "
            "do not switch to it (drop its tables and try again)"
        )
    print(
        f"Copied {settings.database_path} into {target.where}: every table's rows and checksum "
        "match. Stop Pacer, set DATABASE_URL to this address, and start it again."
    )
    return 0


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
        choices=("run", "sandbox", "check", "doctor", "sync", "backup", "migrate-db"),
        help="run: connect to Discord; sandbox: offline simulated Discord in your browser; "
        "check: load everything without connecting; doctor: ask Discord what is still to fix "
        "(token, servers, published commands, time zones, channel permissions); "
        "sync: publish slash commands; "
        "backup PATH: a consistent copy of the database, safe while the bot runs; "
        "migrate-db --to postgresql://...: copy the SQLite database into an empty PostgreSQL "
        "one and verify it. "
        "Default: run if DISCORD_TOKEN is set, else sandbox.",
    )
    parser.add_argument("path", nargs="?", help="for backup: the file (or folder) to write")
    parser.add_argument("--to", help="for migrate-db: the PostgreSQL database to fill")
    args = parser.parse_args(argv)
    if args.command == "migrate-db" and not args.to:
        parser.error("migrate-db needs --to, like: python -m bot migrate-db --to postgresql://...")
    if args.command == "backup" and not args.path:
        parser.error("backup needs a PATH, like: python -m bot backup backups/pacer.db")
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
        if command == "doctor":
            return asyncio.run(_doctor(settings))
        if command == "backup":
            return asyncio.run(_backup(settings, Path(args.path)))
        if command == "migrate-db":
            return asyncio.run(_migrate_db(settings, args.to))
        return _sandbox(settings)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
