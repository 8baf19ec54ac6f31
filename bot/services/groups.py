"""Pace groups for a session: the members going, split by their saved fitness, each group with
its targets for the session's workout. For organizers, privately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.db.database import Database
from bot.db.groups_repo import GroupsRepo, PublicationRow
from bot.db.prefs_repo import PrefsRepo
from bot.db.profiles_repo import ProfilesRepo
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.groups import (
    Arrangement,
    NumberedGroup,
    PaceGroup,
    Runner,
    arrange,
    split,
)
from bot.domain.parsing import Race, format_pace
from bot.domain.rsvp import Roster
from bot.domain.workouts import WorkoutPlan, parse_workout, plan_workout
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.outbox.kinds import ProfileNote
from bot.outbox.service import OutboxService
from bot.outbox.views import GroupLine, GroupsView
from bot.services.access import Actor, require_organizer
from bot.services.lookup import resolve_session
from bot.services.rsvps import RsvpService
from bot.services.setup import SetupService
from bot.services.units import UnitsService

#: Without options, groups hold runners within 15 s/km of each other at threshold pace
#: (issue 13's example; about the gap between neighbouring VDOTs 3 apart).
DEFAULT_SPREAD_S_PER_KM = 15.0


@dataclass(frozen=True, slots=True)
class GroupPlan:
    """One group: its number as shown, its runners (fastest first), members moved into it
    without a profile, its leader, and the workout planned at its middle runner (None when no
    one in it has a profile)."""

    number: int
    group: PaceGroup | None
    plan: WorkoutPlan | None
    unranked: tuple[int, ...] = ()
    leader: int | None = None

    @property
    def members(self) -> tuple[int, ...]:
        ranked = tuple(r.user_id for r in self.group.runners) if self.group else ()
        return ranked + self.unranked


@dataclass(frozen=True, slots=True)
class SessionGroups:
    session: SessionRow
    groups: tuple[GroupPlan, ...]
    #: Going members with no saved profile (user ids), listed apart.
    no_profile: tuple[int, ...]
    #: How the groups were made, in words ("at most 15 s/km apart", "3 groups").
    rule: str
    per_mile: bool
    #: True when these are the groups published on the announcement.
    published: bool = False


@dataclass(frozen=True, slots=True)
class Moved:
    """A member an organizer put in a group (``before``: their group until now, or None)."""

    session: SessionRow
    user_id: int
    group_no: int
    before: int | None


@dataclass(frozen=True, slots=True)
class MyGroup:
    """What the Groups button shows a member: their group (None: not in one) and why not."""

    session: SessionRow
    group: GroupPlan | None
    per_mile: bool
    #: The member is going without a profile (so in no group).
    no_profile: bool = False
    going: bool = True


@dataclass(frozen=True, slots=True)
class _Going:
    runners: tuple[Runner, ...]
    races: dict[int, Race]
    no_profile: tuple[int, ...]


def _rule_words(count: int | None, spread_s_per_km: float | None) -> str:
    if count is not None:
        return f"{count} group{'s' if count != 1 else ''}"
    spread = DEFAULT_SPREAD_S_PER_KM if spread_s_per_km is None else spread_s_per_km
    return f"at most {spread:g} s/km apart at threshold pace"


#: Group numbers an organizer can start by hand stop here (more groups than a club could lead).
MAX_GROUP_NUMBER = 99


class GroupsService:
    def __init__(
        self,
        db: Database,
        repo: GroupsRepo,
        profiles: ProfilesRepo,
        prefs: PrefsRepo,
        sessions: SessionsRepo,
        setup: SetupService,
        rsvps: RsvpService,
        outbox: OutboxService,
        *,
        clock: Clock,
    ) -> None:
        self._db = db
        self._repo = repo
        self._profiles = profiles
        self._prefs = prefs
        self._sessions = sessions
        self._setup = setup
        self._rsvps = rsvps
        self._outbox = outbox
        self._clock = clock

    # -- organizers ------------------------------------------------------------------------------

    async def groups(
        self,
        actor: Actor,
        guild_id: int,
        reference: str,
        *,
        count: int | None = None,
        spread_s_per_km: float | None = None,
        publish: bool = False,
    ) -> SessionGroups:
        """Split the members going to a session into pace groups; with ``publish``, show them
        on the announcement from now on (publishing again re-places everyone by the new rule;
        organizers' moves and leaders stay). Without options, once published, the published
        groups as they stand.

        Give ``count`` (1-10 groups) or ``spread_s_per_km`` (1-120), not both; neither means
        at most 15 s/km apart at threshold pace.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
            Conflict: the session is cancelled or has no workout.
            InvalidInput: both options, or one out of range.
        """
        await self._organizer(actor, guild_id)
        if count is not None and spread_s_per_km is not None:
            raise InvalidInput(
                "groups, spread: give one of them, not both: a number of groups (like groups: 3) "
                "or the widest gap in threshold pace within a group (like spread: 15)."
            )
        session = await self._groupable(actor, guild_id, reference)
        going = await self._going(session.id)
        per_mile = await UnitsService(self._prefs).units_for(actor.user_id, guild_id) == "mi"
        publication = await self._repo.publication(session.id)
        if publish:
            placed = split(going.runners, count=count, spread_s_per_km=spread_s_per_km)
            rows = [
                (runner.user_id, number)
                for number, group in enumerate(placed, start=1)
                for runner in group.runners
            ]
            stored_spread = (
                None if count is not None else spread_s_per_km or DEFAULT_SPREAD_S_PER_KM
            )
            now = self._clock.now()
            async with self._db.transaction():
                await self._repo.publish(
                    guild_id, session.id, stored_spread, count, rows, actor.user_id, now
                )
                await self._sessions.touch(session.id)
                notes = await self._note_no_profile(session, going.no_profile, now)
            self._outbox.arm(notes)
            publication = PublicationRow(session.id, stored_spread, count, actor.user_id, now)
        elif publication is None or count is not None or spread_s_per_km is not None:
            groups = split(going.runners, count=count, spread_s_per_km=spread_s_per_km)
            planned = tuple(
                self._plan(session, number, group, going, per_mile)
                for number, group in enumerate(groups, start=1)
            )
            return SessionGroups(
                session,
                planned,
                going.no_profile,
                _rule_words(count, spread_s_per_km),
                per_mile,
            )
        return await self._published(session, publication, going, per_mile)

    async def unpublish(self, actor: Actor, guild_id: int, reference: str) -> SessionRow:
        """Take the session's groups off its announcement and forget their moves and leaders.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
            Conflict: the session's groups aren't published.
        """
        await self._organizer(actor, guild_id)
        session = await resolve_session(self._sessions, guild_id, reference, actor)
        async with self._db.transaction():
            if not await self._repo.unpublish(session.id):
                raise Conflict(
                    f"session: the pace groups of {session.title} aren't published, so there is "
                    f"nothing to take off. Publish them with /session groups session: "
                    f"{session.id} publish: True."
                )
            await self._sessions.touch(session.id)
        return session

    async def move(
        self, actor: Actor, guild_id: int, reference: str, user_id: int, group_no: int
    ) -> Moved:
        """Put a member going in a published group (a new one: the next number). Kept whatever
        answers come after; a leader moved out of their group no longer leads it.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
            Conflict: groups not published, or the member isn't going.
            InvalidInput: no such group.
        """
        session, arrangement = await self._published_for_change(actor, guild_id, reference)
        self._require_going(session, arrangement, user_id)
        numbers = sorted(g.number for g in arrangement.groups)
        new = max(numbers, default=0) + 1
        if group_no not in numbers and (group_no != new or new > MAX_GROUP_NUMBER):
            raise InvalidInput(
                f"group: {session.title} has no Group {group_no}. Pick one of "
                f"{_numbers(numbers)}, or {new} to start a new group, like "
                f"/session groups-move session: {session.id} member: @Ben group: "
                f"{numbers[0] if numbers else 1}."
            )
        before = arrangement.group_of(user_id)
        async with self._db.transaction():
            await self._repo.move(session.id, user_id, group_no, actor.user_id, self._clock.now())
            await self._sessions.touch(session.id)
        return Moved(session, user_id, group_no, before.number if before else None)

    async def lead(
        self, actor: Actor, guild_id: int, reference: str, group_no: int, user_id: int
    ) -> Moved:
        """Name a published group's leader (replacing the one before). A leader runs with their
        group: one placed elsewhere is moved into it.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
            Conflict: groups not published, or the member isn't going.
            InvalidInput: no such group.
        """
        session, arrangement = await self._published_for_change(actor, guild_id, reference)
        numbers = sorted(g.number for g in arrangement.groups)
        if group_no not in numbers:
            raise InvalidInput(
                f"group: {session.title} has no Group {group_no}. Pick one of "
                f"{_numbers(numbers)}, like /session groups-leader session: {session.id} "
                f"group: {numbers[0] if numbers else 1} member: @Alice."
            )
        self._require_going(session, arrangement, user_id)
        before = arrangement.group_of(user_id)
        now = self._clock.now()
        async with self._db.transaction():
            if before is None or before.number != group_no:
                await self._repo.move(session.id, user_id, group_no, actor.user_id, now)
            await self._repo.set_leader(session.id, group_no, user_id, actor.user_id, now)
            await self._sessions.touch(session.id)
        return Moved(session, user_id, group_no, before.number if before else None)

    # -- members ---------------------------------------------------------------------------------

    async def mine(self, guild_id: int, session_id: int, user_id: int) -> MyGroup:
        """The member's published group with its targets in their unit (the Groups button).

        Raises:
            NotFound: no such session here.
            Conflict: the session's groups aren't published.
        """
        session = await self._sessions.get(session_id, guild_id)
        if session is None:
            raise NotFound("This session no longer exists.")
        publication = await self._repo.publication(session.id)
        if publication is None:
            raise Conflict(
                f"The pace groups of {session.title} aren't published; the organizers will "
                "post them on the announcement."
            )
        going = await self._going(session.id)
        per_mile = await UnitsService(self._prefs).units_for(user_id, guild_id) == "mi"
        published = await self._published(session, publication, going, per_mile)
        group = next((g for g in published.groups if user_id in g.members), None)
        return MyGroup(
            session,
            group,
            per_mile,
            no_profile=user_id in going.no_profile,
            going=group is not None or user_id in going.no_profile,
        )

    async def shows_pace(self, user_id: int) -> bool:
        """Whether the runner chose to show their pace in public groups (/profile public-pace)."""
        return user_id in await self._repo.public_pace([user_id])

    async def set_public_pace(self, user_id: int, public: bool) -> list[int]:
        """Show (or stop showing) the runner's threshold pace beside their name in public
        groups. Returns the sessions whose published groups show them (to redraw)."""
        await self._repo.set_public_pace(user_id, public, self._clock.now())
        return await self.profile_changed(user_id)

    async def profile_changed(self, user_id: int) -> list[int]:
        """The runner saved, cleared or shared their profile: the published groups of sessions
        ahead they are going to are redrawn (a runner listed apart is placed; a new race may
        show a new pace). Returns those sessions."""
        sessions = await self._repo.published_sessions_of(user_id, self._clock.now())
        for session_id in sessions:
            await self._sessions.touch(session_id)
        return sessions

    # -- the announcement ------------------------------------------------------------------------

    async def public_view(self, session_id: int) -> GroupsView | None:
        """The published groups as the announcement shows them, or None when not published:
        names (and the threshold pace of runners who opted in), leaders, and the members going
        with no profile. Members going without a profile who were never told how to add one are
        told now, once per server, by DM through the outbox."""
        publication = await self._repo.publication(session_id)
        if publication is None:
            return None
        session = await self._sessions.get(session_id)
        if session is None:
            return None
        roster = await self._rsvps.roster(session_id)
        going = await self._going_of(roster)
        placed = await self._placed(session.id)
        arrangement = await self._arrange(session.id, publication, going, placed)
        # Newcomers keep the group they were given, so a group's first runners leaving later
        # does not move them.
        newcomers = [
            (user_id, group.number)
            for group in arrangement.groups
            for user_id in group.members
            if user_id not in placed
        ]
        if newcomers or arrangement.no_profile:
            now = self._clock.now()
            async with self._db.transaction():
                await self._repo.place(session.id, newcomers, now)
                notes = await self._note_no_profile(session, arrangement.no_profile, now)
            self._outbox.arm(notes)
        names = {entry.user_id: entry.display_name for entry in roster.going}
        shown = await self._repo.public_pace([r.user_id for r in going.runners])
        per_mile = await self._prefs.guild_units(session.guild_id) == "mi"

        def name(runner: Runner) -> str:
            plain = names.get(runner.user_id, str(runner.user_id))
            if runner.user_id not in shown:
                return plain
            return f"{plain} (T {format_pace(runner.threshold_s_per_km, per_mile)})"

        lines = tuple(
            GroupLine(
                number=group.number,
                names=tuple(name(r) for r in group.runners)
                + tuple(names.get(u, str(u)) for u in group.unranked),
                leader=names.get(group.leader) if group.leader is not None else None,
            )
            for group in arrangement.groups
        )
        return GroupsView(
            groups=lines, no_profile=tuple(names.get(u, str(u)) for u in arrangement.no_profile)
        )

    # -- helpers ---------------------------------------------------------------------------------

    async def may_organize(self, actor: Actor, guild_id: int) -> bool:
        """Whether ``actor`` organizes sessions in this server (the Groups button's choice
        between an organizer's preview and a member's own group)."""
        try:
            await self._organizer(actor, guild_id)
        except NotAllowed:
            return False
        return True

    async def is_published(self, guild_id: int, session_id: int) -> bool:
        """Whether the session's pace groups are published (False for no such session)."""
        session = await self._sessions.get(session_id, guild_id)
        return session is not None and await self._repo.publication(session.id) is not None

    async def _organizer(self, actor: Actor, guild_id: int) -> None:
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)

    async def _groupable(self, actor: Actor, guild_id: int, reference: str) -> SessionRow:
        session = await resolve_session(self._sessions, guild_id, reference, actor)
        self._require_on(session)
        if not session.workout:
            raise Conflict(
                f"session: {session.title} has no workout, so groups would have no targets. "
                'Add one with /session edit workout: "6x800 @ I w/ 400 jog".'
            )
        return session

    async def _published_for_change(
        self, actor: Actor, guild_id: int, reference: str
    ) -> tuple[SessionRow, Arrangement]:
        await self._organizer(actor, guild_id)
        session = await resolve_session(self._sessions, guild_id, reference, actor)
        # A cancelled session's groups are frozen with it: moves and leaders would change
        # nothing anyone sees, and say "done" for a run that isn't happening.
        self._require_on(session)
        publication = await self._repo.publication(session.id)
        if publication is None:
            raise Conflict(
                f"session: the pace groups of {session.title} aren't published yet. Publish "
                f"them first with /session groups session: {session.id} publish: True."
            )
        going = await self._going(session.id)
        return session, await self._arrange(session.id, publication, going)

    @staticmethod
    def _require_on(session: SessionRow) -> None:
        if session.cancelled:
            raise Conflict(
                f"session: {session.title} was cancelled; there is no one to group. Pick a "
                "session still on from the list as you type (see /session list)."
            )

    @staticmethod
    def _require_going(session: SessionRow, arrangement: Arrangement, user_id: int) -> None:
        if arrangement.group_of(user_id) is None and user_id not in arrangement.no_profile:
            raise Conflict(
                f"member: <@{user_id}> isn't going to {session.title}; groups are for members "
                "going. Pick someone going (see /session roster), like /session groups-move "
                f"session: {session.id} member: @Alice group: 1, or ask them to answer Going "
                "first."
            )

    async def _going(self, session_id: int) -> _Going:
        return await self._going_of(await self._rsvps.roster(session_id))

    async def _going_of(self, roster: Roster) -> _Going:
        runners: list[Runner] = []
        races: dict[int, Race] = {}
        no_profile: list[int] = []
        for entry in roster.going:
            profile = await self._profiles.get(entry.user_id)
            if profile is None:
                no_profile.append(entry.user_id)
                continue
            runners.append(Runner(entry.user_id, profile.vdot))
            races[entry.user_id] = Race(profile.race_name, profile.distance_m)
        return _Going(tuple(runners), races, tuple(no_profile))

    async def _placed(self, session_id: int) -> dict[int, int]:
        return {p.user_id: p.group_no for p in await self._repo.placements(session_id)}

    async def _arrange(
        self,
        session_id: int,
        publication: PublicationRow,
        going: _Going,
        placed: dict[int, int] | None = None,
    ) -> Arrangement:
        if placed is None:
            placed = await self._placed(session_id)
        return arrange(
            going.runners,
            going.no_profile,
            placed,
            await self._repo.leaders(session_id),
            count=publication.group_count,
            spread_s_per_km=publication.spread_s_per_km,
        )

    async def _published(
        self, session: SessionRow, publication: PublicationRow, going: _Going, per_mile: bool
    ) -> SessionGroups:
        arrangement = await self._arrange(session.id, publication, going)
        planned = tuple(
            self._plan(session, group.number, group.pace_group, going, per_mile, group)
            for group in arrangement.groups
        )
        return SessionGroups(
            session,
            planned,
            arrangement.no_profile,
            _rule_words(publication.group_count, publication.spread_s_per_km),
            per_mile,
            published=True,
        )

    def _plan(
        self,
        session: SessionRow,
        number: int,
        group: PaceGroup | None,
        going: _Going,
        per_mile: bool,
        numbered: NumberedGroup | None = None,
    ) -> GroupPlan:
        plan = None
        if group is not None and session.workout:
            middle = group.middle
            plan = plan_workout(
                parse_workout(session.workout),
                middle.vdot,
                going.races[middle.user_id],
                per_mile=per_mile,
            )
        return GroupPlan(
            number,
            group,
            plan,
            numbered.unranked if numbered else (),
            numbered.leader if numbered else None,
        )

    async def _note_no_profile(
        self, session: SessionRow, user_ids: tuple[int, ...], now: datetime
    ) -> list[tuple[int, datetime]]:
        """Queue the one-time "add a profile" DM for members not told yet in this server
        (inside the caller's transaction; arm the returned rows after it commits)."""
        planned = []
        told = await self._repo.noticed(session.guild_id, user_ids)
        for user_id in user_ids:
            if user_id in told:
                continue
            if await self._repo.record_notice(session.guild_id, user_id, session.id, now):
                planned.append(await self._outbox.add_notice(session, ProfileNote(user_id), now))
        return planned


def _numbers(numbers: list[int]) -> str:
    if not numbers:
        return "none yet"
    return ", ".join(str(n) for n in numbers)
