"""200 mixed slash commands in one simulated instant: every one answered, nothing lost.

SimCord runs one member action at a time (it refuses overlapping actions), so "at once" here is
200 interactions with no simulated time between them; true concurrency is exercised at the service
level in test_rsvp_burst.py.
"""

from __future__ import annotations

import random

from tests.conftest import Club, set_channel

COMMANDS = 200


async def test_two_hundred_mixed_commands_are_all_answered(club: Club) -> None:
    rng = random.Random(200)
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Track",
        date="2026-01-06",
        time="18:30",
        location="Track",
        capacity=30,
    )
    members = [club.guild.add_member(club.env.create_user(f"load{n}")) for n in range(40)]
    last_answer: dict[int, str] = {}
    profiles: set[int] = set()
    started = club.env.now()
    answered = 0
    for number in range(COMMANDS):
        member = rng.choice(members)
        kind = number % 10
        if kind == 0:
            result = await member.slash(club.channel, "pace zones", race="5K", time="22:30")
        elif kind == 1:
            result = await member.slash(club.channel, "pace predict", race="10K", time="45:00")
        elif kind == 2:
            result = await member.slash(club.channel, "pace convert", pace="4:30/km")
        elif kind == 3:
            result = await member.slash(club.channel, "pace splits", race="mile", time="6:00")
        elif kind == 4:
            result = await member.slash(
                club.channel, "pace workout", workout="ladder", race="5K", time="21:00"
            )
        elif kind == 5:
            result = await member.slash(club.channel, "profile set", race="10K", time="48:00")
            profiles.add(member.id)
        elif kind == 6:
            result = await member.slash(club.channel, "drill show", name="a skip")
        elif kind == 7:
            result = await member.slash(club.channel, "session list")
        else:
            answer = rng.choice(["going", "maybe", "no"])
            result = await member.slash(club.channel, "rsvp", session="1", status=answer)
            last_answer[member.id] = answer
        answered += bool(result.acknowledged and (result.response is not None))

    assert answered == COMMANDS
    assert club.env.now() == started  # all within one simulated instant
    assert club.env.errors == []
    rsvps = await club.bot.db.fetch_all("SELECT user_id, response FROM rsvps")
    assert {int(r[0]): r[1] for r in rsvps} == last_answer
    stored = await club.bot.db.fetch_all("SELECT user_id FROM profiles")
    assert {int(r[0]) for r in stored} == profiles
    going = await club.bot.db.fetch_all(
        "SELECT COUNT(*) FROM rsvps WHERE session_id = 1 AND state = 'going'"
    )
    assert going[0][0] <= 30
