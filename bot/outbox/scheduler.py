"""APScheduler 3, contained: one date job per delivery due soon, plus a coarse sweep.

SQLite is the source of truth; the scheduler holds nothing worth keeping. Jobs have fixed ids (the
delivery id) and ``replace_existing=True``, so re-arming after a reconnect or a reload never
doubles them. Only deliveries due within ``horizon`` are armed: the sweep arms the next ones, so
start-up with thousands of upcoming sessions stays cheap.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import clock

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "sweep"
DEFAULT_SWEEP = timedelta(hours=6)
DEFAULT_HORIZON = timedelta(hours=12)


class _BotClockDatetime(datetime):
    """``datetime`` whose ``now()`` reads the bot's clock (SimCord's virtual clock in tests and
    the sandbox, the real clock in production)."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        instant = clock.now()
        return instant.astimezone(tz) if tz is not None else instant.replace(tzinfo=None)


def follow_bot_clock() -> None:
    """Make APScheduler read the time through :mod:`bot.clock`.

    APScheduler 3 reads the wall clock (``datetime.now``) in these two modules only; everything
    else it derives from them.
    In production this changes nothing (the bot's clock is the real one).
    """
    import apscheduler.executors.base as executors_base
    import apscheduler.schedulers.base as schedulers_base

    schedulers_base.datetime = _BotClockDatetime
    executors_base.datetime = _BotClockDatetime


class Scheduler:
    """Arms delivery jobs and the periodic sweep on the running event loop."""

    def __init__(
        self,
        on_due: Callable[[], Awaitable[None]],
        on_sweep: Callable[[], Awaitable[None]],
        *,
        sweep_every: timedelta = DEFAULT_SWEEP,
        horizon: timedelta = DEFAULT_HORIZON,
    ) -> None:
        follow_bot_clock()
        self.horizon = horizon
        self._on_due = on_due
        self._on_sweep = on_sweep
        self._sweep_every = sweep_every
        self._scheduler: Any = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                # Run however late: whether a late post still makes sense is decided by
                # decide_delivery() against the database, not by a grace period here.
                "misfire_grace_time": None,
            },
        )

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        if self.running:
            return
        self._scheduler.start()
        self._scheduler.add_job(
            self._on_sweep,
            "interval",
            seconds=self._sweep_every.total_seconds(),
            id=SWEEP_JOB_ID,
            replace_existing=True,
            next_run_time=clock.now() + self._sweep_every,
        )

    def shutdown(self) -> None:
        if self.running:
            self._scheduler.shutdown(wait=False)

    def arm(self, delivery_id: int, due_at: datetime) -> None:
        """Fire ``on_due`` at ``due_at`` (at once if past); re-arming replaces the old job."""
        self._scheduler.add_job(
            self._on_due,
            "date",
            run_date=max(due_at, clock.now()),
            id=str(delivery_id),
            replace_existing=True,
        )

    def disarm(self, delivery_id: int) -> None:
        job = self._scheduler.get_job(str(delivery_id))
        if job is not None:
            job.remove()

    def armed(self) -> set[int]:
        """Delivery ids with a job waiting (other jobs have names, not numbers)."""
        return {int(job.id) for job in self._scheduler.get_jobs() if job.id.isdigit()}

    def within_horizon(self, due_at: datetime) -> bool:
        return due_at <= clock.now() + self.horizon

    def every(self, job_id: str, interval: timedelta, run: Callable[[], Awaitable[None]]) -> None:
        """Run ``run`` every ``interval`` (first after one interval); a fixed id, so re-adding
        replaces it. Keep intervals coarse: every tick runs in simulated weeks too."""
        self._scheduler.add_job(
            run,
            "interval",
            seconds=interval.total_seconds(),
            id=job_id,
            replace_existing=True,
            next_run_time=clock.now() + interval,
        )
