"""Reminders by DM (/profile reminders and the announcement's "DM reminders" button).

A member who opts in gets, besides the reminder in the channel, the same reminder by DM for
each session they are going to. The DMs go through the outbox (see
:class:`~bot.outbox.kinds.ReminderDm`); a DM that bounces (closed DMs, 403) turns them off for
that member (never retried) and they are told once, privately, the next time they use Pacer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.db.dm_reminders_repo import DmRemindersRepo

if TYPE_CHECKING:
    from bot.clock import Clock


@dataclass(frozen=True, slots=True)
class DmChoice:
    """A member's choice after a change: ``enabled``; ``closed_at`` when DMs bounced since."""

    enabled: bool
    closed_at: datetime | None = None


class DmRemindersService:
    def __init__(self, repo: DmRemindersRepo, *, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock

    async def set_mine(self, user_id: int, enabled: bool | None) -> DmChoice:
        """Turn reminders by DM on or off (None: the other way from now). Turning them on again
        after a bounce tries DMs again."""
        current = await self._repo.get(user_id)
        wanted = (
            (not current.enabled or current.closed_at is not None) if enabled is None else enabled
        )
        await self._repo.set(user_id, wanted, self._clock.now())
        return DmChoice(wanted)

    async def mine(self, user_id: int) -> DmChoice:
        row = await self._repo.get(user_id)
        return DmChoice(row.enabled, row.closed_at)

    async def closed_notice(self, user_id: int) -> str | None:
        """Once after a DM reminder bounced: what to tell the member (privately); else None."""
        closed_at = await self._repo.take_untold(user_id, self._clock.now())
        if closed_at is None:
            return None
        return (
            f"I couldn't DM you a reminder <t:{int(closed_at.timestamp())}:R>: your DMs are "
            "closed to me, so reminders by DM are off (the channel reminders still mention "
            "you). Allow DMs from this server's members, then turn them on again with "
            "/profile reminders dm: on."
        )
