"""RSVPs: /rsvp, reactions on announcements, and catching up on reactions after downtime."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock, reactions
from bot.app import PacerBot
from bot.db.database import STORAGE_ERRORS
from bot.db.sessions_repo import SessionRow
from bot.domain.rsvp import EMOJI, Response, normalise_emoji, response_for_emoji
from bot.errors import UserError
from bot.services.rsvps import PACER
from bot.tree import in_time, reply
from bot.ui.rsvp import rsvp_reply, tell_if_dms_closed
from cogs.common import actor, session_autocomplete

log = logging.getLogger(__name__)

#: A reaction's save is tried this often before it is left to the start-up catch-up.
REACTION_TRIES = 3
#: Announcements read back at once during the catch-up: discord.py paces the requests within
#: Discord's per-route and global limits; this keeps a large backlog from queueing all at once.
CATCH_UP_CONCURRENCY = 8

STATUS_CHOICES = [
    app_commands.Choice(name="going", value="going"),
    app_commands.Choice(name="maybe", value="maybe"),
    app_commands.Choice(name="no (can't make it)", value="no"),
]


class RsvpCog(commands.Cog):
    def __init__(self, bot: PacerBot) -> None:
        self.bot = bot
        self._reconciling = asyncio.Lock()

    @app_commands.command(name="rsvp")
    @app_commands.guild_only()
    @app_commands.describe(session="The session (pick from the list)", status="Are you coming?")
    @app_commands.autocomplete(session=session_autocomplete)
    @app_commands.choices(status=STATUS_CHOICES)
    async def rsvp(
        self, interaction: discord.Interaction[PacerBot], session: str, status: str
    ) -> None:
        """Say whether you're coming to a session."""
        guild_id = interaction.guild_id or 0
        member = actor(interaction)
        target = await self.bot.services.sessions.resolve(guild_id, session, member)
        result = await in_time(
            interaction,
            self.bot.services.rsvps.respond(
                guild_id,
                target.id,
                interaction.user.id,
                interaction.user.display_name,
                Response(status),
                "command",
                member.role_ids,
            ),
        )
        left = reactions.leftover(self.bot, result.session, result.stale_reactions)
        await reply(interaction, rsvp_reply(result, left))
        await tell_if_dms_closed(interaction)
        await reactions.remove_stale(
            self.bot, result.session, interaction.user.id, result.stale_reactions
        )
        self._changed(target.id)

    def _changed(self, session_id: int) -> None:
        self.bot.services.changes.announcement_changed(session_id)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self._reaction(payload, added=True)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self._reaction(payload, added=False)

    async def _reaction(self, payload: discord.RawReactionActionEvent, *, added: bool) -> None:
        # Raw events: they arrive for announcements posted before a restart, not just cached ones.
        emoji = str(payload.emoji)
        answer = response_for_emoji(emoji)
        if payload.guild_id is None or answer is None:
            return
        ours = self.bot.user is not None and payload.user_id == self.bot.user.id
        if not ours and payload.member is not None and payload.member.bot:
            return
        rsvps = self.bot.services.rsvps
        session = await rsvps.session_for_message(payload.guild_id, payload.message_id)
        if session is None:
            return
        if ours:
            # Pacer's own ✅ 🤔 ❌: remembered, so start-up can tell a moderator's clear.
            await rsvps.reaction_seen(session.id, PACER, emoji, added)
            return
        name = payload.member.display_name if payload.member else str(payload.user_id)
        # A reaction added carries the member and their roles; one taken off does not (and
        # needs none: it can only take back an answer already counted).
        role_ids = frozenset(role.id for role in payload.member.roles) if payload.member else None
        for attempt in range(1, REACTION_TRIES + 1):
            try:
                reacted = await rsvps.react(session, payload.user_id, name, emoji, added, role_ids)
                break
            except UserError:
                return
            except STORAGE_ERRORS:
                if attempt == REACTION_TRIES:
                    # Nothing was saved, not even "seen": the next start-up or reconnect reads
                    # the reaction back from the message and applies it.
                    log.exception(
                        "Could not save a reaction on session %d after %d tries; it will be "
                        "read back at the next reconnect",
                        session.id,
                        attempt,
                    )
                    return
                log.warning("Saving a reaction on session %d failed; trying again", session.id)
        if reacted.changed:
            self._changed(session.id)
        await reactions.remove_stale(self.bot, session, payload.user_id, reacted.stale_reactions)

    @commands.Cog.listener()
    async def on_raw_reaction_clear(self, payload: discord.RawReactionClearEvent) -> None:
        await self._cleared(payload.guild_id, payload.channel_id, payload.message_id, None)

    @commands.Cog.listener()
    async def on_raw_reaction_clear_emoji(
        self, payload: discord.RawReactionClearEmojiEvent
    ) -> None:
        emoji = str(payload.emoji)
        if response_for_emoji(emoji) is None:
            return
        await self._cleared(payload.guild_id, payload.channel_id, payload.message_id, emoji)

    async def _cleared(
        self, guild_id: int | None, channel_id: int, message_id: int, emoji: str | None
    ) -> None:
        # A moderator's "Remove all reactions" (or one emoji's) takes back no one's answer:
        # answers stay, the cleared reactions are forgotten, and Pacer's own are put back.
        if guild_id is None:
            return
        rsvps = self.bot.services.rsvps
        session = await rsvps.session_for_message(guild_id, message_id)
        if session is None:
            return
        if not await rsvps.reactions_cleared(session, emoji):
            return  # answers are closed: nothing to invite
        ours = [e for e in EMOJI if emoji is None or e == normalise_emoji(emoji)]
        await reactions.restore(self.bot, channel_id, message_id, ours)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        # Reactions made while Pacer was offline, or during a gateway outage, arrived as no
        # event: read them back. on_ready follows READY (a new gateway session: start-up, or a
        # reconnect that could not resume); a RESUME replays the missed events instead and
        # fires on_resumed, so nothing is read back then. Only differences are applied.
        async with self._reconciling:
            began = clock.monotonic()
            read = await self._reconcile()
            log.info(
                "Reaction catch-up: %d announcements that still take answers read back in %.1f s",
                read,
                clock.monotonic() - began,
            )
            if self.bot.publisher is not None:
                await self.bot.publisher.refresh_announcements()

    async def _reconcile(self) -> int:
        """Read back every announcement that can still change (not started, not cancelled),
        several at once; returns how many."""
        sessions = self.bot.services.sessions
        gate = asyncio.Semaphore(CATCH_UP_CONCURRENCY)
        pending = await sessions.announced_open(guild.id for guild in self.bot.guilds)

        async def one(session: SessionRow) -> None:
            async with gate:
                try:
                    await self._catch_up(session)
                except Exception:
                    # One announcement's trouble must not stop the others' catch-up.
                    log.exception("Reading back reactions of session %d failed", session.id)

        await asyncio.gather(*(one(session) for session in pending))
        return len(pending)

    async def _catch_up(self, session: SessionRow) -> None:
        message_id = session.announcement_message_id
        if message_id is None:
            return
        found = await self._present(session.channel_id, message_id)
        if found is None:
            return
        present, ours = found
        done = await self.bot.services.rsvps.reconcile(session, present, ours)
        if done.applied:
            self._changed(session.id)
        for user_id, emojis in done.stale.items():
            await reactions.remove_stale(self.bot, session, user_id, emojis)
        if done.cleared:
            await reactions.restore(
                self.bot,
                session.channel_id,
                message_id,
                [e for e in EMOJI if e in done.cleared],
            )

    async def _present(
        self, channel_id: int, message_id: int
    ) -> tuple[dict[str, dict[int, str]], frozenset[str]] | None:
        """Who reacts with each answer emoji now, and which of Pacer's own reactions are there
        (one Pacer had that is gone was cleared: only a moderator can remove it)."""
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return None
        try:
            message = await channel.fetch_message(message_id)
        except discord.HTTPException:
            return None
        present: dict[str, dict[int, str]] = {}
        ours: set[str] = set()
        for reaction in message.reactions:
            emoji = str(reaction.emoji)
            if response_for_emoji(emoji) is None:
                continue
            if reaction.me:
                ours.add(emoji)
            users = present.setdefault(emoji, {})
            async for user in reaction.users(limit=None):
                if not user.bot:
                    users[user.id] = user.display_name
        return present, frozenset(ours)


async def setup(bot: PacerBot) -> None:
    await bot.add_cog(RsvpCog(bot))
