"""Trying to break published pace groups as a newcomer would: odd options, sequences the other
tests don't take (cancel, edit, waitlist, forget, two servers, crash), and the Discord limits of
the announcement once many runners are in groups."""

from __future__ import annotations

from typing import Any

import discord

from bot.settings import Settings
from tests.cogs.test_groups_published import (
    announcement,
    groups_field,
    labels,
    placements,
    publish,
    settle,
    setup_session,
)
from tests.conftest import Club, make_admin, only_user_errors, restart, set_channel


def embed_size(embed: discord.Embed) -> int:
    total = len(embed.title or "") + len(embed.description or "")
    total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
    total += len(embed.footer.text or "") if embed.footer else 0
    total += len(embed.author.name or "") if embed.author else 0
    return total


async def test_both_groups_and_spread_is_refused_privately_and_publishes_nothing(
    club: Club,
) -> None:
    await setup_session(club)
    both = await club.organizer.slash(
        club.channel, "session groups", session="1", groups=2, spread=10, publish=True
    )
    assert both.ephemeral
    assert both.response.content.startswith("groups, spread:")
    assert "groups: 3" in both.response.content
    assert await club.bot.db.fetch_all("SELECT * FROM group_publications") == []
    only_user_errors(club, 1)


async def test_more_groups_than_runners_and_a_one_second_spread(club: Club) -> None:
    await setup_session(club)
    many = await club.organizer.slash(club.channel, "session groups", session="1", groups=10)
    assert many.ephemeral
    # Three runners: at most three groups, nobody lost.
    text = many.response.embeds[0].description or ""
    assert "Group 4" not in str([f.name for f in many.response.embeds[0].fields]) + text
    await publish(club, spread=1)
    assert sorted(n for n, _ in (await placements(club)).values()) == [1, 2, 3]
    assert len(groups_field(club).splitlines()) == 3


async def test_a_session_without_a_workout_is_refused_with_how_to_add_one(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Easy run",
        date="2026-01-06",
        time="18:30",
        location="Park",
    )
    await club.alice.slash(club.channel, "profile set", race="5K", time="20:00")
    await club.alice.click(announcement(club), label="Going")
    refused = await club.organizer.slash(club.channel, "session groups", session="1", publish=True)
    assert refused.ephemeral
    assert "workout" in refused.response.content
    assert "/session edit" in refused.response.content
    assert await club.bot.db.fetch_all("SELECT * FROM group_publications") == []
    only_user_errors(club, 1)


async def test_cancelling_a_session_with_published_groups(club: Club) -> None:
    await setup_session(club)
    await publish(club)
    before = await placements(club)
    cancelled = await club.organizer.slash(club.channel, "session cancel", session="1")
    assert cancelled.ephemeral
    await settle(club)
    # The cancelled announcement offers no Groups button and no moves are accepted.
    assert "Groups" not in [lab for row in labels(announcement(club)) for lab in row]
    move = await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=club.ben.user, group=2
    )
    assert move.ephemeral
    assert move.response.content.startswith("session: Speed session was cancelled")
    lead = await club.organizer.slash(
        club.channel, "session groups-leader", session="1", member=club.ben.user, group=1
    )
    assert lead.response.content.startswith("session: Speed session was cancelled")
    assert await placements(club) == before
    assert await club.bot.db.fetch_all("SELECT * FROM group_leaders") == []
    only_user_errors(club, 2)


async def test_a_workout_change_retimes_the_groups_targets(club: Club) -> None:
    await setup_session(club)
    await publish(club)
    before = await club.ben.click(announcement(club), label="Groups")
    targets = {f.name: f.value for f in before.response.embeds[0].fields}
    assert "800 m" in targets["The group's targets"]
    await club.organizer.slash(
        club.channel, "session edit", session="1", workout="5x1000 @ I w/ 400 jog"
    )
    await settle(club)
    after = await club.ben.click(announcement(club), label="Groups")
    targets = {f.name: f.value for f in after.response.embeds[0].fields}
    assert "1000 m" in targets["The group's targets"] or "1 km" in targets["The group's targets"]
    assert groups_field(club) is not None


async def test_a_waitlisted_runner_promoted_into_a_published_session_is_placed(
    club: Club,
) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-06",
        time="18:30",
        location="Track",
        workout="6x800 @ I w/ 400 jog",
        capacity=2,
    )
    carol = club.guild.add_member(club.env.create_user("carol"))
    for member, time in ((club.alice, "18:00"), (club.ben, "18:20"), (carol, "18:10")):
        await member.slash(club.channel, "profile set", race="5K", time=time)
        await member.click(announcement(club), label="Going")
    await publish(club)
    assert carol.id not in await placements(club)
    assert "carol" not in groups_field(club)
    await club.ben.click(announcement(club), label="Can't")
    await settle(club)
    assert "carol" in groups_field(club)
    assert "ben" not in groups_field(club)
    mine = await carol.click(announcement(club), label="Groups")
    assert "You're in **Group" in mine.response.embeds[0].description


async def test_forgetting_a_leader_takes_them_off_the_groups(club: Club) -> None:
    await setup_session(club)
    await publish(club)
    await club.organizer.slash(
        club.channel, "session groups-leader", session="1", group=1, member=club.alice.user
    )
    admin = await make_admin(club)
    forgot = await admin.slash(club.channel, "attendance forget", member=club.alice.user)
    assert forgot.ephemeral
    await settle(club)
    assert "alice" not in groups_field(club)
    assert (
        await club.bot.db.fetch_all(
            "SELECT * FROM group_leaders WHERE user_id = ?", (club.alice.id,)
        )
        == []
    )
    assert club.alice.id not in await placements(club)


async def test_another_servers_organizer_cannot_touch_these_groups(club: Club) -> None:
    await setup_session(club)
    await publish(club)
    other = club.env.create_guild("Other Club")
    channel = other.create_text_channel("general")
    role = other.create_role("Organizer", permissions=discord.Permissions(manage_events=True))
    stranger = other.add_member(club.env.create_user("stranger"), roles=[role])
    before = await placements(club)
    for command, options in (
        ("session groups", {"publish": True}),
        ("session groups-move", {"member": club.ben.user, "group": 2}),
        ("session groups-leader", {"member": club.ben.user, "group": 1}),
        ("session groups-unpublish", {}),
    ):
        refused = await stranger.slash(channel, command, session="1", **options)
        assert refused.ephemeral
        assert refused.response.content.startswith("session: I can't find a session '1'")
    assert await placements(club) == before
    assert groups_field(club) is not None
    only_user_errors(club, 4)


async def test_moving_a_runner_to_a_new_group_then_back_leaves_no_hole(club: Club) -> None:
    await setup_session(club)
    await publish(club)
    await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=club.ben.user, group=3
    )
    await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=club.ben.user, group=1
    )
    await settle(club)
    assert groups_field(club).splitlines() == ["**Group 1**: alice, ben", "**Group 2**: carol"]
    again = await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=club.ben.user, group=5
    )
    assert again.ephemeral
    assert again.response.content.startswith("group:")
    only_user_errors(club, 1)


async def test_a_crash_right_after_publishing_keeps_the_groups(
    club: Club, settings: Settings
) -> None:
    """The old process dies with the announcement's edit still pending: its edit loop, cancelled
    with it, must stay down (it used to restart itself forever and hang the event loop)."""
    await setup_session(club)
    await club.organizer.slash(club.channel, "session groups", session="1", publish=True)
    await restart(club, settings, crash=True)
    await club.env.advance_time(5)
    assert groups_field(club) is not None
    assert "Groups" in labels(announcement(club))[0]
    assert len(await placements(club)) == 3


async def test_many_runners_with_long_names_keep_the_announcement_within_discords_limits(
    club: Club,
) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session " + "x" * 70,
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track " + "y" * 60,
        workout="6x800 @ I w/ 400 jog",
    )
    runners: list[Any] = []
    for i in range(30):
        member = club.guild.add_member(club.env.create_user(f"runner{i:02d}" + "z" * 22))
        if i % 3:
            await member.slash(
                club.channel, "profile set", race="5K", time=f"{16 + i // 4}:{(i * 7) % 60:02d}"
            )
            await member.slash(club.channel, "profile public-pace", public=True)
        await member.click(announcement(club), label="Going")
        runners.append(member)
    await publish(club, spread=3)
    embed = announcement(club).embeds[0]
    assert embed_size(embed) <= 6000
    for field in embed.fields:
        assert len(field.value or "") <= 1024
    assert groups_field(club) is not None
    assert club.env.errors == []
