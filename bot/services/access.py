"""Who may do what: organizers and server managers, decided without discord objects."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotAllowed


@dataclass(frozen=True, slots=True)
class Actor:
    """The member behind a command, as plain facts the cog reads off the interaction."""

    user_id: int
    role_ids: frozenset[int] = frozenset()
    manage_guild: bool = False
    manage_events: bool = False
    administrator: bool = False
    #: Channels of the server this member cannot view, read at run time from Discord's
    #: permissions. A session announced in one of them does not exist for this member.
    hidden_channel_ids: frozenset[int] = frozenset()

    def can_view(self, channel_id: int) -> bool:
        """Whether the member can view the channel (a channel Discord no longer has hides
        nothing)."""
        return channel_id not in self.hidden_channel_ids


def require_manager(actor: Actor) -> None:
    """Raises NotAllowed unless the member can manage the server."""
    if not (actor.manage_guild or actor.administrator):
        raise NotAllowed("Only members with the Manage Server permission can change Pacer's setup.")


def is_organizer(actor: Actor, organizer_role_id: int | None) -> bool:
    """Manage Events, Manage Server, Administrator, or the server's organizer role."""
    if actor.manage_events or actor.manage_guild or actor.administrator:
        return True
    return organizer_role_id is not None and organizer_role_id in actor.role_ids


def require_organizer(actor: Actor, organizer_role_id: int | None) -> None:
    """Raises NotAllowed unless the member is an organizer."""
    if not is_organizer(actor, organizer_role_id):
        role = f" or the <@&{organizer_role_id}> role" if organizer_role_id else ""
        raise NotAllowed(
            f"Only organizers can do this: members with Manage Events{role}. "
            "Ask an admin to set one with /setup organizer-role."
        )
