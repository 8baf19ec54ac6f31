"""The use-cases cogs and buttons call, as one object built by the composition root.

Also what the UI needs to say "this announcement changed" without knowing the publisher.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.outbox.service import OutboxService
from bot.services.attendance import AttendanceService
from bot.services.dm_reminders import DmRemindersService
from bot.services.feeds import FeedService
from bot.services.groups import GroupsService
from bot.services.profiles import ProfileService
from bot.services.retention import RetentionService
from bot.services.rsvps import RsvpService
from bot.services.sessions import SessionService
from bot.services.setup import SetupService
from bot.services.units import UnitsService
from bot.services.watch import WatchService
from bot.services.workouts import WorkoutService


@dataclass
class Changes:
    """Where "an announcement's session changed" goes (the publisher's editor, once it runs)."""

    listener: Callable[[int], None] | None = None

    def announcement_changed(self, session_id: int) -> None:
        if self.listener is not None:
            self.listener(session_id)


@dataclass(frozen=True, slots=True)
class Services:
    """Built once by :mod:`bot.composition`."""

    profiles: ProfileService
    workouts: WorkoutService
    setup: SetupService
    sessions: SessionService
    outbox: OutboxService
    rsvps: RsvpService
    units: UnitsService
    watch: WatchService
    attendance: AttendanceService
    groups: GroupsService
    feeds: FeedService
    dm_reminders: DmRemindersService
    retention: RetentionService
    changes: Changes = field(default_factory=Changes)


def services_of(client: Any) -> Services:
    """The services of the bot behind an interaction (``interaction.client``).

    Raises:
        RuntimeError: the client has no services (not a Pacer bot, or not started).
    """
    services = getattr(client, "services", None)
    if not isinstance(services, Services):
        raise RuntimeError("this client has no Pacer services")
    return services
