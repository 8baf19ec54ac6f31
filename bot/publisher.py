"""Posting what the outbox says is due, and keeping announcements in step with the database.

The Discord-facing half of deliveries: the service decides and records, this posts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot import clock
from bot.db.sessions_repo import SessionRow
from bot.services.deliveries import (
    ANNOUNCEMENT,
    CANCEL_NOTICE,
    REMINDER,
    TIME_CHANGE,
    DeliveryService,
    Job,
)
from bot.ui.announcements import (
    Post,
    announcement_embed,
    cancel_post,
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
    def __init__(self, bot: PacerBot, deliveries: DeliveryService) -> None:
        self._bot = bot
        self._deliveries = deliveries
        self._lock = asyncio.Lock()
        self._closing = False

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
        now = clock.now()
        try:
            channel = await self._channel(job.delivery.channel_id)
            post, view = self._render(job)
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
            log.info(
                "Posted %s for session %d (delivery %d)",
                job.delivery.kind,
                job.session.id,
                job.delivery.id,
            )

    def _render(self, job: Job) -> tuple[Post, discord.ui.View | None]:
        session, delivery = job.session, job.delivery
        if delivery.kind == ANNOUNCEMENT:
            return (
                Post(embed=announcement_embed(session)),
                announcement_view(session.id, session.cancelled),
            )
        if delivery.kind == REMINDER:
            return reminder_post(session, delivery.offset_s), None
        if delivery.kind == CANCEL_NOTICE:
            return cancel_post(session, delivery.payload.get("reason")), None
        if delivery.kind == TIME_CHANGE:
            old = datetime.fromisoformat(str(delivery.payload["old_starts_at"]))
            return time_change_post(session, old), None
        raise ValueError(f"unknown delivery kind {delivery.kind!r}")

    async def refresh_announcements(self) -> None:
        """Edit every announcement whose session changed, so it shows what the database holds."""
        for session in await self._deliveries.stale_announcements():
            await self._edit(session)

    async def _edit(self, session: SessionRow) -> None:
        message_id = session.announcement_message_id
        if message_id is None:
            return
        try:
            channel = await self._channel(session.channel_id)
            message = channel.get_partial_message(message_id)
            view = announcement_view(session.id, session.cancelled)
            await message.edit(embed=announcement_embed(session), view=view)
        except (discord.NotFound, ChannelGone):
            await self._deliveries.announcement_gone(session.id)
        except discord.Forbidden as exc:
            log.warning("Can't edit announcement of session %d: %s", session.id, exc.text)
            await self._deliveries.rendered(session.id, session.version)
        except (discord.HTTPException, OSError) as exc:
            log.warning("Editing announcement of session %d failed: %s", session.id, exc)
        else:
            await self._deliveries.rendered(session.id, session.version)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"Discord error {exc.status}: {exc.text or exc.__class__.__name__}"[:300]
    return f"{exc.__class__.__name__}: {exc}"[:300]


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("Arming upcoming deliveries failed", exc_info=task.exception())
