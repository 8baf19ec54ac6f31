"""Shard ownership: Discord's rule and the SHARD_IDS notation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.shards import ShardError, Shards, parse_shard_ids, shard_of


@pytest.mark.parametrize(
    ("text", "count", "ids"),
    [
        ("0-3", 16, (0, 1, 2, 3)),
        ("0,2,5", 8, (0, 2, 5)),
        (" 0-1 , 7 ", 8, (0, 1, 7)),
        ("3", 4, (3,)),
        ("2-3,0-1", 4, (0, 1, 2, 3)),
    ],
)
def test_shard_ids_are_read(text: str, count: int, ids: tuple[int, ...]) -> None:
    assert parse_shard_ids(text, count) == ids


@pytest.mark.parametrize(
    ("text", "count", "says"),
    [
        ("0-16", 16, "names shard 16, but SHARD_COUNT is 16"),
        ("3-1", 8, "runs backwards"),
        ("a", 4, "use one like 0-3"),
        ("", 4, "use one like 0-3"),
        ("1;2", 4, "use one like 0-3"),
    ],
)
def test_bad_shard_ids_say_what_is_wrong(text: str, count: int, says: str) -> None:
    with pytest.raises(ShardError, match=says):
        parse_shard_ids(text, count)


def test_a_guild_belongs_to_the_shard_discord_sends_its_events_to() -> None:
    # Discord's documented example: (guild_id >> 22) % num_shards.
    guild_id = 197038439483310086
    assert shard_of(guild_id, 16) == (guild_id >> 22) % 16


@given(st.integers(min_value=1, max_value=2**63 - 1), st.integers(min_value=1, max_value=64))
def test_every_guild_has_exactly_one_owner_among_disjoint_processes(
    guild_id: int, count: int
) -> None:
    halves = [Shards(count, tuple(range(0, count, 2))), Shards(count, tuple(range(1, count, 2)))]
    assert sum(1 for shards in halves if shards.ids and shards.owns(guild_id)) == 1


def test_all_shards_filter_nothing() -> None:
    assert Shards(4, (0, 1, 2, 3)).sql_filter() == ("", ())
    condition, params = Shards(16, (0, 1)).sql_filter()
    assert "% ?" in condition
    assert params == (16, 0, 1)
