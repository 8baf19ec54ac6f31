"""Pacer's reactions on announcements: put back the ones a moderator cleared, and take away a
member's reaction once another answer replaced it.

The rule (README, RSVPs): a member's answer is the latest they gave, by reaction, button or
/rsvp. So an answer is never shown two ways, a reaction that no longer matches it is removed
when Pacer has Manage Messages in the channel; without it, the reply says which answer counts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import discord

from bot.domain.rsvp import EMOJI
from bot.services.types import SessionRow

log = logging.getLogger(__name__)


def _channel(
    client: discord.Client, channel_id: int
) -> discord.TextChannel | discord.Thread | None:
    channel = client.get_channel(channel_id)
    return channel if isinstance(channel, discord.TextChannel | discord.Thread) else None


def leftover(
    client: discord.Client, session: SessionRow, emojis: tuple[str, ...]
) -> tuple[str, ...]:
    """Of a member's stale reactions, those Pacer may not remove (it lacks Manage Messages in
    the announcement's channel): they stay showing, so the member is told which answer counts."""
    if not emojis or session.announcement_message_id is None:
        return ()
    channel = _channel(client, session.channel_id)
    me = channel.guild.me if channel is not None else None
    if channel is None or me is None or not channel.permissions_for(me).manage_messages:
        return emojis
    return ()


async def remove_stale(
    client: discord.Client, session: SessionRow, user_id: int, emojis: Iterable[str]
) -> bool:
    """Take the member's reactions ``emojis`` off the announcement, where Pacer may.

    Returns True when none of them is left showing (also when there was nothing to remove).
    """
    wanted = list(emojis)
    if not wanted or session.announcement_message_id is None:
        return True
    channel = _channel(client, session.channel_id)
    if channel is None or leftover(client, session, tuple(wanted)):
        return False
    message = channel.get_partial_message(session.announcement_message_id)
    for emoji in wanted:
        try:
            await message.remove_reaction(emoji, discord.Object(id=user_id))
        except discord.NotFound:
            continue  # already gone
        except (discord.HTTPException, OSError) as exc:
            log.warning("Could not remove a stale reaction on session %d: %s", session.id, exc)
            return False
    return True


async def restore(
    client: discord.Client, channel_id: int, message_id: int, emojis: Iterable[str] = EMOJI
) -> None:
    """Put Pacer's own answer reactions (✅ 🤔 ❌) back on an announcement."""
    channel = _channel(client, channel_id)
    if channel is None:
        return
    message = channel.get_partial_message(message_id)
    for emoji in emojis:
        try:
            await message.add_reaction(emoji)
        except (discord.HTTPException, OSError) as exc:
            log.warning("Could not put %s back on announcement %d: %s", emoji, message_id, exc)
            return
