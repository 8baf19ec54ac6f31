"""RSVPs as members give them: reactions, buttons, /rsvp; capacity, waitlist and the roster."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

from bot import create_bot
from bot.settings import Settings
from tests.conftest import Club, bot_posts, embed_text, only_user_errors, restart, set_channel

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # 18:30 New York, announced at once


async def announce(club: Club, capacity: int | None = None, **extra: object) -> discord.Message:
    await set_channel(club)
    options: dict[str, object] = {"capacity": capacity} if capacity else {}
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
        **options,
        **extra,
    )
    return latest_announcement(club)


def latest_announcement(club: Club) -> discord.Message:
    return [m for m in bot_posts(club) if m.embeds][-1]


def roster(club: Club) -> str:
    embed = latest_announcement(club).embeds[0]
    return next(f.value or "" for f in embed.fields if f.name == "Who's coming")


def reactors(club: Club, emoji: str) -> set[int]:
    """Members (not Pacer) reacting with ``emoji`` on the latest announcement now."""
    message = latest_announcement(club)
    found = next((r for r in message.reactions if str(r.emoji) == emoji), None)
    if found is None:
        return set()
    stored = club.env.backend.get_message(message.channel.id, message.id).reaction_for(emoji)
    return {u for u in (stored.user_ids if stored else []) if u != club.bot.user.id}


async def settle_edits(club: Club) -> None:
    await club.env.advance_time(5)


async def states(club: Club) -> dict[int, str]:
    rows = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps")
    return {int(r[0]): str(r[1]) for r in rows}


async def test_the_announcement_offers_reactions_and_buttons(club: Club) -> None:
    message = await announce(club)
    assert [str(r.emoji) for r in message.reactions] == ["✅", "🤔", "❌"]
    labels = [c.label for row in message.components for c in row.children]
    assert labels == [
        "Going",
        "Maybe",
        "Can't",
        "DM reminders",
        "My paces",
        "Add to calendar",
        "Send to watch",
        # "I'm here" is added when the check-in window opens (test_attendance_cog).
    ]
    assert "No answers yet" in roster(club)


async def test_reacting_going_then_maybe_keeps_the_latest(club: Club) -> None:
    message = await announce(club)
    await club.alice.react(message, "✅")
    assert await states(club) == {club.alice.id: "going"}
    await club.alice.react(message, "🤔")
    assert await states(club) == {club.alice.id: "maybe"}
    # Her ✅ no longer counts, so Pacer (with Manage Messages) took it away.
    assert reactors(club, "✅") == set()
    assert reactors(club, "🤔") == {club.alice.id}

    await club.alice.unreact(message, "🤔")
    assert await states(club) == {}


async def test_the_bots_own_reactions_do_not_count(club: Club) -> None:
    await announce(club)
    assert await states(club) == {}


async def test_other_bots_are_ignored(club: Club) -> None:
    message = await announce(club)
    robot = club.guild.add_member(club.env.create_user("robot", bot=True))
    await robot.react(message, "✅")
    assert await states(club) == {}


async def test_a_button_answers_privately_after_saving(club: Club) -> None:
    message = await announce(club)

    result = await club.alice.click(message, label="Going")

    assert result.ephemeral
    assert "You're going to **Speed session**" in result.response.content
    assert await states(club) == {club.alice.id: "going"}
    await settle_edits(club)
    assert "alice" in roster(club)


async def test_rsvp_command_and_latest_action_wins_across_inputs(club: Club) -> None:
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.alice.click(message, label="Maybe")
    result = await club.alice.slash(club.channel, "rsvp", session="1", status="no")

    assert result.ephemeral
    assert "can't make" in result.response.content
    assert await states(club) == {club.alice.id: "no"}
    rows = await club.bot.db.fetch_all("SELECT COUNT(*) FROM rsvps")
    assert rows[0][0] == 1
    events = await club.bot.db.fetch_all("SELECT action, source FROM rsvp_events ORDER BY id")
    assert [tuple(e) for e in events] == [
        ("going", "reaction"),
        ("maybe", "button"),
        ("no", "command"),
    ]


async def test_rsvp_to_another_servers_session_is_not_found(club: Club) -> None:
    await announce(club)
    other = club.env.create_guild("Other Club")
    channel = other.create_text_channel("general")
    stranger = other.add_member(club.env.create_user("stranger"))
    result = await stranger.slash(channel, "rsvp", session="1", status="going")
    assert result.ephemeral
    assert "can't find a session" in result.response.content
    only_user_errors(club)
    assert await states(club) == {}


async def test_rsvps_close_when_the_session_starts(club: Club) -> None:
    message = await announce(club)
    await club.env.advance_time((START - club.env.now()).total_seconds())
    await settle_edits(club)

    # Redrawn closed at the start: the answer buttons are disabled (a late click from a client
    # that has not refreshed: tests/cogs/test_close_at_start.py).
    closed = latest_announcement(club)
    assert [c.disabled for row in closed.components for c in row.children][:3] == [True] * 3
    typed = await club.ben.slash(club.channel, "rsvp", session="1", status="going")
    await club.alice.react(message, "✅")

    assert "has already started" in typed.response.content
    assert await states(club) == {}
    only_user_errors(club, count=1)


async def test_a_full_session_puts_newcomers_on_the_waitlist(club: Club) -> None:
    message = await announce(club, capacity=2)
    carol = club.guild.add_member(club.env.create_user("carol"))
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")

    result = await carol.click(message, label="Going")

    assert "#1 on the waitlist" in result.response.content
    assert (await states(club))[carol.id] == "waitlist"
    await settle_edits(club)
    text = roster(club)
    assert "Going 2/2" in text
    assert "1. carol" in text


async def test_a_dropout_promotes_the_first_waiting_and_tells_them_by_dm(club: Club) -> None:
    message = await announce(club, capacity=1)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")

    await club.alice.click(message, label="Can't")

    assert (await states(club))[club.ben.id] == "going"
    dm = club.ben.user.dm_channel.last_message
    assert "A place opened up" in dm.content
    assert "Speed session" in dm.content


async def test_a_promotion_falls_back_to_the_channel_when_dms_are_closed(club: Club) -> None:
    message = await announce(club, capacity=1)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50007, times=1)

    await club.alice.click(message, label="Maybe")

    notice = bot_posts(club)[-1]
    assert notice.content.startswith(f"<@{club.ben.id}>")
    assert "A place opened up" in notice.content
    assert [u.id for u in notice.mentions] == [club.ben.id]


async def test_raising_capacity_promotes_and_lowering_it_takes_no_ones_place(club: Club) -> None:
    message = await announce(club, capacity=1)
    carol = club.guild.add_member(club.env.create_user("carol"))
    for member in (club.alice, club.ben, carol):
        await member.click(message, label="Going")

    await club.organizer.slash(club.channel, "session edit", session="1", capacity=2)
    assert await states(club) == {
        club.alice.id: "going",
        club.ben.id: "going",
        carol.id: "waitlist",
    }

    await club.organizer.slash(club.channel, "session edit", session="1", capacity=1)
    assert await states(club) == {
        club.alice.id: "going",
        club.ben.id: "going",
        carol.id: "waitlist",
    }
    await club.ben.click(message, label="Maybe")
    assert (await states(club))[carol.id] == "waitlist"  # still over capacity: no place free


async def test_reminders_mention_who_is_going(club: Club) -> None:
    message = await announce(club)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Maybe")

    await club.env.advance_time((START - club.env.now()).total_seconds() - 3600)

    reminder = bot_posts(club)[-1]
    assert "Reminder (1h to go)" in reminder.content
    assert "Going (1)" in reminder.content
    assert [u.id for u in reminder.mentions] == [club.alice.id]


async def test_roster_command_and_export(club: Club) -> None:
    message = await announce(club, capacity=1)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")

    shown = await club.ben.slash(club.channel, "session roster", session="1")
    assert shown.ephemeral
    text = embed_text(shown.response.embeds[0])
    assert "Going (1/1)" in text
    assert "Waitlist (1)" in text

    refused = await club.ben.slash(club.channel, "session export", session="1")
    assert "Only organizers" in refused.response.content
    only_user_errors(club)

    exported = await club.organizer.slash(club.channel, "session export", session="1")
    [attachment] = exported.response.attachments
    lines = (await attachment.read()).decode().splitlines()
    assert lines[0] == "member_id,display_name,status,source,waitlist_position,last_change_utc"
    assert lines[1].startswith(f"{club.alice.id},alice,going,button,,2026-01-01")
    assert lines[2].startswith(f"{club.ben.id},ben,waitlist,button,1,")


async def test_session_list_shows_my_own_status(club: Club) -> None:
    message = await announce(club)
    await club.alice.click(message, label="Maybe")
    mine = await club.alice.slash(club.channel, "session list")
    theirs = await club.ben.slash(club.channel, "session list")
    assert "you: maybe" in embed_text(mine.response.embeds[0])
    assert "you:" not in embed_text(theirs.response.embeds[0])


async def test_buttons_work_after_a_restart(club: Club, settings: Settings) -> None:
    message = await announce(club)
    await restart(club, settings)
    result = await club.alice.click(message, label="Going")
    assert "You're going" in result.response.content


async def test_reactions_while_offline_are_reconciled(club: Club, settings: Settings) -> None:
    message = await announce(club)
    await club.alice.react(message, "✅")
    await club.ben.react(message, "✅")
    await club.ben.click(message, label="Maybe")  # newer than his ✅ reaction
    carol = club.guild.add_member(club.env.create_user("carol"))
    await club.bot.close()

    await carol.react(message, "✅")  # while the bot is down
    await club.alice.unreact(message, "✅")
    await club.env.restart_bot(create_bot(settings))

    assert await states(club) == {club.ben.id: "maybe", carol.id: "going"}
    await settle_edits(club)
    text = roster(club)
    assert "carol" in text
    assert "alice" not in text


async def test_many_answers_show_with_plus_more_within_embed_limits(club: Club) -> None:
    message = await announce(club)
    for number in range(80):
        member = club.guild.add_member(club.env.create_user(f"runner_with_a_long_name_{number}"))
        await member.react(message, "✅")
    await settle_edits(club)
    text = roster(club)
    assert "Going 80" in text
    assert "more" in text
    assert len(text) <= 1024
    assert len(embed_text(latest_announcement(club).embeds[0])) < 6000


async def test_edits_are_coalesced_to_one_per_five_seconds(club: Club) -> None:
    message = await announce(club)
    path = f"/channels/{club.channel.id}/messages/{message.id}"

    def edits() -> int:
        return sum(1 for r in club.env.http_requests if r.method == "PATCH" and r.path == path)

    members = [club.guild.add_member(club.env.create_user(f"r{n}")) for n in range(40)]
    times: list[tuple[float, int]] = []
    for index, member in enumerate(members):
        await member.react(message, "✅")
        await club.env.advance_time(0.25)
        times.append((index * 0.25, edits()))
    await club.env.advance_time(5)
    assert (await states(club)).keys() == {m.id for m in members}
    assert "Going 40" in roster(club)
    # 40 reactions over 10 s: at most one edit per 5 s window, plus the final one.
    assert edits() <= 4


async def test_the_announcement_says_1_place_and_12_places(club: Club) -> None:
    message = await announce(club, capacity=1)
    fields = {f.name: f.value for f in message.embeds[0].fields}
    assert fields["Capacity"] == "1 place"
    await club.organizer.slash(club.channel, "session edit", session="1", capacity=12)
    fields = {f.name: f.value for f in latest_announcement(club).embeds[0].fields}
    assert fields["Capacity"] == "12 places"
