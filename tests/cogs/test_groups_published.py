"""Published pace groups as organizers and members use them, through SimCord: publishing, live
updates as answers change, moves, leaders, unpublishing, restarts, the public-pace opt-in, the
one-time note to members without a profile, the Groups button and the permission refusals."""

from __future__ import annotations

from typing import Any

import discord

from bot.settings import Settings
from tests.conftest import Club, bot_posts, only_user_errors, restart, set_channel


async def setup_session(club: Club) -> tuple[Any, Any]:
    """Alice (18:00 5K) and Ben (18:20) close together, Carol (25:00) far slower, Dave with no
    profile; Alice, Ben and Carol going; announced at once."""
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
        workout="6x800 @ I w/ 400 jog",
    )
    carol = club.guild.add_member(club.env.create_user("carol"))
    dave = club.guild.add_member(club.env.create_user("dave"))
    for member, time in ((club.alice, "18:00"), (club.ben, "18:20"), (carol, "25:00")):
        await member.slash(club.channel, "profile set", race="5K", time=time)
    for member in (club.alice, club.ben, carol):
        await member.click(announcement(club), label="Going")
    return carol, dave


def announcement(club: Club) -> discord.Message:
    return next(
        m
        for m in bot_posts(club)
        if m.embeds and (m.embeds[0].footer.text or "").startswith("Session #1")
    )


def groups_field(club: Club) -> str | None:
    fields = {f.name: f.value for f in announcement(club).embeds[0].fields}
    return fields.get("Pace groups")


def labels(message: discord.Message) -> list[list[str]]:
    return [
        [str(c.label) for c in row.children if isinstance(c, discord.Button)]
        for row in message.components
    ]


async def settle(club: Club) -> None:
    await club.env.advance_time(6)


async def placements(club: Club) -> dict[int, tuple[int, int | None]]:
    rows = await club.bot.db.fetch_all(
        "SELECT user_id, group_no, moved_by FROM group_members WHERE session_id = 1"
    )
    return {int(r[0]): (int(r[1]), r[2]) for r in rows}


def dms(member: Any) -> list[str]:
    channel = member.user.dm_channel
    if channel is None:
        return []
    return [m.content for m in channel.history(viewer=member) if m.author.bot]


async def publish(club: Club, **options: Any) -> Any:
    result = await club.organizer.slash(
        club.channel, "session groups", session="1", publish=True, **options
    )
    await settle(club)
    return result


async def test_publishing_shows_names_only_on_the_announcement_with_a_groups_button(
    club: Club,
) -> None:
    carol, _ = await setup_session(club)
    assert groups_field(club) is None
    # The session has a workout, so "Groups" is there before publishing (organizers preview).
    assert labels(announcement(club))[0] == ["Going", "Maybe", "Can't", "Groups"]

    result = await publish(club)

    assert result.ephemeral
    assert "Published on the announcement" in result.response.embeds[0].description
    text = groups_field(club)
    assert text is not None
    assert text.splitlines() == ["**Group 1**: alice, ben", "**Group 2**: carol"]
    # Nobody opted in: no pace, no VDOT anywhere in public.
    assert "/km" not in text
    assert "VDOT" not in text
    assert labels(announcement(club)) == [
        ["Going", "Maybe", "Can't", "Groups"],
        # "I'm here" joins this row when check-in opens.
        ["DM reminders", "My paces", "Add to calendar", "Send to watch"],
    ]
    assert await placements(club) == {
        club.alice.id: (1, None),
        club.ben.id: (1, None),
        carol.id: (2, None),
    }


async def test_groups_follow_answers_and_keep_an_organizers_move(club: Club) -> None:
    _, dave = await setup_session(club)
    await publish(club)
    moved = await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=club.ben.user, group=2
    )
    assert moved.ephemeral
    assert f"Moved <@{club.ben.id}> to Group 2 of Speed session (was Group 1)" in (
        moved.response.content
    )
    await settle(club)
    assert groups_field(club).splitlines() == ["**Group 1**: alice", "**Group 2**: ben, carol"]

    # A newcomer close to Alice joins her group; Ben stays where the organizer put him.
    erin = club.guild.add_member(club.env.create_user("erin"))
    await erin.slash(club.channel, "profile set", race="5K", time="18:05")
    await erin.click(announcement(club), label="Going")
    await settle(club)
    assert groups_field(club).splitlines() == [
        "**Group 1**: alice, erin",
        "**Group 2**: ben, carol",
    ]
    # Alice drops out: she is simply not shown; Dave (no profile) is listed apart.
    await club.alice.click(announcement(club), label="Can't")
    await dave.click(announcement(club), label="Going")
    await settle(club)
    assert groups_field(club).splitlines() == [
        "**Group 1**: erin",
        "**Group 2**: ben, carol",
        "No profile (/profile set to be placed): dave",
    ]
    assert (await placements(club))[club.ben.id] == (2, club.organizer.id)


async def test_a_far_faster_newcomer_gets_a_new_group(club: Club) -> None:
    await setup_session(club)
    await publish(club)
    fast = club.guild.add_member(club.env.create_user("fast"))
    await fast.slash(club.channel, "profile set", race="5K", time="14:00")
    await fast.click(announcement(club), label="Going")
    await settle(club)
    assert groups_field(club).splitlines() == [
        "**Group 3**: fast",
        "**Group 1**: alice, ben",
        "**Group 2**: carol",
    ]


async def test_leaders_are_named_shown_and_move_with_their_group(club: Club) -> None:
    carol, _ = await setup_session(club)
    await publish(club)
    named = await club.organizer.slash(
        club.channel, "session groups-leader", session="1", group=1, member=club.alice.user
    )
    assert named.ephemeral
    assert f"<@{club.alice.id}> now leads Group 1 of Speed session." in named.response.content
    # A leader runs with their group: naming Carol for Group 1 moves her there.
    carol_leads = await club.organizer.slash(
        club.channel, "session groups-leader", session="1", group=1, member=carol.user
    )
    assert "They were in Group 2, so they move with it" in carol_leads.response.content
    await settle(club)
    assert groups_field(club).splitlines() == ["**Group 1** · led by carol: alice, ben, carol"]
    rows = await club.bot.db.fetch_all("SELECT group_no, user_id, named_by FROM group_leaders")
    assert [tuple(r) for r in rows] == [(1, carol.id, club.organizer.id)]


async def test_published_groups_survive_a_restart_and_unpublish_takes_them_off(
    club: Club, settings: Settings
) -> None:
    await setup_session(club)
    await publish(club)
    await club.organizer.slash(
        club.channel, "session groups-leader", session="1", group=2, member=club.ben.user
    )
    await settle(club)
    before = groups_field(club)
    assert before is not None

    await restart(club, settings)
    # After the restart a new answer still redraws the stored groups, move and leader kept.
    erin = club.guild.add_member(club.env.create_user("erin"))
    await erin.click(announcement(club), label="Going")
    await settle(club)
    after = groups_field(club)
    assert after == before + "\nNo profile (/profile set to be placed): erin"
    # The Groups button on the old message works after the restart.
    mine = await club.ben.click(announcement(club), label="Groups")
    assert "You're in **Group 2**" in mine.response.embeds[0].description

    off = await club.organizer.slash(club.channel, "session groups-unpublish", session="1")
    assert off.ephemeral
    assert "Took the pace groups of Speed session off its announcement" in off.response.content
    await settle(club)
    assert groups_field(club) is None
    # The button stays (the session has a workout): a member is told the groups aren't
    # published; an organizer previews them again.
    after_unpublish = await club.ben.click(announcement(club), label="Groups")
    assert "aren't published" in str(after_unpublish.response.content)
    only_user_errors(club, 1)
    for table in ("group_publications", "group_members", "group_leaders"):
        assert await club.bot.db.fetch_all(f"SELECT * FROM {table}") == []  # noqa: S608


async def test_a_runner_who_opted_in_shows_their_pace_and_others_stay_names_only(
    club: Club,
) -> None:
    await setup_session(club)
    await publish(club)
    opted = await club.alice.slash(club.channel, "profile public-pace", public=True)
    assert opted.ephemeral
    assert "now show your threshold (T) pace" in opted.response.content
    await settle(club)
    first = groups_field(club).splitlines()[0]
    assert first.startswith("**Group 1**: alice (T ")
    assert first.endswith("/km), ben")
    await club.alice.slash(club.channel, "profile public-pace", public=False)
    await settle(club)
    assert groups_field(club).splitlines()[0] == "**Group 1**: alice, ben"


async def test_members_without_a_profile_are_told_once_by_dm(club: Club) -> None:
    _, dave = await setup_session(club)
    await dave.click(announcement(club), label="Going")
    await publish(club)
    notes = [d for d in dms(dave) if "pace groups" in d]
    assert len(notes) == 1
    assert "/profile set race: 5K time: 22:30" in notes[0]
    assert "Speed session" in notes[0]
    # Answering again, or publishing again, does not tell him twice.
    await dave.click(announcement(club), label="Maybe")
    await dave.click(announcement(club), label="Going")
    await publish(club, groups=2)
    await settle(club)
    assert len([d for d in dms(dave) if "pace groups" in d]) == 1
    # A member with a profile is never sent the note.
    assert not [d for d in dms(club.alice) if "pace groups" in d]
    rows = await club.bot.db.fetch_all("SELECT status FROM deliveries WHERE kind = 'profile_note'")
    assert [r[0] for r in rows] == ["sent"]


async def test_a_newcomer_without_a_profile_is_told_then_placed_once_they_add_one(
    club: Club,
) -> None:
    await setup_session(club)
    await publish(club)
    erin = club.guild.add_member(club.env.create_user("erin"))
    await erin.click(announcement(club), label="Going")
    await settle(club)
    await settle(club)
    assert len([d for d in dms(erin) if "pace groups" in d]) == 1
    assert groups_field(club).splitlines()[-1] == "No profile (/profile set to be placed): erin"
    await erin.slash(club.channel, "profile set", race="5K", time="18:10")
    await settle(club)
    assert groups_field(club).splitlines() == [
        "**Group 1**: alice, erin, ben",
        "**Group 2**: carol",
    ]


async def test_the_groups_button_shows_a_member_their_group_targets_and_leader(
    club: Club,
) -> None:
    carol, dave = await setup_session(club)
    await publish(club)
    await club.organizer.slash(
        club.channel, "session groups-leader", session="1", group=1, member=club.alice.user
    )
    await settle(club)
    mine = await club.ben.click(announcement(club), label="Groups")
    assert mine.ephemeral
    embed = mine.response.embeds[0]
    assert embed.description == f"You're in **Group 1** with <@{club.alice.id}>."
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Leader"] == f"<@{club.alice.id}>"
    assert "800 m" in fields["The group's targets"]
    assert fields["Group's threshold pace"].startswith("T ")
    # Ben chose miles: the same group, in his unit.
    await club.ben.slash(club.channel, "profile units", units="mi")
    in_miles = await club.ben.click(announcement(club), label="Groups")
    assert (
        "/mi"
        in {f.name: f.value for f in in_miles.response.embeds[0].fields}["Group's threshold pace"]
    )
    # Carol's group has other targets (slower).
    hers = await carol.click(announcement(club), label="Groups")
    theirs = {f.name: f.value for f in hers.response.embeds[0].fields}["The group's targets"]
    assert theirs != fields["The group's targets"]
    # Dave isn't going; once going without a profile he is told how to be placed.
    outside = await dave.click(announcement(club), label="Groups")
    assert "groups are for members going" in outside.response.embeds[0].description
    await dave.click(announcement(club), label="Going")
    no_profile = await dave.click(announcement(club), label="Groups")
    assert "/profile set" in no_profile.response.embeds[0].description


async def test_group_commands_refuse_privately_and_change_nothing(club: Club) -> None:
    _, dave = await setup_session(club)
    member = await club.alice.slash(club.channel, "session groups", session="1", publish=True)
    assert member.ephemeral
    assert "Only organizers" in member.response.content
    assert await club.bot.db.fetch_all("SELECT * FROM group_publications") == []

    not_yet = await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=club.ben.user, group=2
    )
    assert not_yet.ephemeral
    assert "aren't published yet" in not_yet.response.content
    assert "/session groups session: 1 publish: True" in not_yet.response.content
    nothing = await club.organizer.slash(club.channel, "session groups-unpublish", session="1")
    assert "nothing to take off" in nothing.response.content

    await publish(club)
    before = await placements(club)
    for who, command, options in (
        (club.ben, "session groups-move", {"member": club.ben.user, "group": 2}),
        (club.ben, "session groups-leader", {"member": club.ben.user, "group": 1}),
        (club.ben, "session groups-unpublish", {}),
    ):
        refused = await who.slash(club.channel, command, session="1", **options)
        assert refused.ephemeral
        assert "Only organizers" in refused.response.content
    bad_group = await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=club.ben.user, group=7
    )
    assert bad_group.ephemeral
    assert bad_group.response.content.startswith("group: Speed session has no Group 7.")
    assert "Pick one of 1, 2, or 3 to start a new group" in bad_group.response.content
    assert "/session groups-move session: 1 member: @Ben group: 1" in bad_group.response.content
    no_leader_group = await club.organizer.slash(
        club.channel, "session groups-leader", session="1", group=3, member=club.ben.user
    )
    assert no_leader_group.response.content.startswith("group: Speed session has no Group 3.")
    not_going = await club.organizer.slash(
        club.channel, "session groups-move", session="1", member=dave.user, group=1
    )
    assert not_going.ephemeral
    assert f"<@{dave.id}> isn't going to Speed session" in not_going.response.content
    assert await placements(club) == before
    assert await club.bot.db.fetch_all("SELECT * FROM group_leaders") == []
    assert await club.bot.db.fetch_all("SELECT * FROM group_publications") != []
    only_user_errors(club, 9)


async def test_the_profile_note_is_never_posted_in_the_channel_when_dms_are_closed(
    club: Club,
) -> None:
    _, dave = await setup_session(club)
    await dave.click(announcement(club), label="Going")
    before = len(bot_posts(club))
    # Discord's "Cannot send messages to this user" (50007) on the DM.
    club.env.inject_error("POST", "/channels/*/messages", status=403, code=50007, times=1)
    await publish(club)
    assert dms(dave) == []
    assert len(bot_posts(club)) == before  # nothing about his profile in public
    rows = await club.bot.db.fetch_all(
        "SELECT status, last_error FROM deliveries WHERE kind = 'profile_note'"
    )
    assert [tuple(r) for r in rows] == [("skipped", "the member's DMs are closed")]
    assert club.env.errors == []


async def test_the_groups_button_previews_for_organizers_before_publishing(club: Club) -> None:
    await setup_session(club)

    preview = await club.organizer.click(announcement(club), label="Groups")
    member = await club.alice.click(announcement(club), label="Groups")

    assert preview.ephemeral
    embed = preview.response.embeds[0]
    assert embed.title == "Pace groups: Speed session"
    assert "publish: True" in (embed.description or "")
    assert [f.name.split(" · ")[0] for f in embed.fields] == ["Group 1", "Group 2"]
    assert member.ephemeral
    assert "aren't published" in str(member.response.content)
    only_user_errors(club, 1)
    # A preview publishes nothing: the announcement has no groups and nothing was stored.
    await settle(club)
    assert groups_field(club) is None
    assert await placements(club) == {}


async def test_no_groups_button_without_a_workout(club: Club) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
    )
    assert labels(announcement(club))[0] == ["Going", "Maybe", "Can't"]
