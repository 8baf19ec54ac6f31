"""`python -m bot doctor` on a PostgreSQL deployment (issue 15, found breaking it): it read the
SQLite path whatever DATABASE_URL said, so it reported "no database yet" and judged every server
against an empty stand-in; a PostgreSQL it could not reach went unnoticed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.db.database import PostgresDatabase
from bot.logs import remove_logging
from tests.test_cli import discord_rest  # noqa: F401  (the fixture: a Discord that logs in)

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("discord_rest")]

ENV = ("DATABASE_PATH", "DATABASE_URL", "SHARD_COUNT", "SHARD_IDS", "DEV_GUILD_ID")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.fake.token-never-used")
    yield
    remove_logging()


def _migrate(url: str) -> None:
    async def run() -> None:
        db = PostgresDatabase(url)
        await db.open()
        try:
            await db.migrate()
        finally:
            await db.close()

    asyncio.run(run())


def test_doctor_reads_the_postgresql_database_not_the_sqlite_path(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _migrate(postgres_url)
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("SHARD_COUNT", "16")
    monkeypatch.setenv("SHARD_IDS", "0-3")

    assert main(["doctor"]) == 1  # the bot is in no server yet: reported

    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "no database yet" not in captured.out
    assert "no tables yet" not in captured.out
    assert "token accepted" in captured.out


def test_doctor_on_an_empty_postgresql_says_its_tables_come_at_the_first_start(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", postgres_url)

    assert main(["doctor"]) == 1

    out = capsys.readouterr().out
    assert "no tables yet at postgresql://" in out

    async def tables() -> int:
        db = PostgresDatabase(postgres_url)
        await db.open()
        try:
            return await db.user_version()
        finally:
            await db.close()

    assert asyncio.run(tables()) == 0  # the doctor never migrates the real database


def test_doctor_with_an_unreachable_postgresql_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://pacer:secret@127.0.0.1:1/pacer")

    assert main(["doctor"]) == 2

    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("pacer:")]
    assert "can't read the database at postgresql://pacer:***@127.0.0.1:1/pacer" in line
