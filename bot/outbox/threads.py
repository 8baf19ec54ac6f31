"""A thread per session (/setup threads), opened and archived through the outbox.

A ``thread`` row (see :class:`~bot.outbox.kinds.ThreadStep`) opens the thread on the
session's announcement, with the announcement or at the first reminder, adds the members going
to it, and sends the session's later reminders and notices there (their open rows move to the
thread in the same transaction that records it); another archives it a day after the end.

Exactly once: a thread started from a message has that message's id, so before opening one the
thread with the announcement's id is looked for and adopted. No discord here: Discord is reached
through :class:`~bot.outbox.poster.ThreadPoster`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.db.sessions_repo import SessionRow
from bot.outbox.kinds import ThreadStep
from bot.outbox.poster import DeliveryError, Gone, Refused, ThreadPoster
from bot.outbox.service import ARCHIVE_AFTER, Job, OutboxService

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)

MAX_THREAD_NAME = 100


def thread_name(session: SessionRow, local_day: str) -> str:
    """ "Speed session · Tue 13 Jan", within Discord's 100 characters."""
    tail = f" · {local_day}"
    return session.title[: MAX_THREAD_NAME - len(tail)] + tail


class ThreadKeeper:
    """Runs ``thread`` rows for the publisher."""

    def __init__(self, outbox: OutboxService, poster: ThreadPoster, *, clock: Clock) -> None:
        self._outbox = outbox
        self._poster = poster
        self._clock = clock

    async def run(self, job: Job) -> None:
        now = self._clock.now()
        claimed = await self._outbox.claim(job, f"thread-{job.delivery.session_id}", now)
        if claimed is None:
            return
        session = await self._outbox.session(job.delivery.session_id)
        payload = job.payload
        if session is None or not isinstance(payload, ThreadStep):
            await self._outbox.thread_done(claimed.delivery, None, "session no longer exists")
            return
        try:
            if payload.action == "archive":
                reason = await self._archive(session, now)
                await self._outbox.thread_done(claimed.delivery, None, reason)
            elif payload.action == "add":
                reason = await self._add(session, payload.user_id, now)
                await self._outbox.thread_done(claimed.delivery, None, reason)
            else:
                thread_id, reason, added = await self._open(session, now)
                await self._outbox.thread_done(claimed.delivery, thread_id, reason)
                if thread_id is not None and reason is None:
                    await self._add_latecomers(session, thread_id, added)
        except DeliveryError as exc:
            access = isinstance(exc, Refused | Gone)
            retry_at = await self._outbox.failed(claimed, str(exc), now, access=access)
            if retry_at is not None:
                self._outbox.arm([(claimed.delivery.id, retry_at)])

    async def _open(
        self, session: SessionRow, now: datetime
    ) -> tuple[int | None, str | None, list[int]]:
        """The thread (None: none, with the reason) and who was added to it."""
        if session.thread_id is not None:
            return session.thread_id, None, []
        if await self._outbox.threads_when(session.guild_id) is None:
            return None, "threads are off (/setup threads)", []
        if session.cancelled:
            return None, "session cancelled", []
        if now >= session.starts_at:
            return None, "session already started", []
        message_id = session.announcement_message_id
        if message_id is None:
            return None, "the announcement is gone, so there is nothing to hang a thread on", []
        # A thread started from a message has the message's id: one already there (a create
        # whose recording failed) is adopted, never opened twice.
        if not await self._poster.thread_exists(message_id):
            day = f"{session.starts_at.astimezone(ZoneInfo(session.timezone)):%a %d %b}"
            await self._poster.open_thread(
                session.channel_id, message_id, thread_name(session, day)
            )
            log.info("Opened thread %d for session %d", message_id, session.id)
        going = await self._outbox.going(session.id)
        await self._poster.add_to_thread(message_id, going)
        return message_id, None, going

    async def _add(self, session: SessionRow, user_id: int | None, now: datetime) -> str | None:
        """A member who answered going once the thread was open is added to it (adding one
        already there changes nothing, so a retry after a crash is harmless)."""
        if session.thread_id is None:
            return "the session has no thread"
        if user_id is None or user_id not in await self._outbox.going(session.id):
            return "the member is no longer going"
        if now >= session.ends_at:
            return "the session is over"
        await self._poster.add_to_thread(session.thread_id, [user_id])
        return None

    async def _add_latecomers(self, session: SessionRow, thread_id: int, added: list[int]) -> None:
        """Members who answered going between reading who goes and recording the thread got
        no "add" row (the session had no thread yet): added now."""
        before = set(added)
        latecomers = [u for u in await self._outbox.going(session.id) if u not in before]
        if latecomers:
            await self._poster.add_to_thread(thread_id, latecomers)

    async def _archive(self, session: SessionRow, now: datetime) -> str | None:
        if session.thread_id is None:
            return "the session has no thread"
        due = session.ends_at + ARCHIVE_AFTER
        if now < due:
            # The session was moved later since this row was written.
            await self._outbox.plan_thread_archive(session, due)
            return "the session moved; archived a day after its new end"
        await self._poster.archive_thread(session.thread_id)
        return None
