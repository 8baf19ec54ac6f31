"""Who may run which command, and what one server can see of another.

The permission matrix tries every organizer and every /setup command with each kind of member:
a plain member, a member of the organizer role set with /setup organizer-role (a role with no
permissions), a member with Manage Events only, one with Manage Server only, and an
Administrator. Organizers are members with Manage Events or the organizer role (Manage Server and
Administrator count too); /setup is for Manage Server. Hidden commands are also checked at run
time, for servers whose admins show /setup to others in Integrations.

The isolation tests run two servers on one bot and check that nothing of one is seen, changed or
posted from the other. The private-channel tests check that a session announced in a channel a
member cannot view does not exist for them: not listed, not offered, "not found" by number, for
members and organizers alike, read from Discord's permissions at the moment they ask. A runner's
/profile belongs to the runner, not to a server: it follows
them across servers by design.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import discord
import pytest
from simcord import SetupError

from tests.conftest import Club, embed_text, only_user_errors

ACTORS = ("plain", "organizer-role", "manage-events", "manage-server", "administrator")
ORGANIZERS = ACTORS[1:]
MANAGERS = ("manage-server", "administrator")
NOT_MANAGERS = ("plain", "organizer-role", "manage-events")
ORGANIZER_COMMANDS = ("create", "edit", "cancel", "export", "repost", "retry")
SETUP_COMMANDS = ("channel", "timezone", "organizer-role", "reminders", "announce-ahead", "show")
TABLES = (
    "guild_settings",
    "series",
    "sessions",
    "deliveries",
    "rsvp_events",
    "rsvps",
    "reactions_seen",
    "profiles",
)
NOT_FOUND = "session: I can't find a session"
ONLY_ORGANIZERS = "Only organizers can do this: members with Manage Events"
ONLY_MANAGERS = "Only members with the Manage Server permission"


def add_member(club: Club, guild: Any, name: str, **permissions: bool) -> Any:
    """A member whose one role grants exactly ``permissions`` (besides @everyone's)."""
    roles = []
    if permissions:
        roles.append(
            guild.create_role(f"{name} role", permissions=discord.Permissions(**permissions))
        )
    return guild.add_member(club.env.create_user(name), roles=roles)


async def snapshot(club: Club) -> dict[str, list[tuple[Any, ...]]]:
    """Every row Pacer stores."""
    tables = {}
    for table in TABLES:
        rows = await club.bot.db.fetch_all(f"SELECT * FROM {table} ORDER BY 1, 2")  # noqa: S608
        tables[table] = [tuple(row) for row in rows]
    return tables


async def guild_rows(club: Club, table: str, guild_id: int) -> list[tuple[Any, ...]]:
    rows = await club.bot.db.fetch_all(
        f"SELECT * FROM {table} WHERE guild_id = ? ORDER BY id",  # noqa: S608
        (guild_id,),
    )
    return [tuple(row) for row in rows]


async def settings_row(club: Club, guild_id: int) -> dict[str, Any]:
    row = await club.bot.db.fetch_one(
        "SELECT announce_channel_id, timezone, organizer_role_id, reminder_offsets,"
        " announce_days FROM guild_settings WHERE guild_id = ?",
        (guild_id,),
    )
    assert row is not None
    return {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row)


async def session_row(club: Club, session_id: int) -> dict[str, Any]:
    row = await club.bot.db.fetch_one("SELECT * FROM sessions WHERE id = ?", (session_id,))
    assert row is not None
    return {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row)


async def last_session_id(club: Club) -> int:
    [(session_id,)] = await club.bot.db.fetch_all("SELECT MAX(id) FROM sessions")
    return int(session_id)


def reply_text(result: Any) -> str:
    response = result.response
    return "\n".join([response.content or "", *(embed_text(e) for e in response.embeds)])


async def let_through(club: Club, member: Any) -> None:
    """What an admin can do in Server Settings > Integrations: show /setup to one member."""
    [setup] = [c for c in await club.bot.tree.fetch_commands() if c.name == "setup"]
    member.guild.set_command_permissions(setup, {member: True})


# ---------------------------------------------------------------- the permission matrix


@dataclass
class Cast:
    club: Club
    admin: Any  # Manage Server: configured the server
    pacers: Any  # the organizer role, with no permissions of its own
    coaches: Any  # another role, for /setup organizer-role
    news: Any  # another channel, for /setup channel
    actors: dict[str, Any]
    session_id: int  # "Speed session", Tue 20 Jan 2026 18:30 New York, alice going


@pytest.fixture
async def cast(club: Club) -> Cast:
    guild = club.guild
    admin = add_member(club, guild, "owner", manage_guild=True)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    pacers = guild.create_role("Pacers")
    await admin.slash(club.channel, "setup organizer-role", role=pacers)
    actors = {
        "plain": club.alice,
        "organizer-role": guild.add_member(club.env.create_user("pat"), roles=[pacers]),
        "manage-events": club.organizer,
        "manage-server": add_member(club, guild, "morgan", manage_guild=True),
        "administrator": add_member(club, guild, "ada", administrator=True),
    }
    created = await club.organizer.slash(
        club.channel,
        "session create",
        title="Speed session",
        date="2026-01-20",
        time="18:30",
        location="Cherokee HS track",
    )
    assert "Scheduled: Speed session" in embed_text(created.response.embeds[0])
    session_id = await last_session_id(club)
    going = await club.alice.slash(club.channel, "rsvp", session=str(session_id), status="going")
    assert "You're going" in going.response.content
    assert club.env.errors == []
    return Cast(
        club=club,
        admin=admin,
        pacers=pacers,
        coaches=guild.create_role("Coaches"),
        news=guild.create_text_channel("track-news"),
        actors=actors,
        session_id=session_id,
    )


async def run_organizer_command(cast: Cast, command: str, member: Any, who: str) -> Any:
    channel, session = cast.club.channel, str(cast.session_id)
    if command == "create":
        return await member.slash(
            channel,
            "session create",
            title=f"Hills by {who}",
            date="2026-01-27",
            time="18:30",
            location="Big hill",
        )
    if command == "edit":
        return await member.slash(channel, "session edit", session=session, time="19:00")
    if command == "cancel":
        return await member.slash(channel, "session cancel", session=session, reason="ice")
    if command in ("repost", "retry"):
        return await member.slash(channel, f"session {command}", session=session)
    return await member.slash(channel, "session export", session=session)


@pytest.mark.parametrize(
    ("command", "who"),
    [pytest.param(c, w, id=f"{c}-by-{w}") for c in ORGANIZER_COMMANDS for w in ACTORS],
)
async def test_organizer_commands_by_each_kind_of_member(
    cast: Cast, command: str, who: str
) -> None:
    club, member = cast.club, cast.actors[who]
    before = await snapshot(club)
    sessions_before = len(before["sessions"])

    result = await run_organizer_command(cast, command, member, who)

    assert result.ephemeral
    if who == "plain":
        assert ONLY_ORGANIZERS in result.response.content
        assert f"or the <@&{cast.pacers.id}> role" in result.response.content
        assert not result.response.embeds
        assert not result.response.attachments
        assert await snapshot(club) == before
        only_user_errors(club)
        return

    if command == "retry":  # allowed, and nothing of this session failed
        assert "Nothing to retry" in result.response.content
        assert await snapshot(club) == before
        only_user_errors(club)
        return
    assert club.env.errors == []
    if command == "create":
        assert f"Scheduled: Hills by {who}" in embed_text(result.response.embeds[0])
        new_id = await last_session_id(club)
        assert new_id != cast.session_id
        row = await session_row(club, new_id)
        assert (row["title"], row["guild_id"], row["created_by"]) == (
            f"Hills by {who}",
            club.guild.id,
            member.id,
        )
        assert len((await snapshot(club))["sessions"]) == sessions_before + 1
    elif command == "edit":
        assert "Updated 1 session" in embed_text(result.response.embeds[0])
        row = await session_row(club, cast.session_id)
        # 19:00 on 20 January in New York is midnight UTC.
        assert datetime.fromisoformat(row["starts_at"]) == datetime(2026, 1, 21, tzinfo=UTC)
        assert row["status"] == "scheduled"
    elif command == "repost":
        assert f"Announcing #{cast.session_id} again" in result.response.content
        row = await session_row(club, cast.session_id)
        assert row["announcement_message_id"] is not None
    elif command == "cancel":
        assert "Cancelled 1 session" in embed_text(result.response.embeds[0])
        row = await session_row(club, cast.session_id)
        assert (row["status"], row["cancel_reason"]) == ("cancelled", "ice")
    else:
        [attachment] = result.response.attachments
        assert attachment.filename == f"pacer-roster-{cast.session_id}-2026-01-20.csv"
        lines = (await attachment.read()).decode().splitlines()
        assert lines[0] == "member_id,display_name,status,source,waitlist_position,last_change_utc"
        assert lines[1].startswith(f"{club.alice.id},alice,going,command,")
        assert len(lines) == 2
        assert await snapshot(club) == before


async def test_a_new_organizer_role_takes_the_right_from_the_old_one(cast: Cast) -> None:
    club = cast.club
    cody = club.guild.add_member(club.env.create_user("cody"), roles=[cast.coaches])
    changed = await cast.admin.slash(club.channel, "setup organizer-role", role=cast.coaches)
    assert changed.response.embeds

    old = await cast.actors["organizer-role"].slash(
        club.channel, "session cancel", session=str(cast.session_id)
    )
    new = await cody.slash(club.channel, "session cancel", session=str(cast.session_id))

    assert old.ephemeral
    assert ONLY_ORGANIZERS in old.response.content
    assert f"or the <@&{cast.coaches.id}> role" in old.response.content
    assert "Cancelled 1 session" in embed_text(new.response.embeds[0])
    row = await session_row(club, cast.session_id)
    assert row["status"] == "cancelled"
    only_user_errors(club)


EVERYONE_COMMANDS = ("session list", "session roster", "rsvp")


@pytest.mark.parametrize(
    ("command", "who"),
    [
        pytest.param(c, w, id=f"{c.replace(' ', '-')}-by-{w}")
        for c in EVERYONE_COMMANDS
        for w in ACTORS
    ],
)
async def test_commands_for_everyone_work_for_each_kind_of_member(
    cast: Cast, command: str, who: str
) -> None:
    club, member = cast.club, cast.actors[who]
    options = {
        "session list": {},
        "session roster": {"session": str(cast.session_id)},
        "rsvp": {"session": str(cast.session_id), "status": "maybe"},
    }[command]

    result = await member.slash(club.channel, command, **options)

    assert result.ephemeral
    if command == "rsvp":
        assert "Marked as maybe for **Speed session**" in result.response.content
        [row] = await club.bot.db.fetch_all(
            "SELECT state FROM rsvps WHERE session_id = ? AND user_id = ?",
            (cast.session_id, member.id),
        )
        assert row[0] == "maybe"
    else:
        text = embed_text(result.response.embeds[0])
        assert "Speed session" in text
        if command == "session roster":
            assert f"<@{club.alice.id}>" in text
    assert club.env.errors == []


def setup_options(cast: Cast, subcommand: str) -> dict[str, Any]:
    return {
        "channel": {"channel": cast.news},
        "timezone": {"timezone": "Europe/London"},
        "organizer-role": {"role": cast.coaches},
        "reminders": {"offsets": "2h"},
        "announce-ahead": {"days": 3},
        "show": {},
    }[subcommand]


def setup_change(cast: Cast, subcommand: str) -> dict[str, Any]:
    """The settings columns a successful /setup subcommand writes."""
    return {
        "channel": {"announce_channel_id": cast.news.id},
        "timezone": {"timezone": "Europe/London"},
        "organizer-role": {"organizer_role_id": cast.coaches.id},
        "reminders": {"reminder_offsets": "7200"},
        "announce-ahead": {"announce_days": 3},
        "show": {},
    }[subcommand]


@pytest.mark.parametrize(
    ("subcommand", "who"),
    [pytest.param(s, w, id=f"{s}-by-{w}") for s in SETUP_COMMANDS for w in MANAGERS],
)
async def test_setup_is_allowed_to_server_managers(cast: Cast, subcommand: str, who: str) -> None:
    club, member = cast.club, cast.actors[who]
    before = await settings_row(club, club.guild.id)
    assert before == {
        "announce_channel_id": club.channel.id,
        "timezone": None,
        "organizer_role_id": cast.pacers.id,
        "reminder_offsets": None,
        "announce_days": None,
    }
    assert f"setup {subcommand}" in member.available_commands(club.channel)

    result = await member.slash(
        club.channel, f"setup {subcommand}", **setup_options(cast, subcommand)
    )

    assert result.ephemeral
    assert result.response.embeds[0].title == "Pacer settings for this server"
    assert await settings_row(club, club.guild.id) == before | setup_change(cast, subcommand)
    assert club.env.errors == []


@pytest.mark.parametrize(
    ("subcommand", "who"),
    [pytest.param(s, w, id=f"{s}-by-{w}") for s in SETUP_COMMANDS for w in NOT_MANAGERS],
)
async def test_setup_is_hidden_from_members_without_manage_server(
    cast: Cast, subcommand: str, who: str
) -> None:
    club, member = cast.club, cast.actors[who]
    before = await snapshot(club)

    assert not any(name.startswith("setup") for name in member.available_commands(club.channel))
    with pytest.raises(SetupError, match="default-member-permissions"):
        await member.slash(club.channel, f"setup {subcommand}", **setup_options(cast, subcommand))

    assert await snapshot(club) == before
    assert club.env.errors == []


@pytest.mark.parametrize(
    ("subcommand", "who"),
    [pytest.param(s, w, id=f"{s}-by-{w}") for s in SETUP_COMMANDS for w in NOT_MANAGERS],
)
async def test_setup_shown_by_an_override_is_still_refused_without_manage_server(
    cast: Cast, subcommand: str, who: str
) -> None:
    club, member = cast.club, cast.actors[who]
    await let_through(club, member)
    assert f"setup {subcommand}" in member.available_commands(club.channel)
    before = await snapshot(club)

    result = await member.slash(
        club.channel, f"setup {subcommand}", **setup_options(cast, subcommand)
    )

    assert result.ephemeral
    assert ONLY_MANAGERS in result.response.content
    assert not result.response.embeds
    assert await snapshot(club) == before
    only_user_errors(club)


# ---------------------------------------------------------------- two servers, one bot


@dataclass
class Server:
    guild: Any
    channel: Any
    admin: Any  # Manage Server
    organizer: Any  # Manage Events
    member: Any  # plain


@dataclass
class World:
    club: Club
    a: Server  # "Run Club"
    b: Server  # "Other Club"
    dana: Any  # one user in both: organizer in B, plain member in A
    dana_in_b: Any
    a_ids: list[int]  # "Run Club tempo"
    b_ids: list[int]  # "Other Club hills", then "Other Club intervals" weeks 1 and 2


B_WORDS = ("other club", "hill road", "other track")


def names_b(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in B_WORDS)


@pytest.fixture
async def world(club: Club) -> World:
    env = club.env
    a_admin = add_member(club, club.guild, "a-admin", manage_guild=True)
    a = Server(club.guild, club.channel, a_admin, club.organizer, club.alice)

    other = env.create_guild("Other Club")
    b_channel = other.create_text_channel("other-sessions")
    b_coaches = other.create_role(
        "Other coaches", permissions=discord.Permissions(manage_events=True)
    )
    b = Server(
        other,
        b_channel,
        add_member(club, other, "b-admin", manage_guild=True),
        other.add_member(env.create_user("b-coach"), roles=[b_coaches]),
        other.add_member(env.create_user("olga")),
    )
    dana_user = env.create_user("dana")
    dana = club.guild.add_member(dana_user)
    dana_in_b = other.add_member(dana_user, roles=[b_coaches])

    for server in (a, b):
        result = await server.admin.slash(server.channel, "setup channel", channel=server.channel)
        assert result.response.embeds, result.response.content

    created = await a.organizer.slash(
        a.channel,
        "session create",
        title="Run Club tempo",
        date="2026-01-06",
        time="18:30",
        location="Cherokee HS track",
    )
    assert "Scheduled: Run Club tempo" in embed_text(created.response.embeds[0])
    a_ids = [await last_session_id(club)]
    b_ids = []
    for title, date, location, weeks in (
        ("Other Club hills", "2026-01-06", "Hill Road", 1),
        ("Other Club intervals", "2026-01-13", "Other track", 2),
    ):
        created = await b.organizer.slash(
            b.channel,
            "session create",
            title=title,
            date=date,
            time="19:00",
            location=location,
            weeks=weeks,
        )
        assert f"Scheduled: {title}" in embed_text(created.response.embeds[0])
        rows = await club.bot.db.fetch_all(
            "SELECT id FROM sessions WHERE title = ? ORDER BY id", (title,)
        )
        b_ids += [int(r[0]) for r in rows]
    for member in (b.member, dana_in_b):
        going = await member.slash(b.channel, "rsvp", session=str(b_ids[0]), status="going")
        assert "You're going to **Other Club hills**" in going.response.content
    going = await a.member.slash(a.channel, "rsvp", session=str(a_ids[0]), status="going")
    assert "You're going to **Run Club tempo**" in going.response.content
    await env.advance_time(10)  # the announcements' rosters are refreshed
    assert env.errors == []
    return World(club, a, b, dana, dana_in_b, a_ids, b_ids)


def channel_writes(club: Club, channel: Any) -> list[tuple[str, str]]:
    """Every REST call Pacer made that posts, edits or reacts in ``channel``."""
    return [
        (r.method, r.path)
        for r in club.env.http_requests
        if r.method != "GET" and r.path.startswith(f"/channels/{channel.id}/")
    ]


def a_invocation(world: World, command: str, reference: str) -> tuple[Any, dict[str, Any]]:
    """(member, options) for naming session ``reference`` in server A."""
    member = world.a.member if command in ("session roster", "rsvp") else world.a.organizer
    return member, {"session": reference} | a_options(command)


def a_options(command: str) -> dict[str, Any]:
    return {
        "session edit": {"title": "Hijacked"},
        "session cancel": {"reason": "mine now"},
        "session export": {},
        "session repost": {},
        "session retry": {},
        "session roster": {},
        "rsvp": {"status": "going"},
    }[command]


SESSION_COMMANDS = (
    "session edit",
    "session cancel",
    "session export",
    "session repost",
    "session retry",
    "session roster",
    "rsvp",
)


REFERENCE_FORMS = ("id", "hash-id", "spaced", "title", "label")


async def b_references(world: World, form: str) -> list[str]:
    """B's sessions as a member of A might name them: by number, by title, or by the very label
    B's own members are offered."""
    if form == "label":
        offered = await world.b.organizer.autocomplete(world.b.channel, "rsvp", "session", "")
        assert [c["value"] for c in offered] == [str(i) for i in world.b_ids]
        return [c["name"] for c in offered]
    if form == "title":
        return ["Other Club hills", "Other Club intervals"]
    pattern = {"id": "{id}", "hash-id": "#{id}", "spaced": " #{id} "}[form]
    return [pattern.format(id=b_id) for b_id in world.b_ids]


@pytest.mark.parametrize("form", REFERENCE_FORMS)
@pytest.mark.parametrize("command", SESSION_COMMANDS, ids=lambda c: c.replace(" ", "-"))
async def test_another_servers_sessions_are_not_found(
    world: World, command: str, form: str
) -> None:
    club = world.club
    references = await b_references(world, form)
    before = await snapshot(club)
    b_writes = channel_writes(club, world.b.channel)
    for reference in references:
        member, options = a_invocation(world, command, reference)

        result = await member.slash(world.a.channel, command, **options)

        assert result.ephemeral
        assert NOT_FOUND in result.response.content
        assert "in this server" in result.response.content
        # The reply may repeat what was typed, and nothing more of B.
        assert not names_b(reply_text(result).replace(reference.strip()[:40], ""))
        assert "<t:" not in reply_text(result)
        assert not result.response.embeds
        assert not result.response.attachments
    assert await snapshot(club) == before
    assert channel_writes(club, world.b.channel) == b_writes
    only_user_errors(club, count=len(references))


@pytest.mark.parametrize("command", SESSION_COMMANDS, ids=lambda c: c.replace(" ", "-"))
async def test_an_organizer_of_one_server_is_a_plain_member_in_the_other(
    world: World, command: str
) -> None:
    club, a = world.club, world.a
    before = await snapshot(club)

    # dana organizes in B, so B's ids mean something to her; in A they are still nobody's.
    foreign = await world.dana.slash(
        a.channel, command, session=str(world.b_ids[0]), **a_options(command)
    )
    own = await world.dana.slash(
        a.channel, command, session=str(world.a_ids[0]), **a_options(command)
    )

    assert foreign.ephemeral
    assert not names_b(reply_text(foreign))
    if command in ("session roster", "rsvp"):  # for everyone: only the id is wrong
        assert NOT_FOUND in foreign.response.content
        assert "Run Club tempo" in reply_text(own)
        only_user_errors(club)
        if command == "rsvp":
            [row] = await club.bot.db.fetch_all(
                "SELECT session_id FROM rsvps WHERE user_id = ? AND session_id = ?",
                (world.dana.id, world.a_ids[0]),
            )
            assert row[0] == world.a_ids[0]
        return
    # Organizer commands: in A she is a plain member, whichever session she names.
    for result in (foreign, own):
        assert result.ephemeral
        assert ONLY_ORGANIZERS in result.response.content
        assert not result.response.embeds
        assert not result.response.attachments
    assert await snapshot(club) == before
    only_user_errors(club, count=2)


SESSION_AUTOCOMPLETES = [
    ("session edit", "session"),
    ("session cancel", "session"),
    ("session roster", "session"),
    ("session export", "session"),
    ("session repost", "session"),
    ("session retry", "session"),
    ("rsvp", "session"),
]
OTHER_AUTOCOMPLETES = [
    ("session create", "date"),
    ("session edit", "date"),
    ("setup timezone", "timezone"),
    ("pace zones", "race"),
    ("pace predict", "race"),
    ("pace splits", "race"),
    ("pace workout", "race"),
    ("pace workout", "workout"),
    ("profile set", "race"),
    ("drill show", "name"),
]


def typed_values(world: World, option: str) -> list[str]:
    """What a member of A might type: B's titles and places, and for sessions B's ids too."""
    values = ["", "Other", "hills", "Hill Road", "intervals"]
    if option == "session":
        values += ["other club", "week 2", "Tue 6 Jan"]
        for b_id in world.b_ids:
            values += [str(b_id), f"#{b_id}"]
    return values


def who_types(world: World, command: str) -> Any:
    if command.startswith("setup"):
        return world.a.admin
    if command.startswith("session") and command != "session roster":
        return world.a.organizer
    return world.a.member


@pytest.mark.parametrize(
    ("command", "option"),
    [
        pytest.param(c, o, id=f"{c.replace(' ', '-')}-{o}")
        for c, o in SESSION_AUTOCOMPLETES + OTHER_AUTOCOMPLETES
    ],
)
async def test_no_autocomplete_in_one_server_offers_anything_of_the_other(
    world: World, command: str, option: str
) -> None:
    member = who_types(world, command)
    b_values = {str(i) for i in world.b_ids}
    offered: list[dict[str, Any]] = []
    # dana organizes in B: her session lists in A must not be B's either.
    actors = (member, world.dana) if option == "session" else (member,)
    for value in typed_values(world, option):
        for actor in actors:
            choices = await actor.autocomplete(world.a.channel, command, option, value)
            offered += choices
            for choice in choices:
                assert not names_b(f"{choice['name']} {choice['value']}"), (value, choice)
                if option == "session":
                    assert str(choice["value"]) not in b_values, (value, choice)
                    assert int(choice["value"]) in world.a_ids, (value, choice)

    assert offered, "the autocomplete offered nothing at all, so it proves nothing"
    if option == "session":
        everything = await member.autocomplete(world.a.channel, command, option, "")
        assert [c["value"] for c in everything] == [str(i) for i in world.a_ids]
        there = await world.b.organizer.autocomplete(world.b.channel, command, option, "")
        assert [c["value"] for c in there] == [str(i) for i in world.b_ids]
    assert world.club.env.errors == []


def listed_ids(result: Any) -> list[int]:
    return [int(i) for i in re.findall(r"`#(\d+)`", embed_text(result.response.embeds[0]))]


async def test_session_list_in_one_server_shows_none_of_the_others(world: World) -> None:
    a, b = world.a, world.b
    # One of B's posts fails (and waits for a retry): B's organizers are told, A's are not.
    world.club.env.inject_error(
        "POST", f"/channels/{b.channel.id}/messages", status=403, code=50013, times=1
    )
    created = await b.organizer.slash(
        b.channel,
        "session create",
        title="Other Club strides",
        date="2026-01-05",
        time="19:00",
        location="Other track",
    )
    assert "Scheduled: Other Club strides" in embed_text(created.response.embeds[0])
    [(failed,)] = await world.club.bot.db.fetch_all(
        "SELECT COUNT(*) FROM deliveries WHERE guild_id = ? AND status IN ('failed', 'retrying')",
        (b.guild.id,),
    )
    assert failed == 1

    for member in (a.member, a.organizer, a.admin, world.dana):
        result = await member.slash(a.channel, "session list")
        assert result.ephemeral
        text = embed_text(result.response.embeds[0])
        assert listed_ids(result) == world.a_ids
        assert "Run Club tempo" in text
        assert not names_b(text), text
        assert "Posts that failed" not in text

    there = await b.organizer.slash(b.channel, "session list")
    text = embed_text(there.response.embeds[0])
    assert "Posts that failed (organizers only)" in text
    assert set(listed_ids(there)) > set(world.b_ids)
    assert "Run Club tempo" not in text
    assert world.club.env.errors == []


def setup_fields(result: Any) -> dict[str, str]:
    embed = result.response.embeds[0]
    return {f.name or "": f.value or "" for f in embed.fields}


async def test_setup_show_in_one_server_ignores_the_others_changes(world: World) -> None:
    club, a, b = world.club, world.a, world.b
    a_sessions = await guild_rows(club, "sessions", a.guild.id)
    a_deliveries = await guild_rows(club, "deliveries", a.guild.id)
    b_pacers = b.guild.create_role("Other pacers")

    for name, options in (
        ("setup timezone", {"timezone": "Asia/Tokyo"}),
        ("setup organizer-role", {"role": b_pacers}),
        ("setup reminders", {"offsets": "3h"}),
        ("setup announce-ahead", {"days": 2}),
        ("setup session-length", {"length": "1h"}),
        ("setup discord-events", {"enabled": False}),
        ("setup threads", {"when": "announcement"}),
    ):
        result = await b.admin.slash(b.channel, name, **options)
        assert result.response.embeds, (name, result.response.content)
    window = await b.admin.slash(b.channel, "setup check-in", before="15m", after="1h")
    assert "from 15 min before the start to 60 min after it" in window.response.content

    shown = await a.admin.slash(a.channel, "setup show")

    assert shown.ephemeral
    # A never chose a zone or a role: /setup show says so (issue 16), and B's choices don't
    # count for A.
    fields = setup_fields(shown)
    todo = fields.pop("Still to do")
    assert "/setup timezone" in todo
    assert "Until then: America/New_York" in todo
    assert "/setup organizer-role" in todo
    assert fields == {
        "Announcement channel": f"<#{a.channel.id}>",
        "Time zone": "America/New_York",
        "Organizer role": "not set (and Manage Events)",
        "Reminders": "24h, 1h before",
        "Announced": "6 days ahead (or with the first reminder if earlier)",
        "Session length": "90 min unless set",
        "Discord events": "on when Pacer has Manage Events",
        "Threads": "off",
        "Check-in": "Check-in: from 30 min before the start to 120 min after it. "
        "Season starts on 01-01 (MM-DD).",
    }
    theirs = await b.admin.slash(b.channel, "setup show")
    assert "`/setup timezone`" not in setup_fields(theirs).get("Still to do", "")
    assert {k: v for k, v in setup_fields(theirs).items() if k != "Still to do"} == {
        "Announcement channel": f"<#{b.channel.id}>",
        "Time zone": "Asia/Tokyo",
        "Organizer role": f"<@&{b_pacers.id}> (and Manage Events)",
        "Reminders": "3h before",
        "Announced": "2 days ahead (or with the first reminder if earlier)",
        "Session length": "60 min unless set",
        "Discord events": "off",
        "Threads": "with each announcement",
        "Check-in": "Check-in: from 15 min before the start to 60 min after it. "
        "Season starts on 01-01 (MM-DD).",
    }
    # B's new lead times re-planned B's sessions only.
    assert await guild_rows(club, "deliveries", a.guild.id) == a_deliveries
    assert await settings_row(club, a.guild.id) == {
        "announce_channel_id": a.channel.id,
        "timezone": None,
        "organizer_role_id": None,
        "reminder_offsets": None,
        "announce_days": None,
    }
    assert await guild_rows(club, "sessions", a.guild.id) == a_sessions
    # A's dates are still read in New York, B's in Tokyo.
    dates_a = await a.organizer.autocomplete(a.channel, "session create", "date", "")
    dates_b = await b.organizer.autocomplete(b.channel, "session create", "date", "")
    assert dates_a[0]["value"] == "2025-12-31"
    assert dates_b[0]["value"] == "2026-01-01"
    assert club.env.errors == []


def post_text(message: discord.Message) -> str:
    return "\n".join([message.content or "", *(embed_text(e) for e in message.embeds)])


def posts(channel: Any, viewer: Any) -> list[discord.Message]:
    """What Pacer posted on its own in ``channel`` (not its replies to commands)."""
    return [
        m
        for m in channel.history(viewer=viewer)
        if m.author.bot and m.interaction_metadata is None and not m.flags.ephemeral
    ]


async def test_posts_of_each_server_go_only_to_its_own_channel(world: World) -> None:
    club, a, b = world.club, world.a, world.b
    # Both servers' 6 January sessions were announced at once, each in its own channel.
    [a_announcement] = posts(a.channel, a.member)
    assert "Run Club tempo" in post_text(a_announcement)
    [b_announcement] = posts(b.channel, b.member)
    assert "Other Club hills" in post_text(b_announcement)

    # B moves one session and cancels another: the notices are B's alone.
    moved = await b.organizer.slash(
        b.channel, "session edit", session=str(world.b_ids[0]), time="19:30"
    )
    assert "Updated 1 session" in embed_text(moved.response.embeds[0])
    await club.env.advance_time(8 * 86400)  # to 9 January: intervals week 1 is announced
    cancelled = await b.organizer.slash(
        b.channel, "session cancel", session=str(world.b_ids[1]), reason="track resurfacing"
    )
    assert "Cancelled 1 session" in embed_text(cancelled.response.embeds[0])
    await club.env.advance_time(14 * 86400)  # past every session

    a_posts = posts(a.channel, a.member)
    b_posts = posts(b.channel, b.member)
    assert all("Run Club tempo" in post_text(m) for m in a_posts)
    assert len(a_posts) == 3  # its announcement and two reminders, nothing of B's
    for message in a_posts:
        assert not names_b(post_text(message)), post_text(message)
        assert {u.id for u in message.mentions} <= {a.member.id}
    b_texts = [post_text(m) for m in b_posts]
    assert not any("Run Club tempo" in t for t in b_texts)
    assert any("Other Club hills** has moved" in t for t in b_texts)
    assert any("Other Club intervals** on" in t and "is cancelled" in t for t in b_texts)
    assert sum("Reminder" in t and "Other Club hills" in t for t in b_texts) == 2
    assert sum("Reminder" in t and "Other Club intervals" in t for t in b_texts) == 2  # week 2

    # Every post Pacer recorded went to the channel of the session's own server.
    channel_of = {a.guild.id: a.channel.id, b.guild.id: b.channel.id}
    rows = await club.bot.db.fetch_all(
        "SELECT d.guild_id, d.channel_id, d.message_id, d.kind, s.guild_id AS session_guild"
        " FROM deliveries d JOIN sessions s ON s.id = d.session_id WHERE d.status = 'sent'"
    )
    # Rows with no message are Discord event syncs (checked for their server all the same);
    # closing answers at the start redraws an announcement and posts nothing.
    posted = [r for r in rows if r["message_id"] is not None and r["kind"] != "close"]
    assert len(posted) == len(a_posts) + len(b_posts)
    for row in rows:
        assert row["guild_id"] == row["session_guild"]
        assert row["channel_id"] == channel_of[row["guild_id"]]
    assert club.env.errors == []


async def test_a_profile_follows_the_runner_across_servers_by_design(world: World) -> None:
    # A saved race belongs to the runner, not to a server: not a leak between servers.
    saved = await world.dana_in_b.slash(world.b.channel, "profile set", race="5K", time="21:47")
    assert "Saved" in saved.response.content

    here = await world.dana.slash(world.a.channel, "profile show")
    someone_else = await world.a.member.slash(world.a.channel, "profile show")

    assert here.ephemeral
    assert "21:47" in embed_text(here.response.embeds[0])
    assert not names_b(reply_text(here))
    assert someone_else.ephemeral
    assert "21:47" not in reply_text(someone_else)
    only_user_errors(world.club)  # alice has saved no race


# ---------------------------------------------------------------- private channels

PRIVATE_TITLE = "Elite squad intervals"


@dataclass
class Private:
    club: Club
    elite: Any  # the role that may view #elite-squad
    channel: Any  # #elite-squad: @everyone can't view it
    athlete: Any  # a plain member with the elite role
    session_id: int  # in #elite-squad, the athlete going
    open_id: int  # in the club's channel, for everyone


@pytest.fixture
async def private(club: Club) -> Private:
    guild = club.guild
    admin = add_member(club, guild, "owner", manage_guild=True)
    await admin.slash(club.channel, "setup channel", channel=club.channel)
    elite = guild.create_role("Elite")
    me = guild.me
    assert me is not None
    seeing = discord.PermissionOverwrite(view_channel=True)
    channel = guild.create_text_channel(
        "elite-squad",
        overwrites={
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            elite: seeing,
            me: seeing,
        },
    )
    athlete = guild.add_member(club.env.create_user("eli"), roles=[elite])
    coach = guild.add_member(club.env.create_user("elite-coach"), roles=[elite])
    guild_roles = {r.name: r for r in guild.roles.values()}
    club.env.backend.add_member_role(guild.id, coach.id, guild_roles["Organizer"].id)
    ids = []
    for title, where in ((PRIVATE_TITLE, channel), ("Open track session", club.channel)):
        created = await coach.slash(
            club.channel,
            "session create",
            title=title,
            date="2026-01-13",
            time="18:30",
            location="Cherokee HS track",
            channel=where,
            capacity=2,
        )
        assert f"Scheduled: {title}" in embed_text(created.response.embeds[0])
        ids.append(await last_session_id(club))
    going = await athlete.slash(club.channel, "rsvp", session=str(ids[0]), status="going")
    assert "You're going" in going.response.content
    assert club.env.errors == []
    return Private(club, elite, channel, athlete, ids[0], ids[1])


PRIVATE_COMMANDS = (
    "rsvp",
    "session roster",
    "session edit",
    "session cancel",
    "session export",
    "session remove",
    "session repost",
    "session retry",
)


def private_options(command: str, private: Private) -> dict[str, Any]:
    return {
        "rsvp": {"status": "going"},
        "session roster": {},
        "session edit": {"title": "Mine now"},
        "session cancel": {"reason": "peeking"},
        "session export": {},
        "session remove": {"member": private.athlete},
        "session repost": {},
        "session retry": {},
    }[command]


@pytest.mark.parametrize(
    ("command", "who"),
    [
        pytest.param(c, w, id=f"{c.replace(' ', '-')}-by-{w}")
        for c in PRIVATE_COMMANDS
        for w in ("plain", "organizer")
        # Plain members are refused organizer commands before any lookup (matrix above).
        if w == "organizer" or c in ("rsvp", "session roster")
    ],
)
async def test_a_session_in_a_channel_a_member_cannot_view_is_not_found(
    private: Private, command: str, who: str
) -> None:
    club = private.club
    member = club.alice if who == "plain" else club.organizer  # neither can view #elite-squad
    before = await snapshot(club)

    result = await member.slash(
        club.channel,
        command,
        session=str(private.session_id),
        **private_options(command, private),
    )

    assert result.ephemeral
    assert NOT_FOUND in result.response.content
    assert PRIVATE_TITLE not in reply_text(result)
    assert not result.response.embeds
    assert not result.response.attachments
    assert await snapshot(club) == before
    only_user_errors(club)


@pytest.mark.parametrize("command", [c for c, _ in SESSION_AUTOCOMPLETES] + ["session remove"])
async def test_autocomplete_and_list_hide_sessions_of_channels_a_member_cannot_view(
    private: Private, command: str
) -> None:
    club = private.club
    for member in (club.alice, club.organizer):
        offered = await member.autocomplete(club.channel, command, "session", "")
        assert [c["value"] for c in offered] == [str(private.open_id)]
        typed = await member.autocomplete(club.channel, command, "session", "elite")
        assert typed == []
    theirs = await private.athlete.autocomplete(club.channel, command, "session", "")
    assert [c["value"] for c in theirs] == [str(private.session_id), str(private.open_id)]
    assert club.env.errors == []


async def test_session_list_shows_a_private_channels_sessions_only_to_who_can_view_it(
    private: Private,
) -> None:
    club = private.club
    for member in (club.alice, club.organizer):
        listed = await member.slash(club.channel, "session list")
        assert listed_ids(listed) == [private.open_id]
        assert PRIVATE_TITLE not in embed_text(listed.response.embeds[0])
    theirs = await private.athlete.slash(club.channel, "session list")
    assert listed_ids(theirs) == [private.session_id, private.open_id]
    assert club.env.errors == []


async def test_who_can_view_is_read_at_run_time(private: Private) -> None:
    club = private.club
    refused = await club.alice.slash(
        club.channel, "rsvp", session=str(private.session_id), status="going"
    )
    assert NOT_FOUND in refused.response.content

    club.env.backend.add_member_role(club.guild.id, club.alice.id, private.elite.id)
    joined = await club.alice.slash(
        club.channel, "rsvp", session=str(private.session_id), status="going"
    )
    roster = await club.alice.slash(club.channel, "session roster", session=str(private.session_id))

    assert f"You're going to **{PRIVATE_TITLE}**" in joined.response.content
    assert f"<@{private.athlete.id}>" in embed_text(roster.response.embeds[0])
    [row] = await club.bot.db.fetch_all(
        "SELECT state FROM rsvps WHERE session_id = ? AND user_id = ?",
        (private.session_id, club.alice.id),
    )
    assert row[0] == "going"

    club.env.backend.remove_member_role(club.guild.id, club.alice.id, private.elite.id)
    gone = await club.alice.slash(club.channel, "session roster", session=str(private.session_id))
    assert NOT_FOUND in gone.response.content
    only_user_errors(club, count=2)
