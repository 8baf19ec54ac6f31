"""A real server changes around its sessions: moderators clear reactions, members leave, admins
change the time zone, channels are private, organizers edit whole series. Every promise holds.

Each test drives the real bot through SimCord and checks what members see and what the
database holds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord
import pytest

from bot.settings import Settings
from tests.conftest import Club, bot_posts, embed_text, only_user_errors, restart, set_channel

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # Tue 6 Jan 18:30 New York, announced at once


async def announce(club: Club, channel: Any = None, **options: Any) -> discord.Message:
    await set_channel(club)
    extra = {"channel": channel} if channel is not None else {}
    result = await club.organizer.slash(
        club.channel,
        "session create",
        title=options.pop("title", "Speed session"),
        date=options.pop("date", "2026-01-06"),
        time=options.pop("time", "18:30"),
        location="Cherokee HS track",
        **options,
        **extra,
    )
    assert result.response.embeds, result.response.content
    return announcement(club, channel or club.channel)


def announcement(club: Club, channel: Any) -> discord.Message:
    return [m for m in channel.history(viewer=club.organizer) if m.author.bot and m.embeds][-1]


async def states(club: Club) -> dict[int, str]:
    rows = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps")
    return {int(r[0]): str(r[1]) for r in rows}


async def names(club: Club) -> dict[int, str]:
    rows = await club.bot.db.fetch_all("SELECT user_id, display_name FROM rsvps")
    return {int(r[0]): str(r[1]) for r in rows}


async def events(club: Club) -> list[tuple[int, str, str]]:
    rows = await club.bot.db.fetch_all(
        "SELECT user_id, action, source FROM rsvp_events ORDER BY id"
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def reactions_on(club: Club, message: discord.Message) -> dict[str, set[int]]:
    """Every reaction on the message as Discord holds it now: emoji -> who (Pacer included)."""
    stored = club.env.backend.get_message(message.channel.id, message.id)
    return {r.emoji: set(r.user_ids) for r in stored.reactions}


async def clear_all(club: Club, message: discord.Message) -> None:
    """A moderator's "Remove all reactions" on the message."""
    club.env.backend.clear_reactions(message.channel.id, message.id)
    await club.env.settle()


async def clear_one(club: Club, message: discord.Message, emoji: str) -> None:
    """A moderator removes every reaction of one emoji."""
    club.env.backend.clear_reaction(message.channel.id, message.id, emoji)
    await club.env.settle()


def roster_field(message: discord.Message) -> str:
    return next(f.value or "" for f in message.embeds[0].fields if f.name == "Who's coming")


# ---------------------------------------------------------------- 3. moderators and reactions


@pytest.fixture
async def full_house(club: Club) -> tuple[discord.Message, Any, Any]:
    """Capacity 2: Alice and Ben react ✅, Cara clicks Going (waitlisted), Dan clicks Maybe."""
    message = await announce(club, capacity=2)
    cara = club.guild.add_member(club.env.create_user("cara"))
    dan = club.guild.add_member(club.env.create_user("dan"))
    await club.alice.react(message, "✅")
    await club.ben.react(message, "✅")
    await cara.click(message, label="Going")
    await dan.click(message, label="Maybe")
    return message, cara, dan


EXPECTED_FULL = ("going", "going", "waitlist", "maybe")


async def full_states(club: Club, cara: Any, dan: Any) -> tuple[str, ...]:
    found = await states(club)
    return tuple(found.get(m.id, "none") for m in (club.alice, club.ben, cara, dan))


@pytest.mark.parametrize("emoji", [None, "✅", "🤔", "❌"], ids=["all", "going", "maybe", "no"])
async def test_a_moderator_clearing_reactions_withdraws_no_answer_now_or_after_a_restart(
    club: Club, settings: Settings, full_house: tuple[discord.Message, Any, Any], emoji: str | None
) -> None:
    message, cara, dan = full_house
    before = await events(club)
    bot_id = club.bot.user.id

    if emoji is None:
        await clear_all(club, message)
    else:
        await clear_one(club, message, emoji)

    assert await full_states(club, cara, dan) == EXPECTED_FULL
    # Pacer put its own answer reactions back (only the cleared ones were missing).
    on_message = reactions_on(club, message)
    assert all(bot_id in on_message.get(e, set()) for e in ("✅", "🤔", "❌"))
    await restart(club, settings)
    await club.env.advance_time(3 * 86400 // 2)  # days later, still before the start
    assert await full_states(club, cara, dan) == EXPECTED_FULL
    assert await events(club) == before  # nothing withdrawn, nothing re-applied
    assert club.env.errors == []


async def test_reactions_cleared_while_pacer_was_offline_withdraw_no_answer(
    club: Club, settings: Settings, full_house: tuple[discord.Message, Any, Any]
) -> None:
    message, cara, dan = full_house
    await club.bot.close()
    club.env.backend.clear_reactions(message.channel.id, message.id)

    await restart(club, settings, crash=True)

    assert await full_states(club, cara, dan) == EXPECTED_FULL
    assert all(club.bot.user.id in users for users in reactions_on(club, message).values())
    assert set(reactions_on(club, message)) == {"✅", "🤔", "❌"}
    assert club.env.errors == []


async def test_after_a_clear_members_answer_again_by_reacting(
    club: Club, full_house: tuple[discord.Message, Any, Any]
) -> None:
    message, cara, dan = full_house
    await clear_all(club, message)

    await club.alice.react(message, "❌")  # Alice can't come after all: Cara gets the place
    await club.ben.react(message, "✅")  # Ben confirms: he keeps his place

    assert await full_states(club, cara, dan) == ("no", "going", "going", "maybe")
    assert club.env.errors == []


@pytest.mark.parametrize(
    ("emoji", "state"),
    [
        ("✅\ufe0f", "going"),
        ("❌\ufe0f", "no"),
        ("❌\ufe0e", "no"),
        ("✅\ufe0e", "going"),
        ("🤔\ufe0f", "maybe"),
        ("🤔\U0001f3fd", "maybe"),
        ("✅\U0001f3fb\ufe0f", "going"),
    ],
    ids=["going-fe0f", "no-fe0f", "no-fe0e", "going-fe0e", "maybe-fe0f", "maybe-tone", "going-mix"],
)
async def test_emoji_presentation_and_skin_tone_do_not_change_the_answer(
    club: Club, settings: Settings, emoji: str, state: str
) -> None:
    message = await announce(club)

    await club.alice.react(message, emoji)
    assert await states(club) == {club.alice.id: state}
    await club.alice.unreact(message, emoji)
    assert await states(club) == {}

    # The same while Pacer is offline: read back at start-up.
    await club.bot.close()
    await club.ben.react(message, emoji)
    await restart(club, settings, crash=True)
    assert await states(club) == {club.ben.id: state}
    assert club.env.errors == []


async def test_an_answer_read_back_after_downtime_is_stored_under_the_server_nickname(
    club: Club, settings: Settings
) -> None:
    message = await announce(club)
    cara = club.guild.add_member(club.env.create_user("cara_r_92"), nick="Cara Runs")
    await club.bot.close()
    await cara.react(message, "✅")

    await restart(club, settings, crash=True)
    await club.env.advance_time(6)

    assert await names(club) == {cara.id: "Cara Runs"}
    assert "Cara Runs" in roster_field(announcement(club, club.channel))
    assert "cara_r_92" not in roster_field(announcement(club, club.channel))


# ---------------------------------------------------------------- 4. members who left


async def test_a_member_who_left_is_skipped_at_promotion_and_never_told(club: Club) -> None:
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await cara.click(message, label="Going")
    assert await states(club) == {
        club.alice.id: "going",
        club.ben.id: "waitlist",
        cara.id: "waitlist",
    }
    club.guild.remove_member(club.ben)

    await club.alice.click(message, label="Can't")
    await club.env.advance_time(1)

    assert await states(club) == {club.alice.id: "no", cara.id: "going"}
    assert (club.ben.id, "remove", "departed") in await events(club)
    dm = cara.user.dm_channel.last_message
    assert dm is not None
    assert "you're now **going**" in dm.content
    assert club.ben.user.dm_channel.last_message is None
    assert all(f"<@{club.ben.id}>" not in (m.content or "") for m in bot_posts(club))
    assert club.env.errors == []


async def test_reminders_do_not_ping_members_who_left_and_free_their_place(club: Club) -> None:
    message = await announce(club, capacity=2)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await cara.click(message, label="Going")
    club.guild.remove_member(club.ben)

    await club.env.advance_time((START - datetime(2026, 1, 1, tzinfo=UTC)).total_seconds() - 3600)

    reminder = [m for m in bot_posts(club) if "Reminder" in (m.content or "")][-1]
    assert f"<@{club.alice.id}>" in reminder.content
    assert f"<@{club.ben.id}>" not in reminder.content
    assert {u.id for u in reminder.mentions} <= {club.alice.id, cara.id}
    assert await states(club) == {club.alice.id: "going", cara.id: "going"}
    assert club.env.errors == []


@pytest.mark.parametrize("change", ["cancel", "time"])
async def test_notices_do_not_ping_members_who_left(club: Club, change: str) -> None:
    """A cancel or time-change notice is for everyone who answered (the outbox), except those
    who left the server (server life): both hold at once."""
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Maybe")
    await cara.click(message, label="Going")  # waitlisted behind Alice
    club.guild.remove_member(club.alice)
    club.guild.remove_member(club.ben)

    if change == "cancel":
        await club.organizer.slash(club.channel, "session cancel", session="1", reason="Ice")
    else:
        await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    await club.env.advance_time(5)

    posts = [m for m in club.channel.history(viewer=club.organizer) if m.author.bot]
    notice = [m for m in posts if f"<@{cara.id}>" in (m.content or "")][-1]
    assert f"<@{club.alice.id}>" not in notice.content
    assert f"<@{club.ben.id}>" not in notice.content
    assert {u.id for u in notice.mentions} == {cara.id}
    if change == "time":  # still open: the departed lose their answers, Cara moves up
        assert await states(club) == {cara.id: "going"}
        assert (club.alice.id, "remove", "departed") in await events(club)
    assert club.env.errors == []


async def test_an_organizer_removes_a_members_answer_and_the_waitlist_moves_up(
    club: Club,
) -> None:
    message = await announce(club, capacity=1)
    cara = club.guild.add_member(club.env.create_user("cara"))
    await club.ben.react(message, "✅")
    await cara.click(message, label="Going")

    result = await club.organizer.slash(
        club.channel, "session remove", session="1", member=club.ben
    )
    await club.env.advance_time(6)

    assert result.ephemeral
    assert f"Removed <@{club.ben.id}>'s answer (going) from **Speed session**" in (
        result.response.content
    )
    assert await states(club) == {cara.id: "going"}
    assert (club.ben.id, "remove", "organizer") in await events(club)
    # His ✅ is taken off too, so the announcement shows one answer for him: none.
    assert club.ben.id not in reactions_on(club, message).get("✅", set())
    assert "ben" not in roster_field(announcement(club, club.channel))
    assert "you're now **going**" in cara.user.dm_channel.last_message.content
    assert club.env.errors == []


async def test_removing_an_answer_is_for_organizers_and_needs_an_answer(club: Club) -> None:
    await announce(club)
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    before = await events(club)

    plain = await club.ben.slash(club.channel, "session remove", session="1", member=club.alice)
    nothing = await club.organizer.slash(
        club.channel, "session remove", session="1", member=club.ben
    )

    assert plain.ephemeral
    assert "Only organizers" in plain.response.content
    assert nothing.ephemeral
    assert f"<@{club.ben.id}> has no answer for Speed session" in nothing.response.content
    assert await events(club) == before
    assert await states(club) == {club.alice.id: "going"}
    only_user_errors(club, count=2)


# ---------------------------------------------------------------- 8. one answer, shown once


async def test_a_reaction_replaced_by_a_button_is_taken_away(club: Club) -> None:
    message = await announce(club)
    await club.alice.react(message, "✅")

    result = await club.alice.click(message, label="Can't")

    assert "can't make" in result.response.content
    assert "left over" not in result.response.content
    assert club.alice.id not in reactions_on(club, message).get("✅", set())
    assert await states(club) == {club.alice.id: "no"}
    assert club.env.errors == []


async def test_without_manage_messages_the_reply_says_which_answer_counts(club: Club) -> None:
    me = club.guild.me
    assert me is not None
    quiet = club.guild.create_text_channel(
        "track-news", overwrites={me: discord.PermissionOverwrite(manage_messages=False)}
    )
    message = await announce(club, channel=quiet)
    await club.alice.react(message, "✅")

    clicked = await club.alice.click(message, label="Can't")
    typed = await club.alice.slash(club.channel, "rsvp", session="1", status="maybe")

    for result in (clicked, typed):
        assert "Your ✅ reaction on the announcement is left over and no longer counts" in (
            result.response.content
        )
    assert club.alice.id in reactions_on(club, message)["✅"]
    assert await states(club) == {club.alice.id: "maybe"}
    footer = announcement(club, quiet).embeds[0].footer.text or ""
    assert "latest answer counts" in footer
    assert club.env.errors == []


async def test_a_reaction_replaced_while_pacer_was_offline_is_taken_away_at_start_up(
    club: Club, settings: Settings
) -> None:
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.bot.close()
    await club.alice.react(message, "❌")  # she can't come after all

    await restart(club, settings, crash=True)

    assert await states(club) == {club.alice.id: "no"}
    assert club.alice.id not in reactions_on(club, message).get("✅", set())
    assert club.alice.id in reactions_on(club, message)["❌"]
    assert club.env.errors == []


async def test_my_paces_without_a_profile_says_how_to_save_one_and_offers_the_workout(
    club: Club,
) -> None:
    message = await announce(club, workout="6x800 @ I w/ 400 jog")

    result = await club.alice.click(message, label="My paces")

    assert result.ephemeral
    text = result.response.content
    assert "/profile set" in text
    assert "race: 5K time: 22:30" in text
    assert "/pace workout workout: 6x800 @ I w/ 400 jog" in text
    assert "add race and time" not in text
    only_user_errors(club)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


async def test_a_52_week_series_confirmation_says_how_many_more_and_cuts_nothing(
    club: Club,
) -> None:
    await set_channel(club)
    title = "Tuesday track session: " + "intervals " * 5 + "and strides, hills, drills"
    assert 95 <= len(title) <= 100

    result = await club.organizer.slash(
        club.channel,
        "session create",
        title=title,
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
        weeks=52,
    )

    embed = result.response.embeds[0]
    description = embed.description or ""
    assert len(description) <= 4096
    lines = _lines(description)
    shown = lines[:-1]
    assert lines[-1].startswith("… and ")
    more = int(lines[-1].split()[2])
    assert len(shown) + more == 52
    for line in shown:
        assert f"**{title}**" in line  # the whole title, never cut
        assert line.endswith(("America/New_York)", "of 52"))
    first_hidden = 1 + len(shown)
    assert f"(#{first_hidden}-#52)" in lines[-1]
    assert club.env.errors == []


async def test_a_long_title_is_never_cut_in_autocomplete_or_the_list(club: Club) -> None:
    title = "Progressive " + "threshold " * 7 + "session with hills"
    assert len(title) == 100
    await announce(club, title=title)

    offered = await club.alice.autocomplete(club.channel, "rsvp", "session", "")
    listed = await club.alice.slash(club.channel, "session list")

    [choice] = offered
    assert len(choice["name"]) <= 100
    assert choice["name"].endswith("#1")
    words = choice["name"].split(" · ", 1)[1].rsplit(" #", 1)[0].rstrip("…").split()
    assert all(word in title.split() for word in words)
    assert title in embed_text(listed.response.embeds[0])
    assert club.env.errors == []


# ---------------------------------------------------------------- 2. settings after sessions


async def starts(club: Club) -> dict[int, datetime]:
    rows = await club.bot.db.fetch_all("SELECT id, starts_at FROM sessions ORDER BY id")
    return {int(r[0]): datetime.fromisoformat(r[1]) for r in rows}


async def series(club: Club, weeks: int = 3, date: str = "2026-01-13") -> Any:
    await set_channel(club)
    return await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date=date,
        time="18:30",
        location="Cherokee HS track",
        weeks=weeks,
    )


async def test_a_new_time_zone_keeps_every_start_and_reads_new_times_in_it(club: Club) -> None:
    created = await series(club)
    assert "Tue 13 Jan 2026 18:30 America/New_York" in embed_text(created.response.embeds[0])
    before = await starts(club)
    admin = await make_admin(club)

    changed = await admin.slash(club.channel, "setup timezone", timezone="Europe/London")

    assert "Dates and times are now read in Europe/London" in changed.response.content
    listed = embed_text(changed.response.embeds[1])
    assert "was America/New_York" in listed
    for day in ("Tue 13 Jan 2026", "Tue 20 Jan 2026", "Tue 27 Jan 2026"):
        assert f"{day} 23:30 Europe/London" in listed  # 18:30 New York, the same instant
    assert await starts(club) == before
    zones = await club.bot.db.fetch_all("SELECT DISTINCT timezone FROM sessions")
    assert [z[0] for z in zones] == ["Europe/London"]
    offered = await club.alice.autocomplete(club.channel, "rsvp", "session", "")
    assert offered[1]["name"].startswith("Tue 20 Jan 2026, 23:30")

    edited = await club.organizer.slash(club.channel, "session edit", session="2", time="19:00")

    assert (await starts(club))[2] == datetime(2026, 1, 20, 19, 0, tzinfo=UTC)
    text = embed_text(edited.response.embeds[0])
    assert "start: Tue 20 Jan 2026 23:30 Europe/London → Tue 20 Jan 2026 19:00 Europe/London" in (
        text
    )
    assert "<t:1768935600:F>" in text  # the Discord timestamp beside the words
    assert (await starts(club))[1] == before[1]
    assert club.env.errors == []


async def make_admin(club: Club) -> Any:
    role = club.guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    return club.guild.add_member(club.env.create_user("mod"), roles=[role])


def announcements(club: Club) -> list[discord.Message]:
    return [m for m in bot_posts(club) if m.embeds]


@pytest.mark.parametrize("when", ["before", "after"])
async def test_announce_ahead_zero_announces_each_session_on_its_day_never_all_at_once(
    club: Club, when: str
) -> None:
    await set_channel(club)
    admin = await make_admin(club)
    if when == "before":
        await admin.slash(club.channel, "setup announce-ahead", days=0)
    await series(club, weeks=20)
    result = None
    if when == "after":
        result = await admin.slash(club.channel, "setup announce-ahead", days=0)
    await club.env.advance_time(60)

    assert announcements(club) == []
    if result is not None:
        assert "on the day" in embed_text(result.response.embeds[0])
    # Tue 13 Jan 18:30 New York: announced with its first reminder (24 h before), then one a week.
    await club.env.advance_time(
        (datetime(2026, 1, 13, 6, tzinfo=UTC) - club.env.now()).total_seconds()
    )
    assert len(announcements(club)) == 1
    await club.env.advance_time(7 * 86400)
    assert len(announcements(club)) == 2
    assert club.env.errors == []


# ---------------------------------------------------------------- 7. series edits


async def test_a_series_edit_keeps_an_occurrences_own_time_and_says_what_changed(
    club: Club,
) -> None:
    await series(club)
    own = await club.organizer.slash(
        club.channel, "session edit", session="2", scope="this", time="19:30"
    )
    assert "Tue 20 Jan 2026 19:30 America/New_York" in embed_text(own.response.embeds[0])
    await club.organizer.slash(
        club.channel, "session edit", session="3", scope="this", location="City park"
    )

    moved = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", date="2026-01-14"
    )

    ny = 5  # hours behind UTC in January
    assert await starts(club) == {
        1: datetime(2026, 1, 14, 18 + ny, 30, tzinfo=UTC),
        2: datetime(2026, 1, 22, 0, 30, tzinfo=UTC),  # Wed 21 Jan 19:30 New York, its own time
        3: datetime(2026, 1, 28, 18 + ny, 30, tzinfo=UTC),
    }
    text = embed_text(moved.response.embeds[0])
    assert "Updated 3 sessions" in text
    assert (
        "start: Tue 20 Jan 2026 19:30 America/New_York → Wed 21 Jan 2026 19:30 America/New_York"
    ) in text
    assert (
        "start: Tue 27 Jan 2026 18:30 America/New_York → Wed 28 Jan 2026 18:30 America/New_York"
    ) in text

    renamed = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", title="Hill session"
    )

    rows = await club.bot.db.fetch_all("SELECT title, location FROM sessions ORDER BY id")
    assert [tuple(r) for r in rows] == [
        ("Hill session", "Cherokee HS track"),
        ("Hill session", "Cherokee HS track"),
        ("Hill session", "City park"),  # its own place survives
    ]
    text = embed_text(renamed.response.embeds[0])
    assert text.count("title: Speed session → Hill session") == 3
    assert "location" not in text
    assert "start:" not in text
    assert club.env.errors == []


async def test_a_series_edit_that_names_a_time_sets_it_everywhere_and_says_so(club: Club) -> None:
    await series(club)
    await club.organizer.slash(club.channel, "session edit", session="2", time="19:30")

    result = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", time="18:00"
    )

    assert [s.astimezone(UTC).hour for s in (await starts(club)).values()] == [23, 23, 23]
    text = embed_text(result.response.embeds[0])
    assert "Tue 20 Jan 2026 19:30 America/New_York → Tue 20 Jan 2026 18:00" in text
    assert club.env.errors == []


async def test_on_the_day_follows_the_servers_zone_when_it_changes(club: Club) -> None:
    await set_channel(club)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup reminders", offsets="none")
    await admin.slash(club.channel, "setup announce-ahead", days=0)
    await series(club, weeks=1)  # Tue 13 Jan 18:30 New York = 23:30 UTC

    async def announcement_due() -> datetime:
        [(due,)] = await club.bot.db.fetch_all(
            "SELECT due_at FROM deliveries WHERE kind = 'announcement' AND status = 'pending'"
        )
        return datetime.fromisoformat(due)

    assert await announcement_due() == datetime(2026, 1, 13, 5, 0, tzinfo=UTC)  # 00:00 New York
    await admin.slash(club.channel, "setup timezone", timezone="Asia/Tokyo")
    # The start is 08:30 on Wed 14 Jan in Tokyo: announced at 00:00 that day, Tokyo time.
    assert await announcement_due() == datetime(2026, 1, 13, 15, 0, tzinfo=UTC)
    await club.env.advance_time(
        (datetime(2026, 1, 13, 15, 1, tzinfo=UTC) - club.env.now()).total_seconds()
    )
    assert len(announcements(club)) == 1
    assert club.env.errors == []


async def test_a_new_announcement_channel_takes_the_sessions_not_announced_yet(club: Club) -> None:
    await set_channel(club)
    admin = await make_admin(club)
    for date in ("2026-01-06", "2026-01-20"):  # the first is announced at once, the second not
        await club.organizer.slash(
            club.channel,
            "session create",
            title=f"Session {date}",
            date=date,
            time="18:30",
            location="Track",
        )
    news = club.guild.create_text_channel("track-news")

    result = await admin.slash(club.channel, "setup channel", channel=news)

    assert "1 upcoming session not announced yet will be announced there too (#2)" in (
        result.response.content
    )
    rows = await club.bot.db.fetch_all("SELECT id, channel_id FROM sessions ORDER BY id")
    assert [tuple(r) for r in rows] == [(1, club.channel.id), (2, news.id)]
    await club.env.advance_time(20 * 86400)
    old_posts = [post for post in club.channel.history(viewer=club.alice) if post.author.bot]
    new_posts = [post for post in news.history(viewer=club.alice) if post.author.bot]
    assert all("2026-01-20" not in embed_text(p.embeds[0]) for p in old_posts if p.embeds)
    assert sum("Session 2026-01-06" in (p.content or "") for p in old_posts) == 2  # reminders
    assert [p.embeds[0].title for p in new_posts if p.embeds] == ["Session 2026-01-20"]
    assert sum("Session 2026-01-20" in (p.content or "") for p in new_posts) == 2
    assert club.env.errors == []
