"""SQL for sessions (one row per occurrence) and their series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.db.database import Database, Row
from bot.domain.shards import Shards

_FIELDS = (
    "id, guild_id, series_id, position, title, location, workout, workout_parsed,"
    " workout_display, details,"
    " capacity, channel_id, starts_at, timezone, status, cancel_reason,"
    " announcement_message_id, version, rendered_version, created_by, duration_s,"
    " discord_event_id, thread_id, answer_role_id, attendee_role_id, rsvp_closes_s,"
    " (SELECT weeks FROM series WHERE series.id = sessions.series_id) AS weeks"
)
EDITABLE = (
    "title",
    "location",
    "workout",
    "workout_parsed",
    "workout_display",
    "details",
    "capacity",
    "channel_id",
    "starts_at",
    "duration_s",
    "answer_role_id",
    "attendee_role_id",
    "rsvp_closes_s",
)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    guild_id: int
    series_id: int
    position: int
    weeks: int
    title: str
    location: str
    workout: str | None
    workout_parsed: bool
    details: str | None
    capacity: int | None
    channel_id: int
    starts_at: datetime
    timezone: str
    status: str
    workout_display: str | None
    cancel_reason: str | None
    announcement_message_id: int | None
    version: int
    rendered_version: int
    created_by: int
    duration_s: int = 5400
    discord_event_id: int | None = None
    thread_id: int | None = None
    #: Only members with this role may answer (None: everyone who can see the channel).
    answer_role_id: int | None = None
    #: Given to members going until the end (None: no role).
    attendee_role_id: int | None = None
    #: Answers close this many seconds before the start (0: at the start).
    rsvp_closes_s: int = 0

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(seconds=self.duration_s)

    @property
    def answers_close_at(self) -> datetime:
        """When answers close (aware UTC): ``rsvp_closes_s`` before the start."""
        return self.starts_at - timedelta(seconds=self.rsvp_closes_s)


@dataclass(frozen=True, slots=True)
class NewSession:
    guild_id: int
    position: int
    title: str
    location: str
    workout: str | None
    workout_parsed: bool
    details: str | None
    capacity: int | None
    channel_id: int
    starts_at: datetime
    timezone: str
    created_by: int
    workout_display: str | None = None
    duration_s: int = 5400
    answer_role_id: int | None = None
    attendee_role_id: int | None = None
    rsvp_closes_s: int = 0


#: The columns :func:`session_from_row` reads, in order.
SESSION_FIELDS = _FIELDS


def session_from_row(row: Row) -> SessionRow:
    """A row selected with :data:`SESSION_FIELDS` (for one-trip work on the plain connection)."""
    return _session(row)


def _session(row: Row) -> SessionRow:
    return SessionRow(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        series_id=int(row["series_id"]),
        position=int(row["position"]),
        weeks=int(row["weeks"]),
        title=str(row["title"]),
        location=str(row["location"]),
        workout=row["workout"],
        workout_parsed=bool(row["workout_parsed"]),
        workout_display=row["workout_display"],
        details=row["details"],
        capacity=row["capacity"],
        channel_id=int(row["channel_id"]),
        starts_at=datetime.fromisoformat(row["starts_at"]),
        timezone=str(row["timezone"]),
        status=str(row["status"]),
        cancel_reason=row["cancel_reason"],
        announcement_message_id=row["announcement_message_id"],
        version=int(row["version"]),
        rendered_version=int(row["rendered_version"]),
        created_by=int(row["created_by"]),
        duration_s=int(row["duration_s"]),
        discord_event_id=row["discord_event_id"],
        thread_id=row["thread_id"],
        answer_role_id=row["answer_role_id"],
        attendee_role_id=row["attendee_role_id"],
        rsvp_closes_s=int(row["rsvp_closes_s"]),
    )


class SessionsRepo:
    def __init__(self, db: Database, shards: Shards | None = None) -> None:
        """``shards``: the Discord shards this process owns; it redraws the announcements of
        their servers only (:meth:`out_of_date`). None: all."""
        self._db = db
        self._owned = (shards or Shards()).sql_filter()

    async def create_series(self, guild_id: int, weeks: int, created_by: int, now: datetime) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO series (guild_id, weeks, created_by, created_at) VALUES (?, ?, ?, ?)"
                " RETURNING id",
                (guild_id, weeks, created_by, now.isoformat()),
            )
            return int((await cursor.fetchall())[0][0])

    async def create(self, series_id: int, new: NewSession, now: datetime) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO sessions (guild_id, series_id, position, title, location, workout,"
                " workout_parsed, workout_display, details, capacity, channel_id, starts_at,"
                " timezone, created_by, created_at, updated_at, duration_s, answer_role_id,"
                " attendee_role_id, rsvp_closes_s)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.guild_id,
                    series_id,
                    new.position,
                    new.title,
                    new.location,
                    new.workout,
                    int(new.workout_parsed),
                    new.workout_display,
                    new.details,
                    new.capacity,
                    new.channel_id,
                    new.starts_at.isoformat(),
                    new.timezone,
                    new.created_by,
                    now.isoformat(),
                    now.isoformat(),
                    new.duration_s,
                    new.answer_role_id,
                    new.attendee_role_id,
                    new.rsvp_closes_s,
                ),
            )
            return int((await cursor.fetchall())[0][0])

    async def get(self, session_id: int, guild_id: int | None = None) -> SessionRow | None:
        """The occurrence, or None; with ``guild_id``, None unless it belongs to that server."""
        sql = f"SELECT {_FIELDS} FROM sessions WHERE id = ?"  # noqa: S608
        params: list[Any] = [session_id]
        if guild_id is not None:
            sql += " AND guild_id = ?"
            params.append(guild_id)
        row = await self._db.fetch_one(sql, params)
        return None if row is None else _session(row)

    async def by_announcement(self, message_id: int) -> SessionRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_FIELDS} FROM sessions WHERE announcement_message_id = ?",  # noqa: S608
            (message_id,),
        )
        return None if row is None else _session(row)

    async def upcoming(
        self,
        guild_id: int,
        now: datetime,
        limit: int = 25,
        include_cancelled: bool = False,
        after: tuple[datetime, int] | None = None,
    ) -> list[SessionRow]:
        """Sessions of the server starting after ``now``, ordered by (start, id), at most
        ``limit``; scheduled ones only unless ``include_cancelled``. ``after``: from just after
        a previous page's last (start, id), so a long list is read nearest first, a page at a
        time."""
        where = "guild_id = ? AND starts_at > ?"
        params: tuple[object, ...] = (guild_id, now.isoformat())
        if not include_cancelled:
            where += " AND status = 'scheduled'"
        if after is not None:
            where += " AND (starts_at > ? OR (starts_at = ? AND id > ?))"
            params += (after[0].isoformat(), after[0].isoformat(), after[1])
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM sessions WHERE {where} ORDER BY starts_at, id LIMIT ?",  # noqa: S608
            (*params, limit),
        )
        return [_session(row) for row in rows]

    async def upcoming_with_roles(self, guild_id: int, now: datetime) -> list[SessionRow]:
        """Scheduled sessions of the server starting after ``now`` that have an answer role or
        an attendee role (through the server's sessions by start; a few rows)."""
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM sessions WHERE guild_id = ? AND starts_at > ?"  # noqa: S608
            " AND status = 'scheduled'"
            " AND (answer_role_id IS NOT NULL OR attendee_role_id IS NOT NULL)"
            " ORDER BY starts_at, id",
            (guild_id, now.isoformat()),
        )
        return [_session(row) for row in rows]

    async def announced_upcoming(self, now: datetime) -> list[SessionRow]:
        """Announced sessions of every server that have not started and are not cancelled
        (through the index of announced sessions by start: a few rows however long the
        history)."""
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM sessions WHERE announcement_message_id IS NOT NULL"  # noqa: S608
            " AND starts_at > ? AND status = 'scheduled' ORDER BY starts_at, id",
            (now.isoformat(),),
        )
        return [_session(row) for row in rows]

    async def series_from(self, series_id: int, position: int, now: datetime) -> list[SessionRow]:
        """Occurrences of a series from ``position`` on that have not started or been cancelled."""
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM sessions WHERE series_id = ? AND position >= ?"  # noqa: S608
            " AND starts_at > ? AND status = 'scheduled' ORDER BY position",
            (series_id, position, now.isoformat()),
        )
        return [_session(row) for row in rows]

    async def update(self, session_id: int, now: datetime, **values: Any) -> None:
        """Change editable fields and bump the version so the announcement gets refreshed."""
        unknown = set(values) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        stored = {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in values.items()
        }
        assignments = "".join(f"{name} = ?, " for name in stored)
        async with self._db.transaction() as conn:
            await conn.execute(
                # Column names come from EDITABLE, never from members.
                f"UPDATE sessions SET {assignments}version = version + 1,"  # noqa: S608
                " updated_at = ? WHERE id = ?",
                (*stored.values(), now.isoformat(), session_id),
            )

    async def cancel(self, session_id: int, reason: str | None, now: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET status = 'cancelled', cancel_reason = ?,"
                " version = version + 1, updated_at = ? WHERE id = ?",
                (reason, now.isoformat(), session_id),
            )

    async def touch(self, session_id: int) -> None:
        """Mark the announcement out of date (its roster or state changed)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET version = version + 1 WHERE id = ?", (session_id,)
            )

    async def set_announcement(self, session_id: int, message_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET announcement_message_id = ?, rendered_version = version"
                " WHERE id = ?",
                (message_id, session_id),
            )

    async def set_discord_event(self, session_id: int, event_id: int | None) -> None:
        """Remember (or forget, with None) the Discord scheduled event mirroring the session."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET discord_event_id = ? WHERE id = ?", (event_id, session_id)
            )

    async def set_thread(self, session_id: int, thread_id: int | None) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET thread_id = ? WHERE id = ?", (thread_id, session_id)
            )

    async def announced_never_mirrored(self, now: datetime) -> list[SessionRow]:
        """Announced upcoming sessions of this process's servers that never had a Discord
        event row (announced before Pacer mirrored sessions)."""
        owned, shards = self._owned
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM sessions WHERE announcement_message_id IS NOT NULL"  # noqa: S608
            " AND starts_at > ? AND status = 'scheduled' AND discord_event_id IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.session_id = sessions.id"
            f" AND d.kind = 'discord_event'){owned} ORDER BY starts_at",
            (now.isoformat(), *shards),
        )
        return [_session(row) for row in rows]

    async def by_discord_event(self, event_id: int) -> SessionRow | None:
        row = await self._db.fetch_one(
            f"SELECT {_FIELDS} FROM sessions WHERE discord_event_id = ?",  # noqa: S608
            (event_id,),
        )
        return None if row is None else _session(row)

    async def forget_announcement(self, session_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET announcement_message_id = NULL WHERE id = ?", (session_id,)
            )

    async def out_of_date(self, limit: int = 100) -> list[SessionRow]:
        owned, shards = self._owned
        rows = await self._db.fetch_all(
            f"SELECT {_FIELDS} FROM sessions WHERE announcement_message_id IS NOT NULL"  # noqa: S608
            f" AND rendered_version < version{owned} ORDER BY id LIMIT ?",
            (*shards, limit),
        )
        return [_session(row) for row in rows]

    async def mark_rendered(self, session_id: int, version: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET rendered_version = ? WHERE id = ? AND rendered_version < ?",
                (version, session_id, version),
            )

    async def set_zone(self, guild_id: int, timezone: str, now: datetime) -> None:
        """The server's zone changed: upcoming sessions keep their instants, and are now shown
        (calendar files, wall-clock edits) in the new zone."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET timezone = ? WHERE guild_id = ? AND starts_at > ?"
                " AND status = 'scheduled'",
                (timezone, guild_id, now.isoformat()),
            )

    async def move_unannounced(
        self, guild_id: int, old_channel_id: int, new_channel_id: int, now: datetime
    ) -> list[int]:
        """Upcoming sessions of ``old_channel_id`` not announced yet now go to
        ``new_channel_id``; returns their ids."""
        rows = await self._db.fetch_all(
            "SELECT id FROM sessions WHERE guild_id = ? AND channel_id = ? AND starts_at > ?"
            " AND status = 'scheduled' AND announcement_message_id IS NULL ORDER BY starts_at",
            (guild_id, old_channel_id, now.isoformat()),
        )
        ids = [int(r[0]) for r in rows]
        async with self._db.transaction() as conn:
            for session_id in ids:
                await conn.execute(
                    "UPDATE sessions SET channel_id = ?, version = version + 1 WHERE id = ?",
                    (new_channel_id, session_id),
                )
        return ids

    async def count_upcoming(self, now: datetime) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM sessions WHERE starts_at > ? AND status = 'scheduled'",
            (now.isoformat(),),
        )
        return int(row[0]) if row else 0

    async def without_workout_display(self, limit: int = 1000) -> list[tuple[int, str]]:
        """(id, workout) of parsed workouts stored before their display lines were saved."""
        rows = await self._db.fetch_all(
            "SELECT id, workout FROM sessions WHERE workout_parsed = 1"
            " AND workout IS NOT NULL AND workout_display IS NULL ORDER BY id LIMIT ?",
            (limit,),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    async def set_workout_display(self, session_id: int, display: str | None) -> None:
        """Save a workout's display lines; None keeps it as free text (no personal paces)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE sessions SET workout_display = ?, workout_parsed = ? WHERE id = ?",
                (display, int(display is not None), session_id),
            )

    async def attendee_role_holders(
        self, guild_id: int, role_id: int, user_ids: list[int], now: datetime, longest: timedelta
    ) -> set[int]:
        """Of ``user_ids``, those going to a session of the server with attendee role
        ``role_id`` that is not cancelled and has not ended at ``now`` (``longest``: the
        longest a session lasts, so candidates are found by their start)."""
        holders: set[int] = set()
        for at in range(0, len(user_ids), 500):
            chunk = user_ids[at : at + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = await self._db.fetch_all(
                "SELECT rsvps.user_id, sessions.starts_at, sessions.duration_s"  # noqa: S608
                " FROM rsvps JOIN sessions ON sessions.id = rsvps.session_id"
                " WHERE sessions.guild_id = ? AND sessions.attendee_role_id = ?"
                " AND sessions.status = 'scheduled' AND rsvps.state = 'going'"
                f" AND sessions.starts_at > ? AND rsvps.user_id IN ({marks})",
                (guild_id, role_id, (now - longest).isoformat(), *chunk),
            )
            for row in rows:
                ends_at = datetime.fromisoformat(row["starts_at"]) + timedelta(
                    seconds=int(row["duration_s"])
                )
                if ends_at > now:
                    holders.add(int(row["user_id"]))
        return holders
