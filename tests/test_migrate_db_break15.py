"""migrate-db with a SQLite file holding what PostgreSQL can't (issue 15, found breaking it):
a NUL character in a text (kept by SQLite before Pacer dropped it from input), or bytes written
into a text column by hand. The copy is refused in one line that names the table, and the
target stays empty."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import SystemClock
from bot.db.database import Database, PostgresDatabase, available_migrations
from bot.domain.shards import Shards
from bot.instance import InstanceGuard, lease_names
from bot.logs import remove_logging

pytestmark = [pytest.mark.postgres, pytest.mark.sqlite_only]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "SHARD_COUNT", "SHARD_IDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield
    remove_logging()


def make_database(path: Path, race_name: object) -> None:
    async def build() -> None:
        db = Database(path)
        await db.open()
        await db.migrate()
        await db.close()

    asyncio.run(build())
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO profiles VALUES (?, ?, ?, ?, ?, ?)",
            (7, race_name, 5000.0, 1200.0, 50.0, "2026-01-01T00:00:00+00:00"),
        )


@pytest.mark.parametrize("race_name", ["5 km\x00", b"5 km"])
def test_a_value_postgresql_cannot_hold_is_refused_naming_its_table(
    race_name: object,
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "pacer.db"
    make_database(path, race_name)
    monkeypatch.setenv("DATABASE_PATH", str(path))

    assert main(["migrate-db", "--to", postgres_url]) == 2

    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    [line] = [line for line in err.splitlines() if line.startswith("pacer:")]
    assert "table profiles" in line
    assert "nothing was copied" in line

    async def rows_copied() -> int:
        target = PostgresDatabase(postgres_url)
        await target.open()
        try:
            row = await target.fetch_one("SELECT COUNT(*) FROM profiles")
            return int(row[0]) if row is not None else -1
        finally:
            await target.close()

    assert asyncio.run(rows_copied()) == 0


def test_a_file_from_before_the_outbox_is_upgraded_then_copied(
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # README: "It upgrades the file". A file at schema 4 has no instance_lease table, and the
    # check for a running Pacer read it before upgrading: "no such table: instance_lease".
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        for version, sql in available_migrations():
            if version > 4:
                break
            conn.executescript(sql)
        conn.execute("PRAGMA user_version = 4")
        conn.execute(
            "INSERT INTO profiles (user_id, race_name, distance_m, seconds, vdot, updated_at)"
            " VALUES (7, '5K', 5000.0, 1200.0, 49.8, '2025-01-01T00:00:00+00:00')"
        )
    monkeypatch.setenv("DATABASE_PATH", str(path))

    assert main(["migrate-db", "--to", postgres_url]) == 0, capsys.readouterr().err
    assert "every table's rows and checksum match" in capsys.readouterr().out


def test_a_running_sharded_pacer_on_the_file_is_not_copied_under(
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A Pacer on the SQLite file with SHARD_COUNT=4 (every shard: allowed) holds per-shard
    # leases; migrate-db looked at the unsharded lease only, and copied a file in use.
    path = tmp_path / "pacer.db"

    async def hold() -> None:
        db = Database(path)
        await db.open()
        await db.migrate()
        names = lease_names(Shards(4, (0, 1, 2, 3)))
        guard = InstanceGuard(db, SystemClock(), host="club-server", pid=1, names=names)
        await guard.acquire()  # alive on the machine the file is shared from
        await db.close()

    asyncio.run(hold())
    monkeypatch.setenv("DATABASE_PATH", str(path))
    monkeypatch.setenv("SHARD_COUNT", "4")

    assert main(["migrate-db", "--to", postgres_url]) == 2

    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if line.startswith("pacer:")]
    assert "is running on the database" in line
    assert "club-server" in line
