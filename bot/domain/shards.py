"""Which Discord shards a process runs, and which shard a server belongs to.

Discord's rule (https://discord.com/developers/docs/topics/gateway#sharding): a server's events
go to shard ``(guild_id >> 22) % shard_count``. A process that owns a set of shards posts only
for the servers of those shards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Discord's limit on shards for one bot is far lower; this only bounds typos.
MAX_SHARDS = 4096

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


class ShardError(ValueError):
    """SHARD_IDS or SHARD_COUNT is unusable; says which and shows a valid example."""


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends ``guild_id``'s events to."""
    return (guild_id >> 22) % shard_count


def parse_shard_ids(text: str, shard_count: int) -> tuple[int, ...]:
    """``"0-3"``, ``"0,2,5"`` or ``"0-3,8"`` as sorted shard ids below ``shard_count``.

    Raises:
        ShardError: not that shape, empty, or an id not below ``shard_count``.
    """
    ids: set[int] = set()
    for part in text.split(","):
        match = _RANGE.match(part)
        if match is None:
            raise ShardError(
                f"SHARD_IDS '{text}' is not a list of shards; use one like 0-3 or 0,2,5"
            )
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        if last < first:
            raise ShardError(f"SHARD_IDS '{part.strip()}' runs backwards; write it like 0-3")
        if last >= shard_count == 1:
            raise ShardError(
                f"SHARD_IDS '{text}' names shard {last}, but SHARD_COUNT is 1 (or unset: no "
                "sharding); set both, like SHARD_COUNT=16 and SHARD_IDS=0-3"
            )
        if last >= shard_count:
            raise ShardError(
                f"SHARD_IDS '{text}' names shard {last}, but SHARD_COUNT is {shard_count} "
                f"(shards 0-{shard_count - 1}); use one like 0-{min(3, shard_count - 1)}"
            )
        ids.update(range(first, last + 1))
    return tuple(sorted(ids))


@dataclass(frozen=True, slots=True)
class Shards:
    """The shards this process owns, out of ``count``."""

    count: int = 1
    ids: tuple[int, ...] = (0,)

    @property
    def all(self) -> bool:
        """Whether this process owns every shard (the only choice with SQLite)."""
        return self.ids == tuple(range(self.count))

    def owns(self, guild_id: int) -> bool:
        return shard_of(guild_id, self.count) in self.ids

    def sql_filter(self, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
        """``(" AND <condition>", params)`` keeping rows of owned servers only, in portable SQL
        (see :mod:`bot.db`); ``("", ())`` when every shard is owned. ``column`` is trusted."""
        if self.all:
            return "", ()
        marks = ", ".join("?" for _ in self.ids)
        return f" AND (({column} / 4194304) % ?) IN ({marks})", (self.count, *self.ids)

    def describe(self) -> str:
        return "all shards" if self.all else f"shards {_ranges(self.ids)} of {self.count}"


def _ranges(ids: tuple[int, ...]) -> str:
    parts: list[str] = []
    start = prev = ids[0]
    for shard in ids[1:]:
        if shard != prev + 1:
            parts.append(f"{start}-{prev}" if start != prev else str(start))
            start = shard
        prev = shard
    parts.append(f"{start}-{prev}" if start != prev else str(start))
    return ",".join(parts)
