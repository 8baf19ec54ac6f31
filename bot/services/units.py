"""Units: each runner's km or miles, and each server's default for runners who haven't chosen."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.db.prefs_repo import PrefsRepo
from bot.errors import InvalidInput
from bot.services.access import Actor, require_manager

if TYPE_CHECKING:
    from bot.clock import Clock

UNITS = ("km", "mi")
#: Without any choice, Pacer measures in kilometres (Daniels' tables are per km and per mile).
DEFAULT_UNITS = "km"


def read_units(text: str, field: str = "units") -> str:
    """ "km" or "mi" from what a member picked or typed.

    Raises:
        InvalidInput: for anything else.
    """
    key = text.strip().lower()
    aliases = {"km": "km", "k": "km", "kilometres": "km", "kilometers": "km", "metric": "km"}
    aliases |= {"mi": "mi", "mile": "mi", "miles": "mi", "imperial": "mi"}
    if key not in aliases:
        raise InvalidInput(f"{field}: choose km or mi, like units: mi.")
    return aliases[key]


class UnitsService:
    def __init__(self, prefs: PrefsRepo, *, clock: Clock | None = None) -> None:
        # Reading needs no clock (profiles and workouts build one just to read units).
        self._prefs = prefs
        self._clock = clock

    def _now(self) -> datetime:
        if self._clock is None:
            raise RuntimeError("saving units needs the clock the composition root passes")
        return self._clock.now()

    async def units_for(self, user_id: int, guild_id: int | None) -> str:
        """The runner's unit: their own choice, else the server's default, else km."""
        mine = (await self._prefs.get(user_id)).units
        if mine is not None:
            return mine
        if guild_id:
            server = await self._prefs.guild_units(guild_id)
            if server is not None:
                return server
        return DEFAULT_UNITS

    async def set_mine(self, user_id: int, text: str) -> str:
        """Save the runner's unit; returns it.

        Raises:
            InvalidInput: for anything but km or mi.
        """
        units = read_units(text)
        await self._prefs.set_units(user_id, units, self._now())
        return units

    async def set_server(self, actor: Actor, guild_id: int, text: str) -> str:
        """Save the server's default unit; returns it.

        Raises:
            NotAllowed: unless the member can manage the server.
            InvalidInput: for anything but km or mi.
        """
        require_manager(actor)
        units = read_units(text)
        await self._prefs.set_guild_units(guild_id, units, self._now())
        return units
