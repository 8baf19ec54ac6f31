"""Posting what the outbox says is due, and keeping announcements in step with the database.

The Discord-facing half of deliveries: the service decides and records, this posts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import tasks

from bot import clock
from bot.domain.rsvp import EMOJI
from bot.services.deliveries import (
    ANNOUNCEMENT,
    CANCEL_NOTICE,
    PROMOTION,
    REMINDER,
    TIME_CHANGE,
    DeliveryService,
    Job,
)
from bot.services.rsvps import RsvpService
from bot.ui.announcements import (
    Post,
    announcement_embed,
    cancel_post,
    promotion_channel_post,
    promotion_text,
    reminder_post,
    time_change_post,
)
from bot.ui.views import announcement_view

if TYPE_CHECKING:
    from bot.app import PacerBot

log = logging.getLogger(__name__)


class ChannelGone(Exception):
    """The delivery's channel no longer exists as a text channel."""


class Publisher:
    def __init__(
        self,
        bot: PacerBot,
        deliveries: DeliveryService,
        rsvps: RsvpService,
        *,
        coalesce: bool = True,
    ) -> None:
        self._bot = bot
        self._deliveries = deliveries
        self._rsvps = rsvps
        self._lock = asyncio.Lock()
        self._closing = False
        self.refresher = Refresher(self.edit_announcement, coalesce=coalesce)

    async def process_due(self) -> None:
        """Post every due delivery, oldest first, then refresh changed announcements."""
        if self._closing:
            return
        await self._bot.wait_until_ready()
        async with self._lock:
            if self._closing:
                return
            now = clock.now()
            due = await self._deliveries.due(now)
            for row in due:
                job = await self._deliveries.start(row, now, due)
                if job is not None:
                    await self._send(job)
            await self.refresh_announcements()

    async def sweep(self) -> None:
        """The safety net: post anything due but missed, and arm what falls due soon."""
        await self.process_due()
        self.arm_upcoming_now()

    def arm_upcoming_now(self) -> None:
        task = asyncio.get_running_loop().create_task(self.arm_upcoming())
        task.add_done_callback(_log_failure)

    async def arm_upcoming(self) -> int:
        scheduler = self._bot.scheduler
        if scheduler is None:
            return 0
        rows = await self._deliveries.due_within(clock.now() + scheduler.horizon)
        armed = scheduler.armed()
        fresh = [(row.id, row.due_at) for row in rows if row.id not in armed]
        self._deliveries.arm(fresh)
        return len(fresh)

    async def stop(self) -> None:
        """Let a send in progress finish, then refuse new ones."""
        self._closing = True
        self.refresher.stop()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                async with self._lock:
                    pass

    async def _channel(self, channel_id: int) -> discord.TextChannel | discord.Thread:
        channel = self._bot.get_channel(channel_id)
        if channel is None:
            channel = await self._bot.fetch_channel(channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise ChannelGone(f"channel {channel_id} is not a text channel any more")
        return channel

    async def _send(self, job: Job) -> None:
        if job.delivery.kind == PROMOTION and await self._send_dm(job):
            return
        now = clock.now()
        try:
            channel = await self._channel(job.delivery.channel_id)
            post, view = await self._render(job)
            message = await channel.send(
                content=post.content,
                embed=post.embed if post.embed is not None else discord.utils.MISSING,
                view=view if view is not None else discord.utils.MISSING,
                allowed_mentions=post.allowed_mentions,
                nonce=job.nonce,
            )
        except discord.Forbidden as exc:
            await self._deliveries.failed(
                job,
                f"missing permission in <#{job.delivery.channel_id}> ({exc.text})",
                now,
                permanent=True,
            )
        except (discord.NotFound, ChannelGone):
            await self._deliveries.failed(
                job, f"channel {job.delivery.channel_id} was deleted", now, permanent=True
            )
        except (discord.HTTPException, OSError) as exc:
            retry_at = await self._deliveries.failed(job, _describe(exc), now, permanent=False)
            if retry_at is not None:
                self._deliveries.arm([(job.delivery.id, retry_at)])
        else:
            await self._deliveries.sent(job, message.id, clock.now())
            if job.delivery.kind == ANNOUNCEMENT:
                await self._seed_reactions(message)
            log.info(
                "Posted %s for session %d (delivery %d)",
                job.delivery.kind,
                job.session.id,
                job.delivery.id,
            )

    async def _render(self, job: Job) -> tuple[Post, discord.ui.View | None]:
        session, delivery = job.session, job.delivery
        if delivery.kind == ANNOUNCEMENT:
            roster = await self._rsvps.roster(session.id)
            return (
                Post(embed=announcement_embed(session, roster)),
                announcement_view(session.id, session.cancelled),
            )
        going = await self._rsvps.going_user_ids(session.id)
        if delivery.kind == REMINDER:
            return reminder_post(session, delivery.offset_s, going), None
        if delivery.kind == CANCEL_NOTICE:
            return cancel_post(session, delivery.payload.get("reason"), going), None
        if delivery.kind == TIME_CHANGE:
            old = datetime.fromisoformat(str(delivery.payload["old_starts_at"]))
            return time_change_post(session, old, going), None
        if delivery.kind == PROMOTION:
            user_id = int(delivery.payload["user_id"])
            return promotion_channel_post(session, user_id), None
        raise ValueError(f"unknown delivery kind {delivery.kind!r}")

    async def _send_dm(self, job: Job) -> bool:
        """A waitlist promotion goes by DM; False means DMs are closed (use the channel)."""
        user_id = int(job.delivery.payload["user_id"])
        try:
            user = self._bot.get_user(user_id) or await self._bot.fetch_user(user_id)
            message = await user.send(
                promotion_text(job.session),
                allowed_mentions=discord.AllowedMentions.none(),
                nonce=job.nonce,
            )
        except (discord.Forbidden, discord.NotFound):
            log.info("DMs closed for a promoted member; telling them in the channel")
            return False
        except (discord.HTTPException, OSError) as exc:
            retry_at = await self._deliveries.failed(
                job, _describe(exc), clock.now(), permanent=False
            )
            if retry_at is not None:
                self._deliveries.arm([(job.delivery.id, retry_at)])
            return True
        await self._deliveries.sent(job, message.id, clock.now())
        return True

    async def _seed_reactions(self, message: discord.Message) -> None:
        # Members react to answer; the bot's own reactions are ignored when counting.
        for emoji in EMOJI:
            try:
                await message.add_reaction(emoji)
            except discord.HTTPException as exc:
                log.warning("Could not add %s to an announcement: %s", emoji, exc)
                return

    async def refresh_announcements(self) -> None:
        """Queue every announcement whose session changed for a (coalesced) edit."""
        for session in await self._deliveries.stale_announcements():
            self.refresher.mark(session.id)

    def announcement_changed(self, session_id: int) -> None:
        """An RSVP or an edit changed what the announcement should show."""
        self.refresher.mark(session_id)

    async def edit_announcement(self, session_id: int) -> None:
        """Redraw one announcement from the database (called by the refresher)."""
        session = await self._deliveries.session(session_id)
        if session is None or session.announcement_message_id is None:
            return
        if session.rendered_version >= session.version:
            return
        message_id = session.announcement_message_id
        try:
            channel = await self._channel(session.channel_id)
            message = channel.get_partial_message(message_id)
            view = announcement_view(session.id, session.cancelled)
            roster = await self._rsvps.roster(session.id)
            await message.edit(
                embed=announcement_embed(session, roster),
                view=view,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except (discord.NotFound, ChannelGone):
            await self._deliveries.announcement_gone(session.id)
        except discord.Forbidden as exc:
            log.warning("Can't edit announcement of session %d: %s", session.id, exc.text)
            await self._deliveries.rendered(session.id, session.version)
        except (discord.HTTPException, OSError) as exc:
            log.warning("Editing announcement of session %d failed: %s", session.id, exc)
            self.refresher.mark(session.id)  # try again after the window
        else:
            await self._deliveries.rendered(session.id, session.version)


class Refresher:
    """Coalesces announcement edits: at most one per message per window, ending on what the
    database holds.

    Dirty sessions are edited by a ``discord.ext.tasks`` loop that runs only while there is work
    (an always-running loop would tick through every simulated week in tests). An announcement
    edited less than ``WINDOW`` ago waits for the next tick; a change made while an edit is in
    flight leaves the session dirty (its version is newer than what was drawn), so it is redrawn.
    """

    WINDOW = timedelta(seconds=5)

    def __init__(self, edit: Callable[[int], Awaitable[None]], *, coalesce: bool = True) -> None:
        self._edit = edit
        self._coalesce = coalesce
        self._dirty: set[int] = set()
        self._last_edit: dict[int, datetime] = {}
        self._loop = tasks.loop(seconds=self.WINDOW.total_seconds())(self._tick)
        self._loop.after_loop(self._after)

    @property
    def pending(self) -> int:
        return len(self._dirty)

    def mark(self, session_id: int) -> None:
        self._dirty.add(session_id)
        if not self._coalesce:
            task = asyncio.get_running_loop().create_task(self._edit_now(session_id))
            task.add_done_callback(_log_failure)
            return
        if not self._loop.is_running():
            self._loop.start()

    async def _edit_now(self, session_id: int) -> None:
        self._dirty.discard(session_id)
        await self._edit(session_id)

    def stop(self) -> None:
        self._dirty.clear()
        self._loop.cancel()

    async def _tick(self) -> None:
        now = clock.now()
        for session_id in sorted(self._dirty):
            last = self._last_edit.get(session_id)
            if last is not None and now - last < self.WINDOW:
                continue
            self._dirty.discard(session_id)
            try:
                await self._edit(session_id)
            except Exception:
                log.exception("Refreshing the announcement of session %d failed", session_id)
            self._last_edit[session_id] = clock.now()
        if not self._dirty:
            self._loop.stop()

    async def _after(self) -> None:
        # A change marked while the loop was stopping would otherwise wait for the next one.
        if self._dirty:
            asyncio.get_running_loop().call_soon(self._restart)

    def _restart(self) -> None:
        if self._dirty and not self._loop.is_running():
            self._loop.start()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"Discord error {exc.status}: {exc.text or exc.__class__.__name__}"[:300]
    return f"{exc.__class__.__name__}: {exc}"[:300]


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("Background publishing work failed", exc_info=task.exception())
