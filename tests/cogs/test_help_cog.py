"""/help and the welcome message when Pacer joins a server, driven through SimCord."""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest

from bot import clock
from bot.db.guilds_repo import GuildsRepo
from bot.ui.help import ORGANIZER_COMMANDS
from cogs.help import command_lines
from tests.conftest import Club, embed_text, make_admin


async def test_help_is_private_and_lists_every_command(club: Club) -> None:
    res = await club.alice.slash(club.channel, "help")
    assert res.ephemeral
    text = embed_text(res.response.embeds[0])
    for command in club.bot.tree.walk_commands():
        if isinstance(command, discord.app_commands.Command):
            assert f"/{command.qualified_name}`" in text, command.qualified_name
    assert "For every member" in text
    assert "For organizers" in text
    assert "Setting up" not in text  # a runner needs no setup steps


async def test_help_for_an_organizer_adds_the_setup_steps(club: Club) -> None:
    res = await club.organizer.slash(club.channel, "help")
    text = embed_text(res.response.embeds[0])
    assert "Setting up" in text
    assert "/setup channel" in text


async def test_help_groups_organizer_commands_apart(club: Club) -> None:
    res = await club.alice.slash(club.channel, "help")
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    member = "\n".join(v for k, v in fields.items() if k.startswith("For every member"))
    organizer = "\n".join(v for k, v in fields.items() if k.startswith("For organizers"))
    assert "/session create`" in organizer
    assert "/session create`" not in member
    assert "/rsvp`" in member
    assert all(f"/{name}`" not in member for name in ORGANIZER_COMMANDS)


async def test_setup_show_points_out_what_is_missing(club: Club) -> None:
    admin = await make_admin(club)
    res = await admin.slash(club.channel, "setup show")
    todo = {f.name: f.value for f in res.response.embeds[0].fields}["Still to do"]
    assert "/setup channel" in todo
    assert "/setup timezone" in todo
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    role = club.guild.create_role("Coaches")
    await admin.slash(club.channel, "setup organizer-role", role=role)
    res = await admin.slash(club.channel, "setup show")
    assert "Still to do" not in {f.name for f in res.response.embeds[0].fields}


def _dm_texts(user: Any) -> list[str]:
    channel = user.dm_channel
    if channel is None:
        return []
    return [m.content for m in channel.history(viewer=user)]


async def _join(env: Any, guild: Any) -> Any:
    """Pacer is added to ``guild``.

    Real Discord announces a join with a GUILD_CREATE that has no ``unavailable`` key, which
    discord.py turns into ``on_guild_join``; SimCord always sends ``unavailable: false`` (read as a
    guild coming back online), so the test dispatches the join event discord.py would have.
    """
    cached = env.bot.get_guild(guild.id)
    env.bot.dispatch("guild_join", cached)
    await env.advance_time(1)
    return cached


async def test_joining_a_server_tells_the_owner_the_three_steps(simcord_env: Any) -> None:
    env = simcord_env
    owner = env.create_user("founder")
    guild = env.create_guild("Trail Club", owner=owner)
    await _join(env, guild)
    texts = _dm_texts(owner)
    assert len(texts) == 1
    assert "/setup channel" in texts[0]
    assert "/setup timezone" in texts[0]
    assert "/setup organizer-role" in texts[0]
    await env.bot.close()


async def test_joining_a_server_posts_in_its_system_channel(simcord_env: Any) -> None:
    env = simcord_env
    owner = env.create_user("founder")
    guild = env.create_guild("Trail Club", owner=owner)
    welcome = guild.create_text_channel("welcome")
    env.bot.get_guild(guild.id)._system_channel_id = welcome.id  # as GUILD_CREATE would carry it
    await _join(env, guild)
    posts = [m.content for m in welcome.history(viewer=owner)]
    assert len(posts) == 1
    assert "/setup timezone" in posts[0]
    assert _dm_texts(owner) == []
    await env.bot.close()


async def test_joining_without_a_writable_system_channel_falls_back_to_the_owner(
    simcord_env: Any,
) -> None:
    env = simcord_env
    owner = env.create_user("founder")
    guild = env.create_guild("Trail Club", owner=owner)
    welcome = guild.create_text_channel(
        "welcome",
        overwrites={guild.default_role: discord.PermissionOverwrite(send_messages=False)},
    )
    env.bot.get_guild(guild.id)._system_channel_id = welcome.id
    await _join(env, guild)
    assert [m.content for m in welcome.history(viewer=owner)] == []
    assert len(_dm_texts(owner)) == 1
    await env.bot.close()


async def test_help_in_a_dm_lists_only_what_works_there(club: Club) -> None:
    res = await club.alice.user.slash("help")  # in Alice's DM with Pacer
    assert res.ephemeral
    text = embed_text(res.response.embeds[0])
    lines = command_lines(club.bot)
    assert any(line.server_only for line in lines)
    for line in lines:
        listed = f"/{line.qualified_name}`:" in text
        assert listed != line.server_only, line.qualified_name
    fields = {f.name: f.value for f in res.response.embeds[0].fields}
    elsewhere = fields["In your club's server"]
    for group in ("session", "rsvp", "setup"):
        assert f"`/{group}`" in elsewhere
    assert "`/pace`" not in elsewhere
    # What /help lists in the DM is exactly what Discord offers there.
    offered = set(club.alice.user.available_commands())
    assert {line.qualified_name for line in lines if not line.server_only} == offered


async def test_help_in_a_server_lists_server_commands_without_the_dm_note(club: Club) -> None:
    res = await club.alice.slash(club.channel, "help")
    assert "In your club's server" not in {f.name for f in res.response.embeds[0].fields}


BOT_ADD = 28  # Discord's audit log action type for "added a bot"


def _added_by(env: Any, guild: Any, user: Any) -> None:
    """The audit log entry Discord writes when ``user`` adds Pacer to ``guild``."""
    env.backend.record_audit_log(guild.id, BOT_ADD, target_id=env.bot.user.id, user_id=user.id)


async def test_joining_tells_the_member_who_added_pacer(simcord_env: Any) -> None:
    env = simcord_env
    owner = env.create_user("founder")
    guild = env.create_guild("Trail Club", owner=owner)
    coach = env.create_user("coach")
    guild.add_member(coach)
    _added_by(env, guild, coach)
    await _join(env, guild)
    assert len(_dm_texts(coach)) == 1
    assert _dm_texts(owner) == []
    await env.bot.close()


async def test_joining_when_the_adder_has_dms_closed_tells_the_owner(simcord_env: Any) -> None:
    env = simcord_env
    owner = env.create_user("founder")
    guild = env.create_guild("Trail Club", owner=owner)
    coach = env.create_user("coach")
    guild.add_member(coach)
    _added_by(env, guild, coach)
    # The coach's DMs are closed: Discord answers 50007 to the first DM.
    env.inject_error("POST", "/channels/*/messages", status=403, code=50007, times=1)
    await _join(env, guild)
    assert _dm_texts(coach) == []
    assert len(_dm_texts(owner)) == 1
    await env.bot.close()


async def test_joining_when_no_one_can_be_told_asks_the_owner_once_and_logs_it(
    simcord_env: Any, caplog: pytest.LogCaptureFixture
) -> None:
    env = simcord_env
    owner = env.create_user("founder")
    guild = env.create_guild("Trail Club", owner=owner)
    _added_by(env, guild, owner)  # the owner added Pacer, and their DMs are closed
    env.inject_error("POST", "/channels/*/messages", status=403, code=50007, times=None)
    with caplog.at_level(logging.INFO, logger="cogs.help"):
        await _join(env, guild)
    attempts = [r for r in caplog.records if r.getMessage().startswith("Welcome DM to")]
    assert len(attempts) == 1
    assert any("could tell no one" in r.getMessage() for r in caplog.records)
    assert env.errors == []
    await env.bot.close()


async def test_joining_with_a_system_channel_pacer_cannot_see_falls_back_to_the_owner(
    simcord_env: Any,
) -> None:
    env = simcord_env
    owner = env.create_user("founder")
    guild = env.create_guild("Trail Club", owner=owner)
    welcome = guild.create_text_channel(
        "welcome", overwrites={env.bot.user: discord.PermissionOverwrite(view_channel=False)}
    )
    env.bot.get_guild(guild.id)._system_channel_id = welcome.id
    await _join(env, guild)
    assert [m.content for m in welcome.history(viewer=owner)] == []
    assert len(_dm_texts(owner)) == 1
    await env.bot.close()


async def test_setup_show_says_when_the_announcement_channel_was_deleted(club: Club) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    old = club.guild.create_text_channel("old-sessions")
    await admin.slash(club.channel, "setup channel", channel=old)
    club.env.backend.delete_channel(old.id)  # a moderator deletes it
    await club.env.advance_time(1)
    res = await admin.slash(club.channel, "setup show")
    todo = {f.name: f.value for f in res.response.embeds[0].fields}["Still to do"]
    assert "no longer exists" in todo
    assert "/setup channel" in todo


async def test_setup_show_names_the_permissions_pacer_lost_in_its_channel(club: Club) -> None:
    admin = await make_admin(club)
    await admin.slash(club.channel, "setup timezone", timezone="Europe/London")
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    role = club.guild.create_role("Coaches")
    await admin.slash(club.channel, "setup organizer-role", role=role)
    res = await admin.slash(club.channel, "setup show")
    assert "Still to do" not in {f.name for f in res.response.embeds[0].fields}
    # The channel it points at now denies Pacer Add Reactions (a moderator changed it).
    overwrites = {club.bot.user: discord.PermissionOverwrite(add_reactions=False)}
    locked = club.guild.create_text_channel("locked", overwrites=overwrites)
    await GuildsRepo(club.bot.db).update(club.guild.id, clock.now(), announce_channel_id=locked.id)
    res = await admin.slash(club.channel, "setup show")
    todo = {f.name: f.value for f in res.response.embeds[0].fields}["Still to do"]
    assert f"<#{locked.id}>: give it Add Reactions." in todo
