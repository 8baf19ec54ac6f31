"""The :class:`~bot.outbox.poster.Poster` over discord.py: Discord's answers become the outbox's
failures, and :class:`~bot.outbox.render.Buttons` become a persistent view."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import discord

from bot.domain.rsvp import normalise_emoji
from bot.outbox.kinds import fingerprint as fingerprint_of
from bot.outbox.poster import (
    DmClosed,
    EventDraft,
    EventSeen,
    Gone,
    Posted,
    Refused,
    Target,
    Transient,
)
from bot.outbox.render import Buttons, Post

log = logging.getLogger(__name__)

#: How far back an unknown outcome is looked for: a post is found among the channel's latest
#: messages, since it is checked minutes (a lease) after it was sent.
HISTORY_LIMIT = 100
#: Discord's "Cannot send messages to this user".
DM_CLOSED_CODE = 50007
#: Discord's "Unknown Member" (a 404 that is about the member, not the role).
UNKNOWN_MEMBER = 10007

ViewFactory = Callable[[Buttons], discord.ui.View | None]
T = TypeVar("T")

#: Discord's scheduled-event statuses (API numbers), as the outbox names them.
EVENT_STATUS = {1: "scheduled", 2: "active", 3: "completed", 4: "cancelled"}
STATUS_NUMBER = {name: number for number, name in EVENT_STATUS.items()}
EXTERNAL = 3  # entity type: somewhere outside Discord
GUILD_ONLY = 2  # privacy level


async def _events_call(what: str, call: Awaitable[T]) -> T:
    """Discord's answers to an events request, as the outbox's failures."""
    try:
        return await call
    except discord.Forbidden as exc:
        raise Refused(f"missing Manage Events to {what} ({exc.text})") from None
    except discord.NotFound as exc:
        raise Gone(f"the Discord event is gone ({exc.text})") from None
    except (discord.HTTPException, OSError) as exc:
        raise Transient(_describe(exc)) from exc


def _draft_payload(draft: EventDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "entity_type": EXTERNAL,
        "privacy_level": GUILD_ONLY,
        "entity_metadata": {"location": draft.location},
        "scheduled_start_time": draft.starts_at.isoformat(),
        "scheduled_end_time": draft.ends_at.isoformat(),
        "description": draft.description,
    }


def _describe(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"Discord error {exc.status}: {exc.text or exc.__class__.__name__}"[:300]
    return f"{exc.__class__.__name__}: {exc}"[:300]


class DiscordPoster:
    """Posts through a discord.py client. ``views`` builds the buttons (from ``bot.ui``)."""

    def __init__(self, client: discord.Client, views: ViewFactory) -> None:
        self._client = client
        self._views = views

    async def wait_ready(self) -> None:
        await self._client.wait_until_ready()

    async def _channel(
        self, target: Target
    ) -> discord.TextChannel | discord.Thread | discord.DMChannel:
        try:
            if target.user_id is not None:
                user = self._client.get_user(target.user_id) or await self._client.fetch_user(
                    target.user_id
                )
                return user.dm_channel or await user.create_dm()
            channel_id = target.channel_id or 0
            channel = self._client.get_channel(channel_id)
            if channel is None:
                channel = await self._client.fetch_channel(channel_id)
        except discord.NotFound:
            if target.user_id is not None:
                raise DmClosed("the member can't be found") from None
            raise Gone(f"channel {target.channel_id} was deleted") from None
        except discord.Forbidden as exc:
            raise Refused(f"missing permission in <#{target.channel_id}> ({exc.text})") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise Gone(f"channel {target.channel_id} is not a text channel any more")
        return channel

    async def send(self, target: Target, post: Post, nonce: str) -> Posted:
        channel = await self._channel(target)
        view = self._views(post.buttons) if post.buttons is not None else None
        try:
            message = await channel.send(
                content=post.content,
                embed=post.embed if post.embed is not None else discord.utils.MISSING,
                view=view if view is not None else discord.utils.MISSING,
                allowed_mentions=post.allowed_mentions,
                nonce=nonce,
            )
        except discord.Forbidden as exc:
            if target.user_id is not None:
                raise DmClosed(_describe(exc)) from None
            raise Refused(f"missing permission in <#{target.channel_id}> ({exc.text})") from None
        except discord.NotFound:
            if target.user_id is not None:
                raise DmClosed("the member can't be found") from None
            raise Gone(f"channel {target.channel_id} was deleted") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc
        return Posted(channel_id=message.channel.id, message_id=message.id)

    async def edit(self, posted: Posted, post: Post) -> None:
        channel = await self._channel(Target(channel_id=posted.channel_id))
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise Gone(f"channel {posted.channel_id} is not a text channel any more")
        view = self._views(post.buttons) if post.buttons is not None else None
        try:
            await channel.get_partial_message(posted.message_id).edit(
                content=post.content,
                embed=post.embed,
                view=view,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.NotFound:
            raise Gone("the message was deleted") from None
        except discord.Forbidden as exc:
            raise Refused(f"missing permission to edit ({exc.text})") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc

    async def find(
        self, target: Target, fingerprint: str, since: datetime, skip: Iterable[int]
    ) -> Posted | None:
        channel = await self._channel(target)
        me = self._client.user
        excluded = set(skip)
        # Snowflakes carry their creation time: ask Discord only for messages since the claim.
        after = discord.Object(id=discord.utils.time_snowflake(since, high=False))
        try:
            async for message in channel.history(limit=HISTORY_LIMIT, after=after):
                if me is None or message.author.id != me.id or message.id in excluded:
                    continue
                embed = message.embeds[0] if message.embeds else None
                found = fingerprint_of(
                    message.content,
                    embed.title if embed is not None else None,
                    embed.footer.text if embed is not None else None,
                )
                if found == fingerprint:
                    return Posted(channel_id=message.channel.id, message_id=message.id)
        except discord.Forbidden as exc:
            raise Refused(
                f"missing permission to read <#{target.channel_id}> ({exc.text})"
            ) from None
        except discord.NotFound:
            raise Gone(f"channel {target.channel_id} was deleted") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc
        return None

    async def delete(self, posted: Posted) -> None:
        channel = await self._channel(Target(channel_id=posted.channel_id))
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return
        try:
            await channel.get_partial_message(posted.message_id).delete()
        except discord.NotFound:
            return
        except discord.Forbidden as exc:
            raise Refused(f"missing permission to delete ({exc.text})") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc

    async def react(self, posted: Posted, emojis: Iterable[str]) -> None:
        channel = self._client.get_channel(posted.channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            return
        message = channel.get_partial_message(posted.message_id)
        for emoji in emojis:
            try:
                await message.add_reaction(emoji)
            except discord.HTTPException as exc:
                log.warning("Could not add %s to an announcement: %s", emoji, exc)
                return

    async def reactions(self, posted: Posted, emojis: Iterable[str]) -> dict[str, dict[int, str]]:
        wanted = {normalise_emoji(e) for e in emojis}
        channel = await self._channel(Target(channel_id=posted.channel_id))
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise Gone(f"channel {posted.channel_id} is not a text channel any more")
        try:
            message = await channel.fetch_message(posted.message_id)
            present: dict[str, dict[int, str]] = {}
            for reaction in message.reactions:
                emoji = str(reaction.emoji)
                if normalise_emoji(emoji) not in wanted:  # "✅\ufe0f" answers like "✅"
                    continue
                users = present.setdefault(emoji, {})
                async for user in reaction.users(limit=None):
                    if not user.bot:
                        users[user.id] = user.display_name
        except discord.NotFound:
            raise Gone("the message was deleted") from None
        except discord.Forbidden as exc:
            raise Refused(f"missing permission to read reactions ({exc.text})") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc
        return present

    # -- Discord scheduled events ---------------------------------------------------------------

    def _guild(self, guild_id: int) -> discord.Guild:
        guild = self._client.get_guild(guild_id)
        if guild is None:
            raise Gone(f"Pacer is no longer in server {guild_id}")
        return guild

    async def can_manage_events(self, guild_id: int) -> bool:
        me = self._guild(guild_id).me
        return me is not None and me.guild_permissions.manage_events

    async def everyone_can_view(self, channel_id: int) -> bool:
        channel = self._client.get_channel(channel_id)
        if not isinstance(channel, discord.abc.GuildChannel):
            raise Gone(f"channel {channel_id} was deleted")
        return channel.permissions_for(channel.guild.default_role).view_channel

    async def events(self, guild_id: int) -> list[EventSeen]:
        me = self._client.user
        found = await _events_call(
            "read the events", self._client.http.get_scheduled_events(guild_id, False)
        )
        return [
            EventSeen(
                id=int(event["id"]),
                starts_at=datetime.fromisoformat(event["scheduled_start_time"]),
                status=EVENT_STATUS.get(int(event["status"]), "unknown"),
                ours=me is not None and int(event.get("creator_id") or 0) == me.id,
                description=event.get("description") or "",
            )
            for event in found
        ]

    async def create_event(self, guild_id: int, draft: EventDraft) -> int:
        made = await _events_call(
            "create the event",
            self._client.http.create_guild_scheduled_event(guild_id, **_draft_payload(draft)),
        )
        return int(made["id"])

    async def update_event(
        self, guild_id: int, event_id: int, draft: EventDraft | None, status: str | None
    ) -> None:
        payload: dict[str, Any] = {} if draft is None else _draft_payload(draft)
        payload.pop("privacy_level", None)
        if status is not None:
            payload["status"] = STATUS_NUMBER[status]
        await _events_call(
            "update the event",
            self._client.http.edit_scheduled_event(guild_id, event_id, **payload),
        )

    async def delete_event(self, guild_id: int, event_id: int) -> None:
        try:
            await _events_call(
                "delete the event", self._client.http.delete_scheduled_event(guild_id, event_id)
            )
        except Gone:
            return

    # -- threads ---------------------------------------------------------------------------------

    async def thread_exists(self, thread_id: int) -> bool:
        try:
            await _events_call("read the thread", self._client.http.get_channel(thread_id))
        except Gone:
            return False
        return True

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        try:
            made = await self._client.http.start_thread_with_message(
                channel_id, message_id, name=name, auto_archive_duration=10080
            )
        except discord.Forbidden as exc:
            raise Refused(
                f"missing Create Public Threads in <#{channel_id}> ({exc.text})"
            ) from None
        except discord.NotFound:
            raise Gone("the announcement was deleted") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc
        return int(made["id"])

    async def add_to_thread(self, thread_id: int, user_ids: list[int]) -> None:
        for user_id in user_ids:
            try:
                await self._client.http.add_user_to_thread(thread_id, user_id)
            except (discord.HTTPException, OSError) as exc:
                log.warning("Could not add member %d to thread %d: %s", user_id, thread_id, exc)

    async def archive_thread(self, thread_id: int) -> None:
        try:
            await self._client.http.edit_channel(thread_id, archived=True)
        except discord.NotFound:
            return
        except discord.Forbidden as exc:
            raise Refused(f"missing Manage Threads to archive ({exc.text})") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc

    # -- attendee roles --------------------------------------------------------------------------

    async def set_role(self, guild_id: int, user_id: int, role_id: int, *, give: bool) -> None:
        http = self._client.http
        reason = "Pacer: going to a session" if give else "Pacer: no longer going, or it ended"
        try:
            if give:
                await http.add_role(guild_id, user_id, role_id, reason=reason)
            else:
                await http.remove_role(guild_id, user_id, role_id, reason=reason)
        except discord.Forbidden as exc:
            raise Refused(
                f"missing Manage Roles, or <@&{role_id}> is not below Pacer's own role ({exc.text})"
            ) from None
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MEMBER:
                return  # they left the server: nothing to give or take
            raise Gone(f"the attendee role <@&{role_id}> was deleted ({exc.text})") from None
        except (discord.HTTPException, OSError) as exc:
            raise Transient(_describe(exc)) from exc
