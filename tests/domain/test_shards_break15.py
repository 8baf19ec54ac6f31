"""SHARD_IDS errors an operator meets first (issue 15, found breaking it): SHARD_IDS set without
SHARD_COUNT read "SHARD_COUNT is 1 (shards 0-0)", with no word of setting SHARD_COUNT and no
valid example."""

from __future__ import annotations

import pytest

from bot.domain.shards import ShardError, parse_shard_ids


def test_shard_ids_without_shard_count_says_to_set_both() -> None:
    with pytest.raises(ShardError) as caught:
        parse_shard_ids("0-3", 1)
    message = str(caught.value)
    assert "0-0" not in message
    assert "SHARD_COUNT=16 and SHARD_IDS=0-3" in message


@pytest.mark.parametrize(("text", "count", "example"), [("0-16", 16, "0-3"), ("2", 2, "0-1")])
def test_a_shard_past_the_count_shows_a_valid_example(text: str, count: int, example: str) -> None:
    with pytest.raises(ShardError) as caught:
        parse_shard_ids(text, count)
    assert f"use one like {example}" in str(caught.value)
    assert parse_shard_ids(example, count)  # the example given is itself accepted
