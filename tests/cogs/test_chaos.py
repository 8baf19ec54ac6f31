"""A seeded, bounded chaos run: a 6-week series, RSVPs throughout, 20+ restarts at random.

At the end every announcement and reminder went out exactly once or was skipped by the stated
rule, every member's RSVP equals their last action, and each roster shows it.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import discord

from bot import create_bot
from bot.settings import Settings
from tests.conftest import Club, bot_posts, set_channel

SEED = 20260113
FIRST = datetime(2026, 1, 13, 23, 30, tzinfo=UTC)  # Tuesdays 18:30 New York, 6 weeks
STARTS = [FIRST + timedelta(weeks=week) for week in range(6)]
EMOJI = {"✅": "going", "🤔": "maybe", "❌": "no"}
LABELS = {"going": "Going", "maybe": "Maybe", "no": "Can't"}
SKIP_REASONS = {"session already started", "superseded by a later reminder"}


async def test_chaos_restarts_lose_and_double_nothing(club: Club, settings: Settings) -> None:
    rng = random.Random(SEED)
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed",
        date="2026-01-13",
        time="18:30",
        location="Track",
        weeks=6,
        capacity=4,
    )
    members = [club.alice, club.ben] + [
        club.guild.add_member(club.env.create_user(f"runner{n}")) for n in range(8)
    ]
    expected: dict[tuple[int, int], str | None] = {}  # (session, member) -> last answer
    restarts = crashes = actions = 0
    end = STARTS[-1] + timedelta(hours=2)

    def open_announcements() -> list[tuple[int, discord.Message]]:
        found = []
        for message in bot_posts(club):
            if not message.embeds:
                continue
            session_id = int((message.embeds[0].footer.text or "#0").split("#")[1].split()[0])
            if STARTS[session_id - 1] > club.env.now() + timedelta(minutes=1):
                found.append((session_id, message))
        return found

    async def act(online: bool) -> None:
        nonlocal actions
        choices = open_announcements()
        if not choices:
            return
        session_id, message = rng.choice(choices)
        member = rng.choice(members)
        key = (session_id, member.id)
        # Read from Discord, not tracked here: Pacer takes a member's reaction away once another
        # answer replaces it (it has Manage Messages in this channel).
        stored = club.env.backend.get_message(message.channel.id, message.id)
        have = {r.emoji for r in stored.reactions if member.id in r.user_ids}
        kind = rng.choice(["react", "unreact", "click", "command"] if online else ["react"])
        if kind == "react":
            emoji = rng.choice([e for e in EMOJI if e not in have] or ["✅"])
            if emoji in have or (not online and len(have) > 0):
                return
            await member.react(message, emoji)
            expected[key] = EMOJI[emoji]
        elif kind == "unreact":
            if not have:
                return
            emoji = rng.choice(sorted(have))
            await member.unreact(message, emoji)
            if expected.get(key) == EMOJI[emoji]:
                expected[key] = None
        elif kind == "click":
            answer = rng.choice(list(LABELS))
            await member.click(message, label=LABELS[answer])
            expected[key] = answer
        else:
            answer = rng.choice(list(LABELS))
            await member.slash(club.channel, "rsvp", session=str(session_id), status=answer)
            expected[key] = answer
        actions += 1

    while club.env.now() < end:
        for _ in range(rng.randint(0, 4)):
            await act(online=True)
        await club.env.advance_time(rng.uniform(0.5, 40) * 3600)
        if rng.random() < 0.6:
            crash = rng.random() < 0.5
            old = club.bot
            if not crash:
                await old.close()
            for _ in range(rng.randint(0, 2)):
                await act(online=False)  # members react while the bot is down
            await club.env.advance_time(rng.uniform(0, 3) * 3600)
            await club.env.restart_bot(create_bot(settings))
            if crash:
                await old.db.close()
            restarts += 1
            crashes += crash
    await club.env.advance_time(6 * 3600)

    assert restarts >= 20, restarts
    assert crashes >= 5
    assert actions >= 40
    db = club.bot.db
    announcements = Counter(
        int((m.embeds[0].footer.text or "").split("#")[1].split()[0])
        for m in bot_posts(club)
        if m.embeds
    )
    assert announcements == Counter(dict.fromkeys(range(1, 7), 1))
    rows = await db.fetch_all(
        "SELECT session_id, kind, offset_s, status, last_error FROM deliveries"
        " WHERE kind IN ('announcement', 'reminder')"
    )
    for session_id, kind, offset_s, status, reason in rows:
        assert status in ("sent", "skipped"), (session_id, kind, offset_s, status)
        if status == "skipped":
            assert reason in SKIP_REASONS
    sent_reminders = Counter((r[0], r[2]) for r in rows if r[1] == "reminder" and r[3] == "sent")
    assert all(count == 1 for count in sent_reminders.values())
    posted = sum(1 for m in bot_posts(club) if "Reminder (" in (m.content or ""))
    assert posted == sum(sent_reminders.values())

    stored = {
        (int(r[0]), int(r[1])): r[2]
        for r in await db.fetch_all("SELECT session_id, user_id, response FROM rsvps")
    }
    assert stored == {key: value for key, value in expected.items() if value is not None}
    for session_id in range(1, 7):
        going = await db.fetch_all(
            "SELECT COUNT(*) FROM rsvps WHERE session_id = ? AND state = 'going'", (session_id,)
        )
        assert going[0][0] <= 4
        [version] = await db.fetch_all(
            "SELECT version, rendered_version FROM sessions WHERE id = ?", (session_id,)
        )
        assert version[0] == version[1]  # the roster on the announcement shows the database
