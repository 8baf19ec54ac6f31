"""Attendance as members and organizers use it: "I'm here" during the check-in window, organizer
marks and corrections with their history, /attendance me, the club summary with its chart, the
CSV export and deleting a member's data, through SimCord."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.errors import Conflict
from bot.settings import Settings
from tests.conftest import (
    Club,
    bot_posts,
    embed_text,
    make_admin,
    only_user_errors,
    restart,
    set_channel,
)

START = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # Tue 18:30 New York, announced at once


async def announce(club: Club, weeks: int = 1, capacity: int | None = None) -> discord.Message:
    await set_channel(club)
    options: dict[str, object] = {"weeks": weeks} if weeks > 1 else {}
    if capacity:
        options["capacity"] = capacity
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
        workout="6x800 @ I w/ 400 jog",
        **options,
    )
    return announcements(club)[0]


def announcements(club: Club) -> list[discord.Message]:
    return [m for m in bot_posts(club) if m.embeds]


async def advance_to(club: Club, instant: datetime) -> None:
    await club.env.advance_time((instant - club.env.now()).total_seconds())


async def marks(club: Club) -> dict[int, tuple[str, str, int]]:
    rows = await club.bot.db.fetch_all(
        "SELECT user_id, state, source, marked_by FROM attendance WHERE session_id = 1"
    )
    return {int(r[0]): (r[1], r[2], int(r[3])) for r in rows}


def labels(message: discord.Message) -> list[str]:
    return [
        str(c.label)
        for row in message.components
        for c in row.children
        if isinstance(c, discord.Button)
    ]


async def test_im_here_is_offered_only_in_the_check_in_window(club: Club) -> None:
    await announce(club)
    await club.alice.click(announcements(club)[0], label="Going")
    # Days before: no "I'm here" on the announcement.
    assert "I'm here" not in labels(announcements(club)[0])
    # A client that has not refreshed could still send the old button's click: it is told
    # when check-in opens, and nothing is marked.
    with pytest.raises(Conflict, match="Check-in for Speed session opens"):
        await club.bot.services.attendance.check_in(club.guild.id, 1, club.alice.id, "alice")

    await advance_to(club, START - timedelta(minutes=30, seconds=1))
    assert "I'm here" not in labels(announcements(club)[0])
    await club.env.advance_time(1)
    await club.env.advance_time(6)  # the window opened: the announcement is redrawn with it
    message = announcements(club)[0]
    assert "I'm here" in labels(message)
    here = await club.alice.click(message, label="I'm here")
    assert here.ephemeral
    assert here.response.content == "Checked in to Speed session. Have a good session!"
    # Ben never said going: he comes anyway, as a walk-in.
    walk_in = await club.ben.click(message, label="I'm here")
    assert "as a walk-in" in walk_in.response.content
    again = await club.alice.click(message, label="I'm here")
    assert "already checked in" in again.response.content
    assert await marks(club) == {
        club.alice.id: ("attended", "checkin", club.alice.id),
        club.ben.id: ("walk_in", "checkin", club.ben.id),
    }

    await advance_to(club, START + timedelta(hours=2))
    assert "I'm here" in labels(announcements(club)[0])  # the window includes its last second
    await club.env.advance_time(1 + 6)
    assert "I'm here" not in labels(announcements(club)[0])
    with pytest.raises(Conflict, match="Check-in for Speed session has closed"):
        await club.bot.services.attendance.check_in(club.guild.id, 1, club.organizer.id, "coach")
    assert club.organizer.id not in await marks(club)
    # Each edge redrew the announcement once, through the outbox.
    rows = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE kind = 'check_in' ORDER BY id"
    )
    assert [r[0] for r in rows] == ["sent", "sent"]
    assert club.env.errors == []


async def test_im_here_appears_after_a_restart_missed_the_window_opening(
    club: Club, settings: Settings
) -> None:
    await announce(club)
    await club.bot.close()
    # Pacer is down when check-in opens; at its start the edge is done late, exactly once.
    await club.env.advance_time((START - timedelta(minutes=10) - club.env.now()).total_seconds())
    await restart(club, settings, crash=True)
    await club.env.advance_time(6)
    assert "I'm here" in labels(announcements(club)[0])
    rows = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE kind = 'check_in' ORDER BY id"
    )
    assert [r[0] for r in rows] == ["sent", "pending"]


async def test_a_new_check_in_window_moves_the_button_at_once(club: Club) -> None:
    await announce(club)
    await advance_to(club, START - timedelta(minutes=50))
    assert "I'm here" not in labels(announcements(club)[0])
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup check-in", before="1h")
    await club.env.advance_time(6)
    assert "I'm here" in labels(announcements(club)[0])


async def test_im_here_on_an_old_announcement_works_after_a_restart(
    club: Club, settings: Settings
) -> None:
    message = await announce(club)
    await restart(club, settings)
    await advance_to(club, START)
    here = await club.alice.click(message, label="I'm here")
    assert "Checked in to Speed session" in here.response.content
    assert (await marks(club))[club.alice.id][0] == "walk_in"


async def test_organizers_mark_and_correct_and_every_change_is_kept(club: Club) -> None:
    message = await announce(club)
    await club.alice.click(message, label="Going")
    await advance_to(club, START + timedelta(hours=3))

    first = await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.alice.user, state="no_show"
    )
    assert first.ephemeral
    assert first.response.content == f"Marked <@{club.alice.id}> as no-show for Speed session."
    fixed = await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.alice.user, state="attended"
    )
    assert "Corrected" in fixed.response.content
    assert "no-show → attended" in fixed.response.content
    assert (await marks(club))[club.alice.id] == ("attended", "organizer", club.organizer.id)
    history = await club.bot.db.fetch_all(
        "SELECT state, marked_by FROM attendance_events WHERE user_id = ? ORDER BY id",
        (club.alice.id,),
    )
    assert [(r[0], int(r[1])) for r in history] == [
        ("no_show", club.organizer.id),
        ("attended", club.organizer.id),
    ]

    # A member can't mark anyone, themselves included; nothing changes.
    refused = await club.ben.slash(
        club.channel, "attendance mark", session="1", member=club.ben.user, state="attended"
    )
    assert refused.ephemeral
    assert "Only organizers" in refused.response.content
    assert club.ben.id not in await marks(club)

    # Seven days after, marking is closed.
    await advance_to(club, START + timedelta(days=7, seconds=1))
    closed = await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.ben.user, state="walk_in"
    )
    assert "more than 7 days ago" in closed.response.content
    assert club.ben.id not in await marks(club)
    only_user_errors(club, 2)


async def test_marking_before_check_in_opens_is_refused(club: Club) -> None:
    await announce(club)
    result = await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.alice.user, state="attended"
    )
    assert result.ephemeral
    assert "can be marked from" in result.response.content
    assert await marks(club) == {}
    only_user_errors(club)


async def test_attendance_me_shows_only_my_season_streak_and_last_time(club: Club) -> None:
    message = await announce(club, weeks=3)
    await advance_to(club, START)
    await club.alice.click(message, label="I'm here")
    await club.ben.click(message, label="I'm here")
    await advance_to(club, START + timedelta(days=7))
    second = announcements(club)[-1]
    assert second.id != message.id
    await club.alice.click(second, label="I'm here")
    await advance_to(club, START + timedelta(days=8))

    mine = await club.alice.slash(club.channel, "attendance me")
    assert mine.ephemeral
    text = embed_text(mine.response.embeds[0])
    assert "This season (since 01 Jan 2026)" in text
    assert "2 sessions" in text
    assert "2 weeks in a row" in text
    assert f"<t:{int((START + timedelta(days=7)).timestamp())}:D>" in text
    assert str(club.ben.id) not in text

    bens = embed_text((await club.ben.slash(club.channel, "attendance me")).response.embeds[0])
    assert "\n1 session\n" in bens
    # Ben came last week only: his streak stands until this week is over, then ends.
    assert "1 week in a row" in bens
    await advance_to(club, START + timedelta(days=13))
    bens = embed_text((await club.ben.slash(club.channel, "attendance me")).response.embeds[0])
    assert "0 weeks in a row" in bens


async def test_club_summary_has_the_figures_and_a_turnout_chart(club: Club) -> None:
    message = await announce(club, weeks=2)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await advance_to(club, START)
    await club.alice.click(message, label="I'm here")
    await advance_to(club, START + timedelta(days=7))
    await club.alice.click(announcements(club)[-1], label="I'm here")
    await advance_to(club, START + timedelta(days=7, hours=3))

    refused = await club.alice.slash(club.channel, "attendance club")
    assert "Only organizers" in refused.response.content
    assert not refused.response.attachments

    result = await club.organizer.slash(club.channel, "attendance club", period="4w")
    assert result.ephemeral
    embed = result.response.embeds[0]
    text = embed_text(embed)
    assert "Attendance: last 4 weeks" in text
    assert "50% (1 of 2 who said going came)" in text
    assert "Tue 06 Jan Speed session: 1 came, 1/2 of those going" in text
    assert f"<@{club.alice.id}> (2)" in text  # a regular
    assert f"<@{club.organizer.id}>: 2 sessions, 1.0 runners on average" in text
    assert "Speed session: 2 sessions" in text  # the weekly series
    [chart] = result.response.attachments
    assert chart.filename == "turnout.png"
    assert embed.image.url == "attachment://turnout.png"
    png = await chart.read()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")

    bad = await club.organizer.slash(club.channel, "attendance club", period="fortnight")
    assert "period: 'fortnight' is not a period I know" in bad.response.content
    only_user_errors(club, 2)


async def test_members_not_seen_for_four_weeks_are_listed(club: Club) -> None:
    message = await announce(club, weeks=6)
    await advance_to(club, START)
    await club.ben.click(message, label="I'm here")
    await advance_to(club, START + timedelta(days=35))
    text = embed_text(
        (await club.organizer.slash(club.channel, "attendance club")).response.embeds[0]
    )
    assert f"<@{club.ben.id}> (last 06 Jan 2026)" in text


async def test_export_is_csv_and_formula_safe(club: Club) -> None:
    sneaky = club.guild.add_member(club.env.create_user("=HYPERLINK(1)"))
    message = await announce(club)
    await advance_to(club, START)
    await sneaky.click(message, label="I'm here")
    await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.alice.user, state="no_show"
    )

    assert (
        "Only organizers"
        in (await club.alice.slash(club.channel, "attendance export")).response.content
    )
    exported = await club.organizer.slash(club.channel, "attendance export", period="2026")
    [attachment] = exported.response.attachments
    assert attachment.filename == "pacer-attendance-2026-01-01-to-2026-01-06.csv"
    rows = list(csv.reader(io.StringIO((await attachment.read()).decode())))
    assert rows[0][:6] == [
        "session_id",
        "session_date",
        "session_title",
        "member_id",
        "display_name",
        "state",
    ]
    by_member = {row[3]: row for row in rows[1:]}
    assert by_member[str(sneaky.id)][4] == "'=HYPERLINK(1)"
    assert by_member[str(sneaky.id)][5] == "walk-in"
    assert by_member[str(club.alice.id)][5:8] == ["no-show", "organizer", str(club.organizer.id)]
    only_user_errors(club)


async def test_an_admin_deletes_a_members_data_and_the_waitlist_moves_up(club: Club) -> None:
    message = await announce(club, weeks=2, capacity=1)
    await advance_to(club, START)
    await club.alice.click(message, label="I'm here")
    await advance_to(club, START + timedelta(days=6))
    upcoming = announcements(club)[-1]
    await club.alice.click(upcoming, label="Going")
    await club.ben.click(upcoming, label="Going")
    rows = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps WHERE session_id = 2")
    assert {int(r[0]): r[1] for r in rows}[club.ben.id] == "waitlist"

    refused = await club.organizer.slash(club.channel, "attendance forget", member=club.alice.user)
    assert "Manage Server" in refused.response.content
    assert await marks(club) != {}

    admin = await make_admin(club)
    done = await admin.slash(club.channel, "attendance forget", member=club.alice.user)
    assert done.ephemeral
    assert f"Deleted <@{club.alice.id}>'s data in this server: 1 attendance mark" in (
        done.response.content
    )
    for table in ("attendance", "attendance_events", "rsvps", "rsvp_events"):
        left = await club.bot.db.fetch_all(
            f"SELECT 1 FROM {table} WHERE user_id = ?",  # noqa: S608
            (club.alice.id,),
        )
        assert left == [], table
    rows = await club.bot.db.fetch_all("SELECT user_id, state FROM rsvps WHERE session_id = 2")
    assert {int(r[0]): r[1] for r in rows} == {club.ben.id: "going"}
    await club.env.advance_time(5)
    coming = next(
        f.value or "" for f in announcements(club)[-1].embeds[0].fields if f.name == "Who's coming"
    )
    assert club.alice.user.name not in coming
    mine = embed_text((await club.alice.slash(club.channel, "attendance me")).response.embeds[0])
    assert "0 sessions" in mine
    only_user_errors(club)


async def test_settings_change_the_window_and_refuse_bad_values(club: Club) -> None:
    message = await announce(club)
    admin = await make_admin(club)
    bad = await admin.slash(club.channel, "attendance settings", before="soon")
    assert bad.ephemeral
    assert "before: 'soon' is not a duration" in bad.response.content
    assert await club.bot.db.fetch_all("SELECT * FROM attendance_settings") == []
    assert (
        "Only members with the Manage Server"
        in (
            await club.organizer.slash(club.channel, "attendance settings", before="1h")
        ).response.content
    )

    ok = await admin.slash(
        club.channel, "attendance settings", before="1h", **{"season-start": "09-01"}
    )
    assert "from 60 min before the start to 120 min after it" in ok.response.content
    await advance_to(club, START - timedelta(minutes=45))
    here = await club.alice.click(message, label="I'm here")
    assert "Checked in" in here.response.content
    mine = embed_text((await club.alice.slash(club.channel, "attendance me")).response.embeds[0])
    assert "since 01 Sep 2025" in mine
    only_user_errors(club, 2)


async def test_the_session_roster_pre_lists_going_members_with_their_marks(club: Club) -> None:
    carol = club.guild.add_member(club.env.create_user("carol"))
    message = await announce(club)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await advance_to(club, START)
    await club.alice.click(message, label="I'm here")
    await carol.click(message, label="I'm here")

    assert (
        "Only organizers"
        in (
            await club.alice.slash(club.channel, "attendance session", session="1")
        ).response.content
    )
    result = await club.organizer.slash(club.channel, "attendance session", session="1")
    assert result.ephemeral
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert fields["Said going (2)"] == (
        f"<@{club.alice.id}>: attended\n<@{club.ben.id}>: not marked yet"
    )
    assert fields["Also marked (1)"] == f"<@{carol.id}>: walk-in"
    assert "2 came so far" in embed_text(result.response.embeds[0])
    only_user_errors(club)


async def test_another_servers_session_is_not_found_for_marks_or_check_in(club: Club) -> None:
    message = await announce(club)
    other = club.env.create_guild("Other Club")
    room = other.create_text_channel("runs")
    boss = other.add_member(
        club.env.create_user("boss"),
        roles=[other.create_role("Org", permissions=discord.Permissions(manage_events=True))],
    )
    await advance_to(club, START)
    result = await boss.slash(
        room, "attendance mark", session="1", member=boss.user, state="attended"
    )
    assert result.ephemeral
    assert "I can't find a session '1' in this server" in result.response.content
    assert (
        "can't find" in (await boss.slash(room, "attendance session", session="1")).response.content
    )
    assert await marks(club) == {}
    # The announcement's button still checks in only to its own server's session.
    await club.alice.click(message, label="I'm here")
    assert set(await marks(club)) == {club.alice.id}
    only_user_errors(club, 2)


async def test_a_forgotten_members_left_over_reaction_does_not_answer_again_after_a_restart(
    club: Club, settings: Settings
) -> None:
    from tests.cogs.test_server_life_break import overwrite

    message = await announce(club)
    await club.alice.react(message, "✅")
    me = club.guild.me
    assert me is not None
    overwrite(club, club.channel, me, manage_messages=False)
    admin = await make_admin(club)
    await admin.slash(club.channel, "attendance forget", member=club.alice.user)
    assert await club.bot.db.fetch_all("SELECT * FROM rsvps") == []

    await restart(club, settings)

    # Pacer couldn't take the ✅ away; reading reactions back must not make it an answer again.
    assert await club.bot.db.fetch_all("SELECT * FROM rsvps") == []
    assert club.env.errors == []


async def test_setup_check_in_sets_the_same_window_for_managers_only(club: Club) -> None:
    message = await announce(club)
    admin = await make_admin(club)
    bad = await admin.slash(club.channel, "setup check-in", after="later")
    assert bad.ephemeral
    assert "after: 'later' is not a duration" in bad.response.content
    assert await club.bot.db.fetch_all("SELECT * FROM attendance_settings") == []
    # Like every /setup command it is offered to server managers only (Discord hides it from
    # the rest through its default permissions).
    ok = await admin.slash(club.channel, "setup check-in", before="1h")
    assert ok.ephemeral
    assert "from 60 min before the start to 120 min after it" in ok.response.content
    await advance_to(club, START - timedelta(minutes=45))
    here = await club.alice.click(message, label="I'm here")
    assert "Checked in" in here.response.content
    only_user_errors(club, 1)


async def test_mark_all_marks_everyone_going_not_marked_yet_and_keeps_the_rest(
    club: Club,
) -> None:
    message = await announce(club)
    carol = club.guild.add_member(club.env.create_user("carol"))
    for member in (club.alice, club.ben, carol):
        await member.click(message, label="Going")
    early = await club.organizer.slash(
        club.channel, "attendance mark-all", session="1", state="attended"
    )
    assert early.ephemeral
    assert "can be marked from" in early.response.content
    assert await marks(club) == {}

    await advance_to(club, START)
    await club.alice.click(message, label="I'm here")
    await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=carol.user, state="no_show"
    )
    member = await club.ben.slash(
        club.channel, "attendance mark-all", session="1", state="attended"
    )
    assert "Only organizers" in member.response.content

    done = await club.organizer.slash(
        club.channel, "attendance mark-all", session="1", state="attended"
    )
    assert done.ephemeral
    assert done.response.content.startswith(
        "Marked 1 member who said going as attended for Speed session. 2 already marked kept"
    )
    assert await marks(club) == {
        club.alice.id: ("attended", "checkin", club.alice.id),
        club.ben.id: ("attended", "organizer", club.organizer.id),
        carol.id: ("no_show", "organizer", club.organizer.id),
    }
    again = await club.organizer.slash(
        club.channel, "attendance mark-all", session="1", state="no_show"
    )
    assert "is marked already (3); nothing changed" in again.response.content
    only_user_errors(club, 2)
