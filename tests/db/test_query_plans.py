"""The hot queries read through an index, never a whole table (issue 11): at 1,000 club-years a
full scan costs tens to hundreds of milliseconds on every post or setup change. Timings are in
bench/history.py; this checks only SQLite's query plan of the SQL the repositories really run
(captured with a trace callback), which does not depend on the machine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.db.attendance_repo import AttendanceRepo
from bot.db.database import Database
from bot.db.deliveries_repo import DeliveriesRepo
from bot.db.retention_repo import RetentionRepo
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionsRepo

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    database = Database(tmp_path / "pacer.db")
    await database.open()
    await database.migrate()
    yield database
    await database.close()


def hot_queries(db: Database) -> dict[str, Callable[[], Awaitable[Any]]]:
    deliveries, sessions = DeliveriesRepo(db), SessionsRepo(db)
    rsvps, retention = RsvpsRepo(db), RetentionRepo(db)
    return {
        "due rows": lambda: deliveries.due(NOW),
        "rows to arm": lambda: deliveries.open_due_before(NOW + timedelta(hours=12)),
        "announcements behind": lambda: sessions.out_of_date(),
        "a server's upcoming sessions": lambda: sessions.upcoming(7, NOW),
        "a page of a re-plan": lambda: sessions.upcoming(7, NOW, limit=100, after=(NOW, 3)),
        "a roster": lambda: rsvps.roster(1),
        "a member's answers": lambda: rsvps.states_for_user(5, [1, 2]),
        "a session's open rows": lambda: deliveries.open_of_kind(1, "reminder"),
        "posts recorded in a channel": lambda: deliveries.sent_message_ids(9, NOW),
        "a server's problems": lambda: deliveries.problems(7, NOW),
        "announced, never mirrored": lambda: sessions.announced_never_mirrored(NOW),
        "announcements read back at start-up": lambda: sessions.announced_upcoming(NOW),
        "sessions to prune": lambda: retention.finished(NOW, 20),
        "who was going": lambda: AttendanceRepo(db).said_going([1, 2]),
    }


@pytest.mark.parametrize("name", list(hot_queries(Database(Path("unused"))).keys()))
async def test_a_hot_query_reads_through_an_index(db: Database, name: str) -> None:
    statements: list[str] = []
    await db.raw.set_trace_callback(statements.append)
    await hot_queries(db)[name]()
    await db.raw.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects
    for sql in selects:
        plan = [str(row[3]) for row in await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}")]
        scans = [step for step in plan if step.startswith("SCAN") and " USING " not in step]
        assert scans == [], f"{name}: {plan}"
