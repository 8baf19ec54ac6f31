"""SQL for retention: pruning the full record of sessions that finished long ago.

A pruned session keeps its row, its attendance marks and who was going when answers closed
(``session_going``); its answers and their history, the reactions seen and the log of what was
posted are deleted. Plain SQL with ``?`` placeholders, one chunk per transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.db.database import Database, SyncConnection
from bot.domain.shards import Shards


def encode_going(user_ids: Iterable[int]) -> str:
    """``session_going.user_ids``: the member ids going, in order, separated by spaces."""
    return " ".join(str(user_id) for user_id in user_ids)


def decode_going(text: object) -> list[int]:
    """The member ids of a ``session_going.user_ids`` value (see :func:`encode_going`)."""
    return [int(user_id) for user_id in str(text).split()]


class RetentionRepo:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        """``shards``: the Discord shards this process owns; it prunes only their servers'
        sessions (each process its own, none twice). None: all."""
        self._db = db
        self._owned = (shards or Shards()).sql_filter()

    async def finished(self, before: datetime, limit: int) -> list[int]:
        """Sessions starting before ``before`` not pruned yet, oldest first (an index on the
        start of unpruned sessions: the job never reads what it pruned before)."""
        owned, shards = self._owned
        rows = await self._db.fetch_all(
            "SELECT id FROM sessions WHERE pruned_at IS NULL AND starts_at < ?"  # noqa: S608
            f"{owned} ORDER BY starts_at LIMIT ?",
            (before.isoformat(), *shards, limit),
        )
        return [int(row[0]) for row in rows]

    async def prune(self, session_ids: Sequence[int], now: datetime) -> None:
        """Prune these sessions in one trip (inside the caller's transaction)."""
        ids = list(session_ids)
        if not ids:
            return
        marks = ", ".join("?" for _ in ids)
        stamp = now.isoformat()

        def write(conn: SyncConnection) -> None:
            going: dict[int, list[int]] = defaultdict(list)
            for session_id, user_id in conn.execute(
                f"SELECT session_id, user_id FROM rsvps WHERE session_id IN ({marks})"  # noqa: S608
                " AND state = 'going' ORDER BY session_id, going_seq",
                ids,
            ).fetchall():
                going[int(session_id)].append(int(user_id))
            conn.executemany(
                "INSERT INTO session_going (session_id, user_ids) VALUES (?, ?)",
                [(session_id, encode_going(users)) for session_id, users in going.items()],
            )
            for table in (
                "rsvps",
                "rsvp_events",
                "reactions_seen",
                "deliveries",
                "group_members",
                "group_leaders",
            ):
                conn.execute(f"DELETE FROM {table} WHERE session_id IN ({marks})", ids)  # noqa: S608
            # A mark made once and never changed: its one history row repeats the mark.
            conn.execute(
                f"DELETE FROM attendance_events WHERE session_id IN ({marks})"  # noqa: S608
                " AND id IN (SELECT e.id FROM attendance_events e JOIN attendance a"
                " ON a.session_id = e.session_id AND a.user_id = e.user_id"
                " AND a.state = e.state AND a.source = e.source AND a.marked_by = e.marked_by"
                f" WHERE e.session_id IN ({marks}) AND NOT EXISTS (SELECT 1 FROM"
                " attendance_events o WHERE o.session_id = e.session_id"
                " AND o.user_id = e.user_id AND o.id != e.id))",
                ids + ids,
            )
            # The going count stays what it was when answers closed (the deletes above took
            # it down through the triggers).
            conn.executemany(
                "UPDATE sessions SET going_count = ?, pruned_at = ? WHERE id = ?",
                [(len(going.get(session_id, ())), stamp, session_id) for session_id in ids],
            )

        await self._db.run(write)
