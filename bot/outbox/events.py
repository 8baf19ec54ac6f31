"""Mirroring sessions in Discord's Events list, exactly once, through the outbox.

A ``discord_event`` row (see :class:`~bot.outbox.kinds.DiscordEvent`) makes the session's
external scheduled event match the session at the moment it runs: created once the session is
announced, redrawn after an edit, cancelled with the session, active from its start, completed
after its end. Rows are written with their cause (announcement recorded, edit, cancel, setup
change) and at the start and the end.

Exactly once: before creating, the server's events are read and one of the bot's whose
description carries the session's marker is adopted (a create whose recording failed, or a
crash after Discord made it), so an event is never made twice. No discord here: Discord is
reached through :class:`~bot.outbox.poster.EventPoster`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.db.sessions_repo import SessionRow
from bot.outbox.poster import (
    DeliveryError,
    EventDraft,
    EventPoster,
    EventSeen,
    Full,
    Gone,
    Refused,
)
from bot.outbox.service import Job, OutboxService, session_view

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)

#: Discord's limit of scheduled or active events per server.
MAX_EVENTS = 100
LIVE = ("scheduled", "active")
MAX_NAME = 100
MAX_DESCRIPTION = 1000
HOW_TO_ANSWER = (
    "Answer on the announcement (✅ going · 🤔 maybe · ❌ can't) or with /rsvp. "
    '"Interested" here is not an answer: Pacer counts only those.'
)


class Skip(Exception):
    """The session gets no event (or keeps none); the text says why."""


def marker(session_id: int) -> str:
    """The line that ties an event to its session (found again after an unknown outcome)."""
    return f"Pacer session #{session_id}"


def event_draft(session: SessionRow, announcement_url: str | None) -> EventDraft:
    """What the event shows: title, place, start and end, and a description with the workout,
    the details, how to answer, the link to the announcement and the marker, within Discord's
    1,000 characters (the workout and details are shortened first; the rest always fits)."""
    view = session_view(session)
    tail = [HOW_TO_ANSWER]
    if announcement_url:
        tail.append(f"Announcement: {announcement_url}")
    tail.append(marker(session.id))
    fixed = "\n\n".join(tail)
    body: list[str] = []
    if view.workout is not None:
        lines = view.workout.lines if view.workout.parsed else (view.workout.text,)
        heading = f"Workout: {view.workout.name}" if view.workout.name else "Workout:"
        body.append("\n".join((heading, *lines)))
    if session.details:
        body.append(session.details)
    text = "\n\n".join(body)
    room = MAX_DESCRIPTION - len(fixed) - 2
    if len(text) > room:
        text = text[: max(0, room - 1)].rstrip() + "…"
    description = f"{text}\n\n{fixed}" if text else fixed
    return EventDraft(
        name=session.title[:MAX_NAME],
        location=session.location[:MAX_NAME],
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        description=description,
    )


@dataclass(frozen=True, slots=True)
class Synced:
    """What a sync left: the event now mirroring the session (None: none), and why not when
    there is none."""

    event_id: int | None
    reason: str | None = None


class EventMirror:
    """Runs ``discord_event`` rows for the publisher."""

    def __init__(self, outbox: OutboxService, poster: EventPoster, *, clock: Clock) -> None:
        self._outbox = outbox
        self._poster = poster
        self._clock = clock

    async def run(self, job: Job) -> None:
        """Claim the row, bring the event in step, record the outcome; a Discord failure is
        retried with back-off and shown to organizers like a post's."""
        now = self._clock.now()
        claimed = await self._outbox.claim(job, f"event-{job.delivery.session_id}", now)
        if claimed is None:
            return
        session = await self._outbox.session(job.delivery.session_id)
        if session is None:
            await self._outbox.event_synced(claimed.delivery, None, "session no longer exists")
            return
        try:
            synced = await self._sync(session, now)
        except DeliveryError as exc:
            access = isinstance(exc, Refused | Gone | Full)
            retry_at = await self._outbox.failed(claimed, str(exc), now, access=access)
            if retry_at is not None:
                self._outbox.arm([(claimed.delivery.id, retry_at)])
            return
        await self._outbox.event_synced(claimed.delivery, synced.event_id, synced.reason)

    async def _sync(self, session: SessionRow, now: datetime) -> Synced:
        guild_id = session.guild_id
        try:
            await self._check_wanted(session)
        except Skip as why:
            if session.discord_event_id is not None:
                await self._withdraw(session, session.discord_event_id)
            return Synced(None, str(why))
        events = await self._poster.events(guild_id)
        current = self._find(session, events)
        if now >= session.ends_at:
            if current is None:
                return Synced(None, "the session ended without an event")
            await self._move(guild_id, current, ("active", "completed"))
            return Synced(current.id)
        if now >= session.starts_at:
            if current is None:
                return Synced(None, "the session started without an event")
            await self._move(guild_id, current, ("active",))
            return Synced(current.id)
        draft = event_draft(session, session_view(session).announcement_link)
        if current is not None:
            if current.status == "scheduled":
                await self._poster.update_event(guild_id, current.id, draft, None)
            return Synced(current.id)
        if session.discord_event_id is not None:
            # Recorded but no longer in the server: a moderator deleted it; don't force it back.
            return Synced(None, "its Discord event was deleted in the server; not made again")
        await self._make_room(session, events)
        event_id = await self._poster.create_event(guild_id, draft)
        log.info("Created Discord event %d for session %d", event_id, session.id)
        return Synced(event_id)

    async def _check_wanted(self, session: SessionRow) -> None:
        """Raises Skip when the session should have no event."""
        setting = await self._outbox.discord_events_setting(session.guild_id)
        if setting is False:
            raise Skip("Discord events are off (/setup discord-events)")
        if session.cancelled:
            raise Skip("session cancelled")
        if setting is None and not await self._poster.can_manage_events(session.guild_id):
            raise Skip(
                "Pacer has no Manage Events permission, so sessions are not mirrored in "
                "Discord's events"
            )
        if not await self._poster.everyone_can_view(session.channel_id):
            raise Skip("its channel is not open to every member, so it gets no Discord event")

    def _find(self, session: SessionRow, events: list[EventSeen]) -> EventSeen | None:
        if session.discord_event_id is not None:
            for event in events:
                if event.id == session.discord_event_id:
                    return event
        tag = marker(session.id)
        # A create whose outcome was never recorded: adopt it instead of making another.
        for event in events:
            if event.ours and event.description.rstrip().endswith(tag):
                return event
        return None

    async def _withdraw(self, session: SessionRow, event_id: int) -> None:
        """Take the event off: cancelled with its session, deleted when mirroring stops."""
        events = await self._poster.events(session.guild_id)
        current = next((e for e in events if e.id == event_id), None)
        if current is None:
            return
        if session.cancelled:
            if current.status == "scheduled":
                await self._poster.update_event(session.guild_id, event_id, None, "cancelled")
            elif current.status == "active":
                await self._poster.update_event(session.guild_id, event_id, None, "completed")
            return
        if current.status in LIVE:
            await self._poster.delete_event(session.guild_id, event_id)

    async def _move(self, guild_id: int, event: EventSeen, steps: tuple[str, ...]) -> None:
        """Walk the event through ``steps`` from where it is (Discord allows scheduled ->
        active -> completed only; a step it already passed is skipped)."""
        order = ("scheduled", "active", "completed")
        if event.status not in order:
            return
        at = order.index(event.status)
        for step in steps:
            if order.index(step) > at:
                await self._poster.update_event(guild_id, event.id, None, step)
                at = order.index(step)

    async def _make_room(self, session: SessionRow, events: list[EventSeen]) -> None:
        """At Discord's limit, the nearest sessions are mirrored: the bot's farthest event
        that starts after this one gives way (its session tries again later).

        Raises:
            Full: the limit is reached by nearer events.
        """
        live = [e for e in events if e.status in LIVE]
        if len(live) < MAX_EVENTS:
            return
        later = [
            e
            for e in live
            if e.ours and e.status == "scheduled" and e.starts_at > session.starts_at
        ]
        if not later:
            raise Full(
                f"Discord allows {MAX_EVENTS} scheduled events per server and the nearest "
                "sessions have them; this one gets its event when one is over"
            )
        farthest = max(later, key=lambda e: e.starts_at)
        await self._poster.delete_event(session.guild_id, farthest.id)
        await self._outbox.event_gave_way(farthest.id, self._clock.now() + GIVE_WAY_RETRY)
        log.info("Deleted Discord event %d to mirror a nearer session", farthest.id)


#: When a session whose event gave way to a nearer one tries again.
GIVE_WAY_RETRY = timedelta(hours=6)
