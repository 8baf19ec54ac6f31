"""Personal workout targets: a workout's reps timed for one runner's fitness."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.profiles_repo import ProfilesRepo
from bot.domain.parsing import Race, format_duration
from bot.domain.workouts import WorkoutPlan, parse_workout, plan_workout
from bot.errors import InvalidInput, NotFound
from bot.services.coaching import read_result

NO_PACES_SOURCE = (
    "I need a race to set your paces: add race and time (like race: 5K time: 22:30), "
    "or save one for next time with /profile set."
)


@dataclass(frozen=True, slots=True)
class PersonalPlan:
    """A plan plus where its paces came from, in words ("your saved 5K in 22:30")."""

    plan: WorkoutPlan
    source: str


class WorkoutService:
    def __init__(self, profiles: ProfilesRepo) -> None:
        self._profiles = profiles

    async def plan_for(
        self,
        user_id: int,
        workout_text: str,
        race_text: str | None = None,
        time_text: str | None = None,
    ) -> PersonalPlan:
        """Time every rep of ``workout_text`` for the runner.

        The race and time given win; without them the runner's saved profile is used.

        Raises:
            InvalidInput: for an unreadable workout, race or time, or only one of race/time.
            NotFound: when no race is given and the runner has no profile.
        """
        workout = parse_workout(workout_text)
        race, seconds, vdot, saved = await self._fitness(user_id, race_text, time_text)
        plan = plan_workout(workout, vdot, goal_race=race)
        how = "your saved" if saved else "your"
        source = f"from {how} {race.name} in {format_duration(seconds)} (VDOT {vdot:.1f})"
        return PersonalPlan(plan=plan, source=source)

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
