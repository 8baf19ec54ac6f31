"""Trying to break issue 11's machinery (chunked re-plans, retention, parallel posting) with
sequences the other tests don't use: settings changed in quick succession while sessions are
created, edited and cancelled and the process dies mid re-plan; sessions pruned while marks,
rosters and exports still point at them; bad ``RETENTION_DAYS`` values.

The crash mid re-plan uses the seam documented in tests/cogs/test_replan_chunks.py: a TEMP
trigger that aborts the re-plan's cursor move (what SQLite raises for a write it can't make),
then a restart as if the process had died.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.outbox import service
from bot.settings import Settings, SettingsError
from tests.cogs.test_outbox_faults import refuse_writes_after_post
from tests.conftest import Club, bot_posts, make_admin, only_user_errors, restart
from tests.faults import fail_writes

# 18:30 in New York on four Tuesdays (23:30 UTC).
STARTS = [datetime(2026, 1, 6, 23, 30, tzinfo=UTC) + timedelta(weeks=n) for n in range(4)]


@pytest.mark.parametrize(
    "value",
    ["abc", "-1", "3", "40000", "1.5", "90 days"],
)
def test_every_bad_retention_days_names_the_setting_and_a_valid_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", value)
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env_file=tmp_path / "none.env")
    [problem] = [line for line in str(raised.value).splitlines() if line.strip()]
    assert "RETENTION_DAYS" in problem
    assert "like 90" in problem, problem


async def sent_rows(club: Club, kind: str) -> list[dict[str, object]]:
    rows = await club.env.bot.db.fetch_all(
        "SELECT session_id, offset_s, due_at, sent_at, payload FROM deliveries"
        " WHERE kind = ? AND status = 'sent' ORDER BY session_id, sent_at",
        (kind,),
    )
    return [dict(row) for row in rows]


async def starts(club: Club) -> dict[int, datetime]:
    rows = await club.env.bot.db.fetch_all("SELECT id, starts_at FROM sessions ORDER BY id")
    return {int(r[0]): datetime.fromisoformat(r[1]) for r in rows}


async def test_settings_churn_with_edits_cancels_and_a_crash_sends_each_post_once_by_the_latest(
    club: Club, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REPLAN_CHUNK", 1)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park", weeks=len(STARTS),
    )  # fmt: skip
    [first] = [m for m in bot_posts(club) if m.embeds]
    await club.alice.click(first, label="Going")
    await fail_writes(
        club.bot.db, "crash_mid_replan", "UPDATE OF after_id", "replans",
        "OLD.after_id IS NOT NULL AND NEW.after_id IS NOT NULL",
    )  # fmt: skip

    # Five changes in a row, sessions edited and cancelled between them; the re-plan dies
    # after its first chunk each time.
    await admin.slash(club.channel, "setup reminders", offsets="3h, 1h")
    await club.organizer.slash(club.channel, "session edit", session="3", time="19:00")
    await admin.slash(club.channel, "setup announce-ahead", days=2)
    await club.ben.click(first, label="Maybe")
    await club.organizer.slash(club.channel, "session cancel", session="2", reason="Track closed")
    await admin.slash(club.channel, "setup timezone", timezone="America/Chicago")
    await club.organizer.slash(
        club.channel, "session create", title="Hills", date="2026-01-15", time="17:30",
        location="Hill",
    )  # fmt: skip
    await admin.slash(club.channel, "setup reminders", offsets="30m")
    assert await club.bot.db.fetch_all("SELECT guild_id FROM replans")  # still pending
    await club.env.advance_time(5)
    await restart(club, settings, crash=True)
    begins = await starts(club)
    await club.env.advance_time((max(begins.values()) - club.env.now()).total_seconds() + 60)

    assert club.env.errors == []
    live = [sid for sid in begins if sid != 2]
    reminders = await sent_rows(club, "reminder")
    assert [r["session_id"] for r in reminders] == live
    for row in reminders:
        assert row["offset_s"] == 1800
        due = begins[int(str(row["session_id"]))] - timedelta(minutes=30)
        assert datetime.fromisoformat(str(row["sent_at"])) == due
    texts = [m.content or "" for m in bot_posts(club) if "Reminder" in (m.content or "")]
    assert len(texts) == len(live)
    assert all("Reminder (30m to go)" in text for text in texts)
    announcements = await sent_rows(club, "announcement")
    assert sorted(int(str(r["session_id"])) for r in announcements) == live
    for row in announcements:
        sid = int(str(row["session_id"]))
        if sid != 1:  # announced after the change: two days ahead at most
            sent = datetime.fromisoformat(str(row["sent_at"]))
            assert begins[sid] - sent <= timedelta(days=2), (sid, sent)
    open_rows = await club.env.bot.db.fetch_all(
        "SELECT id, kind FROM deliveries WHERE status IN ('pending', 'retrying', 'claimed')"
        " AND kind IN ('reminder', 'announcement', 'close')"
    )
    assert [tuple(r) for r in open_rows] == []
    assert await club.env.bot.db.fetch_all("SELECT * FROM replans") == []


async def test_a_thread_at_the_first_reminder_follows_new_reminder_times(club: Club) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup threads", when="first-reminder")
    await admin.slash(club.channel, "setup reminders", offsets="2h")
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park",
    )  # fmt: skip
    assert [m for m in bot_posts(club) if m.embeds]  # announced at once

    await admin.slash(club.channel, "setup reminders", offsets="30m")
    await club.bot.services.outbox.replans_done()
    await club.env.advance_time((STARTS[0] - club.env.now()).total_seconds() + 60)

    [opened] = await club.env.bot.db.fetch_all(
        "SELECT sent_at FROM deliveries WHERE kind = 'thread' AND status = 'sent'"
        " AND payload LIKE '%open%'"
    )
    # The thread opens with the first reminder of the new plan, not at the old one's time.
    assert datetime.fromisoformat(opened[0]) == STARTS[0] - timedelta(minutes=30)


async def test_a_pruned_session_still_answers_its_roster_marks_and_forget(club: Club) -> None:
    club.bot.services.retention.days = 14  # RETENTION_DAYS=14, read by the daily job
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await club.organizer.slash(
        club.channel, "session create", title="Speed session", date="2026-01-06",
        time="18:30", location="Track",
    )  # fmt: skip
    [message] = [m for m in bot_posts(club) if m.embeds]
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")
    await club.env.advance_time((STARTS[0] - club.env.now()).total_seconds() + 600)
    await club.alice.click(message, label="I'm here")
    await club.env.advance_time(16 * 86400)
    [pruned] = await club.bot.db.fetch_all("SELECT pruned_at FROM sessions WHERE id = 1")
    assert pruned[0] is not None

    roster = await club.organizer.slash(club.channel, "session roster", session="1")
    shown = roster.response.content or "".join(
        "\n".join([e.title or "", e.description or "", *[f.value for f in e.fields]])
        for e in roster.response.embeds
    )
    # Who was going is kept (session_going): the roster must not say nobody was.
    assert "alice" in shown or str(club.alice.id) in shown, shown
    late = await club.organizer.slash(
        club.channel, "attendance mark", session="1", member=club.ben.user, state="attended"
    )
    assert late.ephemeral  # too late to mark: refused privately, nothing changed
    only_user_errors(club)
    forgot = await admin.slash(club.channel, "attendance forget", member=club.alice.user)
    assert forgot.ephemeral
    [going] = await club.bot.db.fetch_all("SELECT user_ids FROM session_going")
    assert going[0] == str(club.ben.id)
    after = await club.organizer.slash(club.channel, "session roster", session="1")
    listed = "\n".join(f.value or "" for f in after.response.embeds[0].fields)
    assert str(club.ben.id) in listed
    assert str(club.alice.id) not in listed  # forgotten, in what pruning kept too
    marks = await club.organizer.slash(club.channel, "attendance session", session="1")
    shown = marks.response.content or "\n".join(
        "\n".join([e.description or "", *[f.value or "" for f in e.fields]])
        for e in marks.response.embeds
    )
    assert str(club.alice.id) not in shown
    assert str(club.ben.id) in shown or "ben" in shown, shown
    assert (
        await club.bot.db.fetch_all("SELECT * FROM attendance WHERE user_id = ?", (club.alice.id,))
        == []
    )


async def test_an_old_thread_opening_that_falls_due_before_the_re_plan_reaches_it_moves_too(
    club: Club, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REPLAN_CHUNK", 1)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup threads", when="first-reminder")
    await admin.slash(club.channel, "setup announce-ahead", days=14)
    await admin.slash(club.channel, "setup reminders", offsets="2h")
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park", weeks=2,
    )  # fmt: skip
    assert len([m for m in bot_posts(club) if m.embeds]) == 2  # both announced at once
    await fail_writes(
        club.bot.db, "crash_mid_replan", "UPDATE OF after_id", "replans",
        "OLD.after_id IS NOT NULL AND NEW.after_id IS NOT NULL",
    )  # fmt: skip

    await admin.slash(club.channel, "setup reminders", offsets="30m")
    # The pass stopped after the first session; the second's old thread row falls due first.
    [mark] = await club.bot.db.fetch_all("SELECT after_id FROM replans")
    assert mark[0] == 1
    await club.env.advance_time((STARTS[1] - club.env.now()).total_seconds() + 60)

    opened = await club.bot.db.fetch_all(
        "SELECT session_id, sent_at FROM deliveries WHERE kind = 'thread' AND status = 'sent'"
        " AND payload LIKE '%open%' ORDER BY session_id"
    )
    assert [(r[0], datetime.fromisoformat(r[1])) for r in opened] == [
        (1, STARTS[0] - timedelta(minutes=30)),
        (2, STARTS[1] - timedelta(minutes=30)),
    ]


async def test_a_channel_that_refuses_every_post_holds_up_no_other_channel_or_server(
    club: Club,
) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup reminders", offsets="1h")
    track = club.guild.create_text_channel("track")
    for channel in (track, club.channel):
        for title in ("Tempo", "Hills", "Strides"):
            await club.organizer.slash(
                club.channel, "session create", title=f"{title} {channel.name}",
                date="2026-01-06", time="18:30", location="Park", channel=channel,
            )  # fmt: skip
    await club.organizer.slash(
        club.channel, "session create", title="Long run", date="2026-01-06", time="18:30",
        location="Park",
    )  # fmt: skip
    rows = await club.bot.db.fetch_all(
        "SELECT COUNT(*) FROM deliveries WHERE kind = 'announcement' AND status = 'sent'"
    )
    assert rows[0][0] == 7
    # From now on the track channel refuses every post (the bot lost Send Messages there).
    club.env.inject_error(
        "POST", f"/channels/{track.id}/messages", status=403, code=50013, times=None
    )

    await club.env.advance_time((STARTS[0] - club.env.now()).total_seconds() - 3600 + 1)

    sent = await club.bot.db.fetch_all(
        "SELECT d.channel_id, d.sent_at, COUNT(*) FROM deliveries d WHERE d.kind = 'reminder'"
        " AND d.status = 'sent' GROUP BY d.channel_id, d.sent_at"
    )
    # Every reminder in the working channel went out once, on time; none in the refusing one.
    assert [tuple(r) for r in sent] == [
        (club.channel.id, (STARTS[0] - timedelta(hours=1)).isoformat(), 4)
    ]
    posted = [m.content for m in bot_posts(club) if "Reminder" in (m.content or "")]
    assert len(posted) == 4
    refused = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE kind = 'reminder' AND channel_id = ?", (track.id,)
    )
    assert sorted(r[0] for r in refused) == ["retrying"] * 3


async def test_a_channel_move_then_new_reminders_with_a_crash_post_each_once_where_they_belong(
    club: Club, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REPLAN_CHUNK", 1)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup announce-ahead", days=1)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park", weeks=len(STARTS),
    )  # fmt: skip
    await club.env.advance_time((STARTS[0] - club.env.now()).total_seconds() - 86400 + 60)
    assert len([m for m in bot_posts(club) if m.embeds]) == 1  # the first is announced
    await fail_writes(
        club.bot.db, "crash_mid_replan", "UPDATE OF after_id", "replans",
        "OLD.after_id IS NOT NULL AND NEW.after_id IS NOT NULL",
    )  # fmt: skip
    moved = club.guild.create_text_channel("announcements")
    changed_at = club.env.now()  # the first session's 24h reminder went out just before

    await admin.slash(club.channel, "setup channel", channel=moved)
    await admin.slash(club.channel, "setup reminders", offsets="45m")
    await admin.slash(club.channel, "setup announce-ahead", days=2)
    await club.env.advance_time(5)
    await restart(club, settings, crash=True)
    await club.env.advance_time((STARTS[-1] - club.env.now()).total_seconds() + 60)

    assert club.env.errors == []
    rows = await club.env.bot.db.fetch_all(
        "SELECT session_id, kind, channel_id, sent_at FROM deliveries WHERE status = 'sent'"
        " AND kind IN ('announcement', 'reminder') ORDER BY session_id, kind"
    )
    expected = []
    for number in range(1, len(STARTS) + 1):
        channel = club.channel.id if number == 1 else moved.id
        expected.append((number, "announcement", channel))
        expected += [(number, "reminder", channel)] * (2 if number == 1 else 1)
    assert [(r[0], r[1], r[2]) for r in rows] == expected
    for row in rows:
        start = STARTS[int(row[0]) - 1]
        sent = datetime.fromisoformat(row[3])
        if row[1] == "reminder" and sent > changed_at:
            assert sent == start - timedelta(minutes=45)
        elif row[0] != 1:
            assert sent == start - timedelta(days=2)
    in_moved = [m for m in moved.history(viewer=club.alice) if m.author.bot]
    assert len(in_moved) == 2 * (len(STARTS) - 1)


async def test_a_lead_time_kept_by_the_change_still_goes_out_when_its_old_row_falls_due_first(
    club: Club, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REPLAN_CHUNK", 1)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup reminders", offsets="2h")
    await admin.slash(club.channel, "setup announce-ahead", days=14)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park", weeks=2,
    )  # fmt: skip
    await fail_writes(
        club.bot.db, "crash_mid_replan", "UPDATE OF after_id", "replans",
        "OLD.after_id IS NOT NULL AND NEW.after_id IS NOT NULL",
    )  # fmt: skip
    assert len([m for m in bot_posts(club) if m.embeds]) == 2  # both announced at once

    # A lead time is added; the pass stalls after the first session, so the second's old 2h
    # row falls due first, exactly when the new plan wants a 2h reminder too.
    await admin.slash(club.channel, "setup reminders", offsets="2h, 30m")
    await club.env.advance_time((STARTS[1] - club.env.now()).total_seconds() + 60)

    sent = await club.bot.db.fetch_all(
        "SELECT session_id, offset_s, sent_at FROM deliveries WHERE kind = 'reminder'"
        " AND status = 'sent' ORDER BY session_id, offset_s DESC"
    )
    assert [(r[0], r[1], datetime.fromisoformat(r[2])) for r in sent] == [
        (session, offset, STARTS[session - 1] - timedelta(seconds=offset))
        for session in (1, 2)
        for offset in (7200, 1800)
    ]


async def test_on_the_day_announcements_follow_a_new_zone_through_a_stalled_re_plan(
    club: Club, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REPLAN_CHUNK", 1)
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup announce-ahead", days=0)
    await admin.slash(club.channel, "setup reminders", offsets="1h")
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park", weeks=len(STARTS),
    )  # fmt: skip
    await fail_writes(
        club.bot.db, "crash_mid_replan", "UPDATE OF after_id", "replans",
        "OLD.after_id IS NOT NULL AND NEW.after_id IS NOT NULL",
    )  # fmt: skip

    # 18:30 in New York is 08:30 the next morning in Tokyo: "on the day" is midnight there,
    # 15:00 UTC the day before the start in UTC (the old plan said 05:00 UTC, New York's).
    await admin.slash(club.channel, "setup timezone", timezone="Asia/Tokyo")
    await club.env.advance_time((STARTS[1] - club.env.now()).total_seconds() - 86400)
    await restart(club, settings, crash=True)
    await club.env.advance_time((STARTS[-1] - club.env.now()).total_seconds() + 60)

    assert club.env.errors == []
    sent = await club.env.bot.db.fetch_all(
        "SELECT session_id, sent_at FROM deliveries WHERE kind = 'announcement'"
        " AND status = 'sent' ORDER BY session_id"
    )
    assert [(r[0], datetime.fromisoformat(r[1])) for r in sent] == [
        (number, start.replace(hour=15, minute=0)) for number, start in enumerate(STARTS, 1)
    ]
    assert len([m for m in bot_posts(club) if m.embeds]) == len(STARTS)


async def test_a_cancel_while_the_announcement_outcome_is_unknown_still_tells_the_channel(
    club: Club,
) -> None:
    """The announcement reached Discord but its recording failed (the seam of
    tests/cogs/test_outbox_faults.py): members can have read it, so a cancel must be told."""
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    heal = refuse_writes_after_post(club)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park",
    )  # fmt: skip
    [message] = [m for m in bot_posts(club) if m.embeds]
    [claim] = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE kind = 'announcement'"
    )
    assert claim[0] == "claimed"
    await heal()

    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    await club.env.advance_time(5 * 60)  # the claim's lease runs out: the post is adopted

    [notice] = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE kind = 'cancel_notice'"
    )
    assert notice[0] == "sent"
    told = [m for m in bot_posts(club) if not m.embeds and "Storm" in (m.content or "")]
    assert len(told) == 1
    assert message.id in [m.id for m in bot_posts(club)]


async def test_a_reminder_waits_for_its_announcement_that_is_being_retried(club: Club) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup reminders", offsets="1h")
    await club.env.advance_time((STARTS[0] - club.env.now()).total_seconds() - 3600 - 180)
    # The first post is refused (a permission fixed a moment later): the announcement is
    # retried after a back-off longer than the three minutes to its reminder.
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, times=1)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-06", time="18:30",
        location="Park",
    )  # fmt: skip

    await club.env.advance_time((STARTS[0] - club.env.now()).total_seconds() - 60)

    posts = bot_posts(club)
    kinds = ["announcement" if m.embeds else m.content or "" for m in posts]
    assert kinds[0] == "announcement", kinds  # never a reminder before its announcement
    assert len([k for k in kinds if "Reminder" in k]) == 1


async def test_a_crash_mid_fan_out_across_channels_posts_each_reminder_once(
    club: Club, settings: Settings
) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup reminders", offsets="1h")
    track = club.guild.create_text_channel("track")
    for channel in (track, club.channel):
        for title in ("Tempo", "Hills", "Strides"):
            await club.organizer.slash(
                club.channel, "session create", title=f"{title} {channel.name}",
                date="2026-01-06", time="18:30", location="Park", channel=channel,
            )  # fmt: skip
    await club.env.advance_time((STARTS[0] - club.env.now()).total_seconds() - 3600 - 10)
    # The first reminder reaches Discord, then storage refuses every write: the fan-out dies
    # with one post unrecorded and the rest unclaimed; the process is then restarted.
    refuse_writes_after_post(club)
    await club.env.advance_time(15)
    await restart(club, settings, crash=True)
    await club.env.advance_time(600)

    posted = [
        m.content
        for channel in (track, club.channel)
        for m in channel.history(viewer=club.alice)
        if m.author.bot and "Reminder" in (m.content or "")
    ]
    assert len(posted) == len(set(posted)) == 6
    rows = await club.env.bot.db.fetch_all(
        "SELECT status, COUNT(*) FROM deliveries WHERE kind = 'reminder' GROUP BY status"
    )
    assert [tuple(r) for r in rows] == [("sent", 6)]
    assert club.env.errors == []
