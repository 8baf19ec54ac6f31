"""Posting what the outbox says is due, exactly once, and keeping announcements in step.

The publisher acts on Discord only through a :class:`~bot.outbox.poster.Poster` and on the
database only through :class:`~bot.outbox.service.OutboxService`. For each due row: a claim whose
outcome is unknown is first looked for in the channel (adopted if found, so reactions on it
count); then the row is checked against the current state, drawn, claimed with its fingerprint,
posted with a stable nonce and recorded. A row that can't be drawn or read is failed with the
reason; any other error closes it as failed too, so nothing stays claimed or blocks the rows
after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.db.deliveries_repo import DeliveryRow
from bot.domain.rsvp import EMOJI
from bot.outbox.editor import EditFailed, Editor
from bot.outbox.events import EventMirror
from bot.outbox.kinds import Announcement, Kind, ReminderDm, Status, decode, spec
from bot.outbox.poster import (
    DeliveryError,
    DmClosed,
    Gone,
    Posted,
    Poster,
    Refused,
    Target,
    Transient,
)
from bot.outbox.render import Post, RenderError, mention_chunks, render
from bot.outbox.roles import RoleKeeper
from bot.outbox.service import Job, OutboxService
from bot.outbox.threads import ThreadKeeper

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)

#: Look for an unknown outcome among messages from a little before the claim (clock skew).
FIND_SLACK = timedelta(minutes=1)

#: Deliveries being sent at once, across channels (one at a time within a channel). With
#: Discord's answer taking 50-200 ms, 8 in flight stay under its 50 requests per second.
SEND_CONCURRENCY = 8
#: What goes first when many rows are due together (lower first; same rank: due order).
_RANK = {Kind.THREAD.value: 0, Kind.CANCEL_NOTICE.value: 1, Kind.TIME_CHANGE.value: 1}

Adopted = Callable[[int, Posted], Awaitable[None]]
Guard = Callable[[], Awaitable[bool]]


def _priority(row: DeliveryRow) -> int:
    return _RANK.get(row.kind, 2)


class Publisher:
    def __init__(
        self,
        outbox: OutboxService,
        poster: Poster,
        *,
        clock: Clock,
        coalesce: bool = True,
        guard: Guard | None = None,
        adopted: Adopted | None = None,
    ) -> None:
        """``guard`` says whether this process may still post (it holds the database);
        ``adopted`` is told of an announcement found after an unknown outcome (to read back the
        reactions made on it meanwhile)."""
        self._outbox = outbox
        self._poster = poster
        self._clock = clock
        self._guard = guard
        self._adopted = adopted
        self._lock = asyncio.Lock()
        self._closing = False
        self._events = EventMirror(outbox, poster, clock=clock)
        self._threads = ThreadKeeper(outbox, poster, clock=clock)
        self._roles = RoleKeeper(outbox, poster, clock=clock)
        self.editor = Editor(
            self.edit_announcement, self._edit_gave_up, clock=clock, coalesce=coalesce
        )

    @property
    def closing(self) -> bool:
        return self._closing

    async def process_due(self) -> None:
        """Post every due row, oldest first, then refresh changed announcements."""
        if self._closing:
            return
        await self._poster.wait_ready()
        async with self._lock:
            if self._closing:
                return
            if self._guard is not None and not await self._guard():
                return
            due = await self._outbox.due(self._clock.now())
            # A thread opening at the first reminder opens before that reminder goes out;
            # notices (a cancel, a new time) go before the burst of routine posts.
            due.sort(key=_priority)
            by_channel: dict[int, list[DeliveryRow]] = {}
            for row in due:
                by_channel.setdefault(row.channel_id, []).append(row)
            # Channels in parallel, each in order (Discord limits posts per channel, about 5
            # per 5 s, and allows about 50 requests per second in all): a burst of reminders in
            # hundreds of channels takes seconds, not one round trip after another. Channels are
            # started in the order of their first row, and the slots are handed out first come,
            # so channels with a notice get them first.
            slots = asyncio.Semaphore(SEND_CONCURRENCY)
            await asyncio.gather(
                *(self._deliver_in_order(rows, due, slots) for rows in by_channel.values())
            )
            if self._closing:
                return
            await self.refresh_announcements()

    async def _deliver_in_order(
        self, rows: list[DeliveryRow], due: list[DeliveryRow], slots: asyncio.Semaphore
    ) -> None:
        for row in rows:
            async with slots:
                if self._closing:
                    return
                try:
                    await self._deliver(row, due)
                except Exception as exc:
                    log.exception("Delivery %d (%s) failed unexpectedly", row.id, row.kind)
                    await self._give_up(row, exc)

    async def _give_up(self, row: DeliveryRow, exc: Exception) -> None:
        try:
            await self._outbox.fail_for_good(row.id, f"internal error ({exc.__class__.__name__})")
        except Exception:
            # The database itself refused: the claim's lease brings the row back later.
            log.exception("Could not record delivery %d as failed", row.id)

    def stop_soon(self) -> None:
        """Refuse new posts at once (the database is gone or another process took over)."""
        self._closing = True
        self.editor.stop()

    async def stop(self) -> None:
        """Let a send in progress finish, then refuse new ones."""
        self.stop_soon()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                async with self._lock:
                    pass

    async def arm_upcoming(self, horizon: timedelta) -> list[tuple[int, datetime]]:
        """Rows due within ``horizon``, to arm (the scheduler skips those already armed)."""
        rows = await self._outbox.due_within(self._clock.now() + horizon)
        return [(row.id, row.due_at) for row in rows]

    # -- one row ---------------------------------------------------------------------------------

    async def _deliver(self, row: DeliveryRow, due: list[DeliveryRow]) -> None:
        now = self._clock.now()
        # Discord events, threads and roles look themselves up before acting (their modules).
        mirrors = spec(row.kind).not_a_message
        if row.status == Status.CLAIMED and not mirrors and await self._resolve_unknown(row):
            return
        job = await self._outbox.prepare(row, now, due)
        if job is None:
            return
        if job.kind == Kind.DISCORD_EVENT:
            await self._events.run(job)
            return
        if job.kind == Kind.THREAD:
            await self._threads.run(job)
            return
        if job.kind == Kind.ATTENDEE_ROLE:
            await self._roles.run(job)
            return
        if isinstance(job.payload, ReminderDm):
            await self._send_dm_only(job, job.payload.user_id)
            return
        member = getattr(job.payload, "user_id", None)
        if spec(job.kind).dm_first and isinstance(member, int):
            fallback = await self._send_dm(job, member)
            if fallback is None:
                return
            job = fallback
        try:
            post = render(job.kind, job.view, job.payload)
        except RenderError as exc:
            await self._outbox.fail_for_good(row.id, f"can't be drawn: {exc}")
            return
        if job.delivery.status != Status.CLAIMED or job.delivery.fingerprint != post.fingerprint:
            claimed = await self._outbox.claim(job, post.fingerprint, now)
            if claimed is None:
                return
            job = claimed
        # The claimed row, read again: a thread opened just before may have moved it.
        await self._post(job, Target(channel_id=job.delivery.channel_id), post)

    async def _send_dm(self, job: Job, user_id: int) -> Job | None:
        """A DM-first notice by DM. Returns the claimed job when DMs are closed (post it in the
        channel instead), None when it is settled."""
        try:
            post = render(job.kind, job.view, job.payload, dm=True)
        except RenderError as exc:
            await self._outbox.fail_for_good(job.delivery.id, f"can't be drawn: {exc}")
            return None
        claimed = await self._outbox.claim(job, post.fingerprint, self._clock.now())
        if claimed is None:
            return None
        try:
            posted = await self._poster.send(Target(user_id=user_id), post, claimed.nonce)
        except DmClosed:
            if spec(job.kind).dm_only:
                await self._outbox.skip(claimed.delivery.id, "the member's DMs are closed")
                return None
            log.info("DMs closed for a promoted member; telling them in the channel")
            return claimed
        except DeliveryError as exc:
            await self._failed(claimed, exc)
            return None
        await self._record(claimed.delivery, posted)
        return None

    async def _send_dm_only(self, job: Job, user_id: int) -> None:
        """A DM-only post (a reminder by DM): closed DMs skip it for good and are recorded for
        the member; other failures are retried like a post's."""
        try:
            post = render(job.kind, job.view, job.payload, dm=True)
        except RenderError as exc:
            await self._outbox.fail_for_good(job.delivery.id, f"can't be drawn: {exc}")
            return
        claimed = await self._outbox.claim(job, post.fingerprint, self._clock.now())
        if claimed is None:
            return
        try:
            posted = await self._poster.send(Target(user_id=user_id), post, claimed.nonce)
        except DmClosed as exc:
            await self._outbox.dm_closed(claimed.delivery, user_id, str(exc))
            return
        except DeliveryError as exc:
            await self._failed(claimed, exc)
            return
        await self._record(claimed.delivery, posted)

    async def _post(self, job: Job, target: Target, post: Post) -> None:
        replaced = job.payload.replaces if isinstance(job.payload, Announcement) else None
        try:
            if replaced is not None and target.channel_id is not None:
                # The old announcement goes first (already gone counts as done): a delete that
                # fails fails the row, which is retried, so two live announcements never stay.
                await self._poster.delete(Posted(target.channel_id, replaced))
            posted = await self._poster.send(target, post, job.nonce)
        except DeliveryError as exc:
            await self._failed(job, exc)
            return
        await self._record(job.delivery, posted, mention_chunks(post.overflow))

    async def _failed(self, job: Job, exc: DeliveryError) -> None:
        if isinstance(exc, Gone) and await self._outbox.thread_gone(job, str(exc)):
            return
        access = isinstance(exc, Refused | Gone | DmClosed)
        retry_at = await self._outbox.failed(job, str(exc), self._clock.now(), access=access)
        if retry_at is not None:
            self._outbox.arm([(job.delivery.id, retry_at)])

    async def _record(
        self,
        delivery: DeliveryRow,
        posted: Posted,
        continuations: list[tuple[int, ...]] | None = None,
    ) -> None:
        try:
            await self._outbox.sent(
                delivery, posted.message_id, self._clock.now(), continuations or ()
            )
        except Exception:
            # Discord has the post; the database doesn't know. The claim's lease runs out and
            # the post is then found in the channel and adopted, never sent twice.
            lease = delivery.lease_until or self._clock.now()
            log.exception(
                "Posted delivery %d as message %d but could not record it; looking it up at %s",
                delivery.id,
                posted.message_id,
                lease.isoformat(),
            )
            self._outbox.arm([(delivery.id, lease)])
            return
        if delivery.kind == Kind.ANNOUNCEMENT:
            await self._poster.react(posted, EMOJI)
        log.info(
            "Posted %s for session %d (delivery %d)",
            delivery.kind,
            delivery.session_id,
            delivery.id,
        )

    async def _resolve_unknown(self, row: DeliveryRow) -> bool:
        """A claim that never recorded its outcome: find the post if it went out.

        Returns True when the row is settled (adopted, or left for a later look because the
        channel can't be read right now); False to send it (it did not go out).
        """
        now = self._clock.now()
        if not await self._outbox.hold(row, now):
            return True  # another sender has it
        if row.fingerprint is None or row.claimed_at is None:
            return False
        since = row.claimed_at - FIND_SLACK
        targets = [Target(channel_id=row.channel_id)]
        with contextlib.suppress(ValueError):
            payload = decode(row.kind, row.payload, row.offset_s)
            member = getattr(payload, "user_id", None)
            if spec(row.kind).dm_first and isinstance(member, int):
                targets.insert(0, Target(user_id=member))
        known = await self._outbox.known_messages(row.channel_id, since)
        for target in targets:
            try:
                found = await self._poster.find(target, row.fingerprint, since, known)
            except Transient as exc:
                log.warning("Can't look up delivery %d now (%s); trying later", row.id, exc)
                self._outbox.arm([(row.id, now + timedelta(minutes=2))])
                return True
            except DeliveryError:
                continue
            if found is not None:
                log.warning(
                    "Delivery %d had gone out as message %d; recording it, not re-sending",
                    row.id,
                    found.message_id,
                )
                await self._record(
                    row, found, await self._left_out(row, dm=target.user_id is not None)
                )
                if row.kind == Kind.ANNOUNCEMENT and self._adopted is not None:
                    await self._adopted(row.session_id, found)
                return True
        log.info("Delivery %d did not go out before its sender stopped; sending it", row.id)
        return False

    async def _left_out(self, row: DeliveryRow, *, dm: bool) -> list[tuple[int, ...]]:
        """Who an adopted post did not mention (a big group's members beyond its first message),
        as continuation rows: drawn again from the database; when the draw still has the post's
        fingerprint, exactly the members the lost send would have continued with."""
        drawn = await self._outbox.redraw(row)
        if drawn is None:
            return []
        payload, view = drawn
        try:
            post = render(row.kind, view, payload, dm=dm)
        except RenderError:
            return []
        if post.fingerprint != row.fingerprint and post.overflow:
            log.warning(
                "Delivery %d changed since it went out; continuing with the members it leaves"
                " out now",
                row.id,
            )
        return mention_chunks(post.overflow)

    # -- announcements ---------------------------------------------------------------------------

    async def refresh_announcements(self) -> None:
        """Queue every announcement whose session changed for a (coalesced) edit."""
        for session in await self._outbox.stale_announcements():
            self.editor.mark(session.id)

    def announcement_changed(self, session_id: int) -> None:
        """An RSVP or an edit changed what the announcement should show."""
        if not self._closing:
            self.editor.mark(session_id)

    async def edit_announcement(self, session_id: int) -> None:
        """Redraw one announcement from the database (called by the editor).

        Raises:
            EditFailed: Discord refused or failed; the editor retries with back-off.
        """
        found = await self._outbox.announcement(session_id)
        if found is None:
            return
        session, view = found
        message_id = session.announcement_message_id
        if message_id is None:
            return
        post = render(Kind.ANNOUNCEMENT, view, Announcement())
        try:
            await self._poster.edit(Posted(session.channel_id, message_id), post)
        except Gone:
            await self._outbox.announcement_gone(session.id)
        except DeliveryError as exc:
            raise EditFailed(str(exc)) from exc
        else:
            await self._outbox.rendered(session.id, session.version)

    async def _edit_gave_up(self, session_id: int, error: str) -> None:
        session = await self._outbox.session(session_id)
        if session is not None:
            await self._outbox.edit_failed(session, error)
