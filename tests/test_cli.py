"""python -m bot as an operator meets it: exit codes and one-line reasons, backup, check."""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import re
import shutil
import socket
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import discord
import pytest

from bot.__main__ import _copy_database, main
from bot.db.database import Database
from bot.logs import remove_logging
from bot.settings import Settings

ENV = (
    "DISCORD_TOKEN",
    "DATABASE_PATH",
    "DEV_GUILD_ID",
    "DEFAULT_TIMEZONE",
    "LOG_LEVEL",
    "SANDBOX_DATABASE_PATH",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    yield
    remove_logging()  # main() logs to the stderr pytest captured for this test only


def make_database(path: Path, version: int | None = None) -> None:
    async def build() -> None:
        db = Database(path)
        await db.open()
        await db.migrate()
        if version is not None:
            async with db.transaction() as conn:
                await conn.execute(f"PRAGMA user_version = {version}")
        await db.close()

    asyncio.run(build())


def test_run_without_a_token_says_so_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "No DISCORD_TOKEN is configured" in err
    assert "python -m bot sandbox" in err
    assert "Traceback" not in err


def test_invalid_settings_list_every_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("LOG_LEVEL", "loud")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "DEFAULT_TIMEZONE" in err
    assert "LOG_LEVEL" in err


@pytest.mark.parametrize("problem", ["newer", "not-a-database", "unwritable"])
def test_a_database_problem_stops_start_up_with_exit_2(
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "pacer.db"
    if problem == "newer":
        make_database(path, version=999)
    elif problem == "not-a-database":
        path.write_text("this is not SQLite")
    else:
        (tmp_path / "file").write_text("a file, not a folder")
        path = tmp_path / "file" / "pacer.db"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")

    assert main(["run"]) == 2  # refused before any connection is attempted

    err = capsys.readouterr().err
    assert err.startswith("pacer: ")
    assert str(path) in err
    assert "Traceback" not in err
    assert "fake.token" not in err


def test_a_full_disk_stops_start_up_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bot.__main__ as cli

    usage = shutil.disk_usage(tmp_path)
    # The operating system's own report, as a full disk would give it.
    monkeypatch.setattr(cli.shutil, "disk_usage", lambda _path: usage._replace(free=4096))
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "pacer.db"))
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")

    assert main(["run"]) == 2
    assert "is full" in capsys.readouterr().err


def test_check_runs_the_integrity_check_on_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pacer.db"
    make_database(path)
    monkeypatch.setenv("DATABASE_PATH", str(path))
    assert main(["check"]) == 0
    assert "integrity ok" in capsys.readouterr().out

    path.write_bytes(b"garbage" * 100)
    assert main(["check"]) == 1
    assert "not a database" in capsys.readouterr().err


def test_backup_makes_a_consistent_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pacer.db"
    make_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO profiles VALUES (1, '5K', 5000, 1350, 43.4, '2026-01-01T00:00:00+00:00')"
        )
    monkeypatch.setenv("DATABASE_PATH", str(path))

    assert main(["backup", str(tmp_path / "backups" / "copy.db")]) == 0

    with sqlite3.connect(tmp_path / "backups" / "copy.db") as copy:
        assert copy.execute("SELECT race_name FROM profiles").fetchall() == [("5K",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "Backed up" in capsys.readouterr().out


def test_backup_while_a_writer_holds_the_database(tmp_path: Path) -> None:
    path = tmp_path / "pacer.db"
    make_database(path)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO profiles VALUES (2, '10K', 10000, 2700, 45.0, '2026-01-01T00:00:00+00:00')"
    )
    try:
        _copy_database(path, tmp_path / "copy.db")  # sees the last committed state
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT COUNT(*) FROM profiles").fetchone() == (0,)


def test_backup_of_a_missing_database_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "none.db"))
    assert main(["backup", str(tmp_path / "copy.db")]) == 2
    assert "there is no database" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_backup_onto_the_live_database_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
) -> None:
    path = tmp_path / "pacer.db"
    make_database(path)
    before = path.read_bytes()
    monkeypatch.setenv("DATABASE_PATH", str(path))
    target = tmp_path / f"pacer.db{suffix}"

    assert main(["backup", str(target)]) == 2

    err = capsys.readouterr().err
    assert "is the live database" in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == before


SLEEP = "import time; time.sleep(60)"


async def _hold(path: Path, *, host: str, pid: int, heartbeat_hours_ago: float = 0) -> None:
    from datetime import timedelta

    from bot.clock import SystemClock
    from bot.instance import InstanceGuard

    class Earlier(SystemClock):
        def now(self):  # type: ignore[no-untyped-def]
            return super().now() - timedelta(hours=heartbeat_hours_ago)

    db = Database(path)
    await db.open()
    try:
        await InstanceGuard(db, Earlier(), host=host, pid=pid).acquire()
    finally:
        await db.close()  # the holder's process keeps running; its connection doesn't matter


def test_a_second_run_on_a_held_database_is_refused_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket
    import subprocess

    path = tmp_path / "pacer.db"
    make_database(path)
    # Stands for the first Pacer, alive on this host.
    first = subprocess.Popen([sys.executable, "-c", SLEEP])
    try:
        asyncio.run(_hold(path, host=socket.gethostname(), pid=first.pid))
        monkeypatch.setenv("DATABASE_PATH", str(path))
        monkeypatch.setenv("DISCORD_TOKEN", "x" * 59)

        assert main(["run"]) == 2
    finally:
        first.kill()
        first.wait()

    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"another Pacer (process {first.pid}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("where", "hours_ago", "live"),
    [
        ("this host, process gone", 0, False),
        ("this host, process alive", 0, True),
        ("this process (a crashed earlier bot)", 0, False),
        ("other host, fresh heartbeat", 1, True),
        ("other host, heartbeat stopped", 14, False),
    ],
)
def test_the_guard_tells_a_live_holder_from_a_dead_one(
    tmp_path: Path, where: str, hours_ago: float, live: bool
) -> None:
    import os
    import socket
    import subprocess

    from bot.clock import SystemClock
    from bot.instance import DatabaseInUse, InstanceGuard

    path = tmp_path / "pacer.db"
    make_database(path)
    process = subprocess.Popen([sys.executable, "-c", SLEEP])
    if "gone" in where:
        process.kill()
        process.wait()
    host = socket.gethostname() if "this" in where else "another-machine"
    pid = os.getpid() if "this process" in where else process.pid
    try:
        asyncio.run(_hold(path, host=host, pid=pid, heartbeat_hours_ago=hours_ago))

        async def second() -> bool:
            db = Database(path)
            await db.open()
            try:
                await InstanceGuard(db, SystemClock()).acquire()
            except DatabaseInUse:
                return False
            finally:
                await db.close()
            return True

        assert asyncio.run(second()) is not live
    finally:
        process.kill()
        process.wait()


def test_a_database_that_vanished_is_not_quietly_started_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import preflight_database

    path = tmp_path / "data" / "pacer.db"
    settings = Settings(database_path=path)
    asyncio.run(preflight_database(settings))  # the first start creates it
    path.unlink()
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("DISCORD_TOKEN", "x" * 59)

    assert main(["run"]) == 2

    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "is missing, but Pacer has run on it before" in err
    assert not path.exists()


class _Discord503(http.server.BaseHTTPRequestHandler):
    """Discord's API while it is failing: every request gets 503 Service Unavailable."""

    def do_GET(self) -> None:
        body = b'{"message": "upstream connect error", "code": 0}'
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def failing_discord(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """discord.py's API base (``Route.BASE``, its documented knob) pointed at a local server
    answering 503, as Discord does during an outage."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Discord503)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{server.server_port}/api")
    yield "503"
    server.shutdown()
    server.server_close()


_APP_USER = {"id": "111", "username": "Pacer", "discriminator": "0", "avatar": None, "bot": True}


class _DiscordRest(http.server.BaseHTTPRequestHandler):
    """Just enough of Discord's REST API for a tool that logs in: the bot user, its
    application, no servers, no published commands; PUT of commands echoes them back."""

    def _send(self, payload: object, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.endswith("/users/@me"):
            self._send(_APP_USER)
        elif path.endswith("/oauth2/applications/@me"):
            app = {"id": "111", "name": "Pacer", "description": "", "icon": None}
            app |= {"bot_public": True, "bot_require_code_grant": False, "verify_key": "k"}
            self._send(app | {"owner": _APP_USER, "flags": 0})
        elif path.endswith(("/users/@me/guilds", "/commands")):
            self._send([])
        else:
            self._send({"message": "Unknown", "code": 0}, status=404)

    def do_PUT(self) -> None:
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self._send(
            [
                command | {"id": str(1000 + i), "application_id": "111", "version": "1"}
                for i, command in enumerate(sent)
            ]
        )

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def discord_rest(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A Discord that accepts the token (a tool's ``login`` runs the bot's ``setup_hook``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _DiscordRest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{server.server_port}/api")
    yield
    server.shutdown()
    server.server_close()


def test_doctor_with_an_accepted_token_reports_instead_of_crashing(
    discord_rest: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")

    assert main(["doctor"]) == 1  # things to fix, reported

    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "token accepted: the bot is Pacer (111)" in captured.out
    assert "the bot is in no server yet" in captured.out
    assert "slash commands not published" in captured.out
    assert not (tmp_path / "data").exists()  # the club's database is neither made nor migrated


def test_sync_publishes_without_touching_the_database_or_starting_the_bot(
    discord_rest: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")

    assert main(["sync"]) == 0

    captured = capsys.readouterr()
    assert re.search(r"Synced [1-9][0-9]* commands to every server \(global\)\.", captured.out)
    assert "Traceback" not in captured.err
    assert "Applied database migration" not in captured.err
    # `sync` runs beside the live service after an upgrade: it must not open the club's
    # database (its outbox would be worked by two processes).
    assert not (tmp_path / "data").exists()


@pytest.fixture
def unreachable_discord(monkeypatch: pytest.MonkeyPatch) -> None:
    """Discord's API base pointed at a closed local port: the network is down (no DNS, no route,
    refused), as at boot before the network is up."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api")


@pytest.mark.parametrize("discord_state", ["unreachable_discord", "failing_discord"])
def test_run_without_discord_exits_75_so_the_service_tries_again(
    discord_state: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    request.getfixturevalue(discord_state)
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")

    # Not 2: deploy/pacer.service does not restart after 2 (RestartPreventExitStatus=2).
    assert main(["run"]) == 75

    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("pacer: ")]
    assert len(lines) == 1
    if discord_state == "failing_discord":
        assert "server error (503)" in lines[0]
    else:
        assert "can't reach Discord" in lines[0]
    assert "Traceback" not in err
    assert "fake.token" not in err


def test_unit_restarts_after_every_exit_but_a_configuration_problem() -> None:
    unit = (Path(__file__).parent.parent / "deploy" / "pacer.service").read_text()
    assert "Restart=on-failure" in unit
    assert "RestartPreventExitStatus=2\n" in unit  # 75 (Discord unreachable) is retried


@pytest.mark.parametrize("discord_state", ["unreachable_discord", "failing_discord"])
@pytest.mark.parametrize("command", ["doctor", "sync"])
def test_doctor_and_sync_without_discord_say_why_in_one_line(
    command: str,
    discord_state: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    request.getfixturevalue(discord_state)
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")

    assert main([command]) == 2

    err = capsys.readouterr().err
    assert len([line for line in err.splitlines() if line.startswith("pacer: ")]) == 1
    assert "Discord" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["check", "doctor"])
def test_check_and_doctor_do_not_report_migrating_their_scratch_database(
    command: str,
    unreachable_discord: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "pacer.db"
    make_database(path)  # the club's database, already up to date
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")

    main([command])

    captured = capsys.readouterr()
    assert "Applied database migration" not in captured.err + captured.out


def test_an_emptied_line_of_env_example_means_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_text(
        "DISCORD_TOKEN=\nDATABASE_PATH=\nDEV_GUILD_ID=\nDEFAULT_TIMEZONE=\nLOG_LEVEL=\n"
        "SANDBOX_DATABASE_PATH=\n"
    )
    settings = Settings.from_env()
    assert settings == Settings()
    assert main(["check"]) == 0
    assert "Check passed" in capsys.readouterr().out


def test_the_start_up_quick_check_runs_only_after_a_stop_that_was_not_clean(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import bot.__main__ as cli

    path = tmp_path / "pacer.db"
    make_database(path)
    settings = Settings(database_path=path)
    caplog.set_level(logging.DEBUG)
    asyncio.run(cli.preflight_database(settings))
    assert "the last stop was clean; the database quick check is skipped" in caplog.text

    async def leave_a_lease() -> None:  # what a process that died leaves behind
        db = Database(path)
        await db.open()
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO instance_lease (name, holder, host, pid, heartbeat_at, expires_at)"
                " VALUES ('publisher', 'dead', 'host', 1, '2020-01-01T00:00:00+00:00',"
                " '2020-01-01T00:01:00+00:00')"
            )
        await db.close()

    asyncio.run(leave_a_lease())
    caplog.clear()
    asyncio.run(cli.preflight_database(settings))
    assert "the last stop was not clean; database quick check in" in caplog.text


def test_shards_split_over_processes_without_postgresql_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SHARD_COUNT", "16")
    monkeypatch.setenv("SHARD_IDS", "0-3")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "SHARD_IDS=0-3 runs only shards 0-3 of 16" in err
    assert "DATABASE_URL=postgresql://" in err


def test_feeds_in_a_process_of_some_shards_need_public_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Feeds are served by shard 0's process only: without PUBLIC_URL, links made by another
    process would point at a machine where nothing serves them."""
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATABASE_URL", "postgresql://pacer@localhost:5432/pacer")
    monkeypatch.setenv("SHARD_COUNT", "16")
    monkeypatch.setenv("SHARD_IDS", "4-7")
    monkeypatch.setenv("HTTP_PORT", "8080")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "served by the process that owns shard 0" in err
    assert "PUBLIC_URL=https://pacer.example.org" in err
