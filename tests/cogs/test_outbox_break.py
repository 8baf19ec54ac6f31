"""Trying to break exactly-once (issue 8) with faults the first tests did not use.

Seams, as in ``test_outbox_faults.py`` (SimCord has no storage faults and ignores nonces):
:func:`refuse_writes_after_post` wraps the bot's ``http.request`` and, right after Discord
answers the N-th message POST from now on, makes storage refuse writes
(:func:`tests.faults.refuse_writes`, SQLite or PostgreSQL).
A crash is a restart without closing (the old connection stays open, as in a dead process).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import main
from bot.domain.rsvp import Response
from bot.settings import Settings
from bot.tree import STORAGE_TROUBLE
from scripts.check_layers import violations
from tests.conftest import Club, bot_posts, restart, set_channel
from tests.faults import allow_writes, refuse_writes
from tests.test_cli import make_database

TUESDAY = datetime(2026, 1, 6, 23, 30, tzinfo=UTC)  # 18:30 in New York, announced at once


async def create(club: Club, **extra: Any) -> Any:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Tempo",
        date="2026-01-06",
        time="18:30",
        location="Park",
        **extra,
    )
    return announcements(club)[-1] if announcements(club) else None


def announcements(club: Club) -> list[Any]:
    return [m for m in bot_posts(club) if m.embeds]


def containing(club: Club, words: str) -> list[Any]:
    return [m for m in bot_posts(club) if words in (m.content or "")]


def dms(member: Any) -> list[Any]:
    channel = member.user.dm_channel
    if channel is None:
        return []
    return [m for m in channel.history(viewer=member) if m.author.bot]


def refuse_writes_after_post(club: Club, nth: int = 1) -> Callable[[], Awaitable[None]]:
    """After Discord accepts the ``nth`` message POST from now, storage refuses writes."""
    bot = club.bot
    original = bot.http.request
    state = {"left": nth}

    async def request(route: Any, **kwargs: Any) -> Any:
        answer = await original(route, **kwargs)
        if state["left"] and route.method == "POST" and route.path.endswith("/messages"):
            state["left"] -= 1
            if state["left"] == 0:
                await refuse_writes(bot.db)
        return answer

    bot.http.request = request  # type: ignore[method-assign]

    async def heal() -> None:
        bot.http.request = original  # type: ignore[method-assign]
        await allow_writes(bot.db)

    return heal


async def rows(club: Club, kind: str) -> list[tuple[Any, ...]]:
    found = await club.bot.db.fetch_all(
        "SELECT status, message_id, last_error FROM deliveries WHERE kind = ? ORDER BY id", (kind,)
    )
    return [tuple(row) for row in found]


async def until(club: Club, instant: datetime) -> None:
    await club.env.advance_time((instant - club.env.now()).total_seconds())


# -- recording fails after Discord accepted a post, for each kind --------------------------------


async def test_a_reminder_whose_recording_failed_is_adopted_not_sent_again(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await until(club, TUESDAY - timedelta(hours=24, seconds=10))
    heal = refuse_writes_after_post(club)
    await club.env.advance_time(20)
    assert len(containing(club, "Reminder")) == 1
    await heal()

    await club.env.advance_time(5 * 60)

    [reminder] = containing(club, "Reminder")
    statuses = await rows(club, "reminder")
    assert statuses[0][:2] == ("sent", reminder.id)


async def test_a_reminder_whose_recording_failed_then_crash_is_adopted(
    club: Club, settings: Settings
) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await until(club, TUESDAY - timedelta(hours=24, seconds=10))
    refuse_writes_after_post(club)
    await club.env.advance_time(20)

    await restart(club, settings, crash=True)
    await club.env.advance_time(60)

    [reminder] = containing(club, "Reminder")
    assert (await rows(club, "reminder"))[0][:2] == ("sent", reminder.id)


async def test_a_cancel_notice_whose_recording_failed_is_posted_once(club: Club) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    heal = refuse_writes_after_post(club)
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    assert len(containing(club, "is cancelled")) == 1
    await heal()

    await club.env.advance_time(5 * 60)

    [notice] = containing(club, "is cancelled")
    assert await rows(club, "cancel_notice") == [("sent", notice.id, None)]


async def test_a_cancel_notice_whose_recording_failed_then_crash_is_posted_once(
    club: Club, settings: Settings
) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    refuse_writes_after_post(club)
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    # (SimCord spins settling a crashed bot whose editor is inside its 5 s window: let it end.)
    await club.env.advance_time(10)

    await restart(club, settings, crash=True)
    await club.env.advance_time(60)

    [notice] = containing(club, "is cancelled")
    assert await rows(club, "cancel_notice") == [("sent", notice.id, None)]


async def promoted_ben(club: Club) -> Any:
    message = await create(club, capacity=1)
    await club.alice.click(message, label="Going")
    await club.ben.click(message, label="Going")  # waitlisted
    return message


async def test_a_promotion_dm_whose_recording_failed_is_sent_once(club: Club) -> None:
    message = await promoted_ben(club)
    heal = refuse_writes_after_post(club)
    await club.alice.click(message, label="Can't")
    assert len(dms(club.ben)) == 1
    await heal()

    await club.env.advance_time(5 * 60)

    [dm] = dms(club.ben)
    assert await rows(club, "promotion") == [("sent", dm.id, None)]
    assert containing(club, "you're in") == []


async def test_a_promotion_dm_whose_recording_failed_then_crash_is_sent_once(
    club: Club, settings: Settings
) -> None:
    message = await promoted_ben(club)
    refuse_writes_after_post(club)
    await club.alice.click(message, label="Can't")
    await club.env.advance_time(10)

    await restart(club, settings, crash=True)
    await club.env.advance_time(60)

    [dm] = dms(club.ben)
    assert await rows(club, "promotion") == [("sent", dm.id, None)]


async def test_a_channel_promotion_whose_recording_failed_is_posted_once(club: Club) -> None:
    message = await promoted_ben(club)
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50007, times=1)
    # The DM is refused (50007) and consumes no seam count; the channel post is the first POST
    # Discord accepts.
    heal = refuse_writes_after_post(club)
    await club.alice.click(message, label="Can't")
    await heal()
    before = len(bot_posts(club))

    await club.env.advance_time(5 * 60)

    assert len(bot_posts(club)) == before
    assert dms(club.ben) == []
    [(status, message_id, _)] = await rows(club, "promotion")
    assert status == "sent"
    assert message_id in {m.id for m in bot_posts(club)}


# -- big groups: the continuation messages -------------------------------------------------------


async def big_group(club: Club, count: int) -> list[Any]:
    await create(club, capacity=1000)
    members = [club.guild.add_member(club.env.create_user(f"runner{n}")) for n in range(count)]
    for member in members:
        await club.bot.services.rsvps.respond(
            club.guild.id, 1, member.id, member.name, Response.GOING, "command"
        )
    return members


def pinged(club: Club) -> list[int]:
    return [
        user.id
        for m in bot_posts(club)
        if "is cancelled" in (m.content or "") or (m.content or "").startswith("(continued")
        for user in m.mentions
    ]


async def test_a_continuation_whose_recording_failed_is_posted_once(club: Club) -> None:
    members = await big_group(club, 120)
    heal = refuse_writes_after_post(club, nth=2)  # the notice records; its continuation doesn't
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    await club.env.advance_time(1)
    await heal()

    await club.env.advance_time(5 * 60)

    everyone = pinged(club)
    assert sorted(everyone) == sorted(m.id for m in members)
    assert {row[0] for row in await rows(club, "mentions")} == {"sent"}


async def test_an_adopted_big_notice_still_pings_everyone_once(club: Club) -> None:
    members = await big_group(club, 120)
    heal = refuse_writes_after_post(club)  # the first message of the notice isn't recorded
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    await heal()

    await club.env.advance_time(5 * 60)

    everyone = pinged(club)
    assert sorted(everyone) == sorted(m.id for m in members)
    assert len(containing(club, "is cancelled")) == 1
    assert [row[0] for row in await rows(club, "cancel_notice")] == ["sent"]
    assert {row[0] for row in await rows(club, "mentions")} == {"sent"}


async def test_an_adopted_big_notice_after_a_crash_still_pings_everyone_once(
    club: Club, settings: Settings
) -> None:
    members = await big_group(club, 120)
    refuse_writes_after_post(club)
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    # (SimCord spins settling a crashed bot whose editor is inside its 5 s window: let it end.)
    await club.env.advance_time(10)

    await restart(club, settings, crash=True)
    await club.env.advance_time(60)

    everyone = pinged(club)
    assert sorted(everyone) == sorted(m.id for m in members)
    assert len(containing(club, "is cancelled")) == 1


# -- notices checked against the current state ---------------------------------------------------


async def test_two_quick_time_changes_then_a_cancel_tell_members_once_each_in_order(
    club: Club,
) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:00")
    await club.organizer.slash(club.channel, "session edit", session="1", time="19:30")
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    await club.env.advance_time(2 * 3600)

    [moved] = containing(club, "has moved")
    assert f"<t:{int(TUESDAY.timestamp())}:F>" in moved.content
    assert f"<t:{int((TUESDAY + timedelta(hours=1)).timestamp())}:F>" in moved.content
    [cancelled] = containing(club, "is cancelled")
    posts = bot_posts(club)
    assert posts.index(moved) < posts.index(cancelled)
    assert [row[0] for row in await rows(club, "time_change")] == ["superseded", "sent"]
    assert [row[0] for row in await rows(club, "cancel_notice")] == ["sent"]


async def test_a_promotion_retried_after_no_then_yes_is_dropped_when_waitlisted(
    club: Club,
) -> None:
    message = await promoted_ben(club)
    carol = club.guild.add_member(club.env.create_user("carol"))
    await carol.click(message, label="Going")  # second on the waitlist
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.alice.click(message, label="Can't")  # Ben promoted; his DM fails once
    await club.ben.click(message, label="Can't")  # Carol moves up
    await club.ben.click(message, label="Going")  # Ben back, now waitlisted

    await club.env.advance_time(10 * 60)

    assert dms(club.ben) == []
    assert len(dms(carol)) == 1
    ben_row, carol_row = await rows(club, "promotion")
    assert ben_row[0] == "skipped"
    assert carol_row[:2] == ("sent", dms(carol)[0].id)


# -- the database file replaced under the running bot --------------------------------------------


@pytest.mark.sqlite_only  # a SQLite file deleted or replaced
async def test_the_database_replaced_under_the_bot_stops_it(club: Club, settings: Settings) -> None:
    message = await create(club)
    copy = settings.database_path.with_name("other.db")
    shutil.copyfile(settings.database_path, copy)
    os.replace(copy, settings.database_path)  # same name, another file

    result = await club.alice.click(message, label="Going")

    assert result.response.content == STORAGE_TROUBLE
    await club.env.advance_time(2 * 86400)
    assert [m.id for m in bot_posts(club) if not m.flags.ephemeral] == [message.id]
    assert club.bot.is_closed()
    club.env.errors.clear()


# -- the layer check ------------------------------------------------------------------------------


def layered_tree(root: Path) -> None:
    for folder in ("bot/domain/sub", "bot/services", "bot/ui", "bot/outbox"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name in ("kinds.py", "views.py", "service.py", "publisher.py"):
        (root / "bot/outbox" / name).write_text("")


@pytest.mark.parametrize(
    ("where", "source"),
    [
        ("bot/domain/a.py", "import discord as d\n"),
        ("bot/domain/a.py", "from bot import db\n"),
        ("bot/domain/a.py", "def f():\n    import aiosqlite\n"),
        ("bot/domain/a.py", "from .. import clock\n"),
        ("bot/domain/a.py", "from ..db.sessions_repo import SessionRow\n"),
        ("bot/domain/sub/b.py", "from ...services import rsvps\n"),
        ("bot/ui/a.py", "from ..db import database\n"),
        ("bot/ui/a.py", "from .. import db as storage\n"),
        ("bot/services/a.py", "import importlib\nd = importlib.import_module('discord')\n"),
        ("bot/services/a.py", "ext = __import__('discord.ext')\n"),
        ("bot/outbox/kinds.py", "from . import service\nfrom ..clock import Clock\n"),
    ],
)
def test_the_layer_check_catches_every_spelling_of_an_import(
    tmp_path: Path, where: str, source: str
) -> None:
    layered_tree(tmp_path)
    (tmp_path / where).write_text(source)
    assert [line.split(":")[0] for line in violations(tmp_path)][:1] == [where]


def test_the_layer_check_allows_relative_imports_within_a_layer(tmp_path: Path) -> None:
    layered_tree(tmp_path)
    (tmp_path / "bot/domain/a.py").write_text("from . import pace\nfrom .sub import b\n")
    (tmp_path / "bot/services/a.py").write_text("from ..domain import pace\n")
    assert violations(tmp_path) == []


# -- edits failing with other statuses ------------------------------------------------------------


def patches(club: Club) -> int:
    return sum(1 for r in club.env.http_requests if r.method == "PATCH" and "/messages/" in r.path)


async def test_an_edit_refused_for_permission_backs_off_then_is_recorded(club: Club) -> None:
    message = await create(club)
    club.env.inject_error("PATCH", "/channels/*/messages/*", status=403, code=50013, times=None)

    await club.alice.click(message, label="Going")
    await club.env.advance_time(3600)

    assert patches(club) <= 7
    [(status, _, error)] = await rows(club, "announcement_edit")
    assert status == "failed"
    assert "missing permission" in error
    assert await club.bot.db.fetch_one("SELECT state FROM rsvps") is not None


async def test_an_edit_of_a_deleted_message_stops_editing_and_reminders_still_go(
    club: Club,
) -> None:
    message = await create(club)
    club.env.inject_error("PATCH", "/channels/*/messages/*", status=404, code=10008, times=None)

    await club.alice.click(message, label="Going")
    await club.env.advance_time(60)
    tried = patches(club)
    await club.ben.click(message, label="Going")  # (the message still answers in SimCord)
    await until(club, TUESDAY - timedelta(minutes=30))

    assert tried == 1
    assert patches(club) == 1  # forgotten: never edited again
    assert await rows(club, "announcement_edit") == []
    assert [row[0] for row in await rows(club, "reminder")] == ["sent", "sent"]
    assert len(containing(club, "Reminder")) == 2


# -- access lost and given back --------------------------------------------------------------------


async def test_permission_lost_then_back_mid_series_posts_each_week_once(club: Club) -> None:
    await create(club, weeks=3)
    first = len(bot_posts(club))
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, times=None)
    await club.env.advance_time(7 * 86400)  # week 1's reminders and week 2's posts refused
    club.env.backend.faults.clear()
    await club.env.advance_time(21 * 86400)

    for kind in ("announcement", "reminder"):
        found = await rows(club, kind)
        posted = [row[1] for row in found if row[0] == "sent"]
        assert len(posted) == len(set(posted))
    ids = [m.id for m in bot_posts(club)]
    assert len(ids) == len(set(ids))
    assert len(announcements(club)) == 3  # one per week, none twice
    assert first >= 1


async def test_a_deleted_channel_then_a_new_one_posts_the_announcement_once_there(
    club: Club,
) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel, "session create", title="Tempo", date="2026-01-27", time="18:30",
        location="Park",
    )  # fmt: skip
    assert announcements(club) == []  # not due yet
    club.env.backend.delete_channel(club.channel.id)
    club.channel = club.guild.create_text_channel("new-sessions")
    await until(club, datetime(2026, 1, 22, tzinfo=UTC))  # its first try: 404
    await set_channel(club)
    await club.env.advance_time(60)

    assert len(announcements(club)) == 1
    # The old plan's row is superseded (once or, if the background re-plan and the row falling
    # due cross, twice: which comes first is up to timing); one row is sent, in the new channel.
    *old, sent = await rows(club, "announcement")
    assert old
    assert set(old) == {("superseded", None, "server settings changed")}
    assert sent == ("sent", announcements(club)[0].id, None)


# -- backup onto the live database, spelled differently -------------------------------------------


@pytest.mark.parametrize(
    "spell",
    ["symlink", "symlink-to-wal", "relative", "dotdot", "relative-database-path", "hardlink"],
)
@pytest.mark.sqlite_only  # a SQLite file deleted or replaced
def test_backup_onto_the_live_database_by_another_name_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spell: str,
) -> None:
    path = tmp_path / "pacer.db"
    make_database(path)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.setenv("DATABASE_PATH", str(path))
    if spell == "symlink":
        target = str(tmp_path / "link.db")
        os.symlink(path, target)
    elif spell == "symlink-to-wal":
        target = str(tmp_path / "link-wal")
        os.symlink(tmp_path / "pacer.db-wal", target)  # dangling until the bot writes
    elif spell == "relative":
        monkeypatch.chdir(tmp_path)
        target = "pacer.db"
    elif spell == "dotdot":
        target = "../sub/../pacer.db"
    elif spell == "relative-database-path":
        monkeypatch.setenv("DATABASE_PATH", "../pacer.db")
        target = str(path)
    else:
        target = str(tmp_path / "hard.db")
        os.link(path, target)
    before = path.read_bytes()

    assert main(["backup", target]) == 2

    assert "is the live database" in capsys.readouterr().err
    assert path.read_bytes() == before


# -- a crash between claim and send, for each kind ------------------------------------------------


async def crash_while_claimed(club: Club, settings: Settings, kind: str) -> None:
    """As if the process died after claiming ``kind`` and before Discord saw it."""
    async with club.bot.db.transaction() as conn:
        await conn.execute(
            "UPDATE deliveries SET status = 'claimed', lease_until = ? WHERE kind = ?",
            ((club.env.now() + timedelta(minutes=2)).isoformat(), kind),
        )
    await restart(club, settings, crash=True)
    await club.env.advance_time(1)


async def test_a_reminder_claimed_when_the_process_died_is_sent_once(
    club: Club, settings: Settings
) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    await until(club, TUESDAY - timedelta(hours=24, seconds=10))
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.env.advance_time(20)
    assert containing(club, "Reminder") == []

    await crash_while_claimed(club, settings, "reminder")

    [reminder] = containing(club, "Reminder")
    assert (await rows(club, "reminder"))[0][:2] == ("sent", reminder.id)


async def test_a_promotion_claimed_when_the_process_died_is_sent_once(
    club: Club, settings: Settings
) -> None:
    message = await promoted_ben(club)
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.alice.click(message, label="Can't")
    await club.env.advance_time(10)
    assert dms(club.ben) == []

    await crash_while_claimed(club, settings, "promotion")
    await club.env.advance_time(3600)

    [dm] = dms(club.ben)
    assert await rows(club, "promotion") == [("sent", dm.id, None)]


async def test_a_cancel_notice_claimed_when_the_process_died_is_sent_once(
    club: Club, settings: Settings
) -> None:
    message = await create(club)
    await club.alice.click(message, label="Going")
    club.env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await club.organizer.slash(club.channel, "session cancel", session="1", reason="Storm")
    await club.env.advance_time(10)

    await crash_while_claimed(club, settings, "cancel_notice")
    await club.env.advance_time(3600)

    [notice] = containing(club, "is cancelled")
    assert await rows(club, "cancel_notice") == [("sent", notice.id, None)]
