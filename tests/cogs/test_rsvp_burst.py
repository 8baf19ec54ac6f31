"""Bursts: hundreds of members answering at once lose nothing and cause no edit storm."""

from __future__ import annotations

import asyncio
import itertools

from bot.domain.rsvp import Response
from tests.conftest import Club, bot_posts, set_channel

BURST = 500


async def test_a_burst_of_reactions_and_clicks_loses_nothing(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Track night",
        date="2026-01-06",
        time="18:30",
        location="Track",
    )
    message = [m for m in bot_posts(club) if m.embeds][-1]
    path = f"/channels/{club.channel.id}/messages/{message.id}"
    members = [club.guild.add_member(club.env.create_user(f"m{n}")) for n in range(BURST)]
    expected: dict[int, str] = {}
    edits_at: list[float] = []
    seen = 0
    step = 5 / BURST  # all within five simulated seconds
    for index, member in enumerate(members):
        if index % 3 == 2:
            await member.click(message, label="Maybe")
            expected[member.id] = "maybe"
        else:
            await member.react(message, "✅")
            expected[member.id] = "going"
        await club.env.advance_time(step)
        count = sum(1 for r in club.env.http_requests if r.method == "PATCH" and r.path == path)
        if count > seen:
            edits_at.append((index + 1) * step)
            seen = count
    await club.env.advance_time(5)  # the roster is right within 5 s of the last answer

    rows = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps")
    assert {int(r[0]): r[1] for r in rows} == expected
    embed = [m for m in bot_posts(club) if m.embeds][-1].embeds[0]
    roster = next(f.value or "" for f in embed.fields if f.name == "Who's coming")
    going = sum(1 for v in expected.values() if v == "going")
    maybe = BURST - going
    assert f"Going {going}" in roster
    assert f"Maybe {maybe}" in roster
    assert all(b - a >= 5 - step for a, b in itertools.pairwise(edits_at))


async def test_hundreds_of_concurrent_rsvps_keep_one_row_per_member(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Track night",
        date="2026-01-06",
        time="18:30",
        location="Track",
        capacity=50,
    )
    rsvps = club.bot.services.rsvps
    answers = [Response.GOING, Response.MAYBE, Response.GOING, Response.NO]
    # Real members: a place freed on the waitlist is checked against the server's members.
    runners = [club.guild.add_member(club.env.create_user(f"u{n}")) for n in range(300)]

    async def member(user_id: int) -> None:
        for answer in answers:
            await rsvps.respond(club.guild.id, 1, user_id, f"u{user_id}", answer, "command")

    await asyncio.gather(*(member(runner.id) for runner in runners))

    rows = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps")
    assert len(rows) == 300
    assert {r[1] for r in rows} == {"no"}
    events = await club.bot.db.fetch_all("SELECT COUNT(*) FROM rsvp_events")
    assert events[0][0] == 1200
