"""python -m bot as an operator scaling out meets it (issue 15, found by trying to break it):
``check`` with several shards, and ``migrate-db`` / DATABASE_URL with a mistyped address."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.db.database import Database, _redacted
from bot.logs import remove_logging

ENV = ("DISCORD_TOKEN", "DATABASE_PATH", "DATABASE_URL", "SHARD_COUNT", "SHARD_IDS", "LOG_LEVEL")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    yield
    remove_logging()


@pytest.mark.parametrize(
    ("count", "ids"), [("4", None), ("4", "0-3"), ("16", "0-15"), ("2", " 0 , 1 ")]
)
def test_check_with_several_shards_passes_instead_of_crashing(
    count: str,
    ids: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A sharded bot that never logged in could not be closed (discord.py's AutoShardedClient
    # makes its event queue at set-up): `check` ended in an AttributeError traceback.
    monkeypatch.setenv("SHARD_COUNT", count)
    if ids is not None:
        monkeypatch.setenv("SHARD_IDS", ids)

    assert main(["check"]) == 0

    captured = capsys.readouterr()
    assert "Traceback" not in captured.err, captured.err
    assert "Check passed" in captured.out


def test_check_of_one_process_of_several_on_postgresql_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The unit pacer@4-7 with SHARD_COUNT=16: check loads the commands without any database.
    monkeypatch.setenv("SHARD_COUNT", "16")
    monkeypatch.setenv("SHARD_IDS", "4-7")
    monkeypatch.setenv("DATABASE_URL", "postgresql://pacer:secret@127.0.0.1:1/pacer")

    assert main(["check"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def make_database(path: Path) -> None:
    async def build() -> None:
        db = Database(path)
        await db.open()
        await db.migrate()
        await db.close()

    asyncio.run(build())


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://pacer:secret@127.0.0.1:notaport/pacer",
        "postgresql://pacer:secret@127.0.0.1:99999/pacer",
        "postgresql://pacer:secret@[::1:5432/pacer",
    ],
)
def test_migrate_db_to_a_malformed_address_is_one_line_not_a_traceback(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pacer.db"
    make_database(path)
    monkeypatch.setenv("DATABASE_PATH", str(path))

    assert main(["migrate-db", "--to", url]) == 2

    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("pacer:")]
    assert len(lines) == 1, err
    assert "malformed" in lines[0]
    assert "postgresql://pacer:secret@localhost:5432/pacer" in lines[0]  # a valid example
    assert "secret@127" not in lines[0]  # the password of the address given is not echoed


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://pacer:secret@db:5432/pacer", "postgresql://pacer:***@db:5432/pacer"),
        # An unescaped @ in the password: nothing of it may show.
        ("postgresql://pacer:se@cret@db/pacer", "postgresql://pacer:***@db/pacer"),
        (
            "postgresql://pacer@db/pacer?password=secret&sslmode=require",
            "postgresql://pacer@db/pacer?password=***&sslmode=require",
        ),
        ("postgres://db/pacer", "postgres://db/pacer"),
    ],
)
def test_addresses_in_messages_never_show_the_password(url: str, shown: str) -> None:
    assert _redacted(url) == shown
    assert "cret" not in _redacted(url)
