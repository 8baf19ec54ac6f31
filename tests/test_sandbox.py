"""The offline sandbox as a newcomer meets it: a clean terminal, Pacer in Run Club, DMs shown,
a member's mistake answered privately, and data kept only when asked for."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import discord
import pytest

from bot.logs import remove_logging, setup_logging
from bot.sandbox import BOT_NAME, CLUB_NAME, open_sandbox, run_sandbox
from bot.settings import Settings
from bot.tree import STORAGE_TROUBLE
from tests.conftest import embed_text

#: What a developer of a real-Discord bot sees at start-up; none of it belongs in the sandbox.
DEVELOPER_LINES = (
    "Editable installation",
    "Guilds intent seems to be disabled",
    "PyNaCl is not installed",
    "davey is not installed",
    "logging in using static token",
    "Synced ",
    "Applied database migration",
)
SETTINGS_ENV = (
    "DISCORD_TOKEN",
    "DATABASE_PATH",
    "DEV_GUILD_ID",
    "DEFAULT_TIMEZONE",
    "LOG_LEVEL",
    "SANDBOX_DATABASE_PATH",
)


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    yield Settings(database_path=tmp_path / "pacer.db")
    remove_logging()


def test_python_m_bot_sandbox_starts_and_quits_with_a_clean_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    result = subprocess.run(  # the command README gives, as a newcomer types it
        [sys.executable, "-m", "bot", "sandbox"],
        input="quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env
        env=env,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Pacer sandbox is running" in result.stdout
    assert "http://127.0.0.1:" in result.stdout
    assert result.stderr == ""  # not one log line: no warning, nothing about logging in
    for line in DEVELOPER_LINES:
        assert line not in result.stdout
    assert not (tmp_path / "data").exists()  # nothing kept unless asked for


def test_a_mistyped_fast_forward_says_how_to_write_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sandbox"],
        input="ff banana\nff -5m\nnow\nquit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "'ff banana': ff needs a positive amount and a unit" in result.stdout
    assert "'ff -5m': ff needs a positive amount and a unit" in result.stdout
    assert "like ff 30m" in result.stdout
    assert "Unknown command" not in result.stdout
    assert "Simulated time: 2026-01-01 00:00 UTC" in result.stdout  # nothing moved


async def test_start_up_logs_nothing_and_real_problems_still_show(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    setup_logging(logging.INFO)  # as `python -m bot` does before starting the sandbox
    caplog.set_level(logging.INFO)

    async with open_sandbox(settings):
        assert [r.getMessage() for r in caplog.records] == []
        logging.getLogger("discord.client").warning("Shard ID None heartbeat blocked")
        logging.getLogger("bot.db.database").error("database is locked")

    logging.getLogger("bot.app").info("Synced %d commands globally", 6)  # `run` keeps its logs
    assert [r.getMessage() for r in caplog.records] == [
        "Shard ID None heartbeat blocked",
        "database is locked",
        "Synced 6 commands globally",
    ]


async def test_the_page_shows_pacer_in_run_club(settings: Settings) -> None:
    async with open_sandbox(settings) as sandbox:
        assert sandbox.bot.user is not None
        assert sandbox.bot.user.name == BOT_NAME
        assert sandbox.guild.name == CLUB_NAME
        alice = sandbox.members["Alice"]
        await alice.slash(sandbox.channel, "drill routine")
        async with sandbox.env.preview(
            sandbox.channel, viewers=sandbox.viewers, layout="channel", port=0
        ) as preview:
            page = await preview.snapshot()

    assert [app["name"] for app in page["entities"]["applications"].values()] == ["Pacer"]
    assert page["channel"]["topic"].startswith("Run Club:")
    assert "TestBot" not in str(page)


async def test_a_dm_to_a_member_is_printed_in_the_terminal(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    async with open_sandbox(settings) as sandbox:
        coach, alice, ben = sandbox.members.values()
        await coach.slash(
            sandbox.channel,
            "session create",
            title="Speed session",
            date="2026-01-06",
            time="18:30",
            location="Cherokee HS track",
            capacity=1,
        )
        announcement = [m for m in sandbox.channel.history() if m.embeds][-1]
        await alice.click(announcement, label="Going")
        await ben.click(announcement, label="Going")  # waitlisted
        assert sandbox.dms.check() == []

        await alice.click(announcement, label="Can't")  # Ben gets the place, by DM

        reported = sandbox.dms.check()
        assert sandbox.dms.check() == []  # each DM is reported once
    assert len(reported) == 1
    assert reported[0].startswith("DM to Ben: ")
    assert "A place opened up" in reported[0]
    assert "Speed session" in reported[0]
    # Discord's <t:…> timestamps, links and bold, as a terminal can show them:
    assert "Tue 06 Jan 2026 18:30 (in 6 days)" in reported[0]
    assert "See the announcement" in reported[0]
    assert "http" not in reported[0]
    assert "**" not in reported[0]
    assert reported[0] in capsys.readouterr().out


async def test_a_members_mistake_is_a_private_reply_not_a_failed_action(
    settings: Settings,
) -> None:
    async with open_sandbox(settings) as sandbox:
        alice, coach = sandbox.members["Alice"], sandbox.members["Coach Marc"]

        mistake = await alice.slash(sandbox.channel, "pace zones", race="5K", time="banana")

        assert mistake.ephemeral
        assert "'banana' isn't a time" in mistake.response.content
        # The page marks an action failed when SimCord recorded an error during it.
        assert sandbox.env.errors == []

        # A fault that is not the member's doing still shows as a failure.
        await (await sandbox.bot.db.conn.execute("PRAGMA query_only = ON")).close()
        fault = await coach.slash(
            sandbox.channel,
            "session create",
            title="Hills",
            date="2026-01-08",
            time="18:30",
            location="Hill",
        )
        assert fault.response.content == STORAGE_TROUBLE
        assert len(sandbox.env.errors) == 1
        await (await sandbox.bot.db.conn.execute("PRAGMA query_only = OFF")).close()


async def profile_shown(sandbox_settings: Settings) -> discord.Message:
    async with open_sandbox(sandbox_settings) as sandbox:
        result = await sandbox.members["Alice"].slash(sandbox.channel, "profile show")
        response: discord.Message = result.response
        return response


async def save_profile(sandbox_settings: Settings) -> tuple[int, int, int]:
    async with open_sandbox(sandbox_settings) as sandbox:
        alice = sandbox.members["Alice"]
        await alice.slash(sandbox.channel, "profile set", race="5K", time="22:30")
        return sandbox.guild.id, sandbox.channel.id, alice.id


async def test_the_sandbox_starts_fresh_each_time(settings: Settings) -> None:
    await save_profile(settings)

    shown = await profile_shown(settings)

    assert "haven't saved a race" in (shown.content or "")
    assert not settings.database_path.exists()


async def test_sandbox_database_path_keeps_the_data(settings: Settings, tmp_path: Path) -> None:
    kept = settings.model_copy(update={"sandbox_database_path": tmp_path / "sandbox.db"})
    first_ids = await save_profile(kept)

    async with open_sandbox(kept) as sandbox:  # the same server, so the data still matches it
        assert (sandbox.guild.id, sandbox.channel.id, sandbox.members["Alice"].id) == first_ids
    shown = await profile_shown(kept)

    assert "5K in 22:30" in embed_text(shown.embeds[0])
    assert (tmp_path / "sandbox.db").exists()
    assert not settings.database_path.exists()  # the real bot's database is never touched


async def test_the_sandbox_refuses_the_real_bots_database(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    same = settings.model_copy(update={"sandbox_database_path": settings.database_path})

    assert await run_sandbox(same, interactive=False) == 2

    err = capsys.readouterr().err
    assert "SANDBOX_DATABASE_PATH is the real bot's database" in err
    assert not settings.database_path.exists()


async def test_a_dm_with_several_lines_an_embed_and_a_file_is_printed_whole(
    settings: Settings,
) -> None:
    async with open_sandbox(settings) as sandbox:
        alice = sandbox.members["Alice"]
        user = await sandbox.bot.fetch_user(alice.id)
        await user.send(
            "Your watch file is ready.\nLoad it before Tuesday.",
            embed=discord.Embed(title="6x800 @ I"),
            file=discord.File(io.BytesIO(b"<workout/>"), filename="6x800.fit"),
        )
        await sandbox.env.settle()

        reported = sandbox.dms.check()

    assert reported == [
        "DM to Alice: Your watch file is ready.\n"
        "  Load it before Tuesday.\n"
        "  [embed] 6x800 @ I\n"
        "  [file] 6x800.fit"
    ]


async def test_the_sandbox_serves_calendar_feeds_on_127_0_0_1(tmp_path: Path) -> None:
    import aiohttp
    from icalendar import Calendar

    feed_settings = Settings(database_path=tmp_path / "pacer.db", http_port=0)
    async with open_sandbox(feed_settings) as sandbox:
        alice = sandbox.members["Alice"]
        result = await alice.slash(sandbox.channel, "calendar")
        assert result.ephemeral
        urls = [p.strip("<>.") for p in result.response.content.split() if "http" in p]
        assert all(url.startswith("http://127.0.0.1:") for url in urls)
        async with aiohttp.ClientSession() as http, http.get(urls[0]) as response:
            assert response.status == 200
            calendar = Calendar.from_ical(await response.read())
    assert calendar["X-WR-CALNAME"] == "Pacer sessions"
