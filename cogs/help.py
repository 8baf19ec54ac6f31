"""/help, and the three setup steps told to whoever can act when Pacer joins a server."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PacerBot
from bot.services.access import is_organizer
from bot.tree import reply
from bot.ui import help as help_ui
from cogs.common import actor

log = logging.getLogger(__name__)


def command_lines(bot: PacerBot) -> list[help_ui.CommandLine]:
    """Every slash command the bot has (subcommands, not their groups), with its description
    and whether Discord offers it only in servers (its own or its group's guild_only)."""
    lines = []
    for command in bot.tree.walk_commands():
        if not isinstance(command, app_commands.Command):
            continue
        root = command.root_parent
        server_only = command.guild_only or (root is not None and root.guild_only)
        lines.append(help_ui.CommandLine(command.qualified_name, command.description, server_only))
    return lines


class HelpCog(commands.Cog):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction[PacerBot]) -> None:
        """What Pacer does and the commands you need, privately."""
        organizer = False
        if interaction.guild_id is not None:
            config = await self.bot.services.setup.config(interaction.guild_id)
            organizer = is_organizer(actor(interaction), config.organizer_role_id)
        await reply(
            interaction,
            embed=help_ui.help_embed(
                command_lines(self.bot),
                is_organizer=organizer,
                in_server=interaction.guild_id is not None,
            ),
        )

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        # Tell someone who can act: the system channel if Pacer may post there, else the member
        # who added Pacer (from the audit log, when Pacer may read it), else the owner by DM.
        text = help_ui.welcome_text(guild.name)
        channel = guild.system_channel
        if channel is not None and channel.permissions_for(guild.me).send_messages:
            try:
                await channel.send(text)
                return
            except discord.HTTPException as exc:
                log.info("Welcome message to the system channel of %s failed: %s", guild.id, exc)
        # The owner often added Pacer: a failed DM to them is not tried twice.
        for user_id in dict.fromkeys((await self._adder_id(guild), guild.owner_id)):
            if user_id is None:
                continue
            try:
                user = await self.bot.fetch_user(user_id)
                await user.send(text)
                return
            except discord.HTTPException as exc:
                log.info("Welcome DM to %s for server %s failed: %s", user_id, guild.id, exc)
        log.warning("Joined server %s but could tell no one the setup steps", guild.id)

    async def _adder_id(self, guild: discord.Guild) -> int | None:
        me = guild.me
        if me is None or not me.guild_permissions.view_audit_log:
            return None
        try:
            async for entry in guild.audit_logs(limit=10, action=discord.AuditLogAction.bot_add):
                target = entry.target
                if target is not None and target.id == me.id and entry.user is not None:
                    return entry.user.id
        except discord.HTTPException as exc:
            log.info("Could not read the audit log of %s: %s", guild.id, exc)
        return None


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(HelpCog(bot))
