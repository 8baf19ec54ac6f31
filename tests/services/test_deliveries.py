"""The outbox on a real SQLite file: claim once, record, recover after a crash, retry, skip."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from bot import clock
from bot.db.database import Database
from bot.db.deliveries_repo import DeliveriesRepo
from bot.db.guilds_repo import GuildsRepo
from bot.db.profiles_repo import ProfilesRepo
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionsRepo
from bot.services.access import Actor
from bot.services.deliveries import MAX_ATTEMPTS, DeliveryService, Job
from bot.services.members import EveryoneStays
from bot.services.rsvps import RsvpService
from bot.services.sessions import SessionForm, SessionService
from bot.services.setup import SetupService
from bot.services.workouts import WorkoutService

GUILD = 1
ORGANIZER = Actor(user_id=7, manage_events=True)


@dataclass
class World:
    db: Database
    deliveries: DeliveryService
    sessions: SessionService
    armed: list[tuple[int, object]]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    db = Database(tmp_path / "pacer.db")
    await db.open()
    await db.migrate()
    sessions_repo = SessionsRepo(db)
    deliveries = DeliveryService(db, DeliveriesRepo(db), sessions_repo)
    setup = SetupService(db, GuildsRepo(db), deliveries, "America/New_York", sessions_repo)
    await GuildsRepo(db).update(GUILD, clock.now(), announce_channel_id=555)
    rsvps = RsvpService(db, RsvpsRepo(db), sessions_repo, deliveries, setup, EveryoneStays())
    sessions = SessionService(
        db, sessions_repo, setup, deliveries, WorkoutService(ProfilesRepo(db)), rsvps
    )
    armed: list[tuple[int, object]] = []
    deliveries.connect_scheduler(lambda i, due: armed.append((i, due)), lambda i: None)
    try:
        yield World(db, deliveries, sessions, armed)
    finally:
        await db.close()


async def create(world: World, days_ahead: int = 3) -> None:
    day = (clock.now() + timedelta(days=days_ahead)).astimezone().date()
    await world.sessions.create(
        ORGANIZER,
        GUILD,
        SessionForm(title="Speed", date=day.isoformat(), time="18:30", location="Track"),
    )


async def test_creating_writes_and_arms_the_announcement_and_reminders(world: World) -> None:
    await create(world)
    rows = await world.db.fetch_all("SELECT kind, offset_s, status FROM deliveries ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("announcement", None, "pending"),
        ("reminder", 86400, "pending"),
        ("reminder", 3600, "pending"),
    ]
    assert [i for i, _ in world.armed] == [1, 2, 3]


async def test_a_row_is_claimed_by_one_sender_only(world: World) -> None:
    await create(world, days_ahead=1)
    [due] = await world.deliveries.due(clock.now())
    jobs = await asyncio.gather(
        *(world.deliveries.start(due, clock.now(), [due]) for _ in range(10))
    )
    assert sum(job is not None for job in jobs) == 1


async def test_a_crash_between_claim_and_record_is_retried_with_the_same_nonce(
    world: World,
) -> None:
    await create(world, days_ahead=1)
    [due] = await world.deliveries.due(clock.now())
    job = await world.deliveries.start(due, clock.now(), [due])
    assert job is not None
    # The process dies here, after claiming and maybe after posting, before recording.

    assert await world.deliveries.recover() == 1
    [again] = await world.deliveries.due(clock.now())
    retry = await world.deliveries.start(again, clock.now(), [again])
    assert retry is not None
    assert retry.nonce == job.nonce == f"pacer-d{due.id}"
    assert len(retry.nonce) <= 25
    assert retry.delivery.attempts == 2
    await world.deliveries.sent(retry, 999, clock.now())
    [row] = await world.db.fetch_all(
        "SELECT status, message_id FROM deliveries WHERE id = ?", (due.id,)
    )
    assert tuple(row) == ("sent", 999)
    [session] = await world.db.fetch_all("SELECT announcement_message_id FROM sessions")
    assert session[0] == 999


async def test_a_sent_row_is_never_claimed_again(world: World) -> None:
    await create(world, days_ahead=1)
    [due] = await world.deliveries.due(clock.now())
    job = await world.deliveries.start(due, clock.now(), [due])
    assert job is not None
    await world.deliveries.sent(job, 1, clock.now())
    assert await world.deliveries.recover() == 0
    assert await world.deliveries.start(due, clock.now(), [due]) is None


async def claimed(world: World) -> Job:
    [due] = await world.deliveries.due(clock.now())
    job = await world.deliveries.start(due, clock.now(), [due])
    assert job is not None
    return job


async def test_transient_failures_back_off_then_give_up(world: World) -> None:
    await create(world, days_ahead=1)
    job = await claimed(world)
    retry_at = await world.deliveries.failed(job, "500", clock.now(), permanent=False)
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
        job = await world.deliveries.start(rows[0], clock.now(), rows)
        assert job is not None
        await world.deliveries.failed(job, "500", clock.now(), permanent=False)
    [row] = await world.db.fetch_all("SELECT status, attempts FROM deliveries WHERE id = 1")
    assert tuple(row) == ("failed", MAX_ATTEMPTS)


async def test_a_permanent_failure_is_recorded_for_organizers(world: World) -> None:
    await create(world, days_ahead=1)
    job = await claimed(world)
    assert (
        await world.deliveries.failed(job, "missing permission", clock.now(), permanent=True)
        is None
    )
    [problem] = await world.deliveries.problems(GUILD, clock.now())
    assert problem.last_error == "missing permission"
    assert await world.deliveries.problems(GUILD + 1, clock.now()) == []
