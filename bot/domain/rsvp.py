"""RSVP rules: answers, capacity and the first-come-first-served waitlist. Pure, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.errors import InvalidInput


class Response(StrEnum):
    """What a member says."""

    GOING = "going"
    MAYBE = "maybe"
    NO = "no"

    @property
    def label(self) -> str:
        return {"going": "Going", "maybe": "Maybe", "no": "Can't make it"}[self.value]


class State(StrEnum):
    """Where that puts them: going with a place, on the waitlist, maybe, or not coming."""

    GOING = "going"
    WAITLIST = "waitlist"
    MAYBE = "maybe"
    NO = "no"


#: The reactions Pacer adds to every announcement, in order.
EMOJI: dict[str, Response] = {"✅": Response.GOING, "🤔": Response.MAYBE, "❌": Response.NO}
EMOJI_FOR: dict[Response, str] = {response: emoji for emoji, response in EMOJI.items()}

#: Presentation selectors (U+FE0E text, U+FE0F emoji) and the five skin-tone modifiers
#: (U+1F3FB-U+1F3FF): clients add them freely, and they never change what an emoji says.
_EMOJI_DECORATIONS = frozenset(
    ["\ufe0e", "\ufe0f"] + [chr(code) for code in range(0x1F3FB, 0x1F400)]
)


def normalise_emoji(emoji: str) -> str:
    """An emoji without variation selectors or skin tones: "✅\ufe0f" -> "✅", "👍🏽" -> "👍"."""
    return "".join(ch for ch in emoji if ch not in _EMOJI_DECORATIONS)


def response_for_emoji(emoji: str) -> Response | None:
    """The answer a reaction gives, whatever its presentation; None for any other emoji."""
    return EMOJI.get(normalise_emoji(emoji))


def parse_response(text: str) -> Response:
    """Read a status typed for /rsvp.

    Raises:
        InvalidInput: for anything but going, maybe or no.
    """
    cleaned = " ".join(text.lower().split())
    aliases = {
        "going": Response.GOING,
        "yes": Response.GOING,
        "in": Response.GOING,
        "maybe": Response.MAYBE,
        "no": Response.NO,
        "not going": Response.NO,
        "can't": Response.NO,
        "cant": Response.NO,
        "out": Response.NO,
    }
    if cleaned not in aliases:
        raise InvalidInput("status: use going, maybe or no, like status: going.")
    return aliases[cleaned]


def state_for(
    response: Response, current: State | None, confirmed: int, capacity: int | None
) -> State:
    """Where a member lands after answering ``response``.

    Someone already going or waiting keeps their place when they say going again. A new "going"
    gets a place while fewer than ``capacity`` are confirmed (``confirmed`` counts them, not
    including this member), and otherwise joins the end of the waitlist.
    """
    if response is not Response.GOING:
        return State(response.value)
    if current in (State.GOING, State.WAITLIST):
        return current
    if capacity is None or confirmed < capacity:
        return State.GOING
    return State.WAITLIST


def places_to_fill(confirmed: int, capacity: int | None, waiting: int) -> int:
    """How many of the waitlist move up now: as many as there are free places.

    Lowering the capacity below ``confirmed`` takes no one's place; it only makes newcomers wait.
    """
    if capacity is None:
        return waiting
    return max(0, min(waiting, capacity - confirmed))


@dataclass(frozen=True, slots=True)
class RosterEntry:
    user_id: int
    display_name: str
    state: State
    source: str
    position: int | None  # 1-based, on the waitlist only
    updated_at: str


@dataclass(frozen=True, slots=True)
class Roster:
    """Everyone's answer for one occurrence, in first-come order."""

    going: tuple[RosterEntry, ...]
    waitlist: tuple[RosterEntry, ...]
    maybe: tuple[RosterEntry, ...]
    no: tuple[RosterEntry, ...]

    @property
    def everyone(self) -> tuple[RosterEntry, ...]:
        return self.going + self.waitlist + self.maybe + self.no


def build_roster(entries: list[RosterEntry]) -> Roster:
    """Group entries (already in first-come order) and number the waitlist."""
    waiting = [e for e in entries if e.state is State.WAITLIST]
    numbered = tuple(
        RosterEntry(e.user_id, e.display_name, e.state, e.source, index, e.updated_at)
        for index, e in enumerate(waiting, start=1)
    )
    return Roster(
        going=tuple(e for e in entries if e.state is State.GOING),
        waitlist=numbered,
        maybe=tuple(e for e in entries if e.state is State.MAYBE),
        no=tuple(e for e in entries if e.state is State.NO),
    )
