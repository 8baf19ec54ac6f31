"""RSVPs from reactions, buttons and /rsvp: one record per member per occurrence.

Every change is one transaction: log the action, apply it (latest wins), fill freed places from
the waitlist, queue a promotion notice for each member moved up, and mark the announcement out
of date. The caller replies only after this returns, so a confirmation is never ahead of the
database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from bot.db.database import Database
from bot.db.rsvps_repo import PlaceFreed, RsvpsRepo
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.rsvp import (
    Response,
    Roster,
    State,
    build_roster,
    normalise_emoji,
    places_to_fill,
    response_for_emoji,
    state_for,
)
from bot.errors import Conflict, NotAllowed, NotFound
from bot.outbox.kinds import Promotion
from bot.outbox.service import OutboxService
from bot.services.access import Actor, require_organizer
from bot.services.members import MemberDirectory, Membership
from bot.services.setup import SetupService

if TYPE_CHECKING:
    from bot.clock import Clock

SOURCES = ("reaction", "button", "command", "reconcile", "organizer", "departed")
MAX_NAME = 80
#: ``reactions_seen.user_id`` of Pacer's own ✅ 🤔 ❌ (no Discord user has id 0). Knowing which
#: of its own reactions it last saw lets start-up tell a moderator's clear (Pacer's reaction
#: was there and is gone) from a channel where Pacer never could react (nothing was there).
PACER = 0
#: Rounds of "roll back, look the new waitlist candidates up, try again" before whoever is
#: still unchecked counts as a member.
LOOKUP_ROUNDS = 4

T = TypeVar("T")
#: Membership looked up before a transaction (user id -> left the server); None: look up inline.
Checked = Mapping[int, bool] | None


class _Unchecked(Exception):
    """Raised inside a unit of work that needs these members looked up first."""

    def __init__(self, user_ids: list[int]) -> None:
        super().__init__(f"{len(user_ids)} members to look up")
        self.user_ids = user_ids


class _WritesOutbox(PlaceFreed):
    """The session has an attendee role or a thread: the answer takes the path that also
    writes the row giving or taking the role, or adding the member to the thread, in the same
    transaction (nothing written yet)."""


class _StayUnlessKnown(dict[int, bool]):
    """Look-ups made so far; anyone else counts as still a member (the last round)."""


@dataclass(frozen=True, slots=True)
class RsvpResult:
    """Where the member stands after their action (``state`` None: no RSVP any more)."""

    session: SessionRow
    state: State | None
    position: int | None
    going: int
    changed: bool
    #: The member's reactions on the announcement that no longer match their answer (as
    #: Discord spells them): the Discord layer removes them where it may.
    stale_reactions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What reading reactions back changed: how many answers, each member's reactions that
    no longer match their answer (for the Discord layer to take away where it may), and which
    of Pacer's own reactions a moderator cleared (for it to put back)."""

    applied: int
    stale: dict[int, tuple[str, ...]]
    cleared: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Reacted:
    """What a reaction did: whether the answer changed, and the member's reactions that no
    longer match it (as Discord spells them) for the Discord layer to take away where it may."""

    changed: bool
    stale_reactions: tuple[str, ...] = ()


class RsvpService:
    def __init__(
        self,
        db: Database,
        rsvps: RsvpsRepo,
        sessions: SessionsRepo,
        deliveries: OutboxService,
        setup: SetupService,
        members: MemberDirectory,
        *,
        clock: Clock,
    ) -> None:
        self._db = db
        self._members = members
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
        role_ids: frozenset[int] | None = None,
    ) -> RsvpResult:
        """Record a member's answer (latest wins) and return where it puts them, once committed.

        ``role_ids``: the member's roles, checked against a session that takes answers only
        from one role (None: not checked).

        Answers arriving together share one commit (:meth:`Database.grouped`); each is still
        all-or-nothing, and this returns only after its commit.

        Raises:
            NotFound: no such session in this server.
            Conflict: the session is cancelled or its answers have closed.
            NotAllowed: the session takes answers only from a role the member lacks.
        """

        try:
            return await self._respond_at_once(
                guild_id, session_id, user_id, display_name, response, source, role_ids=role_ids
            )
        except PlaceFreed:
            pass  # the place goes to the waitlist: the path below fills it

        async def body(checked: Checked) -> tuple[RsvpResult, list[tuple[int, datetime]]]:
            return await self._respond_in(
                guild_id,
                session_id,
                user_id,
                display_name,
                response,
                source,
                checked,
                role_ids=role_ids,
            )

        result, planned = await self._write(guild_id, body)
        self._deliveries.arm(planned)
        return result

    async def _respond_at_once(
        self,
        guild_id: int,
        session_id: int,
        user_id: int,
        display_name: str,
        response: Response,
        source: str,
        seen: tuple[str, bool] | None = None,
        role_ids: frozenset[int] | None = None,
    ) -> RsvpResult:
        """The common answer, one that frees no place, as one unit run wholly on the database's
        thread and committed with the others arriving meanwhile.

        Raises:
            PlaceFreed: it would free a place (nothing written).
            NotFound, Conflict: as :meth:`respond` (nothing written).
        """
        now = self._clock.now()

        def check(session: SessionRow | None) -> SessionRow:
            checked = _check_open(session, now, role_ids)
            if checked.attendee_role_id is not None or checked.thread_id is not None:
                raise _WritesOutbox(checked.id)
            return checked

        def decide(session: SessionRow, current: State | None, confirmed: int) -> State:
            return state_for(response, current, confirmed, session.capacity)

        session, done = await self._rsvps.answer_at_once(
            session_id=session_id,
            guild_id=guild_id,
            user_id=user_id,
            display_name=display_name[:MAX_NAME] or str(user_id),
            response=response.value,
            source=source,
            now=now,
            check=check,
            decide=decide,
            seen=seen,
        )
        previous, state = done.previous, done.state
        changed = previous is None or previous.state != state or previous.response != response
        going = done.confirmed_before + (1 if state is State.GOING else 0)
        stale = tuple(sorted(e for e in done.seen if response_for_emoji(e) is not response))
        return RsvpResult(session, state, done.position, going, changed, stale)

    async def _write(self, guild_id: int, body: Callable[[Checked], Awaitable[T]]) -> T:
        """Run ``body`` as one unit of a group commit, with every membership look-up it needs
        made before, outside the transaction: a body that meets a member not yet checked
        raises :class:`_Unchecked`, its unit is rolled back, the look-up is made with no lock
        held, and the body runs again. Inside a caller's transaction it runs there, looking up
        as it goes (organizer edits; rare)."""
        if self._db.in_transaction:
            return await body(None)
        checked: dict[int, bool] = {}
        for _ in range(LOOKUP_ROUNDS):
            try:
                return await self._db.grouped(lambda: body(checked))
            except _Unchecked as need:
                found = await self._members.lookup(guild_id, need.user_ids)
                checked.update({u: u in found.departed for u in need.user_ids})
        # The waitlist kept moving: whoever is still unchecked counts as a member, the rule for
        # a look-up that failed (the ping-time check takes them off if they left).
        return await self._db.grouped(lambda: body(_StayUnlessKnown(checked)))

    async def _respond_in(
        self,
        guild_id: int,
        session_id: int,
        user_id: int,
        display_name: str,
        response: Response,
        source: str,
        checked: Checked,
        seen: tuple[str, bool] | None = None,
        role_ids: frozenset[int] | None = None,
    ) -> tuple[RsvpResult, list[tuple[int, datetime]]]:
        now = self._clock.now()
        session = await self._open_session(guild_id, session_id, now, role_ids)

        def decide(current: State | None, confirmed: int) -> State:
            return state_for(response, current, confirmed, session.capacity)

        done = await self._rsvps.record_answer(
            session_id=session.id,
            guild_id=guild_id,
            user_id=user_id,
            display_name=display_name[:MAX_NAME] or str(user_id),
            response=response.value,
            source=source,
            now=now,
            decide=decide,
            seen=seen,
        )
        previous, state = done.previous, done.state
        changed = previous is None or previous.state != state or previous.response != response
        planned: list[tuple[int, datetime]] = []
        was_going = previous is not None and previous.state is State.GOING
        if was_going and state is not State.GOING:
            planned += await self._fill_places(session, now, checked)
        if was_going != (state is State.GOING):
            planned += await self._attendee_role(session, [user_id], now)
        if not was_going and state is State.GOING:
            planned += await self._deliveries.plan_thread_add(session, [user_id], now)
        if state is State.GOING:
            going = done.confirmed_before + 1
        elif planned or (previous is not None and previous.state is State.GOING):
            going = await self._rsvps.count(session.id, State.GOING)
        else:
            going = done.confirmed_before
        stale = tuple(sorted(e for e in done.seen if response_for_emoji(e) is not response))
        return RsvpResult(session, state, done.position, going, changed, stale), planned

    async def _stale_reactions(
        self, session_id: int, user_id: int, answer: Response | None
    ) -> tuple[str, ...]:
        seen = await self._rsvps.seen_for_user(session_id, user_id)
        return tuple(sorted(e for e in seen if response_for_emoji(e) is not answer))

    async def withdraw(
        self, guild_id: int, session_id: int, user_id: int, only_if: Response, source: str
    ) -> RsvpResult | None:
        """Remove the member's RSVP if it is still ``only_if`` (a reaction taken back).

        Returns None when there was nothing to remove. Closed sessions are left alone.
        """

        async def body(
            checked: Checked,
        ) -> tuple[RsvpResult | None, list[tuple[int, datetime]]]:
            return await self._withdraw_in(guild_id, session_id, user_id, only_if, source, checked)

        result, planned = await self._write(guild_id, body)
        self._deliveries.arm(planned)
        return result

    async def _withdraw_in(
        self,
        guild_id: int,
        session_id: int,
        user_id: int,
        only_if: Response,
        source: str,
        checked: Checked,
    ) -> tuple[RsvpResult | None, list[tuple[int, datetime]]]:
        now = self._clock.now()
        session = await self._sessions.get(session_id, guild_id)
        if session is None or session.cancelled or session.answers_close_at <= now:
            return None, []
        current = await self._rsvps.get(session.id, user_id)
        if current is None or current.response != only_if.value:
            return None, []
        await self._rsvps.log(session.id, user_id, "remove", source, now)
        await self._rsvps.delete(session.id, user_id)
        planned: list[tuple[int, datetime]] = []
        if current.state is State.GOING:
            planned += await self._fill_places(session, now, checked)
            planned += await self._attendee_role(session, [user_id], now)
        await self._sessions.touch(session.id)
        going = await self._rsvps.count(session.id, State.GOING)
        return RsvpResult(session, None, None, going, True), planned

    async def reaction_taken_back(
        self, guild_id: int, session_id: int, user_id: int, emoji: str, source: str
    ) -> RsvpResult | None:
        """A member took a reaction back (``emoji`` as Discord spells it, already no longer
        seen): their answer goes if it was that reaction's, unless another presentation of the
        same answer (✅ beside ✅ + U+FE0F, which Discord keeps apart) still shows it.

        Returns None when nothing was removed.
        """
        answer = response_for_emoji(emoji)
        if answer is None:
            return None
        still = await self._rsvps.seen_for_user(session_id, user_id)
        if any(response_for_emoji(other) is answer for other in still):
            return None
        return await self.withdraw(guild_id, session_id, user_id, answer, source)

    async def _open_session(
        self,
        guild_id: int,
        session_id: int,
        now: datetime,
        role_ids: frozenset[int] | None = None,
    ) -> SessionRow:
        return _check_open(await self._sessions.get(session_id, guild_id), now, role_ids)

    async def _fill_places(
        self, session: SessionRow, now: datetime, checked: Checked = None
    ) -> list[tuple[int, datetime]]:
        """Move the first on the waitlist into free places; queue a notice for each.

        Members who left the server take no place: they are taken off the waitlist (logged as
        "departed") and the next one is asked, so a place never goes to someone who can't come.
        ``checked`` (user id -> left the server) are the look-ups made before the transaction;
        a candidate not in it raises :class:`_Unchecked` so the caller looks them up with no
        lock held. None: look up here (inside a caller's transaction).
        """
        planned: list[tuple[int, datetime]] = []
        while True:
            confirmed = await self._rsvps.count(session.id, State.GOING)
            waiting = await self._rsvps.count(session.id, State.WAITLIST)
            places = places_to_fill(confirmed, session.capacity, waiting)
            if places <= 0:
                return planned
            candidates = await self._rsvps.waitlist_user_ids(session.id, places)
            if checked is None:
                found = await self._members.lookup(session.guild_id, candidates)
            else:
                unchecked = [u for u in candidates if u not in checked]
                if unchecked and not isinstance(checked, _StayUnlessKnown):
                    raise _Unchecked(unchecked)
                found = Membership(departed=frozenset(u for u in candidates if checked.get(u)))
            for user_id in candidates:
                if user_id in found.departed:
                    await self._remove(session.id, user_id, "departed", now)
            staying = [u for u in candidates if u not in found.departed]
            await self._rsvps.promote_users(session.id, staying, now)
            for user_id in staying:
                planned.append(await self._deliveries.add_notice(session, Promotion(user_id), now))
            planned += await self._attendee_role(session, staying, now)
            planned += await self._deliveries.plan_thread_add(session, staying, now)
            if not found.departed:
                return planned

    async def _attendee_role(
        self, session: SessionRow, user_ids: list[int], now: datetime
    ) -> list[tuple[int, datetime]]:
        """Members whose going changed get their attendee role brought in step (a row each,
        in the caller's transaction); nothing when the session gives no role."""
        if session.attendee_role_id is None or not user_ids:
            return []
        return await self._deliveries.plan_attendee_role(
            session, session.attendee_role_id, user_ids, now
        )

    async def _remove(self, session_id: int, user_id: int, source: str, now: datetime) -> None:
        await self._rsvps.log(session_id, user_id, "remove", source, now)
        await self._rsvps.delete(session_id, user_id)
        await self._sessions.touch(session_id)

    async def rebalance(self, session: SessionRow) -> list[tuple[int, datetime]]:
        """After a capacity change: fill any new places. Inside the caller's transaction."""
        return await self._fill_places(session, self._clock.now())

    async def roster(self, session_id: int) -> Roster:
        return build_roster(await self._rsvps.roster(session_id))

    async def going_user_ids(self, session_id: int) -> list[int]:
        """Members going, to be pinged: those who left the server are not, and lose their place
        (the waitlist moves up, and whoever moves up is pinged in their stead)."""
        going = await self._rsvps.going_user_ids(session_id)
        departed = await self.departed_of(session_id, going)
        if not departed:
            return going
        # Read again: the places they held went to members checked on the way up.
        return [
            user_id
            for user_id in await self._rsvps.going_user_ids(session_id)
            if user_id not in departed
        ]

    async def departed_of(self, session_id: int, user_ids: Sequence[int]) -> frozenset[int]:
        """Of ``user_ids`` (members about to be pinged about the session), those who left the
        server. They are not to be pinged, and while the session is open they lose their answer
        (logged as "departed") and the waitlist moves up. Users whose membership could not be
        checked count as still members."""
        session = await self._sessions.get(session_id)
        if session is None or not user_ids:
            return frozenset()
        found = await self._members.lookup(session.guild_id, user_ids)
        if found.departed:
            await self._drop_departed(session, found.departed)
        return found.departed

    async def _drop_departed(self, session: SessionRow, departed: frozenset[int]) -> None:
        async def body(checked: Checked) -> list[tuple[int, datetime]]:
            now = self._clock.now()
            fresh = await self._sessions.get(session.id)
            if fresh is None or fresh.cancelled or fresh.answers_close_at <= now:
                return []
            for user_id in sorted(departed):
                current = await self._rsvps.get(session.id, user_id)
                if current is not None:
                    await self._remove(session.id, user_id, "departed", now)
            return await self._fill_places(fresh, now, checked)

        self._deliveries.arm(await self._write(session.guild_id, body))

    async def remove_answer(self, actor: Actor, session: SessionRow, user_id: int) -> RsvpResult:
        """An organizer takes a member's answer off a session (someone who left, a duplicate).

        The freed place goes to the first on the waitlist who is still a member.

        Raises:
            NotAllowed: unless the member is an organizer.
            Conflict: the session is cancelled or has started.
            NotFound: that member has no answer for the session.
        """
        config = await self._setup.config(session.guild_id)
        require_organizer(actor, config.organizer_role_id)

        async def body(checked: Checked) -> tuple[RsvpResult, list[tuple[int, datetime]]]:
            now = self._clock.now()
            planned: list[tuple[int, datetime]] = []
            fresh = await self._open_session(session.guild_id, session.id, now)
            current = await self._rsvps.get(fresh.id, user_id)
            if current is None:
                raise NotFound(
                    f"member: <@{user_id}> has no answer for {fresh.title}, so there is nothing "
                    "to remove. See who answered with /session roster."
                )
            await self._remove(fresh.id, user_id, "organizer", now)
            if current.state is State.GOING:
                planned += await self._fill_places(fresh, now, checked)
                planned += await self._attendee_role(fresh, [user_id], now)
            going = await self._rsvps.count(fresh.id, State.GOING)
            stale = await self._stale_reactions(fresh.id, user_id, None)
            return RsvpResult(fresh, current.state, None, going, True, stale), planned

        result, planned = await self._write(session.guild_id, body)
        self._deliveries.arm(planned)
        return result

    async def lacking_role(self, session: SessionRow, role_id: int) -> list[int]:
        """Members who answered going, waitlist or maybe and, as far as a look-up can tell,
        don't hold ``role_id`` (those who could not be checked are left out)."""
        roster = build_roster(await self._rsvps.roster(session.id))
        answered = [e.user_id for e in (*roster.going, *roster.waitlist, *roster.maybe)]
        found = await self._members.lookup(session.guild_id, answered)
        return [
            user_id
            for user_id in answered
            if user_id in found.roles and role_id not in found.roles[user_id]
        ]

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
        ours: frozenset[str] = frozenset(),
    ) -> Reconciled:
        """Apply reaction changes made while the bot was offline.

        ``present`` maps each answer emoji on the announcement (as Discord spells it, any
        presentation) to the members reacting with it now (id -> account name); ``ours`` are
        Pacer's own reactions on it now. Only differences from the reactions Pacer last saw
        count, so an older reaction never overrides a newer button or /rsvp answer. An emoji
        whose own reaction by Pacer was seen and is gone was cleared by a moderator, which takes
        back no one's answer (its reactions are forgotten as seen, not withdrawn; it is in the
        result's ``cleared`` to be put back). Where Pacer never had its own reaction (it may not
        react in that channel) a missing reaction is the member's own un-react. Answers are
        stored under the member's server display name; members who left the server, and
        members without the session's answer role, are not counted.
        """
        present = {e: users for e, users in present.items() if response_for_emoji(e) is not None}
        everything = await self._rsvps.seen(session.id)
        pacer_seen = {emoji for user_id, emoji in everything if user_id == PACER}
        cleared = frozenset(pacer_seen - ours)
        for emoji in cleared:
            await self._rsvps.set_seen(session.id, PACER, emoji, present=False)
        for emoji in ours - pacer_seen:
            await self._rsvps.set_seen(session.id, PACER, emoji, present=True)
        seen = {(user_id, emoji) for user_id, emoji in everything if user_id != PACER}
        now_present = {(user_id, emoji) for emoji, users in present.items() for user_id in users}
        applied = 0
        for user_id, emoji in sorted(seen - now_present):
            await self._rsvps.set_seen(session.id, user_id, emoji, present=False)
            if normalise_emoji(emoji) not in cleared:
                done = await self.reaction_taken_back(
                    session.guild_id, session.id, user_id, emoji, "reconcile"
                )
                applied += done is not None
        answers = list(Response)
        new = [
            (emoji, user_id)
            for emoji in sorted(present, key=lambda e: answers.index(_answer(e)))
            for user_id in present[emoji]
            if (user_id, emoji) not in seen
        ]
        found = await self._members.lookup(session.guild_id, [user_id for _, user_id in new])
        for emoji, user_id in new:
            answer = response_for_emoji(emoji)
            if answer is None or user_id in found.departed:
                continue
            role_ids = found.roles.get(user_id)
            if session.answer_role_id is not None and role_ids is None:
                # Roles unknown (the look-up failed): not counted now, and not marked seen, so
                # the next catch-up checks again.
                continue
            await self._rsvps.set_seen(session.id, user_id, emoji, present=True)
            name = found.names.get(user_id) or present[emoji][user_id]
            try:
                await self.respond(
                    session.guild_id, session.id, user_id, name, answer, "reconcile", role_ids
                )
            except NotAllowed:
                continue  # seen, never counted; handed back below to be taken off
            except (Conflict, NotFound):
                break
            applied += 1
        # Every reaction that disagrees with its member's answer, new or left over from a time
        # Pacer could not remove it (no Manage Messages then), is handed back to be taken away.
        stale: dict[int, tuple[str, ...]] = {}
        for user_id in sorted({user_id for _, user_id in new} | {u for u, _ in seen}):
            left = await self.stale_reactions(session.id, user_id)
            if left:
                stale[user_id] = left
        return Reconciled(applied, stale, cleared)

    async def reactions_cleared(self, session: SessionRow, emoji: str | None) -> bool:
        """A moderator removed every reaction (``emoji`` None) or all of one emoji: answers stay
        as they are; the cleared reactions are simply no longer seen.

        Returns whether the session still takes answers (not cancelled, not started), so Pacer
        should put its own reactions back; on a closed one they would invite answers in vain.
        """
        await self._rsvps.clear_seen(session.id, emoji)
        return not session.cancelled and session.answers_close_at > self._clock.now()

    async def stale_reactions(self, session_id: int, user_id: int) -> tuple[str, ...]:
        """The member's reactions that disagree with their stored answer."""
        current = await self._rsvps.get(session_id, user_id)
        answer = Response(current.response) if current is not None else None
        return await self._stale_reactions(session_id, user_id, answer)

    async def react(
        self,
        session: SessionRow,
        user_id: int,
        display_name: str,
        emoji: str,
        added: bool,
        role_ids: frozenset[int] | None = None,
    ) -> Reacted:
        """A reaction added to or taken off an announcement: marked seen and applied in one
        transaction, so a failure loses neither (start-up catch-up reads back anything not
        seen). ``emoji`` is as Discord spells it (any presentation of an answer emoji). A closed
        session's reaction, or one from a member without the session's answer role
        (``role_ids``), is only seen, never counted, and one added is returned as stale (to be
        removed).

        Raises:
            ValueError: ``emoji`` is not an answer emoji (callers check first).
            sqlite3.Error: storage failed; nothing was saved (the caller retries).
        """
        response = response_for_emoji(emoji)
        if response is None:
            raise ValueError(f"{emoji!r} is not an answer emoji")

        if added:
            try:
                result = await self._respond_at_once(
                    session.guild_id,
                    session.id,
                    user_id,
                    display_name,
                    response,
                    "reaction",
                    seen=(emoji, True),
                    role_ids=role_ids,
                )
                return Reacted(result.changed, result.stale_reactions)
            except (PlaceFreed, Conflict, NotFound, NotAllowed):
                pass  # the path below fills the place, or only marks a late reaction seen

        async def body(checked: Checked) -> tuple[Reacted, list[tuple[int, datetime]]]:
            try:
                if added:
                    result, planned = await self._respond_in(
                        session.guild_id,
                        session.id,
                        user_id,
                        display_name,
                        response,
                        "reaction",
                        checked,
                        seen=(emoji, True),
                        role_ids=role_ids,
                    )
                    return Reacted(result.changed, result.stale_reactions), planned
            except (Conflict, NotFound, NotAllowed):
                # Answers are closed, or not open to this member's roles: a reaction added now
                # is only seen, not counted, and handed back to be taken off, so the message
                # never shows an answer that doesn't count.
                await self._rsvps.set_seen(session.id, user_id, emoji, added)
                return Reacted(False, (emoji,) if added else ()), []
            await self._rsvps.set_seen(session.id, user_id, emoji, added)
            try:
                still = await self._rsvps.seen_for_user(session.id, user_id)
                if any(response_for_emoji(other) is response for other in still):
                    return Reacted(False), []
                removed, planned = await self._withdraw_in(
                    session.guild_id, session.id, user_id, response, "reaction", checked
                )
                return Reacted(removed is not None), planned
            except (Conflict, NotFound):
                return Reacted(False), []  # RSVPs closed: a late reaction is simply not counted

        reacted, planned = await self._write(session.guild_id, body)
        self._deliveries.arm(planned)
        return reacted

    async def reaction_seen(self, session_id: int, user_id: int, emoji: str, present: bool) -> None:
        """Remember a reaction on the announcement as there (or gone); Pacer's own under
        :data:`PACER`."""
        await self._rsvps.set_seen(session_id, user_id, emoji, present)

    async def session_for_message(self, guild_id: int, message_id: int) -> SessionRow | None:
        session = await self._sessions.by_announcement(message_id)
        if session is None or session.guild_id != guild_id:
            return None
        return session


def _check_open(
    session: SessionRow | None, now: datetime, role_ids: frozenset[int] | None = None
) -> SessionRow:
    """The session if it takes answers at ``now`` from a member holding ``role_ids`` (None:
    not known, so not checked: Pacer's own bookkeeping).

    Raises:
        NotFound: no such session in this server (``session`` None).
        Conflict: the session is cancelled, or its answers have closed (at the start, or
            ``rsvp_closes_s`` before it).
        NotAllowed: the session takes answers only from members with a role they don't have.
    """
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
    if session.answers_close_at <= now:
        closed = int(session.answers_close_at.timestamp())
        raise Conflict(
            f"RSVPs are closed: answers for {session.title} closed <t:{closed}:R> "
            f"(<t:{closed}:F>), before its start. Ask an organizer if you need a place."
        )
    role = session.answer_role_id
    if role is not None and role_ids is not None and role not in role_ids:
        raise NotAllowed(
            f"Only members with the <@&{role}> role can answer for {session.title}. "
            "Ask an organizer for the role, or pick another session from /session list."
        )
    return session


def _answer(emoji: str) -> Response:
    """For sorting emoji already known to be answers, in the order ✅ 🤔 ❌."""
    return response_for_emoji(emoji) or Response.NO


def _csv_safe(text: str) -> str:
    # A name like "=HYPERLINK(...)" must not run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
