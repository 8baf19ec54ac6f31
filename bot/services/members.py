"""Who is still a member of a server, as the services need to know it (no discord here).

Pacer has no privileged intent, so it hears nothing when a member leaves. Where membership
matters (a place on the waitlist, a ping, an answer read back from reactions) the services ask a
:class:`MemberDirectory`; the bot implements it with Discord's REST API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Membership:
    """What a lookup found: the server display name and role ids of each member, and who has
    left.

    A user in neither could not be checked (a Discord error or timeout): callers treat them as
    still a member, so a network fault never costs anyone their place.
    """

    names: dict[int, str] = field(default_factory=dict)
    departed: frozenset[int] = frozenset()
    roles: dict[int, frozenset[int]] = field(default_factory=dict)


class MemberDirectory(Protocol):
    async def lookup(self, guild_id: int, user_ids: Sequence[int]) -> Membership:
        """The membership of each of ``user_ids`` in the server, now."""
        ...


class EveryoneStays:
    """A directory that knows no one left and no names (for tools without Discord)."""

    async def lookup(self, guild_id: int, user_ids: Sequence[int]) -> Membership:
        return Membership()
