"""One-off data upgrades run at start-up, after the schema migrations."""

from __future__ import annotations

import logging

from bot.db.sessions_repo import SessionsRepo
from bot.domain.workouts import parse_workout
from bot.errors import UserError
from bot.outbox.service import workout_display

log = logging.getLogger(__name__)


async def save_workout_displays(sessions: SessionsRepo) -> int:
    """Give workouts stored before migration 005 their display lines, parsed once now, so
    announcements never parse stored text when drawn. A workout this Pacer can no longer read
    is kept as free text (shown as typed, no personal paces) rather than failing its posts.

    Returns how many sessions were upgraded.
    """
    done = 0
    while batch := await sessions.without_workout_display():
        for session_id, text in batch:
            try:
                workout = parse_workout(text)
                display: str | None = workout_display(workout.name, workout.lines())
            except UserError:
                display = None
                log.warning(
                    "Session %d's workout is kept as free text: it no longer parses", session_id
                )
            await sessions.set_workout_display(session_id, display)
            done += 1
    if done:
        log.info("Saved the display lines of %d stored workouts", done)
    return done
