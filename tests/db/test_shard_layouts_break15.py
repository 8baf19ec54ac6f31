"""Processes on one database configured with different shard layouts (issue 15, found breaking
it). The leases were named by shard id alone, so an unsharded process (lease ``publisher``) and
a sharded one (``publisher:shard:0``...) both took their leases and both posted for the same
servers, during exactly the switch README describes (pacer.service still running while
pacer@0-3 starts); and shard 0 of SHARD_COUNT=8 and shard 0 of SHARD_COUNT=16 were taken for
the same shard (a misleading refusal) while shard 4 of 8 and shards 0-3 of 16 overlapped
unnoticed. A live lease of another layout now holds the whole database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.database import Database, PostgresDatabase
from bot.domain.shards import Shards
from bot.instance import DatabaseInUse, InstanceGuard, lease_names

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

LAYOUTS = [
    # (the running process, the one starting, whether they may run together)
    (Shards(1, (0,)), Shards(16, (0, 1, 2, 3)), False),
    (Shards(16, (0, 1, 2, 3)), Shards(1, (0,)), False),
    (Shards(16, (0, 1, 2, 3)), Shards(8, (4,)), False),
    (Shards(8, (0, 1)), Shards(16, (0, 1)), False),
    (Shards(16, (0, 1, 2, 3)), Shards(16, (4, 5, 6, 7)), True),
    (Shards(16, (0, 1, 2, 3)), Shards(16, (3, 4)), False),
]


class Clock:
    def now(self) -> datetime:
        return NOW


async def _two(db_a: Database, db_b: Database, running: Shards, starting: Shards) -> str | None:
    first = InstanceGuard(db_a, Clock(), host="machine-a", pid=1, names=lease_names(running))
    await first.acquire()
    second = InstanceGuard(db_b, Clock(), host="machine-b", pid=2, names=lease_names(starting))
    try:
        await second.check_free()
        await second.acquire()
    except DatabaseInUse as exc:
        return str(exc)
    return None


@pytest.mark.postgres
@pytest.mark.parametrize(("running", "starting", "together"), LAYOUTS)
async def test_processes_of_another_shard_layout_never_run_side_by_side(
    postgres_url: str, running: Shards, starting: Shards, together: bool
) -> None:
    dbs = [PostgresDatabase(postgres_url), PostgresDatabase(postgres_url)]
    for db in dbs:
        await db.open()
    try:
        await dbs[0].migrate()
        refusal = await _two(dbs[0], dbs[1], running, starting)
        if together:
            assert refusal is None
            return
        assert refusal is not None, (
            f"{starting.describe()} started beside a live process of {running.describe()}"
        )
        assert "machine-a" in refusal
        if running.count != starting.count:
            assert f"SHARD_COUNT={running.count}" in refusal
            assert f"SHARD_COUNT={starting.count}" in refusal
        # Nothing of the refused process is held.
        held = await dbs[0].fetch_all("SELECT name FROM instance_lease ORDER BY name")
        assert [str(row[0]) for row in held] == sorted(lease_names(running))
    finally:
        for db in dbs:
            await db.close()


@pytest.mark.parametrize(
    ("running", "starting"), [(Shards(1, (0,)), Shards(2, (0, 1))), (Shards(4, (0, 1, 2, 3)),) * 2]
)
async def test_a_second_process_on_a_sqlite_file_is_refused_whatever_its_shard_count(
    tmp_path: Path, running: Shards, starting: Shards
) -> None:
    # SQLite allows SHARD_COUNT > 1 with every shard; a second process on the file, started
    # with another SHARD_COUNT, took leases of other names and posted beside the first.
    dbs = [Database(tmp_path / "pacer.db"), Database(tmp_path / "pacer.db")]
    for db in dbs:
        await db.open()
    try:
        await dbs[0].migrate()
        refusal = await _two(dbs[0], dbs[1], running, starting)
        assert refusal is not None
        assert "machine-a" in refusal
        assert "SHARD_IDS" not in refusal  # one process serves a SQLite file: not a shard split
    finally:
        for db in dbs:
            await db.close()
