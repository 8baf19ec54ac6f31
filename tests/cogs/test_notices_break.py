"""Break tests for issue 9 sections 1, 6 and 8 (first bullet): inputs of the same kinds as
tests/cogs/test_notices.py and test_close_at_start.py that those tests did not try."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot import create_bot
from bot.domain.rsvp import Response
from bot.settings import Settings
from tests.cogs.test_close_at_start import (
    CLOSED,
    START,
    advance_to,
    announcement,
    as_an_old_client,
    buttons,
    closes,
    settle_edits,
    states,
)
from tests.cogs.test_notices import create, mentioned, moderator, notices, rows
from tests.conftest import Club, bot_posts, embed_text, only_user_errors, restart, set_channel


def announcements(club: Club) -> list[Any]:
    return [m for m in bot_posts(club) if m.embeds]


async def stored_message_id(club: Club, session_id: int = 1) -> int | None:
    [(message_id,)] = await club.bot.db.fetch_all(
        "SELECT announcement_message_id FROM sessions WHERE id = ?", (session_id,)
    )
    return None if message_id is None else int(message_id)


# -- section 1: the announcement deleted, never posted, reposted twice -----------------------------


async def test_two_reposts_leave_one_announcement_that_counts(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")

    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.env.advance_time(10)

    [last] = announcements(club)
    assert last.id != message.id
    assert await stored_message_id(club) == last.id
    assert "alice" in embed_text(last.embeds[0])
    await club.ben.react(last, "✅")
    assert (await states(club))[club.ben.id] == "going"
    assert club.env.errors == []


async def test_repost_before_the_announce_ahead_window_is_not_announced_again_later(
    club: Club,
) -> None:
    assert await create(club, date="2026-01-27") is None
    await club.alice.slash(club.channel, "rsvp", session="1", status="going")

    await club.organizer.slash(club.channel, "session repost", session="1")
    [early] = announcements(club)
    # The day it would have been announced passes: still one announcement, the early one.
    await club.env.advance_time(timedelta(days=15).total_seconds())
    assert [m.id for m in announcements(club)] == [early.id]
    assert await stored_message_id(club) == early.id
    assert "alice" in embed_text(announcements(club)[0].embeds[0])


async def test_repost_of_a_started_session_is_refused_and_changes_nothing(club: Club) -> None:
    await create(club)
    await advance_to(club, START)
    await settle_edits(club)
    before = [m.id for m in announcements(club)]

    result = await club.organizer.slash(club.channel, "session repost", session="1")

    assert result.ephemeral
    assert "already started" in result.response.content
    assert [m.id for m in announcements(club)] == before
    only_user_errors(club, 1)


async def test_cancel_after_two_reposts_tells_everyone_once(club: Club) -> None:
    message = await create(club, capacity=1)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")  # waitlist
    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.env.advance_time(10)
    [last] = announcements(club)
    carol = club.guild.add_member(club.env.create_user("carol"))
    await carol.click(last, label="Maybe")
    dan = club.guild.add_member(club.env.create_user("dan"))
    await dan.click(last, label="Can't")

    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Ice")

    [notice] = notices(club, "is cancelled")
    assert mentioned(notice) == {club.alice.id, club.ben.id, carol.id}
    assert await rows(club, "cancel_notice") == [("sent", None)]


async def test_moving_the_date_after_the_announcement_was_deleted_tells_everyone(
    club: Club,
) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Maybe")
    await (await moderator(club)).delete(message)
    await club.env.advance_time(10)
    assert await stored_message_id(club) is None

    await club.organizer.slash(club.channel, "session edit", session="1", date="2026-01-07")

    [notice] = notices(club, "has moved")
    assert f"<t:{int(START.timestamp())}:F>" in notice.content
    assert f"<t:{int((START + timedelta(days=1)).timestamp())}:F>" in notice.content
    assert mentioned(notice) == {club.alice.id, club.ben.id}


async def test_a_member_who_left_is_not_pinged_by_a_cancel_notice(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    club.guild.remove_member(club.ben)
    await club.env.settle()

    await club.organizer.slash(club.channel, "session cancel", session="1")

    [notice] = notices(club, "is cancelled")
    assert club.ben.id not in mentioned(notice)
    assert club.alice.id in mentioned(notice)


# -- section 6: big groups -------------------------------------------------------------------------


async def going(club: Club, count: int, name_length: int = 8) -> list[Any]:
    await create(club, capacity=1000)
    members = []
    for n in range(count):
        name = f"r{n}-".ljust(name_length, "x")[:32]
        members.append(club.guild.add_member(club.env.create_user(name)))
    for member in members:
        await club.bot.services.rsvps.respond(
            club.guild.id, 1, member.id, member.name, Response.GOING, "command"
        )
    return members


def parts_of(club: Club, first: Any) -> list[Any]:
    posts = bot_posts(club)
    return [first] + [
        m for m in posts[posts.index(first) + 1 :] if (m.content or "").startswith("(continued")
    ]


def requests_for(club: Club, part: Any) -> list[dict[str, Any]]:
    return [
        r.json
        for r in club.env.http_requests
        if r.method == "POST" and isinstance(r.json, dict) and r.json.get("content") == part.content
    ]


def told_in_full(club: Club, parts: list[Any], expected: set[int]) -> None:
    pinged: list[int] = []
    for part in parts:
        assert len(part.content) <= 2000
        assert "more" not in part.content.split("\n")[-1] or "(continued" in part.content
        ids = [user.id for user in part.mentions]
        pinged += ids
        # An earlier reminder's continuation can read the same, so every such request is checked.
        sent = requests_for(club, part)
        assert sent
        for request in sent:
            allowed = request["allowed_mentions"]
            assert allowed.get("parse", []) == []
            assert sorted(int(u) for u in allowed["users"]) == sorted(ids)
            assert len(allowed["users"]) <= 100  # Discord's cap on allowed_mentions.users
    assert len(pinged) == len(set(pinged))
    assert set(pinged) == expected


@pytest.mark.parametrize("count", [86, 90, 100, 101, 1000])
async def test_a_cancel_notice_pings_every_member_going(club: Club, count: int) -> None:
    members = await going(club, count)

    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")

    [notice] = notices(club, "is cancelled")
    told_in_full(club, parts_of(club, notice), {m.id for m in members})
    statuses = {row[0] for row in await rows(club, "cancel_notice")}
    assert statuses == {"sent"}


async def test_long_names_and_the_longest_reason_stay_within_limits(club: Club) -> None:
    members = await going(club, 300, name_length=32)
    too_long = ("Track closed for resurfacing " * 40)[:1000]
    refused = await club.organizer.slash(
        club.channel, "session cancel", session="1", reason=too_long
    )
    assert refused.ephemeral
    assert "reason" in refused.response.content
    assert notices(club, "is cancelled") == []
    reason = too_long[:300]

    await club.organizer.slash(club.channel, "session cancel", session="1", reason=reason)

    [notice] = notices(club, "is cancelled")
    assert reason.strip() in notice.content
    told_in_full(club, parts_of(club, notice), {m.id for m in members})
    only_user_errors(club, 1)


@pytest.mark.parametrize("count", [90, 1000])
async def test_the_time_change_notice_pings_every_member_going(club: Club, count: int) -> None:
    members = await going(club, count)

    await club.organizer.slash(club.channel, "session edit", session="1", time="19:30")

    [notice] = notices(club, "has moved")
    told_in_full(club, parts_of(club, notice), {m.id for m in members})


# -- section 8: close at start ---------------------------------------------------------------------


async def test_every_week_of_a_series_closes_at_its_own_start(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
        weeks=3,
    )
    for week in range(3):
        start = START + timedelta(weeks=week)
        await advance_to(club, start - timedelta(days=1))
        await settle_edits(club)
        current = announcements(club)[-1]
        assert CLOSED not in embed_text(current.embeds[0]), week
        await advance_to(club, start)
        await settle_edits(club)
        stored = club.env.backend.get_message(current.channel.id, current.id)
        assert stored is not None
        current = next(m for m in announcements(club) if m.id == current.id)
        assert CLOSED in embed_text(current.embeds[0]), week
        assert buttons(current)["Going"] is True, week
    statuses = [status for _, status, _, _ in await closes(club)]
    assert statuses == ["sent", "sent", "sent"]


async def test_a_time_change_after_the_start_is_refused(club: Club) -> None:
    await create(club)
    await advance_to(club, START + timedelta(minutes=5))
    await settle_edits(club)

    result = await club.organizer.slash(club.channel, "session edit", session="1", time="20:00")

    assert result.ephemeral
    assert "already started" in result.response.content
    assert CLOSED in embed_text(announcement(club).embeds[0])
    assert buttons(announcement(club))["Going"] is True
    [(starts_at,)] = await club.bot.db.fetch_all("SELECT starts_at FROM sessions")
    assert str(starts_at) == START.isoformat()
    assert [status for _, status, _, _ in await closes(club)] == ["sent"]
    only_user_errors(club, 1)


async def test_a_restart_exactly_at_the_start_closes(club: Club, settings: Settings) -> None:
    await create(club)
    await club.alice.click(announcement(club), label="Going")
    await advance_to(club, START - timedelta(seconds=30))
    await club.bot.close()
    await advance_to(club, START)
    await restart(club, settings)
    await settle_edits(club)

    assert CLOSED in embed_text(announcement(club).embeds[0])
    assert buttons(announcement(club))["Going"] is True
    assert [status for _, status, _, _ in await closes(club)] == ["sent"]
    assert await states(club) == {club.alice.id: "going"}


async def test_an_old_message_click_after_a_repost_and_the_start_is_refused(club: Club) -> None:
    message = await create(club)
    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.env.advance_time(10)
    await advance_to(club, START)
    await settle_edits(club)
    [current] = announcements(club)
    assert current.id != message.id

    as_an_old_client(club, current)
    clicked = await club.alice.click(current, label="Going")

    assert clicked.ephemeral
    assert "RSVPs are closed" in clicked.response.content
    assert await states(club) == {}
    only_user_errors(club, 1)


async def test_a_session_cancelled_after_it_started(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await advance_to(club, START + timedelta(minutes=10))
    await settle_edits(club)

    result = await club.organizer.slash(club.channel, "session cancel", session="1")
    await settle_edits(club)

    # Refused privately: a session under way is not cancelled, and stays closed.
    assert result.ephemeral
    assert "already started" in result.response.content
    assert CLOSED in embed_text(announcement(club).embeds[0])
    assert buttons(announcement(club))["Going"] is True
    assert notices(club, "is cancelled") == []
    [(status,)] = await club.bot.db.fetch_all("SELECT status FROM sessions")
    assert status == "scheduled"
    assert await states(club) == {club.alice.id: "going"}
    only_user_errors(club, 1)


async def test_cancelling_a_series_tells_each_week_whoever_answered_it(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
        weeks=4,
    )
    [first] = announcements(club)  # weeks 2-4 are announced later (announce-ahead)
    await club.alice.click(first, label="Going")
    await (await moderator(club)).delete(first)
    await club.ben.slash(club.channel, "rsvp", session="4", status="maybe")
    await club.env.advance_time(10)

    await club.organizer.slash(
        club.channel, "session cancel", session="1", scope="series", reason="Season over"
    )

    told = notices(club, "is cancelled")
    assert sorted(tuple(sorted(mentioned(m))) for m in told) == sorted(
        [(club.alice.id,), (club.ben.id,)]
    )
    found = await club.bot.db.fetch_all(
        "SELECT session_id, status, last_error FROM deliveries WHERE kind = 'cancel_notice'"
        " ORDER BY session_id"
    )
    by_session = {int(r[0]): (str(r[1]), r[2]) for r in found}
    assert by_session[1] == ("sent", None)
    assert by_session[4] == ("sent", None)
    assert by_session[2] == ("skipped", "never announced and nobody answered")
    assert by_session[3] == ("skipped", "never announced and nobody answered")


async def test_an_edit_that_keeps_the_start_tells_nobody(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")

    await club.organizer.slash(club.channel, "session edit", session="1", time="18:30")
    await club.organizer.slash(club.channel, "session edit", session="1", location="Track")
    await club.env.advance_time(10)

    assert notices(club, "has moved") == []
    assert await rows(club, "time_change") == []


async def test_big_mixed_groups_hear_a_cancel_in_full_each_once(club: Club) -> None:
    await create(club, capacity=50)
    members = [club.guild.add_member(club.env.create_user(f"m{n}")) for n in range(320)]
    for n, member in enumerate(members):
        answer = Response.MAYBE if n >= 300 else Response.GOING
        await club.bot.services.rsvps.respond(
            club.guild.id, 1, member.id, member.name, answer, "command"
        )
    said_no = club.guild.add_member(club.env.create_user("nope"))
    await club.bot.services.rsvps.respond(
        club.guild.id, 1, said_no.id, said_no.name, Response.NO, "command"
    )

    await club.organizer.slash(club.channel, "session cancel", session="1")

    [notice] = notices(club, "is cancelled")
    assert "going 50, waitlist 250, maybe 20" in notice.content
    told_in_full(club, parts_of(club, notice), {m.id for m in members})


async def test_a_reminder_to_1000_going_pings_only_those_going(club: Club) -> None:
    await create(club, capacity=1000)
    members = [club.guild.add_member(club.env.create_user(f"g{n}")) for n in range(1000)]
    for member in members:
        await club.bot.services.rsvps.respond(
            club.guild.id, 1, member.id, member.name, Response.GOING, "command"
        )
    maybe = club.guild.add_member(club.env.create_user("perhaps"))
    await club.bot.services.rsvps.respond(
        club.guild.id, 1, maybe.id, maybe.name, Response.MAYBE, "command"
    )

    await advance_to(club, START - timedelta(hours=1))

    reminder = next(m for m in bot_posts(club) if "Reminder (1h to go)" in (m.content or ""))
    parts = parts_of(club, reminder)
    assert len(parts) == 12
    told_in_full(club, parts, {m.id for m in members})


async def test_reaction_answers_survive_a_repost_and_a_restart(
    club: Club, settings: Settings
) -> None:
    message = await create(club)
    await club.alice.react(message, "✅")
    await club.ben.react(message, "🤔")
    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.env.advance_time(10)
    [again] = announcements(club)
    assert again.id != message.id

    await restart(club, settings)
    await club.env.advance_time(10)

    assert await states(club) == {club.alice.id: "going", club.ben.id: "maybe"}
    text = embed_text(announcements(club)[-1].embeds[0])
    assert "alice" in text
    assert "ben" in text
    # The old message's reactions are gone with it; a reaction on the new one still counts.
    await club.alice.react(announcements(club)[-1], "❌")
    assert (await states(club))[club.alice.id] == "no"
    assert club.env.errors == []


async def test_reaction_answers_survive_a_repost_while_the_bot_was_down(
    club: Club, settings: Settings
) -> None:
    message = await create(club)
    await club.alice.react(message, "✅")
    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.env.advance_time(10)
    [again] = announcements(club)
    await club.bot.close()
    await club.ben.react(again, "✅")  # while down
    await club.env.restart_bot(create_bot(settings))
    await club.env.advance_time(10)

    assert await states(club) == {club.alice.id: "going", club.ben.id: "going"}


async def test_two_quick_moves_tell_members_the_truth(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")

    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:30")
    await club.env.advance_time(10)

    final = f"<t:{int((START + timedelta(hours=1)).timestamp())}:F>"
    told = notices(club, "has moved")
    assert told
    assert final in told[-1].content.split("it is now ")[1]
    for notice in told:
        was = notice.content.split("it was ")[1].split(",")[0]
        assert was not in notice.content.split("it is now ")[1]  # never "moved to itself"
        assert mentioned(notice) == {club.alice.id}
    assert {status for status, _ in await rows(club, "time_change")} <= {"sent", "skipped"}


async def test_moving_back_to_the_original_time_does_not_say_it_moved_to_itself(
    club: Club,
) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")

    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    await club.organizer.slash(club.channel, "session edit", session="1", time="18:30")
    await club.env.advance_time(10)

    for notice in notices(club, "has moved"):
        was = notice.content.split("it was ")[1].split(",")[0]
        now = notice.content.split("it is now ")[1]
        assert was.split(":")[1] not in now, notice.content


@pytest.mark.parametrize("failures", [1, 3])
async def test_a_big_cancel_notice_that_first_fails_still_pings_each_member_once(
    club: Club, failures: int
) -> None:
    members = await going(club, 300)
    # Its first tries get a 500 with nothing posted: it is retried, continuations and all.
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=failures)

    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    await club.env.advance_time(60 + 300 + 900 + 10)  # the outbox's first three back-offs

    [notice] = notices(club, "is cancelled")
    posts = bot_posts(club)
    parts = [notice] + [m for m in posts if (m.content or "").startswith("(continued")]
    pinged = [user.id for part in parts for user in part.mentions]
    assert sorted(pinged) == sorted(m.id for m in members)
    statuses = [status for status, _ in await rows(club, "cancel_notice")]
    statuses += [status for status, _ in await rows(club, "mentions")]
    assert set(statuses) == {"sent"}


async def test_a_reposted_announcement_closes_at_the_start(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await (await moderator(club)).delete(message)
    await club.env.advance_time(10)
    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.env.advance_time(10)
    [again] = announcements(club)

    await advance_to(club, START)
    await settle_edits(club)

    [current] = announcements(club)
    assert current.id == again.id
    assert CLOSED in embed_text(current.embeds[0])
    assert buttons(current)["Going"] is True
    assert await closes(club) == [(START.isoformat(), "sent", again.id, None)]


async def test_moving_the_start_earlier_closes_at_the_new_start(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await advance_to(club, START - timedelta(hours=3))

    await club.organizer.slash(club.channel, "session edit", session="1", time="16:00")
    earlier = START - timedelta(hours=2, minutes=30)
    await advance_to(club, earlier)
    await settle_edits(club)

    assert CLOSED in embed_text(announcement(club).embeds[0])
    assert buttons(announcement(club))["Going"] is True
    late = await club.ben.slash(club.channel, "rsvp", session="1", status="going")
    assert late.ephemeral
    assert await states(club) == {club.alice.id: "going"}
    assert await closes(club) == [
        (START.isoformat(), "superseded", None, "session time changed"),
        (earlier.isoformat(), "sent", announcement(club).id, None),
    ]
    only_user_errors(club, 1)


@pytest.mark.parametrize("emoji", ["✅\ufe0f", "🤔", "❌\ufe0f"])
async def test_a_late_reaction_in_any_spelling_is_not_counted_and_taken_off(
    club: Club, emoji: str
) -> None:
    await create(club)
    await advance_to(club, START)
    await settle_edits(club)

    await club.alice.react(announcement(club), emoji)
    await settle_edits(club)

    assert await states(club) == {}
    stored = club.env.backend.get_message(announcement(club).channel.id, announcement(club).id)
    members_reacting = {u for r in stored.reactions for u in r.user_ids if u != club.bot.user.id}
    assert members_reacting == set()


async def test_a_reaction_on_a_cancelled_session_is_not_counted(club: Club) -> None:
    message = await create(club)
    await club.organizer.slash(club.channel, "session cancel", session="1")
    await settle_edits(club)

    await club.alice.react(message, "✅")
    await settle_edits(club)

    assert await states(club) == {}
    stored = club.env.backend.get_message(message.channel.id, message.id)
    assert {u for r in stored.reactions for u in r.user_ids} == {club.bot.user.id}
    assert "This session is cancelled." in embed_text(announcements(club)[-1].embeds[0])


async def test_a_big_time_change_skips_the_members_who_left(club: Club) -> None:
    members = await going(club, 300)
    left = members[::15]  # 20 of them, spread over every part
    for member in left:
        club.guild.remove_member(member)
    await club.env.settle()

    await club.organizer.slash(club.channel, "session edit", session="1", time="19:30")

    [notice] = notices(club, "has moved")
    staying = {m.id for m in members} - {m.id for m in left}
    told_in_full(club, parts_of(club, notice), staying)
    assert "going 280" in notice.content
    answers = await states(club)
    assert not any(m.id in answers for m in left)  # they hold no place
    assert len(answers) == 280


async def test_a_markdown_heavy_title_and_reason_are_shown_whole(club: Club) -> None:
    await set_channel(club)
    title = "*_" * 50  # 100 characters, each escaped
    await club.organizer.slash(
        club.channel,
        "session create",
        title=title,
        date="2026-01-06",
        time="18:30",
        location="Park",
        capacity=1000,
    )
    members = [club.guild.add_member(club.env.create_user(f"m{n}")) for n in range(200)]
    for member in members:
        await club.bot.services.rsvps.respond(
            club.guild.id, 1, member.id, member.name, Response.GOING, "command"
        )
    reason = "~|" * 149 + "ok"  # 300 characters

    await club.organizer.slash(club.channel, "session cancel", session="1", reason=reason)

    [notice] = notices(club, "is cancelled")
    first_line = notice.content.split("\n")[0]
    assert first_line.endswith("ok"), first_line[-40:]
    told_in_full(club, parts_of(club, notice), {m.id for m in members})


@pytest.mark.parametrize("text", ["\\*" * 900, "word " * 400, "x" * 1500, "short"])
def test_notice_text_is_cut_between_words_never_inside_an_escape(text: str) -> None:
    from bot.outbox.render import MAX_TEXT, _clip

    clipped = _clip(text, MAX_TEXT)
    assert len(clipped) <= MAX_TEXT
    if len(text) <= MAX_TEXT:
        assert clipped == text
    else:
        assert clipped.endswith("…")
        assert not clipped[:-1].endswith("\\")
        assert text.startswith(clipped[:-1])


async def test_a_series_move_after_week_one_started_leaves_week_one_closed(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
        weeks=3,
    )
    [week_one] = announcements(club)
    await club.alice.click(week_one, label="Going")
    await advance_to(club, START + timedelta(minutes=5))
    await settle_edits(club)

    result = await club.organizer.slash(
        club.channel, "session edit", session="1", scope="series", time="19:00"
    )
    await settle_edits(club)

    starts = {
        int(r[0]): str(r[1])
        for r in await club.bot.db.fetch_all("SELECT id, starts_at FROM sessions")
    }
    assert starts[1] == START.isoformat()  # what already started is never moved
    current = next(m for m in announcements(club) if m.id == week_one.id)
    assert CLOSED in embed_text(current.embeds[0])
    assert buttons(current)["Going"] is True
    # Refused as a whole (the rest of the series moves from week 2): nothing moved, nobody told.
    assert result.ephemeral
    assert "already started" in result.response.content
    assert starts == {week: (START + timedelta(weeks=week - 1)).isoformat() for week in (1, 2, 3)}
    assert notices(club, "has moved") == []
    only_user_errors(club, 1)


async def test_a_repost_whose_old_message_could_not_be_deleted_is_retried(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    # SimCord skips discord.py's own 5xx retries, so this stands for a longer outage.
    club.env.inject_error("DELETE", "/channels/*/messages/*", status=500, times=1)

    await club.organizer.slash(club.channel, "session repost", session="1")
    await club.env.advance_time(10)
    assert [m.id for m in announcements(club)] == [message.id]  # nothing doubled meanwhile
    await club.env.advance_time(120)  # the outbox's first back-off

    [again] = announcements(club)
    assert again.id != message.id
    assert await stored_message_id(club) == again.id
    assert "alice" in embed_text(again.embeds[0])
    found = await club.bot.db.fetch_all(
        "SELECT status, attempts FROM deliveries WHERE kind = 'announcement' ORDER BY id"
    )
    assert [str(r[0]) for r in found] == ["sent", "sent"]
