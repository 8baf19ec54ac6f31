"""Group commit on a real SQLite file: answers arriving together share one transaction, each
stays all-or-nothing and is confirmed only once committed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.db.database import Database


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(tmp_path / "pacer.db")
    await database.open()
    async with database.transaction() as conn:
        await conn.execute("CREATE TABLE answers (user_id INTEGER PRIMARY KEY, note TEXT)")
    yield database
    await database.close()


class Refused(Exception):
    pass


async def test_many_units_share_a_commit_and_one_failure_rolls_back_only_itself(
    db: Database,
) -> None:
    commits = 0
    original = db.transaction

    def counting():  # type: ignore[no-untyped-def]
        nonlocal commits
        commits += 1
        return original()

    db.transaction = counting  # type: ignore[method-assign]

    def unit(user_id: int):  # type: ignore[no-untyped-def]
        async def work() -> int:
            await db.conn.execute("INSERT INTO answers VALUES (?, 'going')", (user_id,))
            if user_id == 13:
                raise Refused("thirteen")
            return user_id

        return work

    results = await asyncio.gather(
        *(db.grouped(unit(n)) for n in range(100)), return_exceptions=True
    )
    assert [r for r in results if isinstance(r, Refused)] == [results[13]]
    assert [r for r in results if not isinstance(r, Exception)] == [
        n for n in range(100) if n != 13
    ]
    rows = await db.fetch_all("SELECT user_id FROM answers ORDER BY user_id")
    assert [r[0] for r in rows] == [n for n in range(100) if n != 13]
    # Queued together, committed together: far fewer transactions than answers.
    assert commits < 10


async def test_a_unit_is_confirmed_only_after_its_commit(db: Database) -> None:
    seen_by_another_reader: list[int] = []

    async def work() -> str:
        await db.conn.execute("INSERT INTO answers VALUES (1, 'going')")
        return "saved"

    assert await db.grouped(work) == "saved"
    # A second connection sees it: it was committed before the caller was answered.
    other = Database(db.path)
    await other.open()
    try:
        seen_by_another_reader += [
            r[0] for r in await other.fetch_all("SELECT user_id FROM answers")
        ]
    finally:
        await other.close()
    assert seen_by_another_reader == [1]


async def test_a_unit_inside_a_transaction_joins_it(db: Database) -> None:
    async def work() -> None:
        await db.conn.execute("INSERT INTO answers VALUES (2, 'maybe')")

    async def outer() -> None:
        async with db.transaction():
            await db.grouped(work)
            raise Refused("the outer transaction fails")

    with pytest.raises(Refused):
        await outer()
    assert await db.fetch_all("SELECT * FROM answers") == []


async def test_a_cancelled_batch_writes_nothing_and_leaves_no_caller_waiting(db: Database) -> None:
    started = asyncio.Event()

    async def stuck() -> None:
        await db.conn.execute("INSERT INTO answers VALUES (3, 'going')")
        started.set()
        await asyncio.Event().wait()  # the process is shutting down meanwhile

    async def queued() -> None:
        await db.conn.execute("INSERT INTO answers VALUES (4, 'going')")

    first = asyncio.ensure_future(db.grouped(stuck))
    await started.wait()
    second = asyncio.ensure_future(db.grouped(queued))
    await asyncio.sleep(0)
    assert db._committer is not None
    db._committer.cancel()
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert await db.fetch_all("SELECT * FROM answers") == []
