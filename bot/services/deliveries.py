"""The outbox: planning, claiming and recording everything the bot posts on its own.

Every post (announcement, reminder, cancel notice, time-change notice, waitlist promotion) is a
row written in the same transaction as the change that caused it. Sending is: claim the row,
post with a nonce derived from its id, record the message id. A crash between claim and record
leaves the row claimed; start-up puts it back to pending and the retry reuses the nonce, so
Discord drops the duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.database import Database
from bot.db.deliveries_repo import DeliveriesRepo, DeliveryRow, NewDelivery
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.schedule import decide_delivery, plan_deliveries

log = logging.getLogger(__name__)

ANNOUNCEMENT = "announcement"
REMINDER = "reminder"
CANCEL_NOTICE = "cancel_notice"
TIME_CHANGE = "time_change"
PROMOTION = "promotion"
MAX_ATTEMPTS = 6
_BACKOFF = (60, 300, 900, 1800, 3600)

Armer = Callable[[int, datetime], None]


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed delivery and its session: what the publisher needs to post it."""

    delivery: DeliveryRow
    session: SessionRow

    @property
    def nonce(self) -> str:
        """Stable per row, so a retry after a crash is dropped by Discord (max 25 chars)."""
        return f"pacer-d{self.delivery.id}"


class DeliveryService:
    def __init__(self, db: Database, deliveries: DeliveriesRepo, sessions: SessionsRepo) -> None:
        self._db = db
        self._deliveries = deliveries
        self._sessions = sessions
        self._armer: Armer | None = None
        self._disarmer: Callable[[int], None] | None = None

    def connect_scheduler(self, arm: Armer, disarm: Callable[[int], None]) -> None:
        """Tell the service how to arm and disarm jobs (set by the bot at start-up)."""
        self._armer, self._disarmer = arm, disarm

    def arm(self, planned: Iterable[tuple[int, datetime]]) -> None:
        """Arm jobs for rows just committed."""
        if self._armer is None:
            return
        for delivery_id, due_at in planned:
            self._armer(delivery_id, due_at)

    def disarm(self, delivery_ids: Iterable[int]) -> None:
        if self._disarmer is None:
            return
        for delivery_id in delivery_ids:
            self._disarmer(delivery_id)

    async def plan_session(
        self,
        session: SessionRow,
        offsets: tuple[int, ...],
        announce_days: int,
        now: datetime,
        *,
        announce: bool = True,
    ) -> list[tuple[int, datetime]]:
        """Write the announcement (unless already posted) and reminder rows for ``session``.

        Call inside the caller's transaction; arm the returned rows after it commits.
        """
        plan = plan_deliveries(
            session.starts_at, now, offsets, announce_days, ZoneInfo(session.timezone)
        )
        planned = []
        if announce:
            planned.append(
                await self._add(session, ANNOUNCEMENT, plan.announce_due, now, offset_s=None)
            )
        for offset_s, due_at in plan.reminders:
            planned.append(await self._add(session, REMINDER, due_at, now, offset_s=offset_s))
        return planned

    async def add_notice(
        self, session: SessionRow, kind: str, now: datetime, payload: dict[str, Any]
    ) -> tuple[int, datetime]:
        """A notice due now (cancel, time change, promotion); inside the caller's transaction."""
        return await self._add(session, kind, now, now, offset_s=None, payload=payload)

    async def _add(
        self,
        session: SessionRow,
        kind: str,
        due_at: datetime,
        now: datetime,
        *,
        offset_s: int | None,
        payload: dict[str, Any] | None = None,
    ) -> tuple[int, datetime]:
        new = NewDelivery(
            guild_id=session.guild_id,
            session_id=session.id,
            kind=kind,
            due_at=due_at,
            channel_id=session.channel_id,
            offset_s=offset_s,
            payload=payload,
        )
        return await self._deliveries.add(new, now), due_at

    async def supersede(self, session_id: int, kinds: tuple[str, ...], reason: str) -> list[int]:
        """Close pending rows of ``kinds`` for the session; disarm the returned ids."""
        return await self._deliveries.supersede_pending(session_id, kinds, reason)

    async def recover(self) -> int:
        """At start-up: claims left by a crashed process become pending again."""
        released = await self._deliveries.release_claims()
        if released:
            log.warning("Retrying %d deliveries interrupted by a crash or shutdown", released)
        return released

    async def due(self, now: datetime) -> list[DeliveryRow]:
        return await self._deliveries.pending_due_before(now)

    async def due_within(self, instant: datetime) -> list[DeliveryRow]:
        return await self._deliveries.pending_due_before(instant, limit=10_000)

    async def start(
        self, delivery: DeliveryRow, now: datetime, due: list[DeliveryRow]
    ) -> Job | None:
        """Claim ``delivery`` if it should still go out; otherwise close it with the reason.

        ``due`` is every row due now, used to skip a reminder a closer one supersedes.
        """
        session = await self._sessions.get(delivery.session_id)
        if session is None:
            await self._deliveries.close(delivery.id, "skipped", "session no longer exists")
            return None
        later_reminder_due = delivery.kind == REMINDER and any(
            other.session_id == delivery.session_id
            and other.kind == REMINDER
            and other.id != delivery.id
            and (other.offset_s or 0) < (delivery.offset_s or 0)
            for other in due
        )
        decision = decide_delivery(
            delivery.kind,
            delivery.due_at,
            session.starts_at,
            now,
            cancelled=session.cancelled,
            later_reminder_due=later_reminder_due,
        )
        if not decision.send:
            await self._deliveries.close(delivery.id, "skipped", decision.reason or "skipped")
            log.info("Skipped delivery %d (%s): %s", delivery.id, delivery.kind, decision.reason)
            return None
        if not await self._deliveries.claim(delivery.id, now):
            return None
        claimed = await self._deliveries.get(delivery.id)
        return None if claimed is None else Job(delivery=claimed, session=session)

    async def sent(self, job: Job, message_id: int, now: datetime) -> None:
        async with self._db.transaction():
            await self._deliveries.record_sent(job.delivery.id, message_id, now)
            if job.delivery.kind == ANNOUNCEMENT:
                await self._sessions.set_announcement(job.session.id, message_id)

    async def failed(
        self, job: Job, error: str, now: datetime, *, permanent: bool
    ) -> datetime | None:
        """Record a failed send. Transient errors are retried with back-off: returns the new due
        time to arm, or None when the row is closed as failed (shown to organizers)."""
        attempts = job.delivery.attempts
        if permanent or attempts >= MAX_ATTEMPTS:
            await self._deliveries.close(job.delivery.id, "failed", error)
            log.warning("Delivery %d failed for good: %s", job.delivery.id, error)
            return None
        retry_at = now + timedelta(seconds=_BACKOFF[min(attempts - 1, len(_BACKOFF) - 1)])
        await self._deliveries.retry_later(job.delivery.id, retry_at, error)
        log.warning("Delivery %d failed (%s); retrying at %s", job.delivery.id, error, retry_at)
        return retry_at

    async def problems(self, guild_id: int, now: datetime) -> list[DeliveryRow]:
        return await self._deliveries.problems(guild_id, now)

    async def stale_announcements(self) -> list[SessionRow]:
        """Posted announcements whose session changed since they were last drawn."""
        return await self._sessions.out_of_date()

    async def rendered(self, session_id: int, version: int) -> None:
        await self._sessions.mark_rendered(session_id, version)

    async def announcement_gone(self, session_id: int) -> None:
        """The announcement was deleted: stop editing it (reminders still go out, unlinked)."""
        await self._sessions.forget_announcement(session_id)
        log.warning("Announcement of session %d was deleted; no longer editing it", session_id)

    async def session(self, session_id: int) -> SessionRow | None:
        return await self._sessions.get(session_id)

    async def replan_guild(
        self, guild_id: int, offsets: tuple[int, ...], announce_days: int, now: datetime
    ) -> None:
        """After a settings change, re-plan the pending posts of the server's upcoming sessions:
        new reminder lead times, and a new announce-ahead window for those not yet announced
        (never later than their first reminder)."""
        planned: list[tuple[int, datetime]] = []
        dropped: list[int] = []
        async with self._db.transaction():
            for session in await self._sessions.upcoming(guild_id, now, limit=100_000):
                announced = session.announcement_message_id is not None
                kinds = (REMINDER,) if announced else (ANNOUNCEMENT, REMINDER)
                dropped += await self.supersede(session.id, kinds, "server settings changed")
                planned += await self.plan_session(
                    session, offsets, announce_days, now, announce=not announced
                )
        self.disarm(dropped)
        self.arm(planned)
