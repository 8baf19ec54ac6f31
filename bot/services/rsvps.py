"""RSVPs from reactions, buttons and /rsvp: one record per member per occurrence.

Every change is one transaction: log the action, apply it (latest wins), fill freed places from
the waitlist, queue a promotion notice for each member moved up, and mark the announcement out
of date. The caller replies only after this returns, so a confirmation is never ahead of the
database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.db.database import Database
from bot.db.rsvps_repo import RsvpsRepo
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.rsvp import (
    EMOJI,
    Response,
    Roster,
    State,
    build_roster,
    places_to_fill,
    state_for,
)
from bot.errors import Conflict, NotFound
from bot.outbox.kinds import Promotion
from bot.outbox.service import OutboxService
from bot.services.access import Actor, require_organizer
from bot.services.setup import SetupService

if TYPE_CHECKING:
    from bot.clock import Clock

SOURCES = ("reaction", "button", "command", "reconcile")
MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class RsvpResult:
    """Where the member stands after their action (``state`` None: no RSVP any more)."""

    session: SessionRow
    state: State | None
    position: int | None
    going: int
    changed: bool


class RsvpService:
    def __init__(
        self,
        db: Database,
        rsvps: RsvpsRepo,
        sessions: SessionsRepo,
        deliveries: OutboxService,
        setup: SetupService,
        *,
        clock: Clock,
    ) -> None:
        self._db = db
        self._clock = clock
        self._rsvps = rsvps
        self._sessions = sessions
        self._deliveries = deliveries
        self._setup = setup

    async def respond(
        self,
        guild_id: int,
        session_id: int,
        user_id: int,
        display_name: str,
        response: Response,
        source: str,
    ) -> RsvpResult:
        """Record a member's answer (latest wins) and return where it puts them.

        Raises:
            NotFound: no such session in this server.
            Conflict: the session is cancelled or has started (RSVPs are closed).
        """
        now = self._clock.now()
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            session = await self._open_session(guild_id, session_id, now)
            seq = await self._rsvps.log(session.id, user_id, response.value, source, now)
            current = await self._rsvps.get(session.id, user_id)
            current_state = current.state if current else None
            confirmed = await self._rsvps.count(session.id, State.GOING)
            if current_state is State.GOING:
                confirmed -= 1
            state = state_for(response, current_state, confirmed, session.capacity)
            keeps_place = state in (State.GOING, State.WAITLIST) and current_state == state
            going_seq = (
                (current.going_seq if current and keeps_place else seq)
                if state
                in (
                    State.GOING,
                    State.WAITLIST,
                )
                else None
            )
            await self._rsvps.save(
                session_id=session.id,
                guild_id=guild_id,
                user_id=user_id,
                display_name=display_name[:MAX_NAME] or str(user_id),
                response=response.value,
                state=state,
                going_seq=going_seq,
                source=source,
                now=now,
            )
            changed = current is None or current_state != state or current.response != response
            if current_state is State.GOING and state is not State.GOING:
                planned += await self._fill_places(session, now)
            if changed:
                await self._sessions.touch(session.id)
            position = (
                await self._rsvps.waitlist_position(session.id, going_seq)
                if state is State.WAITLIST and going_seq is not None
                else None
            )
            going = await self._rsvps.count(session.id, State.GOING)
        self._deliveries.arm(planned)
        return RsvpResult(session, state, position, going, changed)

    async def withdraw(
        self, guild_id: int, session_id: int, user_id: int, only_if: Response, source: str
    ) -> RsvpResult | None:
        """Remove the member's RSVP if it is still ``only_if`` (a reaction taken back).

        Returns None when there was nothing to remove. Closed sessions are left alone.
        """
        now = self._clock.now()
        planned: list[tuple[int, datetime]] = []
        async with self._db.transaction():
            session = await self._sessions.get(session_id, guild_id)
            if session is None or session.cancelled or session.starts_at <= now:
                return None
            current = await self._rsvps.get(session.id, user_id)
            if current is None or current.response != only_if.value:
                return None
            await self._rsvps.log(session.id, user_id, "remove", source, now)
            await self._rsvps.delete(session.id, user_id)
            if current.state is State.GOING:
                planned += await self._fill_places(session, now)
            await self._sessions.touch(session.id)
            going = await self._rsvps.count(session.id, State.GOING)
        self._deliveries.arm(planned)
        return RsvpResult(session, None, None, going, True)

    async def _open_session(self, guild_id: int, session_id: int, now: datetime) -> SessionRow:
        session = await self._sessions.get(session_id, guild_id)
        if session is None:
            raise NotFound(
                "session: I can't find that session in this server. Pick one from the list as "
                "you type, or see /session list."
            )
        if session.cancelled:
            raise Conflict(
                f"RSVPs are closed: {session.title} is cancelled. See /session list for the "
                "coming sessions."
            )
        if session.starts_at <= now:
            raise Conflict(
                f"RSVPs are closed: {session.title} has already started. See /session list for "
                "the coming sessions."
            )
        return session

    async def _fill_places(self, session: SessionRow, now: datetime) -> list[tuple[int, datetime]]:
        """Move the first on the waitlist into free places; queue a notice for each."""
        confirmed = await self._rsvps.count(session.id, State.GOING)
        waiting = await self._rsvps.count(session.id, State.WAITLIST)
        promoted = await self._rsvps.promote(
            session.id, places_to_fill(confirmed, session.capacity, waiting), now
        )
        return [
            await self._deliveries.add_notice(session, Promotion(user_id), now)
            for user_id in promoted
        ]

    async def rebalance(self, session: SessionRow) -> list[tuple[int, datetime]]:
        """After a capacity change: fill any new places. Inside the caller's transaction."""
        return await self._fill_places(session, self._clock.now())

    async def roster(self, session_id: int) -> Roster:
        return build_roster(await self._rsvps.roster(session_id))

    async def going_user_ids(self, session_id: int) -> list[int]:
        return await self._rsvps.going_user_ids(session_id)

    async def states_for(self, user_id: int, session_ids: list[int]) -> dict[int, State]:
        return await self._rsvps.states_for_user(user_id, session_ids)

    async def export_csv(self, actor: Actor, session: SessionRow) -> tuple[str, bytes]:
        """The roster as CSV for organizers.

        Raises:
            NotAllowed: unless the member is an organizer.
        """
        config = await self._setup.config(session.guild_id)
        require_organizer(actor, config.organizer_role_id)
        roster = await self.roster(session.id)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                "member_id",
                "display_name",
                "status",
                "source",
                "waitlist_position",
                "last_change_utc",
            ]
        )
        for entry in roster.everyone:
            writer.writerow(
                [
                    str(entry.user_id),
                    _csv_safe(entry.display_name),
                    entry.state.value,
                    entry.source,
                    entry.position or "",
                    entry.updated_at,
                ]
            )
        local = session.starts_at.astimezone(config.zone)
        return f"pacer-roster-{session.id}-{local:%Y-%m-%d}.csv", buffer.getvalue().encode()

    async def reconcile(
        self,
        session: SessionRow,
        present: dict[str, dict[int, str]],
    ) -> int:
        """Apply reaction changes made while the bot was offline.

        ``present`` maps each RSVP emoji to the members (id -> display name) reacting with it
        now. Only differences from the reactions Pacer last saw count, so an older reaction never
        overrides a newer button or /rsvp answer. Returns how many changes were applied.
        """
        seen = await self._rsvps.seen(session.id)
        now_present = {(user_id, emoji) for emoji, users in present.items() for user_id in users}
        applied = 0
        for user_id, emoji in sorted(seen - now_present):
            await self._rsvps.set_seen(session.id, user_id, emoji, present=False)
            if emoji in EMOJI:
                done = await self.withdraw(
                    session.guild_id, session.id, user_id, EMOJI[emoji], "reconcile"
                )
                applied += done is not None
        for emoji in EMOJI:
            for user_id, name in present.get(emoji, {}).items():
                if (user_id, emoji) in seen:
                    continue
                await self._rsvps.set_seen(session.id, user_id, emoji, present=True)
                try:
                    await self.respond(
                        session.guild_id, session.id, user_id, name, EMOJI[emoji], "reconcile"
                    )
                    applied += 1
                except (Conflict, NotFound):
                    return applied
        return applied

    async def react(
        self, session: SessionRow, user_id: int, display_name: str, emoji: str, added: bool
    ) -> bool:
        """A reaction added to or taken off an announcement: marked seen and applied in one
        transaction, so a failure loses neither (start-up catch-up reads back anything not
        seen). Returns whether the answer changed; a closed session's reaction is only seen.

        Raises:
            sqlite3.Error: storage failed; nothing was saved (the caller retries).
        """
        response = EMOJI[emoji]
        async with self._db.transaction():
            await self._rsvps.set_seen(session.id, user_id, emoji, added)
            try:
                if added:
                    result = await self.respond(
                        session.guild_id, session.id, user_id, display_name, response, "reaction"
                    )
                    return result.changed
                removed = await self.withdraw(
                    session.guild_id, session.id, user_id, response, "reaction"
                )
                return removed is not None
            except (Conflict, NotFound):
                return False  # RSVPs closed: a late reaction is simply not counted

    async def session_for_message(self, guild_id: int, message_id: int) -> SessionRow | None:
        session = await self._sessions.by_announcement(message_id)
        if session is None or session.guild_id != guild_id:
            return None
        return session


def _csv_safe(text: str) -> str:
    # A name like "=HYPERLINK(...)" must not run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
