"""Trying to break issue 12 as a newcomer (organizer and member): odd lengths and closing
times, roles Pacer can't use, answers at the closing instant, the waitlist moving up into a
session with an attendee role, overlapping sessions edited or cancelled, DM reminders after the
session moved or the member left, events across edits and restarts, and the feed's reset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.settings import Settings
from tests.cogs.test_discord_events import bot_role, events, iso
from tests.cogs.test_dm_reminders import dms
from tests.cogs.test_session_roles import advance_to, announcement, answers, create, holds
from tests.conftest import Club, make_admin, only_user_errors, restart, set_channel

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # Tue 6 Jan 18:30 New York


def said(result: Any) -> str:
    return "\n".join([result.response.content or "", *(f.content or "" for f in result.followups)])


# -- odd lengths and closing times --


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration", "0"),
        ("duration", "-1h"),
        ("duration", "8d"),
        ("duration", "90"),
        ("duration", "2 weeks"),
        ("duration", "25h"),
        ("rsvp-closes", "-1h"),
        ("rsvp-closes", "8d"),
        ("rsvp-closes", "90"),
        ("rsvp-closes", "1d 2h"),
        ("rsvp-closes", "99999m"),
    ],
)
async def test_odd_lengths_are_refused_privately_naming_the_field(
    club: Club, field: str, value: str
) -> None:
    await set_channel(club)
    refused = await create(club, **{field: value})
    assert refused.ephemeral
    text = said(refused)
    assert text.startswith(f"{field}:"), text
    assert "like " in text, text  # a valid example
    only_user_errors(club, 1)
    assert await club.bot.db.fetch_all("SELECT id FROM sessions") == []


@pytest.mark.parametrize("value", ["0", "0m", "0h", "0 min"])
async def test_a_zero_close_in_any_unit_means_at_the_start(club: Club, value: str) -> None:
    await set_channel(club)
    made = await create(club, **{"rsvp-closes": value})
    assert not club.env.errors, said(made)
    row = await club.bot.db.fetch_one("SELECT rsvp_closes_s FROM sessions")
    assert row is not None
    assert row[0] == 0


@pytest.mark.parametrize("value", ["10080m", "1h30", "2 hours", "7d"])
async def test_closing_leads_up_to_a_week_in_any_unit_are_read(club: Club, value: str) -> None:
    await set_channel(club)
    await create(club, date="2026-01-20", **{"rsvp-closes": value})
    assert not club.env.errors
    assert await club.bot.db.fetch_one("SELECT rsvp_closes_s FROM sessions") is not None


# -- roles Pacer can't use --


async def test_everyone_and_managed_roles_are_refused_as_attendee_roles(club: Club) -> None:
    await set_channel(club)
    everyone = await create(club, **{"attendee-role": club.guild.default_role})
    managed = await create(club, **{"attendee-role": club.guild.roles[bot_role(club).name]})
    for refused in (everyone, managed):
        assert refused.ephemeral
        assert said(refused).startswith("attendee-role:"), said(refused)
    only_user_errors(club, 2)
    assert await club.bot.db.fetch_all("SELECT id FROM sessions") == []


async def test_everyone_as_the_answer_role_lets_everyone_answer(club: Club) -> None:
    await set_channel(club)
    await create(club, role=club.guild.default_role)
    await club.env.advance_time(5)
    clicked = await club.alice.click(announcement(club), label="Going")
    await club.ben.slash(club.channel, "rsvp", session="1", status="maybe")
    assert not club.env.errors, said(clicked)
    assert await answers(club) == {club.alice.id: "going", club.ben.id: "maybe"}


async def test_clear_role_when_none_is_set_changes_nothing(club: Club) -> None:
    await set_channel(club)
    await create(club)
    before = await club.bot.db.fetch_one("SELECT answer_role_id, version FROM sessions")
    result = await club.organizer.slash(club.channel, "session edit", session="1", clear="role")
    assert result.ephemeral
    after = await club.bot.db.fetch_one("SELECT answer_role_id, version FROM sessions")
    assert after is not None
    assert before is not None
    assert after[0] is None


async def test_a_member_given_the_role_later_may_answer_by_reaction(club: Club) -> None:
    await set_channel(club)
    elite = club.guild.create_role("Elite")
    await create(club, role=elite)
    await club.env.advance_time(5)
    await club.alice.react(announcement(club), "✅")
    await club.env.advance_time(5)
    assert await answers(club) == {}
    club.env.backend.add_member_role(club.guild.id, club.alice.id, elite.id)
    await club.alice.react(announcement(club), "✅")
    await club.env.advance_time(5)
    assert await answers(club) == {club.alice.id: "going"}


# -- answering at the closing instant --


async def test_an_answer_just_before_the_close_counts_and_one_at_it_does_not(club: Club) -> None:
    await set_channel(club)
    await create(club, **{"rsvp-closes": "2h"})
    await club.env.advance_time(5)
    closes_at = START - timedelta(hours=2)
    await advance_to(club, closes_at - timedelta(seconds=30))
    early = await club.alice.click(announcement(club), label="Going")
    assert not club.env.errors, said(early)
    await advance_to(club, closes_at)
    late = await club.ben.slash(club.channel, "rsvp", session="1", status="going")
    assert "closed" in said(late)
    only_user_errors(club, 1)
    assert await answers(club) == {club.alice.id: "going"}


# -- the attendee role through the waitlist, overlaps, edits and crashes --


async def test_a_member_moved_up_from_the_waitlist_gets_the_attendee_role(club: Club) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, capacity=1, **{"attendee-role": runners})
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    await club.ben.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    assert holds(club, club.alice, runners)
    assert not holds(club, club.ben, runners)  # waitlisted
    await club.alice.click(announcement(club), label="Can't")
    await club.env.advance_time(5)
    assert not holds(club, club.alice, runners)
    assert holds(club, club.ben, runners)
    assert (await answers(club))[club.ben.id] == "going"


async def test_overlap_where_the_longer_is_cancelled_ends_the_role_with_the_other(
    club: Club,
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, duration="1h", **{"attendee-role": runners})
    await create(club, title="Long run", time="19:00", duration="2h", **{"attendee-role": runners})
    await club.env.advance_time(5)
    posts = [m for m in club.channel.history(viewer=club.alice) if m.author.bot and m.embeds]
    first, second = posts
    await club.alice.click(first, label="Going")
    await club.alice.click(second, label="Going")
    await club.env.advance_time(5)
    await club.organizer.slash(club.channel, "session cancel", session="2")
    await club.env.advance_time(5)
    assert holds(club, club.alice, runners)  # still going to the first, not over yet
    await advance_to(club, START + timedelta(hours=1, minutes=5))
    assert not holds(club, club.alice, runners)


async def test_overlap_where_the_shorter_is_moved_later_keeps_the_role_until_its_new_end(
    club: Club,
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, duration="1h", **{"attendee-role": runners})
    await create(club, title="Long run", time="19:00", duration="2h", **{"attendee-role": runners})
    await club.env.advance_time(5)
    first, second = [
        m for m in club.channel.history(viewer=club.alice) if m.author.bot and m.embeds
    ]
    await club.alice.click(first, label="Going")
    await club.alice.click(second, label="Going")
    await club.env.advance_time(5)
    await club.organizer.slash(club.channel, "session edit", session="1", time="20:00")
    await club.env.advance_time(5)
    # The second ends 21:30 New York (02:30 UTC); the first now ends 21:00... then 22:00 with 2h.
    await club.organizer.slash(club.channel, "session edit", session="1", duration="3h")
    await club.env.advance_time(5)
    await advance_to(club, START + timedelta(hours=2, minutes=35))  # the second is over
    assert holds(club, club.alice, runners)  # the first runs until 23:00 New York
    await advance_to(club, START + timedelta(hours=4, minutes=35))
    assert not holds(club, club.alice, runners)


async def test_the_role_is_taken_back_when_the_bot_was_down_over_the_end(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    assert holds(club, club.alice, runners)
    await advance_to(club, START + timedelta(minutes=80))
    await club.bot.close()
    await club.env.advance_time(30 * 60)  # down over the end
    await restart(club, settings)
    await club.env.advance_time(60)
    assert not holds(club, club.alice, runners)


async def test_answers_made_while_down_get_the_attendee_role_after_restart(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    message = announcement(club)
    await club.bot.close()
    await club.alice.react(message, "✅")
    await restart(club, settings)
    await club.env.advance_time(60)
    assert await answers(club) == {club.alice.id: "going"}
    assert holds(club, club.alice, runners)


# -- DM reminders after the session changed --


async def test_dm_reminders_follow_a_moved_session_and_stop_for_a_cancelled_one(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    await create(club)
    await create(club, title="Tempo", time="07:00")
    await club.env.advance_time(5)
    speed, tempo = [m for m in club.channel.history(viewer=club.alice) if m.author.bot and m.embeds]
    await club.alice.click(speed, label="DM reminders")
    await club.alice.click(speed, label="Going")
    await club.alice.click(tempo, label="Going")
    await club.env.advance_time(5)
    await club.organizer.slash(club.channel, "session edit", session="1", date="2026-01-07")
    await club.organizer.slash(club.channel, "session cancel", session="2")
    await club.env.advance_time(5)
    await restart(club, settings, crash=True)
    # Past the old 24h mark of session 1 and both of the cancelled one's: nothing.
    await advance_to(club, START - timedelta(hours=2))
    assert [m.content for m in dms(club.alice)] == []
    await advance_to(club, START + timedelta(days=1, minutes=-59))  # the new 24h and 1h marks
    texts = [m.content or "" for m in dms(club.alice)]
    assert len(texts) == 2, texts
    assert all("Speed session" in t for t in texts), texts


async def test_a_member_who_left_gets_no_dm_reminders(club: Club) -> None:
    await set_channel(club)
    await club.alice.slash(club.channel, "profile reminders", dm="on")
    await create(club)
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    club.guild.remove_member(club.alice)
    await advance_to(club, START - timedelta(minutes=59))
    assert dms(club.alice) == []


# -- Discord events across edits and restarts --


async def test_an_edit_made_just_before_a_crash_reaches_the_event_once(
    club: Club, settings: Settings
) -> None:
    await set_channel(club)
    await create(club)
    await club.env.advance_time(5)
    [event] = events(club)
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:15")
    await club.env.advance_time(5)
    await restart(club, settings, crash=True)
    await club.env.advance_time(60)
    [event] = events(club)
    assert iso(event.scheduled_start_time) == START + timedelta(minutes=45)
    await club.organizer.slash(club.channel, "session cancel", session="1")
    await club.env.advance_time(5)
    await restart(club, settings)
    await club.env.advance_time(60)
    assert [e.status for e in events(club)] == [4]


# -- second round: the attendee role changed, lost or left behind --


async def role_deliveries(club: Club) -> list[tuple[str, int, str | None]]:
    rows = await club.bot.db.fetch_all(
        "SELECT status, attempts, last_error FROM deliveries WHERE kind = 'attendee_role' "
        "ORDER BY id"
    )
    return [(str(r[0]), int(r[1]), r[2]) for r in rows]


async def test_switching_the_attendee_role_moves_members_going_to_the_new_one(club: Club) -> None:
    await set_channel(club)
    old = club.guild.create_role("Old")
    new = club.guild.create_role("New")
    await create(club, **{"attendee-role": old})
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    assert holds(club, club.alice, old)
    await club.organizer.slash(club.channel, "session edit", session="1", **{"attendee-role": new})
    await club.env.advance_time(5)
    assert not holds(club, club.alice, old)
    assert holds(club, club.alice, new)
    await advance_to(club, START + timedelta(minutes=95))
    assert not holds(club, club.alice, new)


async def test_clearing_one_of_two_overlapping_sessions_keeps_the_role_for_the_other(
    club: Club,
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await create(club, title="Tempo", time="19:00", **{"attendee-role": runners})
    await club.env.advance_time(5)
    first, second = [
        m for m in club.channel.history(viewer=club.alice) if m.author.bot and m.embeds
    ]
    await club.alice.click(first, label="Going")
    await club.alice.click(second, label="Going")
    await club.env.advance_time(5)
    await club.organizer.slash(club.channel, "session edit", session="1", clear="attendee-role")
    await club.env.advance_time(5)
    assert holds(club, club.alice, runners)  # still going to the second, which gives it
    await club.alice.click(second, label="Can't")
    await club.env.advance_time(5)
    assert not holds(club, club.alice, runners)


async def test_a_member_who_left_while_holding_the_role_is_not_retried_forever(
    club: Club,
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    club.guild.remove_member(club.alice)
    await advance_to(club, START + timedelta(days=3))
    rows = await role_deliveries(club)
    assert all(status in ("sent", "skipped", "superseded") for status, _, _ in rows), rows
    assert club.env.errors == []


async def test_a_deleted_attendee_role_is_shown_and_not_retried_forever(club: Club) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    club.env.backend.delete_role(club.guild.id, runners.id)
    await club.alice.click(announcement(club), label="Going")
    await club.env.advance_time(5)
    assert await answers(club) == {club.alice.id: "going"}  # the answer stands
    await advance_to(club, START + timedelta(days=3))
    rows = await role_deliveries(club)
    assert all(status != "pending" for status, _, _ in rows), rows
    assert all(attempts < 50 for _, attempts, _ in rows), rows


# -- second round: the closing time moved --


async def test_reopening_answers_after_the_close_enables_the_buttons_again(club: Club) -> None:
    await set_channel(club)
    await create(club, **{"rsvp-closes": "2h"})
    await club.env.advance_time(5)
    await advance_to(club, START - timedelta(hours=1))
    late = await club.alice.slash(club.channel, "rsvp", session="1", status="going")
    assert "closed" in said(late)
    only_user_errors(club, 1)
    await club.organizer.slash(club.channel, "session edit", session="1", **{"rsvp-closes": "0"})
    await club.env.advance_time(5)
    message = announcement(club)
    clicked = await club.alice.click(message, label="Going")
    assert not clicked.response.content or "closed" not in said(clicked)
    assert await answers(club) == {club.alice.id: "going"}


async def test_moving_a_session_earlier_past_its_close_is_refused_naming_rsvp_closes(
    club: Club,
) -> None:
    await set_channel(club)
    await create(club, **{"rsvp-closes": "1d"})
    await club.env.advance_time(5)
    await advance_to(club, START - timedelta(days=2))
    before = await club.bot.db.fetch_one("SELECT starts_at, version FROM sessions")
    moved = await club.organizer.slash(
        club.channel, "session edit", session="1", date="2026-01-05", time="06:00"
    )
    text = said(moved) + "\n".join(e.description or "" for e in moved.response.embeds)
    assert moved.ephemeral
    assert text.startswith("rsvp-closes:"), text
    assert "like 2h" in text
    only_user_errors(club, 1)
    after = await club.bot.db.fetch_one("SELECT starts_at, version FROM sessions")
    assert tuple(after or ()) == tuple(before or ())


async def test_moving_a_closed_session_later_reopens_answers_with_the_buttons(club: Club) -> None:
    await set_channel(club)
    await create(club, **{"rsvp-closes": "2h"})
    await club.env.advance_time(5)
    await advance_to(club, START - timedelta(hours=1))
    await club.organizer.slash(club.channel, "session edit", session="1", date="2026-01-07")
    await club.env.advance_time(5)
    clicked = await club.alice.click(announcement(club), label="Going")
    assert "closed" not in said(clicked)
    assert await answers(club) == {club.alice.id: "going"}


async def test_shortening_a_session_under_way_is_refused_and_the_role_ends_as_planned(
    club: Club,
) -> None:
    await set_channel(club)
    runners = club.guild.create_role("Runners")
    await create(club, **{"attendee-role": runners})
    await club.env.advance_time(5)
    await club.alice.click(announcement(club), label="Going")
    await advance_to(club, START + timedelta(minutes=30))
    assert holds(club, club.alice, runners)
    shortened = await club.organizer.slash(
        club.channel, "session edit", session="1", duration="20m"
    )
    await club.env.advance_time(60)
    # Edits after the start are refused as a whole, privately, and change nothing.
    assert shortened.ephemeral
    assert "already started" in said(shortened)
    only_user_errors(club, 1)
    assert holds(club, club.alice, runners)
    await advance_to(club, START + timedelta(minutes=95))
    assert not holds(club, club.alice, runners)


async def test_a_latecomer_who_reacted_while_down_is_added_to_the_thread(
    club: Club, settings: Settings
) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup threads", when="announcement")
    await create(club)
    await club.env.advance_time(30)
    [thread] = club.channel.threads
    message = announcement(club)
    await club.bot.close()
    await club.alice.react(message, "✅")
    await restart(club, settings)
    await club.env.advance_time(60)
    assert await answers(club) == {club.alice.id: "going"}
    assert club.alice.id in club.env.backend.channels[thread.id].thread_members
    await advance_to(club, START - timedelta(minutes=59))
    reminder = [m for m in thread.history(viewer=club.alice) if "Reminder" in (m.content or "")]
    assert reminder  # the reminder went to the thread she is in


async def test_dm_reminders_asked_for_a_cancelled_session_send_nothing_and_the_choice_stands(
    club: Club,
) -> None:
    await set_channel(club)
    await create(club)
    await club.env.advance_time(5)
    message = announcement(club)
    await club.alice.click(message, label="Going")
    await club.organizer.slash(club.channel, "session cancel", session="1")
    await club.env.advance_time(5)
    shown = await club.alice.slash(club.channel, "profile reminders", dm="on")
    assert shown.ephemeral
    assert "**on**" in said(shown)
    await advance_to(club, START + timedelta(hours=2))
    assert dms(club.alice) == []
    rows = await club.bot.db.fetch_all("SELECT user_id FROM dm_reminders")
    assert [int(r[0]) for r in rows] == [club.alice.id]  # her choice stands for later sessions
