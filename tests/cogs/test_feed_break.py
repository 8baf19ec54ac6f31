"""Trying to break the calendar feeds of issue 12 over real HTTP: odd requests, and a member's
feed as their answers and the session change."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.settings import Settings
from tests.cogs.test_calendar_feed import FIRST, create, fetch, links, use_channel, vevents
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


async def status_of(method: str, url: str) -> int:
    async with aiohttp.ClientSession() as http, http.request(method, url) as response:
        return response.status


async def test_odd_requests_get_plain_refusals_and_the_feed_stays_up(club: Club) -> None:
    await use_channel(club)
    await create(club, "Speed session", "2026-01-13")
    server, mine = await links(club, club.alice)
    base = server.split("/calendar/")[0]
    assert await status_of("POST", server) == 405
    assert await status_of("GET", server + "?x=1") == 200
    assert await status_of("GET", base + "/calendar/../healthz") in (200, 404)
    assert await status_of("GET", base + "/calendar/" + "a" * 5000 + ".ics") == 404
    assert await status_of("GET", base + "/calendar/%00.ics") == 404
    assert await status_of("GET", server.replace(".ics", ".ICS")) == 404
    assert await status_of("HEAD", mine) in (200, 405)
    assert (await fetch(server))[0] == 200
    assert club.env.errors == []


async def test_my_feed_follows_my_answers_and_survives_a_server_reset(club: Club) -> None:
    await use_channel(club)
    await create(club, "Speed session", "2026-01-13")
    await create(club, "Tempo", "2026-01-14")
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    await club.alice.slash(club.channel, "rsvp", session="2", status="going")
    _, mine = await links(club, club.alice)
    assert sorted(str(e["SUMMARY"]) for e in vevents((await fetch(mine))[2])) == [
        "Speed session",
        "Tempo",
    ]
    await club.alice.slash(club.channel, "rsvp", session="2", status="no")
    assert [str(e["SUMMARY"]) for e in vevents((await fetch(mine))[2])] == ["Speed session"]
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    [event] = vevents((await fetch(mine))[2])
    assert event["DTSTART"].dt == FIRST + timedelta(minutes=30)
    _, again = await links(club, club.alice)
    assert again == mine  # one link per member, stable
    assert club.env.errors == []
