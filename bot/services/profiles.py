"""Runner profiles: a runner's recent race (it sets their paces) and their goal race (what goal
paces and Yasso 800s aim at), kept apart as Daniels advises: train at today's fitness."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.db.prefs_repo import PrefsRepo, RunnerPrefsRow
from bot.db.profiles_repo import ProfileRow, ProfilesRepo
from bot.domain.pace import TrainingPaces, training_paces
from bot.domain.parsing import format_duration
from bot.errors import NotFound
from bot.services.coaching import read_result
from bot.services.units import UnitsService

if TYPE_CHECKING:
    from bot.clock import Clock

NO_PROFILE = "You haven't saved a race yet. Save one with /profile set, like race: 5K time: 22:30."


@dataclass(frozen=True, slots=True)
class ShownProfile:
    """A runner's saved race with its paces, their goal (or None) and their unit."""

    profile: ProfileRow
    paces: TrainingPaces
    prefs: RunnerPrefsRow | None = None
    units: str = "km"

    @property
    def goal_text(self) -> str | None:
        """Like "Marathon in 3:30:00", or None without a goal."""
        prefs = self.prefs
        if prefs is None or prefs.goal_seconds is None or prefs.goal_race_name is None:
            return None
        return f"{prefs.goal_race_name} in {format_duration(prefs.goal_seconds)}"


@dataclass(frozen=True, slots=True)
class SavedGoal:
    """A goal race as saved: its name, distance, time and the VDOT it would take."""

    race_name: str
    distance_m: float
    seconds: float
    vdot: float


class ProfileService:
    def __init__(self, repo: ProfilesRepo, prefs: PrefsRepo | None = None, *, clock: Clock) -> None:
        self._repo = repo
        self._prefs = prefs
        self._clock = clock

    async def set(
        self, user_id: int, race_text: str, time_text: str, guild_id: int | None = None
    ) -> ShownProfile:
        """Save (or replace) the runner's race result.

        Raises:
            InvalidInput: for a bad race or time; nothing is stored then.
        """
        result = read_result(race_text, time_text)
        profile = ProfileRow(
            user_id=user_id,
            race_name=result.race.name,
            distance_m=result.race.distance_m,
            seconds=result.seconds,
            vdot=result.vdot,
            updated_at=self._clock.now(),
        )
        await self._repo.upsert(profile)
        prefs = await self._prefs.get(user_id) if self._prefs else None
        units = (
            await UnitsService(self._prefs).units_for(user_id, guild_id) if self._prefs else "km"
        )
        return ShownProfile(profile, training_paces(profile.vdot), prefs, units)

    async def set_goal(self, user_id: int, race_text: str, time_text: str) -> SavedGoal:
        """Save (or replace) the runner's goal race; their paces still follow their recent race.

        Raises:
            InvalidInput: for a bad race or time, or a goal no human could run.
        """
        result = read_result(race_text, time_text)
        if self._prefs is None:
            raise RuntimeError("goals need the prefs repository")
        await self._prefs.set_goal(
            user_id, result.race.name, result.race.distance_m, result.seconds, self._clock.now()
        )
        return SavedGoal(result.race.name, result.race.distance_m, result.seconds, result.vdot)

    async def get(self, user_id: int) -> ProfileRow | None:
        return await self._repo.get(user_id)

    async def show(self, user_id: int, guild_id: int | None = None) -> ShownProfile:
        """The runner's profile with their paces.

        Raises:
            NotFound: if they have not saved a race.
        """
        profile = await self._repo.get(user_id)
        if profile is None:
            raise NotFound(NO_PROFILE)
        prefs = await self._prefs.get(user_id) if self._prefs else None
        units = (
            await UnitsService(self._prefs).units_for(user_id, guild_id) if self._prefs else "km"
        )
        return ShownProfile(profile, training_paces(profile.vdot), prefs, units)

    async def clear(self, user_id: int) -> bool:
        """Delete everything stored about the runner's profile (race, goal, unit); False if
        there was nothing."""
        race = await self._repo.delete(user_id)
        prefs = await self._prefs.delete(user_id) if self._prefs else False
        return race or prefs
