"""The outbox's database half on a real SQLite file: claim once, record, look up after a crash,
retry with back-off, skip."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot import clock
from bot.composition import Core, build_core
from bot.db.database import Database
from bot.db.deliveries_repo import DeliveryRow
from bot.db.guilds_repo import GuildsRepo
from bot.outbox.kinds import Status
from bot.outbox.service import MAX_ATTEMPTS, Job, OutboxService
from bot.services.access import Actor
from bot.services.sessions import SessionForm, SessionService
from bot.settings import Settings

GUILD = 1
ORGANIZER = Actor(user_id=7, manage_events=True)


@dataclass
class World:
    core: Core
    db: Database
    deliveries: OutboxService
    sessions: SessionService
    armed: list[tuple[int, object]]


@pytest.fixture
async def world(tmp_path: Path, database_url: str | None) -> AsyncIterator[World]:
    core = await build_core(
        Settings(
            database_path=tmp_path / "pacer.db",
            database_url=database_url,
            default_timezone="America/New_York",
        )
    )
    await GuildsRepo(core.db).update(GUILD, clock.now(), announce_channel_id=555)
    armed: list[tuple[int, object]] = []
    outbox = core.services.outbox
    outbox.connect_scheduler(lambda i, due: armed.append((i, due)), lambda i: None)
    try:
        yield World(core, core.db, outbox, core.services.sessions, armed)
    finally:
        await core.db.close()


async def create(world: World, days_ahead: int = 3) -> None:
    day = (clock.now() + timedelta(days=days_ahead)).astimezone().date()
    await world.sessions.create(
        ORGANIZER,
        GUILD,
        SessionForm(title="Speed", date=day.isoformat(), time="18:30", location="Track"),
    )


async def start(world: World, row: DeliveryRow) -> Job | None:
    """What the publisher does before posting: check the row, then claim it."""
    job = await world.deliveries.prepare(row, clock.now(), [row])
    if job is None:
        return None
    return await world.deliveries.claim(job, "fingerprint", clock.now())


async def test_creating_writes_and_arms_the_announcement_and_reminders(world: World) -> None:
    await create(world)
    rows = await world.db.fetch_all("SELECT kind, offset_s, status FROM deliveries ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("announcement", None, "pending"),
        ("reminder", 86400, "pending"),
        ("reminder", 3600, "pending"),
        ("close", None, "pending"),  # answers close at the start
        ("check_in", None, "pending"),  # "I'm here" shown when check-in opens
        ("check_in", None, "pending"),  # and taken away when it closes
    ]
    assert [i for i, _ in world.armed] == [1, 2, 3, 4, 5, 6]


async def test_the_check_in_windows_edges_are_planned_with_the_session(world: World) -> None:
    await create(world)
    rows = await world.db.fetch_all(
        "SELECT kind, due_at, payload FROM deliveries WHERE kind = 'check_in' ORDER BY id"
    )
    session = (await world.db.fetch_all("SELECT starts_at FROM sessions"))[0]
    starts_at = datetime.fromisoformat(session[0])
    assert [(r[0], datetime.fromisoformat(r[1])) for r in rows] == [
        ("check_in", starts_at - timedelta(minutes=30)),
        # The window includes its last instant: "I'm here" goes a second after.
        ("check_in", starts_at + timedelta(hours=2, seconds=1)),
    ]


async def test_a_row_is_claimed_by_one_sender_only(world: World) -> None:
    await create(world, days_ahead=1)
    [due] = await world.deliveries.due(clock.now())
    jobs = await asyncio.gather(*(start(world, due) for _ in range(10)))
    assert sum(job is not None for job in jobs) == 1


async def test_a_crash_between_claim_and_record_is_retried_with_the_same_nonce(
    world: World,
) -> None:
    await create(world, days_ahead=1)
    [due] = await world.deliveries.due(clock.now())
    job = await start(world, due)
    assert job is not None
    # The process dies here, after claiming and maybe after posting, before recording. The next
    # start looks the claim up at once (the publisher then searches the channel for the post).

    assert await world.deliveries.due(clock.now()) == []  # the lease is still running
    assert await world.deliveries.recover() == 1
    [again] = await world.deliveries.due(clock.now())
    retry = await start(world, again)
    assert retry is not None
    assert retry.nonce == job.nonce == f"pacer-d{due.id}"
    assert len(retry.nonce) <= 25
    assert retry.delivery.attempts == 2
    await world.deliveries.sent(retry.delivery, 999, clock.now())
    [row] = await world.db.fetch_all(
        "SELECT status, message_id FROM deliveries WHERE id = ?", (due.id,)
    )
    assert tuple(row) == ("sent", 999)
    [session] = await world.db.fetch_all("SELECT announcement_message_id FROM sessions")
    assert session[0] == 999


async def test_a_sent_row_is_never_claimed_again(world: World) -> None:
    await create(world, days_ahead=1)
    [due] = await world.deliveries.due(clock.now())
    job = await start(world, due)
    assert job is not None
    await world.deliveries.sent(job.delivery, 1, clock.now())
    assert await world.deliveries.recover() == 0
    assert await start(world, due) is None


async def claimed(world: World) -> Job:
    [due] = await world.deliveries.due(clock.now())
    job = await start(world, due)
    assert job is not None
    return job


async def test_transient_failures_back_off_then_give_up(world: World) -> None:
    await create(world, days_ahead=1)
    job = await claimed(world)
    retry_at = await world.deliveries.failed(job, "500", clock.now())
    assert retry_at is not None
    assert retry_at - clock.now() > timedelta(seconds=50)
    for _ in range(MAX_ATTEMPTS):
        await world.db.fetch_all("SELECT 1")
        async with world.db.transaction() as conn:  # make it due again for the test
            await conn.execute(
                "UPDATE deliveries SET due_at = ? WHERE id = ?",
                (clock.now().isoformat(), job.delivery.id),
            )
        rows = await world.deliveries.due(clock.now())
        if not rows:
            break
        job = await start(world, rows[0])
        assert job is not None
        await world.deliveries.failed(job, "500", clock.now())
    [row] = await world.db.fetch_all("SELECT status, attempts FROM deliveries WHERE id = 1")
    assert tuple(row) == ("failed", MAX_ATTEMPTS)


async def test_a_missing_permission_is_retried_and_shown_to_organizers(world: World) -> None:
    await create(world, days_ahead=1)
    job = await claimed(world)
    retry_at = await world.deliveries.failed(job, "missing permission", clock.now(), access=True)
    assert retry_at is not None
    [problem] = await world.deliveries.problems(GUILD, clock.now())
    assert problem.last_error == "missing permission"
    assert problem.status == Status.RETRYING
    assert await world.deliveries.problems(GUILD + 1, clock.now()) == []


async def test_an_unrecorded_claim_is_due_again_when_its_lease_runs_out(world: World) -> None:
    await create(world, days_ahead=1)
    job = await claimed(world)
    assert job.delivery.lease_until is not None
    assert await world.deliveries.due(clock.now()) == []
    [again] = await world.deliveries.due(job.delivery.lease_until)
    assert again.id == job.delivery.id
    assert again.status == Status.CLAIMED
    assert again.fingerprint == "fingerprint"


async def test_a_row_that_cannot_be_read_is_failed_not_left_claimed(world: World) -> None:
    await create(world, days_ahead=1)
    async with world.db.transaction() as conn:
        await conn.execute("UPDATE deliveries SET kind = 'nudge' WHERE kind = 'announcement'")
    [due] = await world.deliveries.due(clock.now())
    assert await world.deliveries.prepare(due, clock.now(), [due]) is None
    [row] = await world.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE id = ?", (due.id,)
    )
    assert row[0] == "failed"
    assert "nudge" in row[1]


async def test_workouts_stored_before_their_display_lines_are_upgraded_once(world: World) -> None:
    from bot.db.sessions_repo import SessionsRepo
    from bot.services.upgrade import save_workout_displays

    day = (clock.now() + timedelta(days=3)).astimezone().date()
    for workout in ("6x800 @ I w/ 400 jog", "3 x 1 mile @ T"):
        await world.sessions.create(
            ORGANIZER,
            GUILD,
            SessionForm(
                title="Speed", date=day.isoformat(), time="18:30", location="Track", workout=workout
            ),
        )
    async with world.db.transaction() as conn:  # as written before migration 005
        await conn.execute("UPDATE sessions SET workout_display = NULL")
        await conn.execute("UPDATE sessions SET workout = 'a workout no parser reads' WHERE id = 2")

    assert await save_workout_displays(SessionsRepo(world.db)) == 2
    assert await save_workout_displays(SessionsRepo(world.db)) == 0

    rows = await world.db.fetch_all(
        "SELECT workout_parsed, workout_display FROM sessions ORDER BY id"
    )
    assert rows[0][0] == 1
    assert "800" in rows[0][1]
    assert tuple(rows[1]) == (0, None)  # kept as free text, shown as typed
