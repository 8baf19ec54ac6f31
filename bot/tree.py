"""PacerTree: the one place interaction errors are turned into replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.db.database import STORAGE_ERRORS
from bot.errors import UserError

log = logging.getLogger(__name__)

STORAGE_TROUBLE = (
    "I couldn't save that: the bot's storage isn't working right now (it has been logged). "
    "Nothing was changed; please try again later, or tell a server admin."
)
APOLOGY = (
    "Sorry, something went wrong on my side. It has been logged; please try again in a minute."
)


T = TypeVar("T")

#: Work not done within this long is deferred first (a private "thinking..."), so Discord's
#: 3-second deadline for the first response is never missed, however busy the machine is.
DEFER_AFTER_S = 1.5


async def in_time(interaction: discord.Interaction[Any], work: Awaitable[T]) -> T:
    """Await ``work`` for the interaction; if it is still running after
    :data:`DEFER_AFTER_S`, defer the response privately first, so the reply that follows (a
    followup through :func:`reply`) still reaches the member. Nothing is answered before the
    work (and its commit) is done."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER_S)
    if not done and not interaction.response.is_done():
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException:
            log.warning("Could not defer a slow interaction (expired?)")
    return await task


async def reply(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Answer an interaction once: the first response, or a followup if already answered."""
    kwargs.setdefault("allowed_mentions", discord.AllowedMentions.none())
    if content is not None:
        kwargs["content"] = content
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


def message_for(error: BaseException) -> str | None:
    """The member-facing text for an error that is the member's to fix, else None."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        inner = error.__cause__ if isinstance(error, app_commands.TransformerError) else None
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else inner
        if isinstance(original, UserError):
            return original.message
        if isinstance(error, app_commands.TransformerError):
            return f"I couldn't read {error.value!r} for that option. Check it and try again."
        return None
    if isinstance(error, UserError):
        return error.message
    if isinstance(error, app_commands.MissingPermissions | app_commands.BotMissingPermissions):
        return f"You need the {_join(error.missing_permissions)} permission to use this."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server channel."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You can't use this command here."
    return None


def _join(names: list[str]) -> str:
    return ", ".join(name.replace("_", " ").title() for name in names)


async def handle_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Reply privately with what went wrong: the member's mistake in words, a bug as an apology."""
    text = message_for(error)
    if text is None:
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error("Unexpected error in %s", command, exc_info=error)
        original = getattr(error, "original", error)
        # The transaction rolled back, so nothing is half-written: say so.
        storage = isinstance(original, STORAGE_ERRORS)
        text = STORAGE_TROUBLE if storage else APOLOGY
    try:
        await reply(interaction, text)
    except discord.HTTPException:
        log.warning("Could not tell the member about an error (interaction expired?)")


class PacerTree(app_commands.CommandTree[Any]):
    async def on_error(self, interaction: discord.Interaction[Any], error: BaseException) -> None:
        """Every command's, and every button's, error ends here (views call it too)."""
        await handle_error(interaction, error)
