"""Pace groups for a session: the members going, split by their saved fitness, each group with
its targets for the session's workout. For organizers, privately."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.prefs_repo import PrefsRepo
from bot.db.profiles_repo import ProfilesRepo
from bot.db.sessions_repo import SessionRow, SessionsRepo
from bot.domain.groups import PaceGroup, Runner, by_count, by_spread
from bot.domain.parsing import Race
from bot.domain.workouts import WorkoutPlan, parse_workout, plan_workout
from bot.errors import Conflict, InvalidInput
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
    """One group: its runners (fastest first) and the workout planned at its median runner."""

    group: PaceGroup
    plan: WorkoutPlan


@dataclass(frozen=True, slots=True)
class SessionGroups:
    session: SessionRow
    groups: tuple[GroupPlan, ...]
    #: Going members with no saved profile (user ids), listed apart.
    no_profile: tuple[int, ...]
    #: How the groups were made, in words ("at most 15 s/km apart", "3 groups").
    rule: str
    per_mile: bool


class GroupsService:
    def __init__(
        self,
        profiles: ProfilesRepo,
        prefs: PrefsRepo,
        sessions: SessionsRepo,
        setup: SetupService,
        rsvps: RsvpService,
    ) -> None:
        self._profiles = profiles
        self._prefs = prefs
        self._sessions = sessions
        self._setup = setup
        self._rsvps = rsvps

    async def groups(
        self,
        actor: Actor,
        guild_id: int,
        reference: str,
        *,
        count: int | None = None,
        spread_s_per_km: float | None = None,
    ) -> SessionGroups:
        """Split the members going to a session into pace groups.

        Give ``count`` (1-10 groups) or ``spread_s_per_km`` (1-120), not both; neither means
        at most 15 s/km apart at threshold pace.

        Raises:
            NotAllowed: unless an organizer.
            NotFound: no such session here.
            Conflict: the session is cancelled or has no workout.
            InvalidInput: both options, or one out of range.
        """
        config = await self._setup.config(guild_id)
        require_organizer(actor, config.organizer_role_id)
        if count is not None and spread_s_per_km is not None:
            raise InvalidInput(
                "groups, spread: give one of them, not both: a number of groups (like groups: 3) "
                "or the widest gap in threshold pace within a group (like spread: 15)."
            )
        session = await resolve_session(self._sessions, guild_id, reference, actor)
        if session.cancelled:
            raise Conflict(f"session: {session.title} was cancelled; there is no one to group.")
        if not session.workout:
            raise Conflict(
                f"session: {session.title} has no workout, so groups would have no targets. "
                'Add one with /session edit workout: "6x800 @ I w/ 400 jog".'
            )
        workout = parse_workout(session.workout)
        runners: list[Runner] = []
        races: dict[int, Race] = {}
        no_profile: list[int] = []
        for user_id in await self._rsvps.going_user_ids(session.id):
            profile = await self._profiles.get(user_id)
            if profile is None:
                no_profile.append(user_id)
                continue
            runners.append(Runner(user_id, profile.vdot))
            races[user_id] = Race(profile.race_name, profile.distance_m)
        if count is not None:
            groups = by_count(runners, count)
            rule = f"{count} group{'s' if count != 1 else ''}"
        else:
            spread = DEFAULT_SPREAD_S_PER_KM if spread_s_per_km is None else spread_s_per_km
            groups = by_spread(runners, spread)
            rule = f"at most {spread:g} s/km apart at threshold pace"
        per_mile = await UnitsService(self._prefs).units_for(actor.user_id, guild_id) == "mi"
        planned = tuple(
            GroupPlan(
                group,
                plan_workout(
                    workout, group.middle.vdot, races[group.middle.user_id], per_mile=per_mile
                ),
            )
            for group in groups
        )
        return SessionGroups(session, planned, tuple(no_profile), rule, per_mile)
