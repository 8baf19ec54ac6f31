"""The MemberDirectory the services use, answered through Discord's REST API.

Pacer has no members intent (it is privileged), so its member cache is empty and a member leaving
sends it no event: every question is a ``GET /guilds/{id}/members/{user}``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import discord

from bot.services.members import Membership

log = logging.getLogger(__name__)

#: Lookups at once: discord.py queues the rest behind Discord's rate limits anyway.
CONCURRENCY = 5
TIMEOUT_S = 20.0


class DiscordMembers:
    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def lookup(self, guild_id: int, user_ids: Sequence[int]) -> Membership:
        guild = self._client.get_guild(guild_id)
        if guild is None or not user_ids:
            return Membership()
        names: dict[int, str] = {}
        roles: dict[int, frozenset[int]] = {}
        departed: set[int] = set()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(user_id: int) -> None:
            async with gate:
                try:
                    member = await guild.fetch_member(user_id)
                except discord.NotFound:
                    departed.add(user_id)
                except (discord.HTTPException, OSError) as exc:
                    log.warning("Could not check a member of server %d: %s", guild_id, exc)
                else:
                    names[user_id] = member.display_name
                    roles[user_id] = frozenset(role.id for role in member.roles)

        try:
            async with asyncio.timeout(TIMEOUT_S):
                await asyncio.gather(*(one(user_id) for user_id in dict.fromkeys(user_ids)))
        except TimeoutError:
            log.warning(
                "Member lookups in server %d timed out; the rest count as present", guild_id
            )
        return Membership(names=dict(names), departed=frozenset(departed), roles=dict(roles))
