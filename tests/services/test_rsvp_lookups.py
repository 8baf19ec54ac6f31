"""RSVPs on real SQLite: membership look-ups (Discord REST in the bot) are made before the
answer's transaction, never while it holds the database, and still decide who moves up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.composition import Core, build_core
from bot.domain.rsvp import Response, State
from bot.services.access import Actor
from bot.services.members import Membership
from bot.services.sessions import SessionForm
from bot.settings import Settings

GUILD = 42
ALICE, BOB, CAROL = 101, 102, 103


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 1, 1, 12, tzinfo=UTC)


class Directory:
    """Bob has left; records whether the database was held during each look-up."""

    def __init__(self) -> None:
        self.core: Core | None = None
        self.held_during_lookup: list[bool] = []

    async def lookup(self, guild_id: int, user_ids: Sequence[int]) -> Membership:
        assert self.core is not None
        self.held_during_lookup.append(self.core.db._lock.locked())
        return Membership(departed=frozenset(u for u in user_ids if u == BOB))


async def test_a_freed_place_skips_a_member_who_left_without_holding_the_database(
    tmp_path: Path,
) -> None:
    directory = Directory()
    settings = Settings(database_path=tmp_path / "pacer.db", default_timezone="UTC")
    core = await build_core(settings, clock=FixedClock(), members=directory)
    directory.core = core
    try:
        rsvps = core.services.rsvps
        admin = Actor(user_id=1, manage_guild=True, manage_events=True)
        await core.services.setup.set_channel(admin, GUILD, 7)
        outcome = await core.services.sessions.create(
            admin,
            GUILD,
            SessionForm(
                title="Track", date="2026-02-03", time="18:30", location="Track", capacity=1
            ),
        )
        session_id = outcome.sessions[0].id
        for user_id in (ALICE, BOB, CAROL):
            await rsvps.respond(GUILD, session_id, user_id, str(user_id), Response.GOING, "button")

        result = await rsvps.respond(GUILD, session_id, ALICE, "alice", Response.NO, "button")

        assert result.state is State.NO
        roster = await rsvps.roster(session_id)
        states = {entry.user_id: entry.state for entry in roster.everyone}
        assert states == {ALICE: State.NO, CAROL: State.GOING}
        assert directory.held_during_lookup  # the waitlist was checked...
        assert not any(directory.held_during_lookup)  # ...never while holding the database
        events = await core.db.fetch_all(
            "SELECT user_id, action, source FROM rsvp_events WHERE user_id = ?", (BOB,)
        )
        assert [tuple(e) for e in events][-1] == (BOB, "remove", "departed")
    finally:
        await core.close()
