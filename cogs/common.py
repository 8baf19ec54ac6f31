"""Small pieces of Discord glue shared by cogs (not an extension)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.services.access import Actor
from bot.services.sessions import SessionService


def actor(interaction: discord.Interaction[Any]) -> Actor:
    """The member behind the interaction, as plain facts for the services."""
    user = interaction.user
    perms = interaction.permissions
    roles = frozenset(role.id for role in getattr(user, "roles", ()))
    return Actor(
        user_id=user.id,
        role_ids=roles,
        manage_guild=perms.manage_guild,
        manage_events=perms.manage_events,
        administrator=perms.administrator,
        hidden_channel_ids=hidden_channels(interaction),
    )


def hidden_channels(interaction: discord.Interaction[Any]) -> frozenset[int]:
    """The server's channels (and threads) the member cannot view, read now from the cached
    channels and their overwrites: a session there does not exist for them."""
    guild, member = interaction.guild, interaction.user
    if guild is None or not isinstance(member, discord.Member):
        return frozenset()
    places: list[discord.abc.GuildChannel | discord.Thread] = [*guild.channels, *guild.threads]
    return frozenset(place.id for place in places if not place.permissions_for(member).view_channel)


def sessions(interaction: discord.Interaction[Any]) -> SessionService:
    service: SessionService = interaction.client.services.sessions
    return service


async def session_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    choices = await sessions(interaction).suggestions(
        interaction.guild_id, current, actor(interaction)
    )
    return [app_commands.Choice(name=label, value=value) for label, value in choices]
