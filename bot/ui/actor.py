"""Who is behind an interaction, as plain facts the services check (shared by cogs and
buttons)."""

from __future__ import annotations

from typing import Any

import discord

from bot.services.access import Actor


def actor(interaction: discord.Interaction[Any]) -> Actor:
    """The member behind the interaction, as plain facts for the services."""
    user = interaction.user
    perms = interaction.permissions
    return Actor(
        user_id=user.id,
        role_ids=role_ids_of(user),
        manage_guild=perms.manage_guild,
        manage_events=perms.manage_events,
        administrator=perms.administrator,
        hidden_channel_ids=hidden_channels(interaction),
    )


def role_ids_of(user: discord.abc.User) -> frozenset[int]:
    """The ids of a member's roles; none for a user outside a server (a DM)."""
    return frozenset(role.id for role in getattr(user, "roles", ()))


def hidden_channels(interaction: discord.Interaction[Any]) -> frozenset[int]:
    """The server's channels (and threads) the member cannot view, read now from the cached
    channels and their overwrites: a session there does not exist for them."""
    guild, member = interaction.guild, interaction.user
    if guild is None or not isinstance(member, discord.Member):
        return frozenset()
    places: list[discord.abc.GuildChannel | discord.Thread] = [*guild.channels, *guild.threads]
    return frozenset(place.id for place in places if not place.permissions_for(member).view_channel)
