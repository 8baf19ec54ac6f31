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
    )


def sessions(interaction: discord.Interaction[Any]) -> SessionService:
    service: SessionService = interaction.client.services.sessions
    return service


async def session_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    return [
        app_commands.Choice(name=label, value=value)
        for label, value in await sessions(interaction).suggestions(interaction.guild_id, current)
    ]
