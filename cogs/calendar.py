"""/calendar: a member's private links to the server's calendar feed and their own."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PacerBot
from bot.tree import reply
from cogs.common import actor


@app_commands.guild_only()
class CalendarCog(commands.Cog):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot

    @app_commands.command(name="calendar")
    async def calendar(self, interaction: discord.Interaction[PacerBot]) -> None:
        """Subscribe to the club's sessions in Google or Apple Calendar (a private link)."""
        server, mine = await self.bot.services.feeds.links(
            actor(interaction), interaction.guild_id or 0
        )
        await reply(
            interaction,
            "Subscribe once and your calendar follows every new session, edit and cancel "
            "(in Google Calendar: Other calendars → From URL; on an iPhone: Settings → "
            "Calendar → Accounts → Add Subscribed Calendar).\n"
            f"Every session in open channels: <{server}>\n"
            f"Only the sessions you're going to: <{mine}>\n"
            "These links are yours to use; don't post them.",
        )


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(CalendarCog(bot))
