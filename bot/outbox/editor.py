"""The coalescing announcement editor: at most one edit per message per window, ending on what
the database holds; failing edits back off and are given up (and shown) after a few tries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from discord.ext import tasks

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)


class EditFailed(Exception):
    """Discord refused or failed an edit; the text says why."""


class Editor:
    """Redraws dirty announcements from a ``discord.ext.tasks`` loop that runs only while there
    is work (an always-running loop would tick through every simulated week in tests).

    An announcement edited less than :attr:`WINDOW` ago waits for the next tick; a change made
    while an edit is in flight leaves the session dirty (its version is newer than what was
    drawn), so it is redrawn. An edit that fails waits :attr:`BACKOFF_S` (longer each time); after
    the last wait it is given up and recorded, so a persistent failure costs a handful of calls,
    not one every window.
    """

    WINDOW = timedelta(seconds=5)
    BACKOFF_S = (5, 5, 15, 60, 300, 900)

    def __init__(
        self,
        edit: Callable[[int], Awaitable[None]],
        give_up: Callable[[int, str], Awaitable[None]],
        *,
        clock: Clock,
        coalesce: bool = True,
    ) -> None:
        self._edit = edit
        self._give_up = give_up
        self._clock = clock
        self._coalesce = coalesce
        self._dirty: set[int] = set()
        self._last_edit: dict[int, datetime] = {}
        self._failures: dict[int, int] = {}
        self._not_before: dict[int, datetime] = {}
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
        await self._attempt(session_id)

    def stop(self) -> None:
        self._dirty.clear()
        self._loop.cancel()

    async def _attempt(self, session_id: int) -> None:
        try:
            await self._edit(session_id)
        except EditFailed as exc:
            failures = self._failures.get(session_id, 0) + 1
            if failures > len(self.BACKOFF_S):
                self._failures.pop(session_id, None)
                self._not_before.pop(session_id, None)
                log.warning(
                    "Giving up updating the announcement of session %d: %s", session_id, exc
                )
                await self._give_up(session_id, str(exc))
                return
            self._failures[session_id] = failures
            wait = timedelta(seconds=self.BACKOFF_S[failures - 1])
            self._not_before[session_id] = self._clock.now() + wait
            log.warning(
                "Updating the announcement of session %d failed (%s); next try in %s",
                session_id,
                exc,
                wait,
            )
            self._dirty.add(session_id)
        except Exception:
            log.exception("Refreshing the announcement of session %d failed", session_id)
        else:
            self._failures.pop(session_id, None)
            self._not_before.pop(session_id, None)

    async def _tick(self) -> None:
        now = self._clock.now()
        for session_id in sorted(self._dirty):
            last = self._last_edit.get(session_id)
            if last is not None and now - last < self.WINDOW:
                continue
            not_before = self._not_before.get(session_id)
            if not_before is not None and now < not_before:
                continue
            self._dirty.discard(session_id)
            await self._attempt(session_id)
            self._last_edit[session_id] = self._clock.now()
        if not self._dirty:
            self._loop.stop()

    async def _after(self) -> None:
        # A change marked while the loop was stopping would otherwise wait for the next one.
        # A cancelled loop stays down: its owner is shutting down (or died), and restarting it
        # here would cancel and restart forever, spinning the event loop.
        if self._dirty and not self._loop.is_being_cancelled():
            asyncio.get_running_loop().call_soon(self._restart)

    def _restart(self) -> None:
        if self._dirty and not self._loop.is_running():
            self._loop.start()


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("Background publishing work failed", exc_info=task.exception())
