"""Errors whose text is safe to show a member.

Services and the domain raise these; the command tree's error funnel turns them into private
(ephemeral) replies. Anything that is not a ``UserError`` is a bug: it is logged with its
traceback and the member only sees a short apology.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with what a member asked for, explained in words they can act on.

    Attributes:
        message: the full text shown to the member, naming the field and a valid example.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(UserError):
    """A value a member typed could not be read or is out of range."""


class NotFound(UserError):
    """Something a member named does not exist here (or belongs to another server)."""


class NotAllowed(UserError):
    """The member may not do this (missing role or permission)."""


class Conflict(UserError):
    """The request clashes with the current state (for example RSVPs already closed)."""
