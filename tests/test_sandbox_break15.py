"""The sandbox started on the machine of one process of several (issue 15, found breaking it):
with SHARD_COUNT=16 and SHARD_IDS=4-7 in the environment it ran as that process, its simulated
club on a shard it does not post for: a session was saved and never announced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import remove_logging
from bot.sandbox import open_sandbox
from bot.settings import Settings


@pytest.fixture
def sharded(tmp_path: Path) -> Iterator[Settings]:
    yield Settings(
        database_path=tmp_path / "pacer.db",
        database_url="postgresql://pacer:secret@127.0.0.1:1/pacer",
        shard_count=16,
        shard_ids="4-7",
    )
    remove_logging()


async def test_the_sandbox_of_a_sharded_configuration_announces_its_sessions(
    sharded: Settings,
) -> None:
    async with open_sandbox(sharded) as sandbox:
        coach = sandbox.members["Coach Marc"]
        await coach.slash(
            sandbox.channel,
            "session create",
            title="Track night",
            date="2027-01-06",
            time="06:00",
            location="Track",
        )
        posts = [m for m in sandbox.channel.history(viewer=coach) if m.author.bot and m.embeds]

    assert len(posts) == 1, "the session was never announced"
    assert "Track night" in (posts[0].embeds[0].title or "")
