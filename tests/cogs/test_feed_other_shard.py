"""Calendar feeds belong to no shard: with several processes only the one running shard 0
serves them, so it reads servers of other shards over Discord's REST API (issue 15).

SimCord runs one process with every server in its cache; a server of another shard is modelled
by hiding it from the cache (``get_guild`` answers None, as it does in a process that does not
run that server's shard), so only REST can tell which channels are public and who sees them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest

from bot.settings import Settings
from tests.cogs.test_calendar_feed import create, fetch, links, use_channel, vevents
from tests.cogs.test_feed_access import going_to_a_public_and_a_private_session
from tests.conftest import Club


@pytest.fixture
def settings(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(
        database_path=tmp_path / "pacer.db",
        database_url=database_url,
        default_timezone="America/New_York",
        sync_commands_on_start=True,
        http_port=0,
    )


def not_in_this_process(club: Club, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Hide the club's server from the bot's cache; returns the list REST reads are noted in."""
    bot = club.bot
    real_get_guild, real_fetch_guild = bot.get_guild, bot.fetch_guild
    fetched: list[int] = []

    def get_guild(guild_id: int, /) -> discord.Guild | None:
        return None if guild_id == club.guild.id else real_get_guild(guild_id)

    async def fetch_guild(guild_id: int, /, **kwargs: Any) -> discord.Guild:
        fetched.append(guild_id)
        return await real_fetch_guild(guild_id, **kwargs)

    monkeypatch.setattr(bot, "get_guild", get_guild)
    monkeypatch.setattr(bot, "fetch_guild", fetch_guild)
    return fetched


async def titles(url: str) -> list[str]:
    status, _, body = await fetch(url)
    assert status == 200
    return sorted(str(event["SUMMARY"]) for event in vevents(body))


async def test_feeds_of_a_server_on_another_shard_read_its_channels_over_rest(
    club: Club, monkeypatch: pytest.MonkeyPatch
) -> None:
    coaches, server, mine = await going_to_a_public_and_a_private_session(club)

    fetched = not_in_this_process(club, monkeypatch)
    # The server feed: public channels only, decided from the REST copy of the server.
    assert await titles(server) == ["Speed session"]
    # The member's own feed: what they can view, by their roles read over REST.
    assert await titles(mine) == ["Coaches only", "Speed session"]
    assert fetched == [club.guild.id]  # read once, then reused

    club.env.backend.remove_member_role(club.guild.id, club.alice.id, coaches.id)
    assert await titles(mine) == ["Speed session"]  # the member is fetched on every read
    club.guild.remove_member(club.alice)
    assert await titles(mine) == []


async def test_a_server_pacer_left_gives_empty_feeds(
    club: Club, monkeypatch: pytest.MonkeyPatch
) -> None:
    await use_channel(club)
    await create(club, "Speed session", "2026-01-13")
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    server, mine = await links(club, club.alice)
    not_in_this_process(club, monkeypatch)

    async def gone(guild_id: int, /, **kwargs: Any) -> discord.Guild:
        raise discord.NotFound(_Response(404), "Unknown Guild")

    monkeypatch.setattr(club.bot, "fetch_guild", gone)
    assert await titles(server) == []
    assert await titles(mine) == []


class _Response:
    """The little of aiohttp's response that discord.py's HTTP errors read."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "Not Found"
