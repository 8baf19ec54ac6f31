"""Trying to break "the server changes around its sessions" with inputs of the same kinds as
issue 9's cases that its tests did not use: other zones and DST edges, other announce-ahead
values and series lengths, other emoji and moderator actions, members leaving at other moments,
other ways a channel is private, other combinations of series edits.

Each test drives the real bot through SimCord and checks what members see and what the
database holds.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from bot.settings import Settings
from tests.cogs.test_server_life import (
    announce,
    announcements,
    clear_one,
    events,
    make_admin,
    reactions_on,
    starts,
    states,
)
from tests.conftest import Club, embed_text, only_user_errors, restart, set_channel


async def create_series(
    club: Club, *, date: str, time: str = "18:30", weeks: int = 3, **extra: Any
) -> Any:
    return await club.organizer.slash(
        club.channel,
        "session create",
        title=extra.pop("title", "Speed session"),
        date=date,
        time=time,
        location="Cherokee HS track",
        weeks=weeks,
        **extra,
    )


async def until(club: Club, instant: datetime) -> None:
    # A week at a time: SimCord gives one advance a few seconds of real time to settle.
    while club.env.now() < instant:
        step = min(instant - club.env.now(), timedelta(days=7))
        await club.env.advance_time(step.total_seconds())


def reminders(club: Club, viewer: Any = None) -> list[discord.Message]:
    posts = club.channel.history(viewer=viewer or club.organizer)
    return [m for m in posts if m.author.bot and "Reminder" in (m.content or "")]


# ---------------------------------------------------------------- 4. members who left


async def test_a_member_promoted_at_a_reminder_because_someone_left_is_pinged_by_it(
    club: Club,
) -> None:
    """Capacity 1: Alice going, Ben waiting; Alice leaves the server. At the 24 h reminder her
    place goes to Ben, and that reminder is for him: it must ping him, not nobody."""
    message = await announce(club, capacity=1)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    club.guild.remove_member(club.alice)

    await until(club, datetime(2026, 1, 5, 23, 31, tzinfo=UTC))  # just after the 24 h reminder

    assert await states(club) == {club.ben.id: "going"}
    [reminder] = reminders(club)
    assert f"<@{club.ben.id}>" in reminder.content
    assert {u.id for u in reminder.mentions} == {club.ben.id}
    assert f"<@{club.alice.id}>" not in reminder.content
    assert club.env.errors == []


async def test_a_waitlisted_member_who_left_and_came_back_keeps_their_turn(club: Club) -> None:
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await cara.click(message, label="Going")
    club.guild.remove_member(club.ben)
    ben = club.guild.add_member(club.ben.user)  # he rejoins before a place opens

    await club.alice.click(message, label="Can't")
    await club.env.advance_time(1)

    assert await states(club) == {club.alice.id: "no", ben.id: "going", cara.id: "waitlist"}
    assert "you're now **going**" in ben.user.dm_channel.last_message.content
    assert club.env.errors == []


# ---------------------------------------------------------------- 5. private channels


async def test_a_member_overwrite_hides_a_session_from_that_member_only(club: Club) -> None:
    """#track is open to everyone but Ben (a member overwrite, as a moderator sets for one
    person): for him its session does not exist; for Alice it does."""
    await set_channel(club)
    me = club.guild.me
    track = club.guild.create_text_channel(
        "track",
        overwrites={
            club.ben: discord.PermissionOverwrite(view_channel=False),
            me: discord.PermissionOverwrite(view_channel=True),
        },
    )
    await announce(club, channel=track)

    refused = await club.ben.slash(club.channel, "rsvp", session="1", status="going")
    offered = await club.ben.autocomplete(club.channel, "rsvp", "session", "")
    listed = await club.ben.slash(club.channel, "session list")
    allowed = await club.alice.slash(club.channel, "rsvp", session="1", status="going")

    assert refused.ephemeral
    assert "I can't find a session" in refused.response.content
    assert offered == []
    assert "Speed session" not in embed_text(listed.response.embeds[0])
    assert "You're going" in allowed.response.content
    assert await states(club) == {club.alice.id: "going"}
    only_user_errors(club)


async def test_a_zone_change_does_not_show_an_admin_the_sessions_of_a_channel_they_cannot_view(
    club: Club,
) -> None:
    """An admin with Manage Server (not Administrator) who cannot view #elite-squad changes the
    zone: the reply lists the sessions back, but not the private one."""
    await set_channel(club)
    me = club.guild.me
    elite = club.guild.create_text_channel(
        "elite-squad",
        overwrites={
            club.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            club.organizer: discord.PermissionOverwrite(view_channel=True),
            me: discord.PermissionOverwrite(view_channel=True),
        },
    )
    await announce(club, channel=elite, title="Secret squad intervals")
    await announce(club, title="Open track session", date="2026-01-08")
    admin = await make_admin(club)

    changed = await admin.slash(club.channel, "setup timezone", timezone="Europe/London")

    listed = embed_text(changed.response.embeds[1])
    assert "Open track session" in listed
    assert "Secret squad" not in listed
    assert "#1" not in listed
    assert club.env.errors == []


async def test_a_zone_change_on_a_52_week_series_says_how_many_more_it_did_not_list(
    club: Club,
) -> None:
    await set_channel(club)
    await create_series(club, date="2026-01-13", weeks=52)
    admin = await make_admin(club)

    changed = await admin.slash(club.channel, "setup timezone", timezone="Asia/Tokyo")

    listed = (changed.response.embeds[1].description or "").splitlines()
    shown = [line for line in listed if line.startswith("`#")]
    assert listed[-1].startswith("… and ")
    assert len(shown) + int(listed[-1].split()[2]) == 52
    assert f"(#{len(shown) + 1}-#52)" in listed[-1]
    assert all("Asia/Tokyo) · week " in line for line in shown)
    assert sum(len(embed_text(e)) for e in changed.response.embeds) <= 6000
    assert club.env.errors == []


# ---------------------------------------------------------------- 2. zones and DST edges


async def test_a_series_moved_a_day_across_the_spring_change_keeps_its_local_time(
    club: Club,
) -> None:
    """Saturdays 18:30 New York from 28 Feb; clocks spring forward on Sun 8 Mar. Moved one day
    later, every occurrence is on Sunday at 18:30 local, before and after the change."""
    await set_channel(club)
    await create_series(club, date="2026-02-28", weeks=3)

    moved = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", date="2026-03-01"
    )

    assert await starts(club) == {
        1: datetime(2026, 3, 1, 23, 30, tzinfo=UTC),  # EST, UTC-5
        2: datetime(2026, 3, 8, 22, 30, tzinfo=UTC),  # EDT, UTC-4
        3: datetime(2026, 3, 15, 22, 30, tzinfo=UTC),
    }
    text = embed_text(moved.response.embeds[0])
    assert "Sat 7 Mar 2026 18:30 America/New_York → Sun 8 Mar 2026 18:30 America/New_York" in text
    assert club.env.errors == []


async def test_a_series_moved_into_the_missing_hour_is_refused_and_nothing_moves(
    club: Club,
) -> None:
    """Saturdays 02:30 New York; moving them to Sundays puts week 2 on 8 Mar at 02:30, a time
    that does not exist: refused, naming it, and no occurrence moves."""
    await set_channel(club)
    await create_series(club, date="2026-02-28", time="02:30", weeks=3)
    before = await starts(club)
    deliveries = await club.bot.db.fetch_all("SELECT * FROM deliveries ORDER BY id")

    result = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", date="2026-03-01"
    )

    assert result.ephemeral
    assert "02:30" in result.response.content
    assert "doesn't exist in America/New_York" in result.response.content
    assert await starts(club) == before
    assert await club.bot.db.fetch_all("SELECT * FROM deliveries ORDER BY id") == deliveries
    only_user_errors(club)


@pytest.mark.parametrize(
    ("zone", "date", "time", "expected"),
    [
        # London falls back on Sun 25 Oct 2026: 01:30 happens twice; the first is meant.
        ("Europe/London", "2026-10-25", "01:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # Sydney is on summer time in January (UTC+11).
        ("Australia/Sydney", "2026-01-21", "06:00", datetime(2026, 1, 20, 19, 0, tzinfo=UTC)),
        # Kathmandu is UTC+5:45.
        ("Asia/Kathmandu", "2026-01-21", "06:00", datetime(2026, 1, 21, 0, 15, tzinfo=UTC)),
        # Chatham Islands UTC+13:45 in January: the local date is a day ahead of UTC's.
        ("Pacific/Chatham", "2026-01-22", "07:00", datetime(2026, 1, 21, 17, 15, tzinfo=UTC)),
    ],
)
async def test_after_a_zone_change_an_edit_is_read_in_the_new_zone(
    club: Club, zone: str, date: str, time: str, expected: datetime
) -> None:
    await set_channel(club)
    await create_series(club, date="2026-01-13", weeks=2)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup timezone", timezone=zone)

    edited = await club.organizer.slash(
        club.channel, "session edit", session="2", date=date, time=time
    )

    assert (await starts(club))[2] == expected
    text = embed_text(edited.response.embeds[0])
    assert f"{time} {zone}" in text
    assert f"<t:{int(expected.timestamp())}:F>" in text
    assert club.env.errors == []


async def test_a_time_missing_in_the_new_zone_is_refused_after_a_zone_change(club: Club) -> None:
    """New York series; the server moves to Europe/London; 01:30 on Sun 29 Mar 2026 does not
    exist in London (it does in New York): refused."""
    await set_channel(club)
    await create_series(club, date="2026-03-17", weeks=2)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    before = await starts(club)

    result = await club.organizer.slash(
        club.channel, "session edit", session="2", date="2026-03-29", time="01:30"
    )

    assert "doesn't exist in Europe/London" in result.response.content
    assert await starts(club) == before
    only_user_errors(club)


# ---------------------------------------------------------------- 2. announce-ahead bounds


def posts_per_minute(club: Club) -> Counter[datetime]:
    return Counter(m.created_at.replace(second=0, microsecond=0) for m in announcements(club))


@pytest.mark.parametrize(
    ("days", "weeks", "at_once"),
    [(1, 10, 0), (6, 12, 0), (7, 12, 0), (13, 12, 1), (14, 20, 1), (28, 52, 3)],
)
async def test_no_announce_ahead_value_floods_the_channel(
    club: Club, days: int, weeks: int, at_once: int
) -> None:
    """A weekly series starting in 13 days, created after /setup announce-ahead: only the
    occurrences already inside the window go out together; then one a week, each before its
    first reminder."""
    await set_channel(club)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup announce-ahead", days=days)
    await create_series(club, date="2026-01-13", weeks=weeks)
    await club.env.advance_time(60)
    assert len(announcements(club)) == at_once

    await until(club, datetime(2026, 1, 13, 23, 30, tzinfo=UTC) + timedelta(weeks=weeks))

    assert len(announcements(club)) == weeks
    per_minute = posts_per_minute(club)
    assert max(per_minute.values()) <= max(1, at_once)
    rows = await club.bot.db.fetch_all(
        "SELECT s.starts_at, d.sent_at FROM deliveries d JOIN sessions s ON s.id = d.session_id"
        " WHERE d.kind = 'announcement' AND d.status = 'sent'"
    )
    for starts_at, sent_at in rows:
        lead = datetime.fromisoformat(starts_at) - datetime.fromisoformat(sent_at)
        assert lead >= timedelta(hours=24)  # never after the first reminder
        assert lead <= timedelta(days=days, minutes=1)  # never earlier than the window
    assert club.env.errors == []


# ---------------------------------------------------------------- 3. emoji and moderators


@pytest.mark.parametrize(
    "emoji", ["✅\ufe0f", "❌\U0001f3ff", "🤔\ufe0e"], ids=["going-fe0f", "no-tone", "maybe-fe0e"]
)
async def test_a_variant_reaction_replaced_by_a_button_is_taken_away(
    club: Club, emoji: str
) -> None:
    message = await announce(club)
    await club.alice.react(message, emoji)

    result = await club.alice.click(message, label="Going" if "✅" not in emoji else "Maybe")

    assert "left over" not in result.response.content
    assert club.alice.id not in reactions_on(club, message).get(emoji, set())
    assert await states(club) == {club.alice.id: "maybe" if "✅" in emoji else "going"}
    assert club.env.errors == []


@pytest.mark.parametrize(
    "emoji",
    ["👍", "✔️", "☑️", "✖️", "❎", "#️⃣", "1️⃣", "👍🏽", "🏃‍♀️", "🤔\u20e3", "✅\u200d"],
)
async def test_other_emoji_are_not_answers(club: Club, settings: Settings, emoji: str) -> None:
    message = await announce(club)
    await club.alice.react(message, emoji)
    await club.bot.close()
    await club.ben.react(message, emoji)
    await restart(club, settings, crash=True)

    assert await states(club) == {}
    assert await events(club) == []
    assert club.env.errors == []


async def test_clearing_one_variant_emoji_keeps_every_answer_and_pacers_reactions(
    club: Club, settings: Settings
) -> None:
    """Alice answered with ✅ and Ben with ✅ + U+FE0F (two different reactions on Discord). A
    moderator removes the ✅️ reactions only: nobody's answer changes, now or after restarts."""
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.ben.react(message, "✅\ufe0f")

    await clear_one(club, message, "✅\ufe0f")
    await restart(club, settings)
    await restart(club, settings, crash=True)

    assert await states(club) == {club.alice.id: "going", club.ben.id: "going"}
    assert [e for e in await events(club) if e[1] == "remove"] == []
    assert reactions_on(club, message)["✅"] == {club.bot.user.id, club.alice.id}
    assert club.env.errors == []


async def test_a_clear_while_offline_then_new_reactions_while_still_offline(
    club: Club, settings: Settings
) -> None:
    """Down: a moderator clears everything, then Alice (going) reacts ❌ and Cara reacts ✅.
    At start-up: Alice's new answer counts, Cara's too, Ben's (cleared) stays."""
    message = await announce(club)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.alice.react(message, "✅")
    await club.ben.react(message, "🤔")
    await club.bot.close()
    club.env.backend.clear_reactions(message.channel.id, message.id)
    await club.alice.react(message, "❌")
    await cara.react(message, "✅")

    await restart(club, settings, crash=True)

    assert await states(club) == {club.alice.id: "no", club.ben.id: "maybe", cara.id: "going"}
    assert set(reactions_on(club, message)) == {"✅", "🤔", "❌"}
    assert club.bot.user.id in reactions_on(club, message)["🤔"]
    assert club.env.errors == []


async def test_an_unreact_while_offline_counts_where_pacer_could_not_add_its_reactions(
    club: Club, settings: Settings
) -> None:
    """Pacer may not add reactions in #track (an overwrite), so it never had its own ✅ 🤔 ❌
    there. Alice reacts ✅ (going); while Pacer is down she takes it back. That is her own
    un-react, not a moderator's clear: at start-up her answer is withdrawn."""
    me = club.guild.me
    track = club.guild.create_text_channel(
        "track", overwrites={me: discord.PermissionOverwrite(add_reactions=False)}
    )
    message = await announce(club, channel=track)
    assert club.bot.user.id not in reactions_on(club, message).get("✅", set())
    await club.alice.react(message, "✅")
    await club.ben.react(message, "✅")
    assert await states(club) == {club.alice.id: "going", club.ben.id: "going"}
    await club.bot.close()
    await club.alice.unreact(message, "✅")

    await restart(club, settings, crash=True)

    assert await states(club) == {club.ben.id: "going"}
    assert (club.alice.id, "remove", "reconcile") in await events(club)
    assert club.env.errors == []


# ---------------------------------------------------------------- 4. more on members who left


async def test_an_organizer_removes_the_answer_of_someone_who_already_left(club: Club) -> None:
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.ben.react(message, "✅")
    await cara.click(message, label="Going")
    club.guild.remove_member(club.ben)

    result = await club.organizer.slash(
        club.channel, "session remove", session="1", member=club.ben.user
    )
    await club.env.advance_time(6)

    assert result.ephemeral
    assert "Removed" in result.response.content
    assert await states(club) == {cara.id: "going"}
    assert (club.ben.id, "remove", "organizer") in await events(club)
    assert club.env.errors == []


async def test_everyone_on_the_waitlist_left_so_the_place_stays_free(club: Club) -> None:
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await cara.click(message, label="Going")
    club.guild.remove_member(club.ben)
    club.guild.remove_member(cara)

    await club.alice.click(message, label="Can't")
    await club.env.advance_time(1)
    dan = club.guild.add_member(club.env.create_user("dan"))
    joined = await dan.click(message, label="Going")

    assert "You're going" in joined.response.content
    assert await states(club) == {club.alice.id: "no", dan.id: "going"}
    removed = [e for e in await events(club) if e[1] == "remove"]
    assert removed == [(club.ben.id, "remove", "departed"), (cara.id, "remove", "departed")]
    assert club.env.errors == []


# ---------------------------------------------------------------- nicknames


async def test_a_roster_follows_a_nickname_given_with_the_next_answer(
    club: Club, settings: Settings
) -> None:
    """Cara answers as "cara_r_92", gets the nickname "Cara Runs" and answers again by
    reaction, then (Pacer down) changes it to "Coach Cara" and reacts again."""
    message = await announce(club)
    cara = club.guild.add_member(club.env.create_user("cara_r_92"))
    await cara.click(message, label="Maybe")
    club.env.backend.edit_member(club.guild.id, cara.id, {"nick": "Cara Runs"})
    await cara.react(message, "✅")
    await club.env.advance_time(6)
    assert "Cara Runs" in roster_of(club, message)

    await club.bot.close()
    club.env.backend.edit_member(club.guild.id, cara.id, {"nick": "Coach Cara"})
    await cara.unreact(message, "✅")
    await cara.react(message, "❌")
    await restart(club, settings, crash=True)
    await club.env.advance_time(6)

    rows = await club.bot.db.fetch_all("SELECT display_name, state FROM rsvps")
    assert [tuple(r) for r in rows] == [("Coach Cara", "no")]
    roster = await club.organizer.slash(club.channel, "session roster", session="1")
    assert "Coach Cara" in embed_text(roster.response.embeds[0])
    assert club.env.errors == []


def roster_of(club: Club, message: discord.Message) -> str:
    stored = club.env.backend.get_message(message.channel.id, message.id)
    return str(stored.embeds[0])


# ---------------------------------------------------------------- 7. series edits


async def rows(club: Club, *columns: str) -> list[tuple[Any, ...]]:
    found = await club.bot.db.fetch_all(
        f"SELECT id, {', '.join(columns)} FROM sessions ORDER BY id"  # noqa: S608
    )
    return [tuple(r) for r in found]


async def test_one_occurrence_edited_after_a_series_edit_then_the_series_again(
    club: Club,
) -> None:
    """4 weeks: the series moves to Wednesdays; week 3 alone moves to 07:00 and another place;
    then the rest of the series from week 2 is renamed and its capacity set: week 3 keeps its
    own time and place, week 1 is untouched by the second series edit."""
    await set_channel(club)
    await create_series(club, date="2026-01-13", weeks=4)
    await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", date="2026-01-14"
    )
    own = await club.organizer.slash(
        club.channel, "session edit", session="3", time="07:00", location="City park"
    )
    assert "Wed 28 Jan 2026 07:00 America/New_York" in embed_text(own.response.embeds[0])

    renamed = await club.organizer.slash(
        club.channel,
        "session edit",
        session="2",
        scope="series",
        title="Hill repeats",
        capacity=8,
        date="2026-01-22",  # week 2 one more day later: Thursday
    )

    ny = 5
    assert await starts(club) == {
        1: datetime(2026, 1, 14, 18 + ny, 30, tzinfo=UTC),
        2: datetime(2026, 1, 22, 18 + ny, 30, tzinfo=UTC),
        3: datetime(2026, 1, 29, 7 + ny, 0, tzinfo=UTC),  # Thursday, still its own 07:00
        4: datetime(2026, 2, 5, 18 + ny, 30, tzinfo=UTC),
    }
    assert await rows(club, "title", "location", "capacity") == [
        (1, "Speed session", "Cherokee HS track", None),
        (2, "Hill repeats", "Cherokee HS track", 8),
        (3, "Hill repeats", "City park", 8),
        (4, "Hill repeats", "Cherokee HS track", 8),
    ]
    text = embed_text(renamed.response.embeds[0])
    assert "Updated 3 sessions" in text
    assert "Wed 28 Jan 2026 07:00 America/New_York → Thu 29 Jan 2026 07:00 America/New_York" in (
        text
    )
    assert text.count("capacity: none → 8") == 3
    assert "City park" not in text
    assert club.env.errors == []


async def test_a_series_edit_skips_a_cancelled_occurrence_and_says_nothing_of_it(
    club: Club,
) -> None:
    await set_channel(club)
    await create_series(club, date="2026-01-13", weeks=3)
    await club.organizer.slash(club.channel, "session cancel", session="2", reason="Meet")

    moved = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", time="19:00"
    )

    found = await rows(club, "status", "starts_at")
    assert found[1][1] == "cancelled"
    assert found[1][2] == datetime(2026, 1, 20, 23, 30, tzinfo=UTC).isoformat()
    text = embed_text(moved.response.embeds[0])
    assert "Updated 2 sessions" in text
    assert "Tue 20 Jan" not in text
    pending = await club.bot.db.fetch_all(
        "SELECT COUNT(*) FROM deliveries WHERE session_id = 2 AND status = 'pending'"
        " AND kind IN ('announcement', 'reminder')"
    )
    assert pending[0][0] == 0
    assert club.env.errors == []


async def test_a_series_edit_that_would_put_an_earlier_week_in_the_past_changes_nothing(
    club: Club,
) -> None:
    await set_channel(club)
    await create_series(club, date="2026-01-06", weeks=3)
    await club.env.advance_time(3 * 86400)  # Sun 4 Jan
    before = await starts(club)

    result = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", date="2025-12-30"
    )

    assert result.ephemeral
    assert "is in the past" in result.response.content
    assert await starts(club) == before
    only_user_errors(club)


async def test_a_series_edit_from_week_2_after_week_1_started(club: Club) -> None:
    await set_channel(club)
    await create_series(club, date="2026-01-06", weeks=3)
    await until(club, datetime(2026, 1, 7, tzinfo=UTC))  # week 1 has started

    refused = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", title="Too late"
    )
    done = await club.organizer.slash(
        club.channel, "session edit", session="2", scope="series", title="Hills"
    )

    assert "already started" in refused.response.content
    assert "Updated 2 sessions" in embed_text(done.response.embeds[0])
    assert [r[1] for r in await rows(club, "title")] == ["Speed session", "Hills", "Hills"]
    only_user_errors(club)


# ---------------------------------------------------------------- 5. more private channels


def overwrite(club: Club, channel: Any, member: Any, **permissions: bool) -> None:
    """A moderator sets a member overwrite on a channel (live, as Discord announces it)."""
    from simcord.backend.models import Overwrite
    from simcord.enums import OverwriteType

    allow, deny = discord.PermissionOverwrite(**permissions).pair()
    club.env.backend.set_overwrite(
        channel.id,
        Overwrite(
            target_id=member.id, type=OverwriteType.MEMBER, allow=allow.value, deny=deny.value
        ),
    )


async def test_a_member_overwrite_given_later_shows_the_session_and_taken_away_hides_it(
    club: Club,
) -> None:
    await set_channel(club)
    me = club.guild.me
    elite = club.guild.create_text_channel(
        "elite-squad",
        overwrites={
            club.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            me: discord.PermissionOverwrite(view_channel=True),
            club.organizer: discord.PermissionOverwrite(view_channel=True),
        },
    )
    await announce(club, channel=elite, title="Elite intervals")
    assert await club.alice.autocomplete(club.channel, "rsvp", "session", "") == []

    overwrite(club, elite, club.alice, view_channel=True)
    await club.env.settle()
    offered = await club.alice.autocomplete(club.channel, "rsvp", "session", "")
    going = await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    assert [c["value"] for c in offered] == ["1"]
    assert "You're going to **Elite intervals**" in going.response.content

    overwrite(club, elite, club.alice, view_channel=False)
    await club.env.settle()
    hidden = await club.alice.slash(club.channel, "session roster", session="1")
    listed = await club.alice.slash(club.channel, "session list")
    assert "I can't find a session" in hidden.response.content
    assert "Elite intervals" not in embed_text(listed.response.embeds[0])
    assert await states(club) == {club.alice.id: "going"}  # her answer stays
    only_user_errors(club)


# ---------------------------------------------------------------- 8. stale reactions


async def test_manage_messages_taken_away_later_turns_removal_into_a_plain_notice(
    club: Club,
) -> None:
    me = club.guild.me
    assert me is not None
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.ben.react(message, "✅")
    await club.alice.click(message, label="Maybe")  # Pacer may: her ✅ goes
    assert club.alice.id not in reactions_on(club, message)["✅"]

    overwrite(club, club.channel, me, manage_messages=False)
    await club.env.settle()
    typed = await club.ben.slash(club.channel, "rsvp", session="1", status="no")

    assert "Your ✅ reaction on the announcement is left over and no longer counts" in (
        typed.response.content
    )
    assert club.ben.id in reactions_on(club, message)["✅"]
    assert await states(club) == {club.alice.id: "maybe", club.ben.id: "no"}
    assert club.env.errors == []


async def test_a_stale_reaction_left_over_is_taken_away_at_start_up_once_pacer_may(
    club: Club, settings: Settings
) -> None:
    """Without Manage Messages Alice's ✅ stays after she clicks Can't. An admin then gives
    Pacer Manage Messages; at the next start-up the left-over ✅ goes, her answer stays."""
    me = club.guild.me
    assert me is not None
    overwrite(club, club.channel, me, manage_messages=False)
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.alice.click(message, label="Can't")
    assert club.alice.id in reactions_on(club, message)["✅"]

    overwrite(club, club.channel, me, manage_messages=True)
    await restart(club, settings)

    assert await states(club) == {club.alice.id: "no"}
    assert club.alice.id not in reactions_on(club, message).get("✅", set())
    assert club.env.errors == []


# ---------------------------------------------------------------- 8. long lists, other scripts


UNICODE_TITLE = (
    "Séance de fractionné 🏃‍♀️🏃🏽 über die Bahn — 田径场间歇跑 "
    "Ναυτίλος *fast* _laps_ 👩🏾‍🤝‍👩🏻 c̈ombining marks"
)


async def test_a_52_week_series_with_a_title_in_many_scripts_is_listed_whole_everywhere(
    club: Club,
) -> None:
    assert len(UNICODE_TITLE) <= 100
    await set_channel(club)
    created = await create_series(club, date="2026-01-13", weeks=52, title=UNICODE_TITLE)
    escaped = discord.utils.escape_markdown(UNICODE_TITLE)

    listed = await club.alice.slash(club.channel, "session list")
    offered = await club.alice.autocomplete(club.channel, "rsvp", "session", "")
    admin = await make_admin(club)
    zoned = await admin.slash(club.channel, "setup timezone", timezone="Asia/Kolkata")

    for embed in (created.response.embeds[0], listed.response.embeds[0], zoned.response.embeds[1]):
        lines = [line for line in (embed.description or "").splitlines() if line.startswith("`#")]
        assert lines
        assert all(f"**{escaped}**" in line for line in lines)
        assert len(embed.description or "") <= 4096
    assert len(offered) == 25
    for choice in offered:
        name = choice["name"]
        assert len(name) <= 100
        shown = name.split(" · ", 1)[1].rsplit(" (week", 1)[0].removesuffix("…")
        assert UNICODE_TITLE.startswith(shown)
        assert UNICODE_TITLE[len(shown) : len(shown) + 1] in ("", " ")  # cut between words
    assert club.env.errors == []


# ---------------------------------------------------------------- 3. offline, one emoji


async def test_one_emoji_cleared_and_another_taken_back_in_the_same_downtime(
    club: Club, settings: Settings
) -> None:
    """Alice ✅, Ben ❌. While Pacer is down a moderator clears ❌ (Ben's and Pacer's) and Alice
    takes her ✅ back herself. At start-up Ben's answer stays, Alice's is withdrawn, and only
    Pacer's ❌ is put back."""
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.ben.react(message, "❌")
    await club.bot.close()
    club.env.backend.clear_reaction(message.channel.id, message.id, "❌")
    await club.alice.unreact(message, "✅")

    await restart(club, settings, crash=True)

    assert await states(club) == {club.ben.id: "no"}
    assert (club.alice.id, "remove", "reconcile") in await events(club)
    assert (club.ben.id, "remove", "reconcile") not in await events(club)
    assert reactions_on(club, message) == {
        "✅": {club.bot.user.id},
        "🤔": {club.bot.user.id},
        "❌": {club.bot.user.id},
    }
    # And again: a later restart changes nothing.
    before = await events(club)
    await restart(club, settings)
    assert await events(club) == before
    assert club.env.errors == []


async def test_a_reaction_from_someone_who_left_while_pacer_was_down_is_not_counted(
    club: Club, settings: Settings
) -> None:
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.bot.close()
    await cara.react(message, "✅")
    await club.alice.react(message, "✅")
    club.guild.remove_member(cara)

    await restart(club, settings, crash=True)

    assert await states(club) == {club.alice.id: "going"}
    assert club.env.errors == []


# ---------------------------------------------------------------- 2. settings back and forth


async def test_announce_ahead_changed_back_and_forth_never_posts_twice_or_floods(
    club: Club,
) -> None:
    await set_channel(club)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup announce-ahead", days=28)
    await create_series(club, date="2026-01-06", weeks=8)  # 5 days away
    await club.env.advance_time(60)
    assert len(announcements(club)) == 4  # 5, 12, 19 and 26 days away

    await admin.slash(club.channel, "setup announce-ahead", days=0)
    await admin.slash(club.channel, "setup reminders", offsets="7d,1h")
    await club.env.advance_time(60)
    assert len(announcements(club)) == 4
    await admin.slash(club.channel, "setup announce-ahead", days=14)
    await club.env.advance_time(60)
    assert len(announcements(club)) == 4  # nothing new inside 14 days

    await until(club, datetime(2026, 2, 25, tzinfo=UTC))

    assert len(announcements(club)) == 8
    titles = Counter(
        (m.embeds[0].fields[0].value or "") for m in announcements(club)
    )  # the "When" field: one announcement per occurrence
    assert set(titles.values()) == {1}
    # Posts only: a Discord event's syncs (no message) run at announcement, start and end.
    sent = await club.bot.db.fetch_all(
        "SELECT session_id, kind, offset_s, COUNT(*) FROM deliveries WHERE status = 'sent'"
        " AND message_id IS NOT NULL GROUP BY session_id, kind, offset_s HAVING COUNT(*) > 1"
    )
    assert sent == []
    assert club.env.errors == []


@pytest.mark.parametrize("time", ["00:00", "00:05"])
async def test_on_the_day_announces_a_session_that_starts_at_midnight(
    club: Club, time: str
) -> None:
    """announce-ahead 0 and no reminders: "on the day" is 00:00, which is the start itself for
    a session at midnight. It must still be announced, before it starts."""
    await set_channel(club)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup reminders", offsets="none")
    await admin.slash(club.channel, "setup announce-ahead", days=0)
    await create_series(club, date="2026-01-13", time=time, weeks=2)

    await until(club, datetime(2026, 1, 21, tzinfo=UTC))

    assert len(announcements(club)) == 2
    rows = await club.bot.db.fetch_all(
        "SELECT d.status, d.sent_at, s.starts_at FROM deliveries d"
        " JOIN sessions s ON s.id = d.session_id WHERE d.kind = 'announcement'"
    )
    for status, sent_at, starts_at in rows:
        assert status == "sent"
        assert datetime.fromisoformat(sent_at) < datetime.fromisoformat(starts_at)
    assert club.env.errors == []


@pytest.mark.parametrize("offline", [False, True], ids=["live", "offline"])
async def test_taking_back_one_of_two_presentations_of_the_same_answer_keeps_it(
    club: Club, settings: Settings, offline: bool
) -> None:
    """Discord keeps ✅ and ✅ + U+FE0F as two reactions. Alice has both (one from her phone,
    one from her laptop): taking one back leaves ✅️ showing, so she is still going."""
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.alice.react(message, "✅\ufe0f")
    if offline:
        await club.bot.close()
    await club.alice.unreact(message, "✅")
    if offline:
        await restart(club, settings, crash=True)

    assert await states(club) == {club.alice.id: "going"}
    assert club.alice.id in reactions_on(club, message)["✅\ufe0f"]
    # Taking back the other one too withdraws her answer.
    await club.alice.unreact(message, "✅\ufe0f")
    assert await states(club) == {}
    assert club.env.errors == []


async def test_raising_the_capacity_skips_waitlisted_members_who_left(club: Club) -> None:
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    dan = club.guild.add_member(club.env.create_user("dan"))
    for member in (club.alice, club.ben, cara, dan):
        await member.click(message, label="Going")
    club.guild.remove_member(club.ben)

    edited = await club.organizer.slash(club.channel, "session edit", session="1", capacity=3)
    await club.env.advance_time(1)

    assert "capacity: 1 → 3" in embed_text(edited.response.embeds[0])
    assert await states(club) == {club.alice.id: "going", cara.id: "going", dan.id: "going"}
    assert (club.ben.id, "remove", "departed") in await events(club)
    assert "you're now **going**" in dan.user.dm_channel.last_message.content
    assert club.ben.user.dm_channel is None or club.ben.user.dm_channel.last_message is None
    assert club.env.errors == []


# ---------------------------------------------------------------- many sessions


async def test_session_list_counts_every_session_it_could_not_show(club: Club) -> None:
    """Five 52-week series: 260 upcoming sessions. The list shows what fits and says how many
    more, all of them, up to the last one."""
    await set_channel(club)
    for hour in range(5):
        await create_series(club, date="2026-01-13", time=f"{6 + hour}:00", weeks=52)

    listed = await club.alice.slash(club.channel, "session list")

    lines = (listed.response.embeds[0].description or "").splitlines()
    shown = [line for line in lines if line.startswith("`#")]
    assert lines[-1].startswith("… and ")
    assert len(shown) + int(lines[-1].split()[2]) == 260
    [(last,)] = await club.bot.db.fetch_all(
        "SELECT id FROM sessions ORDER BY starts_at DESC, id DESC LIMIT 1"
    )
    assert f"-#{last})" in lines[-1]
    assert club.env.errors == []


async def test_sessions_behind_many_private_ones_are_still_listed_and_offered(club: Club) -> None:
    """Four 52-week series in #elite-squad (208 sessions Alice cannot view) start before the one
    open session: Alice still finds the open one in /session list and autocomplete."""
    await set_channel(club)
    me = club.guild.me
    elite = club.guild.create_text_channel(
        "elite-squad",
        overwrites={
            club.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            club.organizer: discord.PermissionOverwrite(view_channel=True),
            me: discord.PermissionOverwrite(view_channel=True),
        },
    )
    for hour in range(4):
        await create_series(club, date="2026-01-05", time=f"{6 + hour}:00", weeks=52, channel=elite)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Open track session",
        date="2027-01-10",
        time="18:30",
        location="Track",
    )
    [(open_id,)] = await club.bot.db.fetch_all("SELECT MAX(id) FROM sessions")

    listed = await club.alice.slash(club.channel, "session list")
    offered = await club.alice.autocomplete(club.channel, "rsvp", "session", "")

    assert "Open track session" in embed_text(listed.response.embeds[0])
    assert [c["value"] for c in offered] == [str(open_id)]
    assert club.env.errors == []


async def test_an_announcement_from_before_pacer_remembered_its_own_reactions_learns_them(
    club: Club, settings: Settings
) -> None:
    """A database from before Pacer remembered its own reactions (no rows for them): the first
    start-up learns them, so a clear made during a later downtime still withdraws no answer."""
    message = await announce(club)
    await club.alice.react(message, "✅")
    async with club.bot.db.transaction() as conn:
        await conn.execute("DELETE FROM reactions_seen WHERE user_id = 0")

    await restart(club, settings)
    pacer_rows = await club.bot.db.fetch_all(
        "SELECT emoji FROM reactions_seen WHERE user_id = 0 ORDER BY emoji"
    )
    assert sorted(r[0] for r in pacer_rows) == sorted(["✅", "🤔", "❌"])

    await club.bot.close()
    club.env.backend.clear_reactions(message.channel.id, message.id)
    await restart(club, settings, crash=True)

    assert await states(club) == {club.alice.id: "going"}
    assert club.bot.user.id in reactions_on(club, message)["✅"]
    assert club.env.errors == []


async def test_a_clear_after_the_start_withdraws_nothing_and_invites_no_late_answers(
    club: Club,
) -> None:
    """Once the session has started answers are closed: a moderator clearing the reactions then
    changes no answer, and Pacer does not put ✅ 🤔 ❌ back to invite answers it won't take."""
    message = await announce(club)
    await club.alice.react(message, "✅")
    await until(club, datetime(2026, 1, 6, 23, 45, tzinfo=UTC))  # 15 minutes in

    await clear_one(club, message, "✅")

    assert await states(club) == {club.alice.id: "going"}
    assert "✅" not in reactions_on(club, message)
    assert club.env.errors == []
