"""python -m bot doctor: its checks run against SimCord's Discord over REST, like the real one."""

from __future__ import annotations

from typing import Any

import discord

from bot import clock
from bot.__main__ import main
from bot.db.guilds_repo import GuildsRepo
from bot.db.sessions_repo import SessionsRepo
from bot.doctor import Finding, diagnose
from tests.conftest import Club, make_admin


async def _diagnose(env: Any, *, expected: set[str] | None = None) -> list[Finding]:
    bot = env.bot
    names = expected if expected is not None else {c.name for c in bot.tree.get_commands()}
    return await diagnose(
        bot,
        GuildsRepo(bot.db),
        SessionsRepo(bot.db),
        expected_commands=names,
        dev_guild_id=None,
        default_timezone="America/New_York",
        now=clock.now(),
    )


def _problems(findings: list[Finding]) -> list[str]:
    return [f.text for f in findings if not f.ok]


async def test_a_fresh_server_is_told_to_set_channel_and_time_zone(club: Club) -> None:
    problems = _problems(await _diagnose(club.env))
    assert any("time zone not set" in p and "/setup timezone" in p for p in problems)
    assert any("no announcement channel" in p and "/setup channel" in p for p in problems)
    assert len(problems) == 2


async def test_a_set_up_server_with_every_permission_has_no_problem(club: Club) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    findings = await _diagnose(club.env)
    assert _problems(findings) == []
    assert any("#speed-sessions: every permission" in f.text for f in findings)


async def test_missing_channel_permissions_are_named(club: Club) -> None:
    admin = await make_admin(club)
    denied = discord.PermissionOverwrite(embed_links=False, add_reactions=False)
    locked = club.guild.create_text_channel("locked", overwrites={club.bot.user: denied})
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    await admin.slash(club.channel, "setup channel", channel=locked)
    problems = _problems(await _diagnose(club.env))
    assert len(problems) == 1
    assert "#locked" in problems[0]
    assert "Embed Links" in problems[0]
    assert "Add Reactions" in problems[0]


async def test_a_deleted_announcement_channel_is_reported(club: Club) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    # The channel /setup channel once picked, since deleted by a moderator: an id Discord no
    # longer knows.
    await GuildsRepo(club.bot.db).update(
        club.guild.id, clock.now(), announce_channel_id=club.channel.id + 999
    )
    problems = _problems(await _diagnose(club.env))
    assert any("no longer exists" in p for p in problems), problems


async def test_unpublished_commands_say_to_sync(club: Club) -> None:
    names = {c.name for c in club.bot.tree.get_commands()} | {"brand-new"}
    problems = _problems(await _diagnose(club.env, expected=names))
    assert any("/brand-new" in p and "python -m bot sync" in p for p in problems)


async def test_a_bot_in_no_server_gets_its_invite_link(simcord_env: Any) -> None:
    problems = _problems(await _diagnose(simcord_env))
    assert len(problems) == 1
    assert "in no server" in problems[0]
    assert "scope=bot+applications.commands" in problems[0]
    assert "permissions=318096133184" in problems[0]
    await simcord_env.bot.close()


def test_doctor_without_a_token_says_how_to_configure_it(
    monkeypatch: Any, tmp_path: Any, capsys: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["doctor"]) == 2
    assert "No DISCORD_TOKEN" in capsys.readouterr().err


async def test_a_channel_where_pacer_may_not_send_names_that_one_cause(club: Club) -> None:
    admin = await make_admin(club)
    # Members may only read #news; Embed Links and Attach Files are not touched.
    denied = discord.PermissionOverwrite(send_messages=False)
    news = club.guild.create_text_channel("news", overwrites={club.guild.default_role: denied})
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    await admin.slash(club.channel, "setup channel", channel=news)
    problems = _problems(await _diagnose(club.env))
    assert len(problems) == 1
    assert "#news: Pacer is missing Send Messages (" in problems[0]
    assert "missing Send Messages, Embed Links" not in problems[0]


async def test_a_channel_hidden_from_pacer_says_to_give_view_channel(club: Club) -> None:
    admin = await make_admin(club)
    hidden = discord.PermissionOverwrite(view_channel=False)
    staff = club.guild.create_text_channel("staff", overwrites={club.guild.default_role: hidden})
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    await GuildsRepo(club.bot.db).update(club.guild.id, clock.now(), announce_channel_id=staff.id)
    problems = _problems(await _diagnose(club.env))
    assert len(problems) == 1
    assert "can't see it. Give it View Channel" in problems[0]


async def test_a_dev_guild_pacer_is_not_in_is_reported_not_a_crash(club: Club) -> None:
    # Real Discord refuses to list a server's commands to a bot that is not in it (403, 50001);
    # SimCord answers with an empty list, so the refusal is injected as Discord gives it.
    club.env.inject_error(
        "GET", "/applications/*/guilds/*/commands", status=403, code=50001, times=1
    )
    bot = club.bot
    findings = await diagnose(
        bot,
        GuildsRepo(bot.db),
        SessionsRepo(bot.db),
        expected_commands={c.name for c in bot.tree.get_commands()},
        dev_guild_id=123456789012345678,
        default_timezone="UTC",
        now=clock.now(),
    )
    problems = _problems(findings)
    assert any("refused to list the commands" in p for p in problems), problems
    assert any("DEV_GUILD_ID 123456789012345678 is not a server" in p for p in problems)
    assert any("no announcement channel" in p for p in problems)  # the rest still checked
