"""Bad input for every command and option, as a table: each refusal is private and specific,
shows a valid example, changes nothing, and is the only error the bot records.

The values are what members really type or paste: nothing at all, blanks, 2,100-character
walls, emoji and other scripts, markdown, mentions, SQL, wrong formats, zero, negative and huge
numbers, impossible dates and times, unknown time zones, and session ids that are cancelled,
from another server, missing or not numbers. Integer options declared with a range (and options
with fixed choices) are refused by Discord's client before the bot sees them; those cases are in
their own table. Odd text that is legitimately accepted (a title with emoji, free-text workouts,
markdown in details) is not an error: the last test checks it is stored and shown safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord
import pytest
from simcord import OptionError

from bot.domain.rsvp import Response
from bot.services.access import Actor
from bot.services.sessions import SessionForm
from tests.conftest import Club, embed_text, make_admin, only_user_errors

#: Every table a command could write to.
TABLES = (
    "profiles",
    "guild_settings",
    "series",
    "sessions",
    "deliveries",
    "rsvps",
    "rsvp_events",
    "reactions_seen",
    "attendance",
    "attendance_events",
    "attendance_settings",
)

LONG = "x" * 2100
LONG_DIGITS = "9" * 2100
EMOJI = "🏃‍♀️💨"
FULLWIDTH = "５Ｋ"
ARABIC_TIME = "٢٢:٣٠"
RUNES = "ᚱᚢᚾ"
BOLD = "**bold**"
CODE = "`x`"
SPOILER = "||spoiler||"
EVERYONE = "@everyone"
ROLE = "<@&123>"
SQL = "'; DROP TABLE sessions; --"
SQL_OR = "1 OR 1=1"


@dataclass(frozen=True)
class Ref:
    """A session id only known once the world is built: ``template`` formats it."""

    which: str  # own | cancelled | foreign
    template: str = "{}"


@dataclass(frozen=True)
class Channel:
    """A channel only known once the world is built."""

    which: str  # locked (the bot can't post there) | voice


OWN = Ref("own")
CANCELLED = Ref("cancelled")
FOREIGN = Ref("foreign")
FOREIGN_HASH = Ref("foreign", "#{}")
CANCELLED_HASH = Ref("cancelled", "#{}")


@dataclass(frozen=True)
class Case:
    """One refused command: who types it, the options, what the reply must say.

    ``phrases`` must all appear, and one of ``examples``: a valid example or where to find
    one ("like " is how Pacer introduces its examples).
    """

    id: str
    who: str
    command: str
    options: dict[str, Any]
    phrases: tuple[str, ...]
    examples: tuple[str, ...] = ("like ",)


@dataclass
class World:
    club: Club
    admin: Any
    ids: dict[str, int] = field(default_factory=dict)
    channels: dict[str, Any] = field(default_factory=dict)

    def member(self, who: str) -> Any:
        if who == "admin":
            return self.admin
        return getattr(self.club, who)

    def options(self, options: dict[str, Any]) -> dict[str, Any]:
        def resolve(value: Any) -> Any:
            if isinstance(value, Ref):
                return value.template.format(self.ids[value.which])
            if isinstance(value, Channel):
                return self.channels[value.which]
            return value

        return {name: resolve(value) for name, value in options.items()}


# ---------------------------------------------------------------- the table

CASES: list[Case] = []


def add(
    id_: str,
    who: str,
    command: str,
    options: dict[str, Any],
    *phrases: str,
    example: str | tuple[str, ...] = "like ",
) -> None:
    examples = (example,) if isinstance(example, str) else example
    CASES.append(Case(id_, who, command, options, phrases, examples))


# Race and time, as /pace zones, predict, splits and /profile set read them.
RACE_REFUSALS: list[tuple[str, str, tuple[str, ...]]] = [
    ("empty", "", ("race: this can't be empty",)),
    ("blank", "   ", ("race: this can't be empty",)),
    ("2100-chars", LONG, ("race: that's too long to be a race",)),
    ("emoji", EMOJI, ("race:", "isn't a race I know")),
    ("fullwidth", FULLWIDTH, ("race:", "isn't a race I know")),
    ("runes", RUNES, ("race: 'ᚱᚢᚾ' isn't a race I know",)),
    ("markdown", BOLD, ("race: '**bold**' isn't a race I know",)),
    ("spoiler", SPOILER, ("race:", "isn't a race I know")),
    ("everyone", EVERYONE, ("race:", "isn't a race I know")),
    ("role-mention", ROLE, ("race:", "isn't a race I know")),
    ("sql", SQL, ("race:", "isn't a race I know")),
    ("sql-or", SQL_OR, ("race: '1 or 1=1' isn't a race I know",)),
    ("negative", "-5k", ("race: '-5k' isn't a race I know",)),
    ("zero", "0 km", ("race: '0 km' isn't a race I know",)),
    ("huge", "99999999 km", ("race:", "isn't a race I know")),
    ("too-short-for-vdot", "400m", ("race: VDOT needs a race from 800 m to 100 km",)),
    ("too-long-for-vdot", "160 km", ("race: VDOT needs a race from 800 m to 100 km",)),
]
TIME_REFUSALS: list[tuple[str, str, tuple[str, ...]]] = [
    ("empty", "", ("time: this can't be empty",)),
    ("blank", " \t ", ("time: this can't be empty",)),
    ("2100-chars", LONG_DIGITS, ("time: that's too long to be a time",)),
    ("minutes-61", "25:61", ("time: '25:61' isn't a time",)),
    ("negative", "-5:00", ("time: '-5:00' isn't a time",)),
    ("zero", "0:00", ("time: a time must be more than 0:00",)),
    ("superhuman", "0:05", ("time: 5K in 0:05 would be faster than any human has run",)),
    ("walking", "99:59:59", ("time: 5K in 99:59:59 is slower than walking",)),
    ("am-pm", "13pm", ("time: '13pm' isn't a time",)),
    ("seconds-99", "22:30:99", ("time: '22:30:99' isn't a time",)),
    ("code", CODE, ("time:", "isn't a time")),
    ("spoiler", SPOILER, ("time: '||spoiler||' isn't a time",)),
    ("emoji", EMOJI, ("time:", "isn't a time")),
    ("sql-or", SQL_OR, ("time: '1 OR 1=1' isn't a time",)),
    ("exponent", "1e309", ("time: '1e309' isn't a time",)),
    ("huge", "99999999999999999999", ("time:", "isn't a time")),
]

for case_id, value, phrases in RACE_REFUSALS:
    add(
        f"pace-zones-race-{case_id}",
        "alice",
        "pace zones",
        {"race": value, "time": "22:30"},
        *phrases,
        example="5K",
    )
for case_id, value, phrases in TIME_REFUSALS:
    add(
        f"pace-zones-time-{case_id}",
        "alice",
        "pace zones",
        {"race": "5K", "time": value},
        *phrases,
        example="22:30",
    )

for case_id, value, phrases in [RACE_REFUSALS[i] for i in (0, 5, 11, 15, 16)]:
    add(
        f"pace-predict-race-{case_id}",
        "alice",
        "pace predict",
        {"race": value, "time": "22:30"},
        *phrases,
        example="5K",
    )
for case_id, value, phrases in [TIME_REFUSALS[i] for i in (0, 3, 4, 5, 6, 7)]:
    add(
        f"pace-predict-time-{case_id}",
        "alice",
        "pace predict",
        {"race": "5K", "time": value},
        *phrases,
        example="22:30",
    )

for case_id, value, phrases in [RACE_REFUSALS[i] for i in (0, 1, 2, 3, 10)]:
    add(
        f"profile-set-race-{case_id}",
        "ben",
        "profile set",
        {"race": value, "time": "22:30"},
        *phrases,
        example="5K",
    )
for case_id, value, phrases in [TIME_REFUSALS[i] for i in (0, 1, 2, 3, 4, 5, 6, 7, 13)]:
    add(
        f"profile-set-time-{case_id}",
        "ben",
        "profile set",
        {"race": "5K", "time": value},
        *phrases,
        example="22:30",
    )

# /pace splits: race and time as above; a lap longer than the race.
for case_id, value, phrases in [RACE_REFUSALS[i] for i in (0, 2, 5, 12, 13)]:
    add(
        f"pace-splits-race-{case_id}",
        "alice",
        "pace splits",
        {"race": value, "time": "22:30"},
        *phrases,
        example="5K",
    )
for case_id, value, phrases in [TIME_REFUSALS[i] for i in (0, 3, 4, 5, 6)]:
    add(
        f"pace-splits-time-{case_id}",
        "alice",
        "pace splits",
        {"race": "5K", "time": value},
        *phrases,
        example="22:30",
    )
add(
    "pace-splits-lap-longer-than-race",
    "alice",
    "pace splits",
    {"race": "1500m", "time": "4:30", "lap": 2000},
    "lap: a 2000 m lap is longer than the 1500m itself",
    example="lap 400",
)
add(
    "pace-splits-race-shorter-than-a-lap",
    "alice",
    "pace splits",
    {"race": "4m", "time": "0:30"},
    "lap: a 400 m lap is longer than the 4 m itself",
    example="lap 400",
)
add(
    "pace-splits-superhuman-marathon",
    "alice",
    "pace splits",
    {"race": "marathon", "time": "1:00:00", "lap": 400},
    "time: Marathon in 1:00:00 would be faster than any human has run",
)

# /pace convert: pace.
for case_id, value, phrases in [
    ("empty", "", ("pace: this can't be empty",)),
    ("blank", "   ", ("pace: this can't be empty",)),
    ("2100-chars", LONG, ("pace: that's too long to be a pace",)),
    ("emoji", EMOJI, ("pace:", "isn't a pace")),
    ("runes", RUNES, ("pace: 'ᚱᚢᚾ' isn't a pace",)),
    ("markdown", "**4:30/km**", ("pace: '**4:30/km**' isn't a pace",)),
    ("everyone", EVERYONE, ("pace:", "isn't a pace")),
    ("sql", SQL, ("pace:", "isn't a pace")),
    ("words", "fast", ("pace: 'fast' isn't a pace",)),
    ("no-unit", "4:30", ("pace: '4:30' isn't a pace",)),
    ("unknown-unit", "4:30/parsec", ("pace: '4:30/parsec' isn't a pace",)),
    ("negative", "-4:30/km", ("pace: '-4:30/km' isn't a pace",)),
    ("zero-pace", "0/km", ("pace: a pace must be more than 0:00",)),
    ("zero-speed", "0 mph", ("pace: a speed must be more than zero",)),
    ("superhuman", "1:00/km", ("pace: '1:00/km' is faster than any human can run",)),
    ("huge-speed", "99999999999999999999 mph", ("pace:", "is faster than any human can run")),
    ("walking", "60:00/km", ("pace: '60:00/km' is slower than walking",)),
    ("clock-speed", "4:30 km/h", ("pace: a speed is a plain number",)),
    ("seconds-99", "4:99/km", ("pace: '4:99' isn't a time",)),
]:
    add(
        f"pace-convert-{case_id}",
        "alice",
        "pace convert",
        {"pace": value},
        *phrases,
        example=("4:30/km", "13.3 km/h", "like 22:30"),
    )

# /pace workout: the workout (alice has no saved race, so some cases give race and time).
GIVEN = {"race": "5K", "time": "22:30"}
for case_id, options, phrases in [
    ("empty", {"workout": ""}, ("workout: this can't be empty",)),
    ("blank", {"workout": "   "}, ("workout: this can't be empty",)),
    ("2100-chars", {"workout": LONG}, ("workout: that's over 400 characters",)),
    ("emoji", {"workout": EMOJI}, ("workout: I couldn't read",)),
    ("markdown", {"workout": BOLD}, ("workout: I couldn't read '**bold**'",)),
    ("spoiler", {"workout": SPOILER}, ("workout: I couldn't read 'spoiler' in '||spoiler||'",)),
    ("everyone", {"workout": EVERYONE}, ("workout:", "needs reps before the @")),
    ("role-mention", {"workout": ROLE}, ("workout: I couldn't read",)),
    ("sql", {"workout": SQL}, ("workout: I couldn't read",)),
    ("sql-or", {"workout": SQL_OR}, ("workout: I couldn't read 'OR 1=1' in '1 OR 1=1'",)),
    ("words", {"workout": "run fast"}, ("workout: I couldn't read 'run fast'",)),
    ("zero-reps", {"workout": "0x800 @ I"}, ("workout: 0 reps in '0x800' is none",)),
    ("too-many-reps", {"workout": "51x400 @ I"}, ("workout: 51 reps in '51x400' is too many",)),
    ("huge-reps", {"workout": "99999999999x400 @ I"}, ("workout:", "reps in", "is too many")),
    ("plural-without-count", {"workout": "400s at 5k race pace"}, ("but not how many",)),
    ("unknown-target", {"workout": "6x800 @ Z"}, ("workout: I couldn't read 'Z'",)),
    ("rep-too-short", {"workout": "6x10 @ I"}, ("workout: a rep of '10' is too short",)),
    ("rep-too-long", {"workout": "2 x 50 km @ E"}, ("workout: a rep of '50 km' is too long",)),
    (
        "negative-rep",
        {"workout": "6x-800 @ I"},
        ("workout: I couldn't read '-800' in '6x-800 @ I'",),
    ),
    (
        "adjust-too-much",
        {"workout": "20 min @ 5K pace +90s"},
        ("workout: '5K pace +90s' adjusts the pace too much",),
    ),
    ("too-much-volume", {"workout": "50 x 1.5 km @ E"}, ("keep a session under 60 km",)),
    ("rest-by-distance", {"workout": "6x800 @ I w/ 400 rest"}, ("rest is timed",)),
    ("jog-down-on-flat", {"workout": "6x800 @ I w/ jog down"}, ("jog down is for hill reps",)),
    (
        "race-pace-too-short",
        {"workout": "6x400 @ 200m pace"},
        ("workout: '200m pace' is no race pace: a race pace needs a race from 800 m",),
    ),
    (
        "recovery-zero",
        {"workout": "6x800 @ I w/ 0 jog"},
        ("workout: the recovery '0 jog' should be 25 m to 10 km",),
    ),
    (
        "recovery-too-long",
        {"workout": "6x800 @ I w/ 20 km jog"},
        ("workout: the recovery '20 km jog' should be 25 m to 10 km",),
    ),
    (
        "too-many-reps-in-sets",
        {"workout": "3 x (30 x 200 @ R) + 20 x 200 @ R"},
        ("workout: that's 110 reps once sets are counted; a session has at most 100",),
    ),
]:
    add(
        f"pace-workout-{case_id}",
        "alice",
        "pace workout",
        options | GIVEN,
        *phrases,
        example="6x800 @ I w/ 400 jog",
    )
# ... and its race and time.
VALID_WORKOUT = {"workout": "6x800 @ I w/ 400 jog"}
for case_id, options, phrases, example in [
    (
        "race-without-time",
        {"race": "5K"},
        ("time: give both race and time",),
        "race: 5K time: 22:30",
    ),
    (
        "time-without-race",
        {"time": "22:30"},
        ("race: give both race and time",),
        "race: 5K time: 22:30",
    ),
    ("race-runes", {"race": RUNES, "time": "22:30"}, ("race: 'ᚱᚢᚾ' isn't a race I know",), "5K"),
    ("race-blank", {"race": "   ", "time": "22:30"}, ("race: this can't be empty",), "5K"),
    ("time-minutes-61", {"race": "5K", "time": "25:61"}, ("time: '25:61' isn't a time",), "22:30"),
    (
        "time-superhuman",
        {"race": "5K", "time": "0:05"},
        ("time: 5K in 0:05 would be faster than any human has run",),
        "22:30",
    ),
    ("no-race-and-no-profile", {}, ("I need a race to set your paces",), "race: 5K time: 22:30"),
]:
    add(
        f"pace-workout-{case_id}",
        "alice",
        "pace workout",
        VALID_WORKOUT | options,
        *phrases,
        example=example,
    )

# /drill show: name.
for case_id, value, phrases, example in [
    ("empty", "", ("name: pick a drill",), "like A skip"),
    ("blank", "   ", ("name: pick a drill",), "like A skip"),
    ("2100-chars", LONG, ("name: drill names are under 100 characters",), "like A skip"),
    ("emoji", EMOJI, ("I don't know a drill called",), "Try one of: "),
    ("fullwidth", FULLWIDTH, ("I don't know a drill called '５Ｋ'",), "Try one of: "),
    ("runes", RUNES, ("I don't know a drill called 'ᚱᚢᚾ'",), "Try one of: "),
    ("markdown", BOLD, ("I don't know a drill called",), "Try one of: "),
    ("code", CODE, ("I don't know a drill called",), "Try one of: "),
    ("spoiler", SPOILER, ("I don't know a drill called",), "Try one of: "),
    ("everyone", EVERYONE, ("I don't know a drill called",), "Try one of: "),
    ("role-mention", ROLE, ("I don't know a drill called",), "Try one of: "),
    ("sql", SQL, ("I don't know a drill called",), "Try one of: "),
    ("sql-or", SQL_OR, ("I don't know a drill called '1 OR 1=1'",), "Try one of: "),
    ("number", "-1", ("I don't know a drill called '-1'",), "Try one of: "),
    ("ambiguous", "skip", ("I don't know a drill called 'skip'",), "Try one of: "),
    ("a-category", "form", ("I don't know a drill called 'form'",), "Try one of: "),
]:
    add(f"drill-show-{case_id}", "alice", "drill show", {"name": value}, *phrases, example=example)

# /setup timezone, as a server manager.
for case_id, value, phrases in [
    ("empty", "", ("timezone: this can't be empty",)),
    ("blank", "   ", ("timezone: this can't be empty",)),
    ("2100-chars", LONG, ("timezone: that's too long to be a timezone",)),
    ("planet", "Mars/Olympus_Mons", ("timezone: 'Mars/Olympus_Mons' isn't a time zone I know",)),
    ("offset-99", "Etc/GMT+99", ("timezone: 'Etc/GMT+99' isn't a time zone I know",)),
    ("utc-plus", "UTC+5", ("timezone: 'UTC+5' isn't a time zone I know",)),
    ("typo", "America/New_Yorkk", ("timezone: 'America/New_Yorkk' isn't a time zone I know",)),
    ("host-zone", "localtime", ("timezone: 'localtime' isn't a time zone I know",)),
    ("placeholder", "Factory", ("timezone: 'Factory' isn't a time zone I know",)),
    ("posixrules", "posixrules", ("timezone: 'posixrules' isn't a time zone I know",)),
    ("path", "../../etc/passwd", ("timezone: '../../etc/passwd' isn't a time zone I know",)),
    ("emoji", EMOJI, ("timezone:", "isn't a time zone I know")),
    ("runes", RUNES, ("timezone: 'ᚱᚢᚾ' isn't a time zone I know",)),
    ("everyone", EVERYONE, ("timezone:", "isn't a time zone I know")),
    ("sql", SQL, ("timezone:", "isn't a time zone I know")),
    ("sql-or", SQL_OR, ("timezone: '1 OR 1=1' isn't a time zone I know",)),
    ("number", "-5", ("timezone: '-5' isn't a time zone I know",)),
]:
    add(
        f"setup-timezone-{case_id}",
        "admin",
        "setup timezone",
        {"timezone": value},
        *phrases,
        example="America/New_York",
    )

# /setup reminders, as a server manager.
for case_id, value, phrases in [
    ("empty", "", ("offsets: this can't be empty",)),
    ("blank", "   ", ("offsets: this can't be empty",)),
    ("2100-chars", LONG, ("offsets: that's too long",)),
    ("zero", "0m", ("offsets: '0m' is too close to the start, the least is 5m",)),
    ("too-close", "4m", ("offsets: '4m' is too close to the start",)),
    ("too-far", "8d", ("offsets: '8d' is too far ahead, the most is 7d",)),
    ("huge", "99999999999999999999h", ("offsets:", "is too far ahead")),
    ("decimal", "1.5h", ("offsets: '1.5h' isn't a whole number",)),
    ("no-unit", "10", ("offsets: '10' needs a unit",)),
    ("negative", "-1h", ("offsets: '-1h' isn't a lead time",)),
    ("too-many", "24h,1h,2h,3h,4h,5h", ("offsets: that's more than 5 reminders",)),
    ("one-bad-of-three", "24h 1h 0m", ("offsets: '0m' is too close to the start",)),
    ("words", "soon", ("offsets: 'soon' isn't a lead time",)),
    ("emoji", EMOJI, ("offsets:", "isn't a lead time")),
    ("arabic-digits", "٢٤h", ("offsets:", "isn't a lead time")),
    ("markdown", "**1h**", ("offsets: '**1h**' isn't a lead time",)),
    ("sql", SQL, ("offsets:", "isn't a lead time")),
    ("sql-or", SQL_OR, ("offsets: I don't know the unit 'or'",)),
]:
    add(
        f"setup-reminders-{case_id}",
        "admin",
        "setup reminders",
        {"offsets": value},
        *phrases,
        example="24h,1h",
    )

# /session create, as an organizer; every case changes one option of a valid session.
CREATE = {"title": "Speed session", "date": "2026-02-17", "time": "18:30", "location": "Track"}
for case_id, options, phrases, example in [
    ("title-empty", {"title": ""}, ("title: this can't be empty",), "Tuesday speed session"),
    ("title-blank", {"title": " \n "}, ("title: this can't be empty",), "Tuesday speed session"),
    (
        "title-2100-chars",
        {"title": LONG},
        ("title: that's 2100 characters; keep it to 100",),
        "Tuesday speed session",
    ),
    (
        "title-2100-emoji",
        {"title": "🏃" * 2100},
        ("title: that's 2100 characters",),
        "Tuesday speed session",
    ),
    (
        "title-zero-width-space",
        {"title": "\u200b\u200b"},
        ("title: this can't be empty",),
        "Tuesday speed session",
    ),
    (
        "title-hangul-filler",
        {"title": "\u3164"},
        ("title: this can't be empty",),
        "Tuesday speed session",
    ),
    ("location-empty", {"location": ""}, ("location: this can't be empty",), "Cherokee HS track"),
    (
        "location-blank",
        {"location": "   "},
        ("location: this can't be empty",),
        "Cherokee HS track",
    ),
    (
        "location-2100-chars",
        {"location": LONG},
        ("location: that's 2100 characters; keep it to 100",),
        "Cherokee HS track",
    ),
    (
        "location-braille-blank",
        {"location": "\u2800\u2800"},
        ("location: this can't be empty",),
        "Cherokee HS track",
    ),
    (
        "channel-bot-cannot-post",
        {"channel": Channel("locked")},
        ("channel: I can't post in", "Send Messages"),
        "like #speed-sessions",
    ),
    (
        "details-2100-chars",
        {"details": LONG},
        ("details: that's 2100 characters; keep it to 1000",),
        "bring spikes",
    ),
    (
        "workout-2100-chars",
        {"workout": LONG},
        ("workout: that's 2100 characters; keep it to 200",),
        "6x800 @ I w/ 400 jog",
    ),
    ("date-empty", {"date": ""}, ("date: this can't be empty",), "2026-03-10"),
    ("date-blank", {"date": "   "}, ("date: this can't be empty",), "2026-03-10"),
    ("date-2100-chars", {"date": LONG}, ("date: that's too long to be a date",), "2026-03-10"),
    (
        "date-february-30",
        {"date": "2026-02-30"},
        ("date: 2026-02-30 doesn't exist: February 2026 has 28 days",),
        "2026-02-28",
    ),
    (
        "date-month-13",
        {"date": "2026-13-01"},
        ("date: 2026-13-01 doesn't exist: months go from 01 to 12",),
        "2026-03-10",
    ),
    ("date-month-0", {"date": "2026-00-10"}, ("date: 2026-00-10 doesn't exist",), "2026-03-10"),
    ("date-day-0", {"date": "2026-02-00"}, ("date: 2026-02-00 doesn't exist",), "2026-02-28"),
    ("date-year-0", {"date": "0000-01-01"}, ("date: 0000-01-01 is too far away",), "2026-03-10"),
    ("date-year-9999", {"date": "9999-12-31"}, ("date: 9999-12-31 is too far away",), "2026-03-10"),
    ("date-year-2101", {"date": "2101-01-01"}, ("date: 2101-01-01 is too far away",), "2026-03-10"),
    (
        "date-past",
        {"date": "2025-12-31"},
        ("date: Wed 31 Dec 2025, 18:30 is in the past",),
        "2026-01-07",
    ),
    ("date-words", {"date": "next tuesday"}, ("date: 'next tuesday' isn't a date",), "2026-03-10"),
    ("date-slashes", {"date": "17/02/2026"}, ("date: '17/02/2026' isn't a date",), "2026-03-10"),
    ("date-arabic-digits", {"date": "٢٠٢٦-٠٢-١٧"}, ("date:", "isn't a date"), "2026-03-10"),
    ("date-fullwidth", {"date": "２０２６-０２-１７"}, ("date:", "isn't a date"), "2026-03-10"),
    ("date-emoji", {"date": EMOJI}, ("date:", "isn't a date"), "2026-03-10"),
    (
        "date-sql",
        {"date": "2026-02-17'; DROP TABLE sessions; --"},
        ("date:", "isn't a date"),
        "2026-03-10",
    ),
    ("date-sql-or", {"date": SQL_OR}, ("date: '1 OR 1=1' isn't a date",), "2026-03-10"),
    ("date-negative", {"date": "-2026-02-17"}, ("date: '-2026-02-17' isn't a date",), "2026-03-10"),
    ("time-empty", {"time": ""}, ("time: this can't be empty",), "18:30"),
    ("time-blank", {"time": "   "}, ("time: this can't be empty",), "18:30"),
    ("time-2100-chars", {"time": LONG}, ("time: that's too long to be a time",), "18:30"),
    (
        "time-24-00",
        {"time": "24:00"},
        ("time: '24:00' isn't a time of day: hours go from 00 to 23",),
        "18:30",
    ),
    ("time-25-61", {"time": "25:61"}, ("time: '25:61' isn't a time of day",), "18:30"),
    ("time-13pm", {"time": "13pm"}, ("time: '13pm' isn't a time of day",), "6:30pm"),
    ("time-0-30am", {"time": "0:30am"}, ("time: '0:30am' isn't a time of day",), "6:30pm"),
    ("time-minute-60", {"time": "12:60"}, ("time: '12:60' isn't a time of day",), "18:30"),
    ("time-arabic-digits", {"time": ARABIC_TIME}, ("time: '٢٢:٣٠' isn't a time of day",), "18:30"),
    ("time-negative", {"time": "-5:00"}, ("time: '-5:00' isn't a time of day",), "18:30"),
    ("time-seconds", {"time": "18:30:00"}, ("time: '18:30:00' isn't a time of day",), "18:30"),
    ("time-words", {"time": "noonish"}, ("time: 'noonish' isn't a time of day",), "18:30"),
    ("time-spoiler", {"time": "||18:30||"}, ("time: '||18:30||' isn't a time of day",), "18:30"),
    (
        "time-sql",
        {"time": "6:30 pm; DROP TABLE sessions; --"},
        ("time:", "isn't a time of day"),
        "18:30",
    ),
    ("time-emoji", {"time": EMOJI}, ("time:", "isn't a time of day"), "18:30"),
    (
        "time-spring-forward-gap",
        {"date": "2026-03-08", "time": "2:30"},
        ("time: 02:30 on Sun 8 Mar 2026 doesn't exist in America/New_York",),
        "Pick a time outside 02:00-03:00",
    ),
    (
        "weeks-cross-the-gap",
        {"date": "2026-03-01", "time": "2:30", "weeks": 2},
        ("time: 02:30 on Sun 8 Mar 2026 doesn't exist in America/New_York",),
        "Pick a time outside 02:00-03:00",
    ),
    (
        "weeks-run-past-2100",
        {"date": "2100-12-01", "weeks": 10},
        ("date: 2101-", "is too far away"),
        "2026-03-10",
    ),
]:
    add(
        f"session-create-{case_id}",
        "organizer",
        "session create",
        CREATE | options,
        *phrases,
        example=example,
    )

# Session references, for every command that takes one.
NOT_FOUND = ("session: I can't find a session", "in this server")
REFERENCES: list[tuple[str, Any]] = [
    ("empty", ""),
    ("blank", "   "),
    ("word", "abc"),
    ("unknown-id", "#999999"),
    ("unknown-18-digits", "999999999999999999"),
    ("20-digits", "99999999999999999999"),
    ("2100-digits", LONG_DIGITS),
    ("negative", "-1"),
    ("zero", "0"),
    ("foreign", FOREIGN),
    ("foreign-hash", FOREIGN_HASH),
    ("sql", SQL),
    ("sql-or", SQL_OR),
    ("emoji", EMOJI),
    ("role-mention", ROLE),
    ("arabic-digits", "٩٩٩"),
]
EVERY_REFERENCE = tuple(case_id for case_id, _ in REFERENCES)
SESSION_COMMANDS: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    ("session edit", "organizer", {"location": "Elsewhere"}, EVERY_REFERENCE),
    (
        "session cancel",
        "organizer",
        {"reason": "rain"},
        ("empty", "word", "unknown-id", "2100-digits", "foreign", "foreign-hash", "sql",
         "role-mention"),
    ),
    (
        "session roster",
        "alice",
        {},
        ("empty", "blank", "unknown-id", "unknown-18-digits", "foreign", "sql", "sql-or", "emoji"),
    ),
    ("session export", "organizer", {}, ("empty", "word", "unknown-id", "foreign", "sql")),
    ("session repost", "organizer", {}, ("empty", "word", "unknown-id", "foreign", "sql")),
    ("session retry", "organizer", {}, ("empty", "word", "unknown-id", "foreign", "sql")),
    (
        "rsvp",
        "alice",
        {"status": "going"},
        ("empty", "blank", "word", "unknown-id", "20-digits", "foreign", "foreign-hash", "sql",
         "sql-or", "emoji"),
    ),
]  # fmt: skip
for command, who, extra, picks in SESSION_COMMANDS:
    for case_id in picks:
        reference = dict(REFERENCES)[case_id]
        add(
            f"{command.replace(' ', '-')}-session-{case_id}",
            who,
            command,
            {"session": reference} | extra,
            *NOT_FOUND,
            example="/session list",
        )

# Cancelled sessions: nothing more to change, and RSVPs are closed.
for command, extra in (("session edit", {"time": "19:00"}), ("session cancel", {})):
    for case_id, reference in (("cancelled", CANCELLED), ("cancelled-hash", CANCELLED_HASH)):
        add(
            f"{command.replace(' ', '-')}-session-{case_id}",
            "organizer",
            command,
            {"session": reference} | extra,
            "That session is cancelled",
            example="/session create",
        )
for case_id, reference in (("cancelled", CANCELLED), ("cancelled-hash", CANCELLED_HASH)):
    add(
        f"rsvp-session-{case_id}",
        "alice",
        "rsvp",
        {"session": reference, "status": "maybe"},
        "RSVPs are closed",
        "is cancelled",
        example=("/session list", "like "),
    )

# /session edit: every field of the organizer's own session.
for case_id, options, phrases, example in [
    ("nothing-to-change", {}, ("Nothing to change",), "like time: 18:45"),
    ("title-empty", {"title": ""}, ("title: this can't be empty",), "Speed session"),
    ("title-blank", {"title": "   "}, ("title: this can't be empty",), "Speed session"),
    (
        "title-2100-chars",
        {"title": LONG},
        ("title: that's 2100 characters; keep it to 100",),
        "Speed session",
    ),
    (
        "title-zero-width-space",
        {"title": "\u200b"},
        ("title: this can't be empty",),
        "Speed session",
    ),
    (
        "channel-bot-cannot-post",
        {"channel": Channel("locked")},
        ("channel: I can't post in", "Send Messages"),
        "like #speed-sessions",
    ),
    ("location-empty", {"location": ""}, ("location: this can't be empty",), "the track"),
    ("location-blank", {"location": "\t"}, ("location: this can't be empty",), "the track"),
    ("location-2100-chars", {"location": LONG}, ("location: that's 2100 characters",), "the track"),
    ("details-2100-chars", {"details": LONG}, ("details: that's 2100 characters",), "bring spikes"),
    (
        "workout-2100-chars",
        {"workout": LONG},
        ("workout: that's 2100 characters",),
        "6x800 @ I w/ 400 jog",
    ),
    ("date-empty", {"date": ""}, ("date: this can't be empty",), "2026-03-10"),
    (
        "date-february-30",
        {"date": "2026-02-30"},
        ("date: 2026-02-30 doesn't exist: February 2026 has 28 days",),
        "2026-02-28",
    ),
    ("date-month-13", {"date": "2026-13-01"}, ("date: 2026-13-01 doesn't exist",), "2026-03-10"),
    ("date-year-0", {"date": "0000-01-01"}, ("date: 0000-01-01 is too far away",), "2026-03-10"),
    ("date-year-9999", {"date": "9999-12-31"}, ("date: 9999-12-31 is too far away",), "2026-03-10"),
    ("date-past", {"date": "2025-12-31"}, ("date: the new start", "is in the past"), "2026-01-07"),
    ("date-words", {"date": "tomorrow"}, ("date: 'tomorrow' isn't a date",), "2026-03-10"),
    ("date-sql", {"date": SQL}, ("date:", "isn't a date"), "2026-03-10"),
    ("time-blank", {"time": "   "}, ("time: this can't be empty",), "18:30"),
    ("time-24-00", {"time": "24:00"}, ("time: '24:00' isn't a time of day",), "18:30"),
    ("time-25-61", {"time": "25:61"}, ("time: '25:61' isn't a time of day",), "18:30"),
    ("time-13pm", {"time": "13pm"}, ("time: '13pm' isn't a time of day",), "6:30pm"),
    ("time-emoji", {"time": EMOJI}, ("time:", "isn't a time of day"), "18:30"),
    (
        "time-spring-forward-gap",
        {"date": "2026-03-08", "time": "2:30"},
        ("time: 02:30 on Sun 8 Mar 2026 doesn't exist in America/New_York",),
        "Pick a time outside 02:00-03:00",
    ),
]:
    add(
        f"session-edit-{case_id}",
        "organizer",
        "session edit",
        {"session": OWN} | options,
        *phrases,
        example=example,
    )

# /session cancel: a reason too long to show; /session export: runners can't.
add(
    "session-cancel-reason-2100-chars",
    "organizer",
    "session cancel",
    {"session": OWN, "reason": LONG},
    "reason: that's 2100 characters; keep it to 300",
    example="track closed for a meet",
)
add(
    "session-export-by-a-runner",
    "alice",
    "session export",
    {"session": OWN},
    "Only organizers can do this",
    example="/setup organizer-role",
)


# ---------------------------------------------------------------- the world


@pytest.fixture
async def world(club: Club) -> World:
    """A club with its channel set, a runner with a saved race, a session with an RSVP, a
    cancelled session, and a session of another server, built through the services (fast)."""
    bot = club.bot
    admin = await make_admin(club)
    # Driver code reads SimCord's virtual clock only inside its time context.
    with club.env.time_context():
        manager = Actor(user_id=admin.id, manage_guild=True)
        coach = Actor(user_id=club.organizer.id, manage_events=True)
        await bot.services.setup.set_channel(manager, club.guild.id, club.channel.id)

        async def create(guild_id: int, channel_id: int | None, title: str, day: str) -> int:
            form = SessionForm(
                title=title,
                date=day,
                time="18:30",
                location="Cherokee HS track",
                workout="6x800 @ I w/ 400 jog",
                details="Bring spikes",
                capacity=12,
                channel_id=channel_id,
            )
            outcome = await bot.services.sessions.create(coach, guild_id, form)
            return outcome.sessions[0].id

        ids = {
            "own": await create(club.guild.id, None, "Track Tuesday", "2026-02-10"),
            "cancelled": await create(club.guild.id, None, "Track Thursday", "2026-02-12"),
        }
        cancelled = str(ids["cancelled"])
        await bot.services.sessions.cancel(coach, club.guild.id, cancelled, "this", "ice")
        other = club.env.create_guild("Other Club")
        other_channel = other.create_text_channel("track-nights")
        ids["foreign"] = await create(
            other.id, other_channel.id, "Other club intervals", "2026-02-11"
        )
        await bot.services.rsvps.respond(
            club.guild.id, ids["own"], club.alice.id, "alice", Response.GOING, "command"
        )
        await bot.services.profiles.set(club.ben.id, "10K", "45:00")
    channels = {
        "locked": club.guild.create_text_channel(
            "locked",
            overwrites={club.guild.me: discord.PermissionOverwrite(send_messages=False)},
        ),
        "voice": club.guild.create_voice_channel("warm-up-call"),
    }
    # The services above only queue the announcements and notices; the outbox handles them in
    # the background. The cancelled session's notice is due at once (and skipped: it was never
    # announced); on PostgreSQL on a loaded machine that work was seen still going on during a
    # case, between its "before" and "after" snapshots. Let everything due by now be finished
    # (every other row is due weeks later) before any case starts.
    for _ in range(100):
        await club.env.advance_time(1)
        [unfinished] = await bot.db.fetch_all(
            "SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'claimed')"
            " AND due_at < '2026-01-02'"
        )
        if unfinished[0] == 0:
            break
    else:
        raise AssertionError("the outbox never finished the deliveries due at once")
    assert club.env.errors == []
    return World(club, admin, ids, channels)


async def snapshot(club: Club) -> dict[str, list[tuple[Any, ...]]]:
    tables = {}
    for table in TABLES:
        rows = await club.bot.db.fetch_all(f"SELECT * FROM {table}")  # noqa: S608
        # Sorted here: no column order is portable to every table (SQLite's rowid is not).
        tables[table] = sorted((tuple(row) for row in rows), key=repr)
    return tables


def changed_rows(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
) -> dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Per table that differs: (rows only before, rows only after); a failure shows them."""
    return {
        table: (
            [row for row in before[table] if row not in after[table]],
            [row for row in after[table] if row not in before[table]],
        )
        for table in before
        if before[table] != after[table]
    }


def bot_posts(club: Club) -> list[discord.Message]:
    """What the bot posted for everyone in the club's channel (not private replies)."""
    return [
        m
        for m in club.channel.history(viewer=club.organizer)
        if m.author.bot and not m.flags.ephemeral
    ]


def assert_pings_no_one(requests: list[Any]) -> None:
    """Every message the bot sent (replies included) turned every kind of ping off."""
    for request in requests:
        body = request.json if isinstance(request.json, dict) else {}
        data = body.get("data", body)
        if not isinstance(data, dict) or not ("content" in data or "embeds" in data):
            continue
        allowed = data.get("allowed_mentions")
        assert isinstance(allowed, dict), request
        assert allowed.get("parse") == [], request
        assert not allowed.get("users"), request
        assert not allowed.get("roles"), request


# ---------------------------------------------------------------- the tests


def test_the_table_covers_every_command_with_at_least_150_cases() -> None:
    assert len(CASES) >= 150, len(CASES)
    assert len({case.id for case in CASES}) == len(CASES), "case ids must be unique"
    assert {case.command for case in CASES} >= {
        "pace zones",
        "pace predict",
        "pace convert",
        "pace splits",
        "pace workout",
        "profile set",
        "drill show",
        "setup timezone",
        "setup reminders",
        "session create",
        "session edit",
        "session cancel",
        "session roster",
        "session export",
        "rsvp",
    }


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_bad_input_is_refused_privately_specifically_and_changes_nothing(
    world: World, case: Case
) -> None:
    club = world.club
    before = await snapshot(club)
    posts_before = len(bot_posts(club))
    requests_before = len(club.env.http_requests)

    result = await world.member(case.who).slash(
        club.channel, case.command, **world.options(case.options)
    )

    # Read the recorded errors at once, so a failed assertion below is reported by itself.
    recorded = club.env.errors
    text = result.response.content or ""
    assert result.ephemeral, text
    shown = [embed_text(embed) for embed in result.response.embeds]
    for phrase in case.phrases:
        assert phrase in text, f"{phrase!r} not in the reply {text!r} {shown!r}"
    assert any(example in text for example in case.examples), (
        f"no valid example (any of {case.examples!r}) in {text!r}"
    )
    assert "Sorry, something went wrong" not in text
    assert not result.response.embeds
    assert len(text) <= 2000
    # Nothing the member typed may ping anyone, even echoed back.
    assert_pings_no_one(club.env.http_requests[requests_before:])
    assert changed_rows(before, await snapshot(club)) == {}
    assert len(bot_posts(club)) == posts_before
    assert len(recorded) == 1
    only_user_errors(club)


# Options Discord's own client refuses to send: integer ranges and fixed choices.
CLIENT_REFUSALS: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("pace-splits-lap-zero", "alice", "pace splits", {"lap": 0}, "lap"),
    ("pace-splits-lap-negative", "alice", "pace splits", {"lap": -400}, "lap"),
    ("pace-splits-lap-too-short", "alice", "pace splits", {"lap": 99}, "lap"),
    ("pace-splits-lap-too-long", "alice", "pace splits", {"lap": 5001}, "lap"),
    ("pace-splits-lap-huge", "alice", "pace splits", {"lap": 10**9}, "lap"),
    ("pace-splits-lap-beyond-discord", "alice", "pace splits", {"lap": 2**60}, "lap"),
    ("pace-splits-lap-as-text", "alice", "pace splits", {"lap": "400"}, "lap"),
    ("setup-announce-ahead-negative", "admin", "setup announce-ahead", {"days": -1}, "days"),
    ("setup-announce-ahead-29", "admin", "setup announce-ahead", {"days": 29}, "days"),
    ("setup-announce-ahead-huge", "admin", "setup announce-ahead", {"days": 10**9}, "days"),
    ("session-create-weeks-zero", "organizer", "session create", {"weeks": 0}, "weeks"),
    ("session-create-weeks-negative", "organizer", "session create", {"weeks": -1}, "weeks"),
    ("session-create-weeks-53", "organizer", "session create", {"weeks": 53}, "weeks"),
    ("session-create-weeks-huge", "organizer", "session create", {"weeks": 10**9}, "weeks"),
    ("session-create-capacity-zero", "organizer", "session create", {"capacity": 0}, "capacity"),
    (
        "session-create-capacity-negative",
        "organizer",
        "session create",
        {"capacity": -5},
        "capacity",
    ),
    ("session-create-capacity-1001", "organizer", "session create", {"capacity": 1001}, "capacity"),
    (
        "session-create-capacity-huge",
        "organizer",
        "session create",
        {"capacity": 10**9},
        "capacity",
    ),
    (
        "session-create-channel-voice",
        "organizer",
        "session create",
        {"channel": Channel("voice")},
        "channel",
    ),
    ("session-edit-capacity-zero", "organizer", "session edit", {"capacity": 0}, "capacity"),
    ("session-edit-capacity-1001", "organizer", "session edit", {"capacity": 1001}, "capacity"),
    ("session-edit-scope-unknown", "organizer", "session edit", {"scope": "everything"}, "scope"),
    ("session-cancel-scope-unknown", "organizer", "session cancel", {"scope": "all"}, "scope"),
    ("drill-list-category-empty", "alice", "drill list", {"category": ""}, "category"),
    ("drill-list-category-unknown", "alice", "drill list", {"category": "cardio"}, "category"),
    ("drill-list-category-emoji", "alice", "drill list", {"category": EMOJI}, "category"),
    ("drill-list-category-sql", "alice", "drill list", {"category": SQL}, "category"),
    ("rsvp-status-yes", "alice", "rsvp", {"status": "yes"}, "status"),
    ("rsvp-status-empty", "alice", "rsvp", {"status": ""}, "status"),
    ("rsvp-status-emoji", "alice", "rsvp", {"status": "✅"}, "status"),
]
BASE_OPTIONS: dict[str, dict[str, Any]] = {
    "pace splits": {"race": "5K", "time": "22:30"},
    "setup announce-ahead": {},
    "session create": CREATE,
    "session edit": {"session": OWN, "time": "19:00"},
    "session cancel": {"session": OWN},
    "drill list": {},
    "rsvp": {"session": OWN, "status": "going"},
}


@pytest.mark.parametrize(
    ("who", "command", "options", "option"),
    [case[1:] for case in CLIENT_REFUSALS],
    ids=[case[0] for case in CLIENT_REFUSALS],
)
async def test_values_outside_declared_ranges_and_choices_never_reach_the_bot(
    world: World, who: str, command: str, options: dict[str, Any], option: str
) -> None:
    club = world.club
    before = await snapshot(club)
    requests_before = len(club.env.http_requests)

    with pytest.raises(OptionError) as refused:
        await world.member(who).slash(
            club.channel, command, **world.options(BASE_OPTIONS[command] | options)
        )

    assert refused.value.option == option
    assert f"Option '{option}' of '{command}'" in str(refused.value)
    assert await snapshot(club) == before
    assert len(club.env.http_requests) == requests_before
    assert club.env.errors == []


def padded(text: str, length: int) -> str:
    return (text + " " + "~" * length)[:length]


async def test_odd_text_that_is_allowed_is_stored_as_typed_and_pings_no_one(world: World) -> None:
    # Free text may be anything, up to each field's limit: it is stored as typed, shown in the
    # reply, the announcement, the list and the roster, and never pings anyone.
    club = world.club
    title = padded(f"{EMOJI} **Speed** @everyone {RUNES}", 100)
    location = padded(f"{ROLE} {FULLWIDTH} track", 100)
    details = padded(f"{SQL}\n{SPOILER} {CODE} {ARABIC_TIME} ```unclosed", 1000)
    workout = padded(f"run fast-ish {EMOJI}", 200)

    result = await club.organizer.slash(
        club.channel,
        "session create",
        title=title,
        date="2026-01-06",
        time="18:30",
        location=location,
        details=details,
        workout=workout,
    )

    assert result.ephemeral
    shown = embed_text(result.response.embeds[0])
    assert "Scheduled:" in shown
    assert "kept as free text" in shown
    rows = await club.bot.db.fetch_all(
        "SELECT id, title, location, details, workout, workout_parsed FROM sessions "
        "WHERE title = ?",
        (title,),
    )
    [(session_id, *stored)] = [tuple(row) for row in rows]
    assert stored == [title, location, details, workout, 0]
    # Within a week, so announced at once; the post went out.
    [status] = await club.bot.db.fetch_all(
        "SELECT status FROM deliveries WHERE session_id = ? AND kind = 'announcement'",
        (session_id,),
    )
    assert status[0] == "sent"
    [announcement] = [m for m in bot_posts(club) if m.embeds]
    assert "**Speed** @everyone" in embed_text(announcement.embeds[0])
    assert not announcement.mention_everyone
    listed = await club.alice.slash(club.channel, "session list")
    assert "@everyone" in embed_text(listed.response.embeds[0])
    roster = await club.alice.slash(club.channel, "session roster", session=str(session_id))
    assert roster.ephemeral
    assert roster.response.embeds
    assert_pings_no_one(club.env.http_requests)
    assert club.env.errors == []
