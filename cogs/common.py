"""Small pieces of Discord glue shared by cogs (not an extension)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.services.sessions import SessionService
from bot.ui.actor import actor, hidden_channels

__all__ = ["actor", "hidden_channels", "session_autocomplete", "sessions"]


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
