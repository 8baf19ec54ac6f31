"""The "Send to watch" button and the words that go with a FIT workout file."""

from __future__ import annotations

import io
import re
from typing import Any

import discord

from bot.services.registry import services_of
from bot.services.watch import WatchFile
from bot.tree import reply

#: Where the file goes, in one line (README.md "Workouts on your watch" says more per brand).
HOW_TO_LOAD = (
    "Garmin: plug the watch in over USB and copy the file into its GARMIN/NewFiles folder. "
    "Other watches: see Pacer's README."
)


def watch_file(file: WatchFile) -> discord.File:
    """The FIT file as a Discord attachment."""
    return discord.File(io.BytesIO(file.data), filename=file.filename)


def watch_text(file: WatchFile) -> str:
    """The message that goes with the file."""
    return f"**{file.workout.name}** as a workout for your watch, with your paces. {HOW_TO_LOAD}"


class WatchButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"pacer:fit:(?P<session>\d+)"
):
    """ "Send to watch": the session's workout with the clicking runner's paces, as a FIT file,
    privately."""

    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Send to watch",
                emoji="⌚",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pacer:fit:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> WatchButton:
        return cls(int(match["session"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            file = await services_of(interaction.client).watch.for_session(
                interaction.guild_id or 0, self.session_id, interaction.user.id
            )
            await reply(interaction, watch_text(file), file=watch_file(file))
        except Exception as error:
            await interaction.client.tree.on_error(interaction, error)
