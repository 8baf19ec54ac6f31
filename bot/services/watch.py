"""FIT workout files: a runner's session as a workout their watch runs, step by step.

Encoding uses Garmin's own FIT SDK (``garmin-fit-sdk``: its ``Encoder`` writes the header, the
definitions and both CRCs); Pacer only says which messages to write. The file is a FIT "workout"
file (``file_id.type`` workout) with one ``workout`` message and its ``workout_step`` messages,
as the FIT SDK's workout file description lays out (developer.garmin.com/fit/file-types/workout).

Units are FIT's: durations in milliseconds, distances in centimetres, pace bands as speeds in
metres per second times 1000 (``custom_target_speed_low`` is the slow end, ``..._high`` the fast
end). Repeats are "repeat until steps complete" steps whose ``duration_value`` is the index of the
first step repeated and whose ``target_value`` is how many times the steps run in all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from garmin_fit_sdk import Encoder, Profile

from bot.domain.workouts.watch import (
    Intensity,
    WatchNode,
    WatchRepeat,
    WatchStep,
    WatchWorkout,
    watch_workout,
)
from bot.errors import NotFound
from bot.services.workouts import PersonalPlan, WorkoutService

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.services.sessions import SessionService
    from bot.services.setup import SetupService

_MESG = Profile["mesg_num"]
#: FIT strings are null-terminated in a field of at most 255 bytes; watches show far less.
MAX_NAME_BYTES = 48
MAX_NOTES_BYTES = 96
#: Pacer is not a registered FIT manufacturer: FIT's "development" id is the one for that.
MANUFACTURER = "development"


@dataclass(frozen=True, slots=True)
class WatchFile:
    """A workout file ready to send.

    Fields:
        filename: like "pacer-tuesday-track-2026-12-01.fit".
        data: the FIT file's bytes.
        workout: the steps it holds.
    """

    filename: str
    data: bytes
    workout: WatchWorkout


def workout_name(title: str, day: date) -> str:
    """The name the watch shows: the session's title and its date, like "Track 2026-12-01"."""
    stamp = day.isoformat()
    room = MAX_NAME_BYTES - len(stamp) - 1
    # A title of only spaces or invisible marks (zero-width spaces) would show as nothing.
    visible = any(not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf") for c in title)
    return f"{_fit_text(title if visible else 'Workout', room)} {stamp}"


def watch_filename(name: str) -> str:
    """A safe file name for ``name``, like "pacer-track-2026-12-01.fit" ("Très" becomes "tres")."""
    # Accented Latin letters keep their base letter rather than splitting the word.
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c)
    )
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-")
    return f"pacer-{slug or 'workout'}.fit"


def fit_workout_file(
    personal: PersonalPlan, title: str, day: date, created_at: datetime
) -> WatchFile:
    """The runner's plan as a FIT workout file named after ``title`` and ``day``.

    Args:
        personal: the runner's plan (their paces and unit).
        title: the session's title, or the workout's name.
        day: the session's date (local to the session), or today's.
        created_at: when the file is made (an aware datetime), for ``file_id.time_created``.

    Raises:
        ValueError: if the plan is inconsistent (a bug), or the SDK refuses a value.
    """
    name = workout_name(title, day)
    workout = watch_workout(personal.plan, name, per_mile=personal.per_mile)
    return WatchFile(watch_filename(name), encode_workout(workout, created_at), workout)


def encode_workout(workout: WatchWorkout, created_at: datetime) -> bytes:
    """``workout`` as the bytes of a FIT workout file (see the module docstring for units).

    Raises:
        ValueError: if the SDK refuses a value (a bug: every value here is checked).
    """
    messages: list[dict[str, Any]] = []
    _steps_into(workout.steps, messages)
    for index, message in enumerate(messages):
        message["message_index"] = index
    encoder = Encoder()
    encoder.write_mesg(
        {
            "mesg_num": _MESG["FILE_ID"],
            "type": "workout",
            "manufacturer": MANUFACTURER,
            "product": 0,
            # FIT file ids want a serial; the creation second makes each file its own.
            "serial_number": max(int(created_at.timestamp()), 1),
            "time_created": created_at,
        }
    )
    encoder.write_mesg(
        {
            "mesg_num": _MESG["WORKOUT"],
            "wkt_name": _fit_text(workout.name, MAX_NAME_BYTES),
            "sport": "running",
            "num_valid_steps": len(messages),
        }
    )
    for message in messages:
        encoder.write_mesg(message)
    data: bytes = encoder.close()
    return data


def _steps_into(nodes: tuple[WatchNode, ...], out: list[dict[str, Any]]) -> None:
    for node in nodes:
        if isinstance(node, WatchRepeat):
            first = len(out)
            _steps_into(node.steps, out)
            out.append(
                {
                    "mesg_num": _MESG["WORKOUT_STEP"],
                    "duration_type": "repeat_until_steps_cmplt",
                    "duration_value": first,
                    "target_type": "open",
                    "target_value": node.times,
                }
            )
        else:
            out.append(_step_message(node))


def _step_message(step: WatchStep) -> dict[str, Any]:
    message: dict[str, Any] = {
        "mesg_num": _MESG["WORKOUT_STEP"],
        "wkt_step_name": _fit_text(step.name, MAX_NAME_BYTES),
        "intensity": _INTENSITY[step.intensity],
    }
    if step.notes:
        message["notes"] = _fit_text(step.notes, MAX_NOTES_BYTES)
    if step.distance_m is not None:
        message["duration_type"] = "distance"
        message["duration_value"] = round(step.distance_m * 100)
    elif step.seconds is not None:
        message["duration_type"] = "time"
        message["duration_value"] = round(step.seconds * 1000)
    else:
        message["duration_type"] = "open"
    if step.band is None:
        message["target_type"] = "open"
        return message
    message["target_type"] = "speed"
    # Zero says "custom": the band follows in the low/high fields rather than a speed zone.
    message["target_value"] = 0
    message["custom_target_value_low"] = speed_mm_per_s(step.band.slow_s_per_km)
    message["custom_target_value_high"] = speed_mm_per_s(step.band.fast_s_per_km)
    return message


def speed_mm_per_s(s_per_km: float) -> int:
    """A pace as FIT's speed units: metres per second times 1000 (4:00/km is 4167)."""
    return round(1_000_000 / s_per_km)


_INTENSITY = {
    Intensity.WARMUP: "warmup",
    Intensity.ACTIVE: "active",
    Intensity.RECOVERY: "recovery",
    Intensity.REST: "rest",
    Intensity.COOLDOWN: "cooldown",
}


def _fit_text(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` UTF-8 bytes without splitting a character.

    Control characters become spaces: FIT strings end at a NUL (the SDK decodes "a\x00b" as two
    strings) and a watch shows a newline as junk. The cut also keeps a letter with its accents
    and an emoji with its joiners and variation selectors together (the runner who writes
    "🏃‍♀️" should not get a different emoji)."""
    text = " ".join("".join(" " if _is_control(c) else c for c in text).split())
    if len(text.encode("utf-8")) <= limit:
        return text
    kept = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    while kept and (_joins_previous(text[len(kept)]) or kept[-1] == _ZWJ):
        kept = kept[:-1]
    return kept.rstrip()


_ZWJ = "\u200d"


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _joins_previous(char: str) -> bool:
    """Whether ``char`` belongs to the character before it: a combining mark, a zero-width
    joiner, a variation selector or an emoji skin tone."""
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) == "Me"
        or char == _ZWJ
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


class WatchService:
    """Watch files for ``/pace workout`` and the announcement's "Send to watch" button."""

    def __init__(
        self,
        workouts: WorkoutService,
        sessions: SessionService,
        setup: SetupService,
        clock: Clock,
    ) -> None:
        self._workouts = workouts
        self._sessions = sessions
        self._setup = setup
        self._clock = clock

    async def for_workout(
        self,
        user_id: int,
        workout_text: str,
        race_text: str | None = None,
        time_text: str | None = None,
        guild_id: int | None = None,
    ) -> tuple[PersonalPlan, WatchFile]:
        """The runner's plan for ``workout_text`` and its file, named after it and today: the
        server's day (its ``/setup timezone``) in a server, the UTC day in a DM.

        Raises:
            InvalidInput, NotFound: as :meth:`WorkoutService.plan_for`.
        """
        personal = await self._workouts.plan_for(
            user_id, workout_text, race_text, time_text, guild_id=guild_id
        )
        workout = personal.plan.workout
        now = self._clock.now()
        # A club's evening is often already tomorrow in UTC: name the file after the runner's day.
        zone = (await self._setup.config(guild_id)).zone if guild_id else UTC
        title = workout.name or workout.text
        return personal, fit_workout_file(personal, title, now.astimezone(zone).date(), now)

    async def for_session(self, guild_id: int, session_id: int, user_id: int) -> WatchFile:
        """The session's workout with the runner's paces, named after its title and local date.

        Raises:
            NotFound: no such session here, or the runner has no saved race.
            InvalidInput: the session has no workout, or only free text.
        """
        session = await self._sessions.get(guild_id, session_id)
        try:
            personal = await self._sessions.paces_for(guild_id, session_id, user_id)
        except NotFound as error:
            # The session exists, so this is the runner's missing race: name the right button.
            raise NotFound(error.message.replace("My paces", "Send to watch")) from None
        day = session.starts_at.astimezone(ZoneInfo(session.timezone)).date()
        return fit_workout_file(personal, session.title, day, self._clock.now())
