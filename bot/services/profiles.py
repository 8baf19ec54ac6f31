"""Runner profiles: a runner's recent race, used for their personal paces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.db.profiles_repo import ProfileRow, ProfilesRepo
from bot.domain.pace import TrainingPaces, training_paces
from bot.errors import NotFound
from bot.services.coaching import read_result

if TYPE_CHECKING:
    from bot.clock import Clock

NO_PROFILE = "You haven't saved a race yet. Save one with /profile set, like race: 5K time: 22:30."


@dataclass(frozen=True, slots=True)
class ShownProfile:
    profile: ProfileRow
    paces: TrainingPaces


class ProfileService:
    def __init__(self, repo: ProfilesRepo, *, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock

    async def set(self, user_id: int, race_text: str, time_text: str) -> ShownProfile:
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
        return ShownProfile(profile, training_paces(profile.vdot))

    async def get(self, user_id: int) -> ProfileRow | None:
        return await self._repo.get(user_id)

    async def show(self, user_id: int) -> ShownProfile:
        """The runner's profile with their paces.

        Raises:
            NotFound: if they have not saved a race.
        """
        profile = await self._repo.get(user_id)
        if profile is None:
            raise NotFound(NO_PROFILE)
        return ShownProfile(profile, training_paces(profile.vdot))

    async def clear(self, user_id: int) -> bool:
        """Delete everything stored about the runner's profile; False if there was nothing."""
        return await self._repo.delete(user_id)
