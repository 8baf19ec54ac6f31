"""Named sessions coaches refer to by name, written in the grammar.

Sources: Yasso 800s (Bart Yasso, Runner's World: ten 800s, each in the goal marathon's hours and
minutes as minutes and seconds, 400 m jogs), Mona fartlek (Steve Moneghetti: 2x90 s, 4x60 s,
4x30 s, 4x15 s, each with an equal float), Daniels' cruise intervals and tempo (T pace), strides
and hill sprints (short, fast, relaxed; walk back), the seed article's ladder and goal-pace set
(TrainwithMarc, Speed Training for Distance Runners, 2019).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Classic:
    """A well-known session, written in the grammar.

    Fields:
        name: how Pacer shows it ("Repeat 400s").
        description: one line on what it is and what it is for.
        text: the workout in the grammar; the parser reads it.
        aliases: other names members type (matched ignoring case, spaces and dashes).
    """

    name: str
    description: str
    text: str
    aliases: tuple[str, ...] = ()


CLASSICS: tuple[Classic, ...] = (
    Classic(
        "Repeat 400s",
        "Ten fast 400s at R pace with full 400 m jogs: speed and running economy.",
        "10 x 400 @ R w/ 400 jog",
        ("repeat 400s", "repeat 400", "400s", "400 repeats", "400m repeats", "quarters"),
    ),
    Classic(
        "Ladder",
        "Up and down 400-800-1200-800-400 m at I pace, jogging half of each rep: VO2max work.",
        "400-800-1200-800-400 @ I w/ half jog",
        ("ladder", "ladders", "pyramid", "pyramids", "400-800-1200 ladder"),
    ),
    Classic(
        "Hill repeats",
        "Eight 60-second uphill reps at R effort, jogging back down: strength and power.",
        "8 x 60s hill @ R w/ jog down",
        ("hill repeats", "hills", "hill reps", "hill repeat", "hill workout"),
    ),
    Classic(
        "Cruise intervals",
        "Four miles at T pace with 1 min rest: Daniels' threshold staple.",
        "4 x 1 mile @ T w/ 1 min rest",
        ("cruise intervals", "cruise", "cruise interval", "cruise miles"),
    ),
    Classic(
        "Tempo",
        "20 minutes steady at T pace: comfortably hard.",
        "20 min @ T",
        ("tempo", "tempo run", "threshold run", "tempo 20"),
    ),
    Classic(
        "Goal pace",
        "Reps a little slower than, at, and a little faster than your goal race pace, "
        "so goal pace feels easier.",
        "2 x 1000 @ goal pace +6s/km w/ 2 min jog + 2 x 1000 @ goal pace w/ 2 min jog"
        " + 2 x 400 @ goal pace -6s/km w/ 400 jog",
        ("goal pace", "goal-pace set", "goal pace set", "goal pace workout", "race pace set"),
    ),
    Classic(
        "Yasso 800s",
        "Ten 800s, each in your goal marathon's hours:minutes as minutes:seconds, 400 m jogs.",
        "10 x 800 @ yasso w/ 400 jog",
        ("yasso 800s", "yasso", "yassos", "yasso 800", "yasso 800s workout"),
    ),
    Classic(
        "Mona fartlek",
        "Steve Moneghetti's 20 minutes: 2x90 s, 4x60 s, 4x30 s, 4x15 s hard, each with an "
        "equal float.",
        "2 x 90s @ hard w/ 90s float + 4 x 60s @ hard w/ 60s float"
        " + 4 x 30s @ hard w/ 30s float + 4 x 15s @ hard w/ 15s float",
        ("mona fartlek", "mona", "the mona", "moneghetti fartlek"),
    ),
    Classic(
        "Strides",
        "Six 100 m strides: fast and relaxed, walking back; after an easy run or before speed.",
        "6 x 100 @ strides w/ 100 walk",
        ("strides", "stride", "accels", "accelerations", "pickups"),
    ),
    Classic(
        "Hill sprints",
        "Eight 10-second all-out uphill sprints, walking back down: power with little wear.",
        "8 x 10s hill @ all-out w/ walk back down",
        ("hill sprints", "hill sprint", "short hill sprints"),
    ),
)

_YASSO_COUNT_RE = re.compile(
    r"^(?:(\d+)\s*(?:x\s*)?yassos?(?:'?s)?(?:\s*800'?s?)?"
    r"|yassos?(?:'?s)?(?:\s*800'?s?)?\s*x\s*(\d+))$",
    re.IGNORECASE,
)
_STRIDES_COUNT_RE = re.compile(
    r"^(\d+)(?:\s*-\s*(\d+))?\s*(?:x\s*)?(?:strides|accels|pickups)$", re.IGNORECASE
)
_HILL_SPRINTS_COUNT_RE = re.compile(
    r"^(\d+)(?:\s*-\s*(\d+))?\s*(?:x\s*)?(?:short\s+)?hill\s+sprints$", re.IGNORECASE
)


def classic_names() -> list[str]:
    """The classics' names, in library order, for autocomplete."""
    return [classic.name for classic in CLASSICS]


def classic_key(text: str) -> str:
    """How a classic's name is matched: lower case, no punctuation, single spaces."""
    key = re.sub(r"[-_/'.,!]+", " ", text.lower())
    key = " ".join(key.split())
    return key.removeprefix("the ")


_CLASSIC_BY_KEY: dict[str, Classic] = {
    key: classic
    for classic in CLASSICS
    for alias in (classic.name, *classic.aliases)
    for key in (classic_key(alias), classic_key(alias).replace(" ", ""))
}


def find_classic(text: str) -> Classic | None:
    """The classic named by ``text`` (any alias), or None."""
    key = classic_key(text)
    return _CLASSIC_BY_KEY.get(key) or _CLASSIC_BY_KEY.get(key.replace(" ", ""))


def counted_classic(text: str) -> str | None:
    """Grammar text for a counted named session ("6 x Yasso 800s", "4-6 strides"), or None."""
    stripped = " ".join(text.split())
    yasso = _YASSO_COUNT_RE.match(stripped)
    if yasso is not None:
        return f"{yasso.group(1) or yasso.group(2)} x 800 @ yasso w/ 400 jog"
    strides = _STRIDES_COUNT_RE.match(stripped)
    if strides is not None:
        count = f"{strides.group(1)}-{strides.group(2)}" if strides.group(2) else strides.group(1)
        return f"{count} x 100 @ strides w/ 100 walk"
    sprints = _HILL_SPRINTS_COUNT_RE.match(stripped)
    if sprints is not None:
        count = f"{sprints.group(1)}-{sprints.group(2)}" if sprints.group(2) else sprints.group(1)
        return f"{count} x 10s hill @ all-out w/ walk back down"
    return None
