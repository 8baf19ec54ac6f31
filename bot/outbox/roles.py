"""Attendee roles (``/session create ... attendee-role:``), given and taken through the outbox.

An ``attendee_role`` row (see :class:`~bot.outbox.kinds.AttendeeRole`) brings one member's
role, or the role of everyone going to its session, in step with what the sessions say when it
runs: a member holds the role while going to at least one session with that attendee role that
is neither cancelled nor over. Rows are written in the same transaction as their cause (an
answer, a promotion, an edit, a cancel) and at the session's end.

Exactly once, in effect: the row computes the wanted state, and giving a role already held or
taking one not held changes nothing, so a row run twice (a crash between the change and its
record) leaves the same result. No discord here: Discord is reached through
:class:`~bot.outbox.poster.RolePoster`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.outbox.kinds import AttendeeRole
from bot.outbox.poster import DeliveryError, Gone, Refused, RolePoster
from bot.outbox.service import Job, OutboxService

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)


class RoleKeeper:
    """Runs ``attendee_role`` rows for the publisher."""

    def __init__(self, outbox: OutboxService, poster: RolePoster, *, clock: Clock) -> None:
        self._outbox = outbox
        self._poster = poster
        self._clock = clock

    async def run(self, job: Job) -> None:
        """Claim the row, give or take the role of each member it covers, record it done; a
        Discord failure is retried with back-off and shown to organizers (until two days
        after the session's end)."""
        now = self._clock.now()
        claimed = await self._outbox.claim(job, f"role-{job.delivery.session_id}", now)
        if claimed is None:
            return
        payload = job.payload
        if not isinstance(payload, AttendeeRole):
            await self._outbox.step_done(claimed.delivery, "not an attendee role row")
            return
        session = await self._outbox.session(job.delivery.session_id)
        if session is None:
            await self._outbox.step_done(claimed.delivery, "session no longer exists")
            return
        if payload.user_id is not None:
            members = [payload.user_id]
        else:
            members = await self._outbox.going(session.id)
        wanted = await self._outbox.attendee_role_holders(
            session.guild_id, payload.role_id, members, now
        )
        try:
            for user_id in members:
                await self._poster.set_role(
                    session.guild_id, user_id, payload.role_id, give=user_id in wanted
                )
        except DeliveryError as exc:
            if isinstance(exc, Gone):
                await self._outbox.step_done(claimed.delivery, str(exc))
                return
            retry_at = await self._outbox.failed(
                claimed, str(exc), now, access=isinstance(exc, Refused)
            )
            if retry_at is not None:
                self._outbox.arm([(claimed.delivery.id, retry_at)])
            return
        log.info(
            "Attendee role %d in step for %d members of session %d (%d hold it)",
            payload.role_id,
            len(members),
            session.id,
            len(wanted),
        )
        await self._outbox.step_done(claimed.delivery, None)
