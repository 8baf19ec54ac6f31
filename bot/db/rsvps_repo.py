"""SQL for RSVPs, their event log and the reactions seen on announcements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from bot.db.database import Database, SyncConnection
from bot.db.retention_repo import decode_going
from bot.db.sessions_repo import SESSION_FIELDS, SessionRow, session_from_row
from bot.domain.rsvp import RosterEntry, State


@dataclass(frozen=True, slots=True)
class RsvpRow:
    session_id: int
    user_id: int
    display_name: str
    response: str
    state: State
    going_seq: int | None
    source: str


@dataclass(frozen=True, slots=True)
class Recorded:
    """What :meth:`RsvpsRepo.record_answer` wrote and read, in one trip."""

    previous: RsvpRow | None
    state: State
    going_seq: int | None
    #: Going, not counting this member, before the answer.
    confirmed_before: int
    #: Position on the waitlist (1 = next), when waitlisted.
    position: int | None
    #: The member's reactions Pacer has seen on the announcement, after this answer.
    seen: frozenset[str]


class PlaceFreed(Exception):
    """An answer at once would free a place: it needs the path that fills it."""


class RsvpsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def log(
        self, session_id: int, user_id: int, action: str, source: str, now: datetime
    ) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO rsvp_events (session_id, user_id, action, source, at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (session_id, user_id, action, source, now.isoformat()),
            )
            return int((await cursor.fetchall())[0][0])

    async def record_answer(
        self,
        *,
        session_id: int,
        guild_id: int,
        user_id: int,
        display_name: str,
        response: str,
        source: str,
        now: datetime,
        decide: Callable[[State | None, int], State],
        seen: tuple[str, bool] | None = None,
    ) -> Recorded:
        """Log an answer, decide where it puts the member and save it, in one trip to the
        connection's thread (inside the caller's transaction). ``decide(current, confirmed)``
        is the pure rule (:func:`bot.domain.rsvp.state_for`); ``seen`` marks a reaction as
        there or gone first. Someone going or waiting who stays so keeps their place
        (``going_seq``); anyone else entering going or the waitlist queues by this answer's log
        id. Marks the announcement out of date when the member's answer or state changed.
        """
        stamp = now.isoformat()
        return await self._db.run(
            partial(
                _record,
                session_id=session_id,
                guild_id=guild_id,
                user_id=user_id,
                display_name=display_name,
                response=response,
                source=source,
                stamp=stamp,
                decide=decide,
                seen=seen,
            )
        )

    async def answer_at_once(
        self,
        *,
        session_id: int,
        guild_id: int,
        user_id: int,
        display_name: str,
        response: str,
        source: str,
        now: datetime,
        check: Callable[[SessionRow | None], SessionRow],
        decide: Callable[[SessionRow, State | None, int], State],
        seen: tuple[str, bool] | None = None,
    ) -> tuple[SessionRow, Recorded]:
        """:meth:`record_answer` as one unit of a group commit run wholly on the connection's
        thread, reading the session first: ``check`` (pure) returns it or raises why it takes
        no answers. Returns once committed.

        Raises:
            PlaceFreed: the answer would free a place (nothing written: the caller takes the
                path that fills it from the waitlist).
            Whatever ``check`` raised (nothing written).
        """
        stamp = now.isoformat()

        def unit(conn: SyncConnection) -> tuple[SessionRow, Recorded]:
            row = conn.execute(
                # FOR UPDATE: other processes' answers to this session wait until this one
                # commits, so they are decided one after the other (PostgreSQL; SQLite drops it).
                f"SELECT {SESSION_FIELDS} FROM sessions WHERE id = ? AND guild_id = ?"  # noqa: S608
                " FOR UPDATE",
                (session_id, guild_id),
            ).fetchone()
            session = check(None if row is None else session_from_row(row))
            done = _record(
                conn,
                session_id=session.id,
                guild_id=guild_id,
                user_id=user_id,
                display_name=display_name,
                response=response,
                source=source,
                stamp=stamp,
                decide=partial(decide, session),
                seen=seen,
            )
            was_going = done.previous is not None and done.previous.state is State.GOING
            if was_going and done.state is not State.GOING:
                raise PlaceFreed(session.id)
            return session, done

        return await self._db.grouped_sync(unit)

    async def get(self, session_id: int, user_id: int) -> RsvpRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_RSVP_FIELDS} FROM rsvps WHERE session_id = ? AND user_id = ?",  # noqa: S608
            (session_id, user_id),
        )
        return None if row is None else _rsvp(row)

    async def save(
        self,
        *,
        session_id: int,
        guild_id: int,
        user_id: int,
        display_name: str,
        response: str,
        state: State,
        going_seq: int | None,
        source: str,
        now: datetime,
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                _UPSERT,
                _upsert_values(
                    session_id,
                    user_id,
                    guild_id,
                    display_name,
                    response,
                    state,
                    going_seq,
                    source,
                    now.isoformat(),
                ),
            )

    async def delete(self, session_id: int, user_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM rsvps WHERE session_id = ? AND user_id = ?", (session_id, user_id)
            )

    async def count(self, session_id: int, state: State) -> int:
        if state is State.GOING:
            row = await self._db.fetch_one(_GOING, (session_id,))
            return int(row[0]) if row else 0
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM rsvps WHERE session_id = ? AND state = ?",
            (session_id, state.value),
        )
        return int(row[0]) if row else 0

    async def waitlist_position(self, session_id: int, going_seq: int) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM rsvps WHERE session_id = ? AND state = 'waitlist'"
            " AND going_seq <= ?",
            (session_id, going_seq),
        )
        return int(row[0]) if row else 0

    async def waitlist_user_ids(self, session_id: int, limit: int) -> list[int]:
        """The first ``limit`` members on the waitlist, first come first."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM rsvps WHERE session_id = ? AND state = 'waitlist'"
            " ORDER BY going_seq LIMIT ?",
            (session_id, limit),
        )
        return [int(row[0]) for row in rows]

    async def promote_users(self, session_id: int, user_ids: list[int], now: datetime) -> None:
        """Give these waitlisted members a place."""
        async with self._db.transaction() as conn:
            for user_id in user_ids:
                await conn.execute(
                    "UPDATE rsvps SET state = 'going', updated_at = ?"
                    " WHERE session_id = ? AND user_id = ? AND state = 'waitlist'",
                    (now.isoformat(), session_id, user_id),
                )

    async def roster(self, session_id: int) -> list[RosterEntry]:
        """Everyone's answer, first come first; for a session pruned by retention, who was
        going when answers closed (all that is kept: ids only, no names)."""
        rows = await self._db.fetch_all(
            "SELECT user_id, display_name, state, source, updated_at FROM rsvps"
            " WHERE session_id = ? ORDER BY COALESCE(going_seq, 9223372036854775807), updated_at,"
            " user_id",
            (session_id,),
        )
        if not rows:
            kept = await self._db.fetch_one(
                "SELECT g.user_ids, s.pruned_at FROM session_going g"
                " JOIN sessions s ON s.id = g.session_id WHERE g.session_id = ?",
                (session_id,),
            )
            if kept is not None:
                pruned_at = str(kept[1])
                return [
                    RosterEntry(user, "", State.GOING, "kept", None, pruned_at)
                    for user in decode_going(kept[0])
                ]
        return [
            RosterEntry(int(r[0]), str(r[1]), State(r[2]), str(r[3]), None, str(r[4])) for r in rows
        ]

    async def states_for_user(self, user_id: int, session_ids: list[int]) -> dict[int, State]:
        if not session_ids:
            return {}
        marks = ", ".join("?" for _ in session_ids)
        rows = await self._db.fetch_all(
            f"SELECT session_id, state FROM rsvps WHERE user_id = ?"  # noqa: S608
            f" AND session_id IN ({marks})",
            (user_id, *session_ids),
        )
        return {int(r[0]): State(r[1]) for r in rows}

    async def going_user_ids(self, session_id: int) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT user_id FROM rsvps WHERE session_id = ? AND state = 'going' ORDER BY going_seq",
            (session_id,),
        )
        return [int(r[0]) for r in rows]

    async def seen(self, session_id: int) -> set[tuple[int, str]]:
        rows = await self._db.fetch_all(
            "SELECT user_id, emoji FROM reactions_seen WHERE session_id = ?", (session_id,)
        )
        return {(int(r[0]), str(r[1])) for r in rows}

    async def set_seen(self, session_id: int, user_id: int, emoji: str, present: bool) -> None:
        async with self._db.transaction():
            await self._db.run(lambda conn: _set_seen(conn, session_id, user_id, emoji, present))

    async def seen_for_user(self, session_id: int, user_id: int) -> set[str]:
        """The reactions (as Discord spells them) Pacer last saw from this member."""
        rows = await self._db.fetch_all(
            "SELECT emoji FROM reactions_seen WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
        return {str(r[0]) for r in rows}

    async def clear_seen(self, session_id: int, emoji: str | None) -> None:
        """Forget the reactions seen on an announcement: all of them, or one emoji's."""
        async with self._db.transaction() as conn:
            if emoji is None:
                await conn.execute("DELETE FROM reactions_seen WHERE session_id = ?", (session_id,))
            else:
                await conn.execute(
                    "DELETE FROM reactions_seen WHERE session_id = ? AND emoji = ?",
                    (session_id, emoji),
                )

    async def forget_seen(self, session_id: int) -> None:
        """A new announcement carries no member reactions yet: what was seen on the old one must
        not read as reactions taken back."""
        await self.clear_seen(session_id, None)


#: Kept by triggers (migration 006), so no answer counts the going rows.
_GOING = "SELECT going_count FROM sessions WHERE id = ?"


def _record(
    conn: SyncConnection,
    *,
    session_id: int,
    guild_id: int,
    user_id: int,
    display_name: str,
    response: str,
    source: str,
    stamp: str,
    decide: Callable[[State | None, int], State],
    seen: tuple[str, bool] | None,
) -> Recorded:
    if seen is not None:
        _set_seen(conn, session_id, user_id, *seen)
    seq = conn.execute(
        "INSERT INTO rsvp_events (session_id, user_id, action, source, at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id",
        (session_id, user_id, response, source, stamp),
    ).fetchone()[0]
    row = conn.execute(
        f"SELECT {_RSVP_FIELDS} FROM rsvps WHERE session_id = ? AND user_id = ?",  # noqa: S608
        (session_id, user_id),
    ).fetchone()
    previous = None if row is None else _rsvp(row)
    current_state = previous.state if previous else None
    # The caller locked the session row (FOR UPDATE) in this transaction.
    confirmed = int(conn.execute(_GOING, (session_id,)).fetchone()[0])
    if current_state is State.GOING:
        confirmed -= 1
    state = decide(current_state, confirmed)
    queued = state in (State.GOING, State.WAITLIST)
    keeps_place = queued and current_state == state and previous is not None
    going_seq = (
        (previous.going_seq if keeps_place and previous else int(seq or 0)) if queued else None
    )
    conn.execute(
        _UPSERT,
        _upsert_values(
            session_id, user_id, guild_id, display_name, response, state, going_seq, source, stamp
        ),
    )
    if previous is None or current_state != state or previous.response != response:
        conn.execute("UPDATE sessions SET version = version + 1 WHERE id = ?", (session_id,))
    position = None
    if state is State.WAITLIST and going_seq is not None:
        position = int(
            conn.execute(
                "SELECT COUNT(*) FROM rsvps WHERE session_id = ? AND state = 'waitlist'"
                " AND going_seq <= ?",
                (session_id, going_seq),
            ).fetchone()[0]
        )
    emojis = conn.execute(
        "SELECT emoji FROM reactions_seen WHERE session_id = ? AND user_id = ?",
        (session_id, user_id),
    ).fetchall()
    return Recorded(
        previous,
        state,
        going_seq,
        confirmed,
        position,
        frozenset(str(e[0]) for e in emojis),
    )


_RSVP_FIELDS = "session_id, user_id, display_name, response, state, going_seq, source"


def _upsert_values(
    session_id: int,
    user_id: int,
    guild_id: int,
    display_name: str,
    response: str,
    state: State,
    going_seq: int | None,
    source: str,
    stamp: str,
) -> tuple[object, ...]:
    """The parameters of :data:`_UPSERT`, in its column order (both write paths use it)."""
    return (
        session_id,
        user_id,
        guild_id,
        display_name,
        response,
        state.value,
        going_seq,
        source,
        stamp,
    )


_UPSERT = (
    "INSERT INTO rsvps (session_id, user_id, guild_id, display_name, response, state,"
    " going_seq, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (session_id, user_id) DO UPDATE SET"
    " display_name = excluded.display_name, response = excluded.response,"
    " state = excluded.state, going_seq = excluded.going_seq,"
    " source = excluded.source, updated_at = excluded.updated_at"
)


def _rsvp(row: Any) -> RsvpRow:
    return RsvpRow(
        session_id=int(row[0]),
        user_id=int(row[1]),
        display_name=str(row[2]),
        response=str(row[3]),
        state=State(row[4]),
        going_seq=row[5],
        source=str(row[6]),
    )


def _set_seen(
    conn: SyncConnection, session_id: int, user_id: int, emoji: str, present: bool
) -> None:
    if present:
        conn.execute(
            "INSERT INTO reactions_seen (session_id, user_id, emoji) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (session_id, user_id, emoji),
        )
    else:
        conn.execute(
            "DELETE FROM reactions_seen WHERE session_id = ? AND user_id = ? AND emoji = ?",
            (session_id, user_id, emoji),
        )
