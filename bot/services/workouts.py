"""Personal workout targets: a workout's reps timed for one runner's fitness and goal."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.prefs_repo import PrefsRepo
from bot.db.profiles_repo import ProfilesRepo
from bot.domain.parsing import Race, format_duration
from bot.domain.workouts import WorkoutPlan, parse_workout, plan_workout
from bot.errors import InvalidInput, NotFound
from bot.services.coaching import read_result
from bot.services.units import DEFAULT_UNITS, UnitsService

NO_PACES_SOURCE = (
    "I need a race to set your paces: add race and time (like race: 5K time: 22:30), "
    "or save one for next time with /profile set."
)


@dataclass(frozen=True, slots=True)
class PersonalPlan:
    """A plan plus where its paces came from, in words ("your saved 5K in 22:30").

    Fields:
        plan: the runner's plan.
        source: where the paces come from.
        units: the runner's unit, "km" or "mi" (replies lead with it).
        goal: where goal paces come from, in words, or None when no rep needs a goal.
    """

    plan: WorkoutPlan
    source: str
    units: str = DEFAULT_UNITS
    goal: str | None = None

    @property
    def per_mile(self) -> bool:
        """Whether the runner measures in miles."""
        return self.units == "mi"


class WorkoutService:
    def __init__(self, profiles: ProfilesRepo, prefs: PrefsRepo | None = None) -> None:
        self._profiles = profiles
        self._prefs = prefs

    async def plan_for(
        self,
        user_id: int,
        workout_text: str,
        race_text: str | None = None,
        time_text: str | None = None,
        guild_id: int | None = None,
    ) -> PersonalPlan:
        """Time every rep of ``workout_text`` for the runner.

        The race and time given win; without them the runner's saved profile is used. Goal
        paces use the runner's saved goal race, else the recent race's equivalent (said so).

        Raises:
            InvalidInput: for an unreadable workout, race or time, or only one of race/time.
            NotFound: when no race is given and the runner has no profile.
        """
        workout = parse_workout(workout_text)
        race, seconds, vdot, saved = await self._fitness(user_id, race_text, time_text)
        units = DEFAULT_UNITS
        goal: tuple[Race, float] | None = None
        if self._prefs is not None:
            units = await UnitsService(self._prefs).units_for(user_id, guild_id)
            prefs = await self._prefs.get(user_id)
            if prefs.goal_distance_m is not None and prefs.goal_seconds is not None:
                goal = (
                    Race(prefs.goal_race_name or "goal", prefs.goal_distance_m),
                    prefs.goal_seconds,
                )
        plan = plan_workout(workout, vdot, race, goal=goal, per_mile=units == "mi")
        how = "your saved" if saved else "your"
        source = f"from {how} {race.name} in {format_duration(seconds)} (VDOT {vdot:.1f})"
        goal_text = None
        if workout.needs_goal_race:
            goal_text = (
                f"your goal {goal[0].name} in {format_duration(goal[1])}"
                if goal is not None
                else f"no goal saved, so the race equivalent of your {race.name} "
                "(set one with /profile goal)"
            )
        return PersonalPlan(plan=plan, source=source, units=units, goal=goal_text)

    async def _fitness(
        self, user_id: int, race_text: str | None, time_text: str | None
    ) -> tuple[Race, float, float, bool]:
        given = [value for value in (race_text, time_text) if value is not None]
        if len(given) == 1:
            missing = "time" if race_text is not None else "race"
            raise InvalidInput(
                f"{missing}: give both race and time (like race: 5K time: 22:30), or neither "
                "to use your saved /profile."
            )
        if race_text is not None and time_text is not None:
            result = read_result(race_text, time_text)
            return result.race, result.seconds, result.vdot, False
        profile = await self._profiles.get(user_id)
        if profile is None:
            raise NotFound(NO_PACES_SOURCE)
        race = Race(profile.race_name, profile.distance_m)
        return race, profile.seconds, profile.vdot, True
