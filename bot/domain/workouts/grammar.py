"""The workout grammar: clauses, reps, sets and recoveries, read into the structured model.

Why hand-written and not a grammar library: real sessions are half notation, half prose ("Run
at a fast pace for 60 seconds, walk for 30 seconds, ...; repeat for 20 minutes", "10-12
sprints"). Lark, pyparsing and parsimonious were weighed. All three read the notation; prose
needs an ambiguous grammar (Lark's Earley) or word-skipping rules, and then their errors name a
token and a character offset ("Unexpected token 'fastish' at line 1 col 9, expected one of
..."), not what a runner can act on. Lark's LALR parser is fast but cannot take the
ambiguity; its Earley parser can, and is the slow one (Lark's own documentation; not measured
here). A clause reader
over regular expressions compiled once keeps each rule next to the words it reads, quotes the
clause it could not read with the real reason (an unknown target, a rep with no distance, two
recoveries) and a rewrite, and reads and plans every shared workout in well under a
millisecond (bench/workouts.py).

How a workout is read:

1. :func:`~bot.domain.workouts.lexing.normalise` gives number and unit forms one spelling.
2. Bracketed groups are set aside; the rest splits into clauses at ``+ ; | , then w/ with``,
   ``followed by`` and ``:`` after a label ("Strides: 8 x 100").
3. Each clause is a rep (``[N[-M] x] [K x] AMOUNT[-AMOUNT...] [hill] [@ TARGET]``, or prose with
   ``for AMOUNT``), a recovery (an amount with jog, rest, walk, float, recovery, easy or off;
   ``equal-time jog``; ``jog back down``; ``starting one minute apart``; ``no rest``), a set break
   (``... between sets``), a count (``10-12 sprints``), ``repeat for 20 minutes``, a list of
   targets, a label, or a warm-up / cool-down (``2 mi WU``, ``15 min easy``, ``CD``).
4. Clauses attach to the reps before them; a recovery said "between reps" or "after each
   interval" at the very end applies to every rep without one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from itertools import pairwise

from bot.domain.pace import MILE_M, Zone
from bot.domain.parsing import Race
from bot.domain.workouts.classics import find_classic
from bot.domain.workouts.lexing import AMOUNT_RE, FLAGS, NUMBER, amount_of, normalise, uses_miles
from bot.domain.workouts.model import (
    Block,
    Item,
    PaceTarget,
    Part,
    Recovery,
    RecoveryKind,
    RepeatSet,
)
from bot.domain.workouts.targets import EFFORT_WORDS, FIVE_K, HINT, ZONE_WORDS, read_target
from bot.errors import InvalidInput

TARGET_HINT = (
    "a target is E, M, T, I, R or H, a race pace like 5K pace, 10KP or HMP, goal pace, "
    "a time like 1:30 or 7:15/mi, or an effort like hard"
)
RECOVERY_HINT = "a recovery is an amount and jog, rest, walk or float, like w/ 400 jog or 90s rest"
#: Daniels writes send-off reps in his I-pace table (Running Formula, Table 4.3).
SENDOFF_ZONE = Zone.INTERVAL
#: Reps written without a target are planned at 5K pace: the common default for unlabelled
#: track reps, and the reply says so.
DEFAULT_TARGET = PaceTarget(race=FIVE_K, assumed=True)
#: A cut-down with no paces runs from a 15 km race's pace (about Daniels' T) to mile pace.
CUTDOWN_FROM_M = 15000.0
#: Reps at T pace or slower with no recovery written rest 1 min per 5 min run (Daniels' cruise
#: intervals, Running Formula ch. 4); faster reps jog equal time (his I-pace recoveries).
STEADY_REST_SHARE = 0.2
STEADY_RACE_M = 15000.0
CUTDOWN_TO_M = MILE_M

_KIND_WORDS: dict[str, RecoveryKind] = {
    "jog": RecoveryKind.JOG,
    "jogs": RecoveryKind.JOG,
    "jogging": RecoveryKind.JOG,
    "jogged": RecoveryKind.JOG,
    "jg": RecoveryKind.JOG,
    "walk/jog": RecoveryKind.JOG,
    "jog/walk": RecoveryKind.JOG,
    "slow jog": RecoveryKind.JOG,
    "easy jog": RecoveryKind.JOG,
    "easy": RecoveryKind.JOG,
    "recovery": RecoveryKind.JOG,
    "recoveries": RecoveryKind.JOG,
    "rec": RecoveryKind.JOG,
    "recover": RecoveryKind.JOG,
    "off": RecoveryKind.JOG,
    "rest": RecoveryKind.REST,
    "rests": RecoveryKind.REST,
    "standing rest": RecoveryKind.REST,
    "standing": RecoveryKind.REST,
    "break": RecoveryKind.REST,
    "walk": RecoveryKind.WALK,
    "walks": RecoveryKind.WALK,
    "walking": RecoveryKind.WALK,
    "float": RecoveryKind.FLOAT,
    "floats": RecoveryKind.FLOAT,
    "floating": RecoveryKind.FLOAT,
}
_GENERIC_REST_WORDS = frozenset({"rest", "rests", "break"})
_KIND = "|".join(sorted((re.escape(k) for k in _KIND_WORDS), key=len, reverse=True))
_AMT = (
    rf"(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?|\d+\s*h\s*\d{{1,2}}(?![\d:])|{NUMBER}s?(?:\s*-?\s*"
    r"(?:m|meters?|metres?|k|km|kms|kilomet(?:er|re)s?|mi|miles?|yds?|yards?|laps?|"
    r"s|secs?|seconds?|\"|min|mins|minutes?|'|h|hrs?|hours?)(?![a-z]))?)"
)
_AMT_RANGE = rf"{_AMT}(?:\s*(?:-|to)\s*{_AMT})?"

_SEPARATOR_RE = re.compile(
    r"\s*(?:;|\.(?=\s)|/\s+(?!(?:mi|mile|km|k|400|lap)\b)|\+(?!\s*\d+(?:\.\d+)?(?:\s*-\s*\d+)?\s*(?:s|secs?|seconds?|\")?\s*"
    r"(?:(?:/|per)\s*(?:km|k|mi|mile))?\s*(?:$|[,;+|)]|w/|with\b))|\||,\s*(?:and\s+)?then\b|\band\s+then\b|\bthen\b|\bfollowed\s+by\b|,"
    r"|\bw/\s*|\bwith\b|:(?=\s))\s*",
    FLAGS,
)
_SEPARATOR_KEEP_RE = re.compile(f"({_SEPARATOR_RE.pattern})", FLAGS)
_GROUP_RE = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_PLACEHOLDER_RE = re.compile(r"\u00ab(\d+)\u00bb")
_NUMBER_LIST_RE = re.compile(
    r"(?<![:\d.-])(?<!,)(?<!, )\b(\d+(?:\.\d+)?)((?:\s*,\s*\d+(?:\.\d+)?)+)"
    r"(?:,?\s*(?:and|&)\s*(\d+(?:\.\d+)?))?"
    r"(?=\s*(?:min|mins|minutes?|s|secs?|seconds?|m|k|km)\b|\s*@|\s+at\b|\s*\))",
    FLAGS,
)
_ON_OFF_HINT_RE = re.compile(
    r"\b(?:on|hard|fast)\s*(?:/|,|and|(?=\d))\s*\d[^,;]*?\b(?:off|easy|jog|rest|slow|float|recovery)\b",
    FLAGS,
)
_ON_OFF_RE = re.compile(
    rf"(?P<on>{_AMT})\s*(?:on|hard|fast)\s*(?:/|,|and|(?=\d))\s*(?P<off>{_AMT})\s*"
    r"(?:off|easy|jog|rest|slow|float|recovery)\b",
    FLAGS,
)
_GROUP_RECOVERY_RE = re.compile(r"\b(?:jog|rest|recovery|walk|float|jg)\b", FLAGS)
_TRAILING_COUNT_RE = re.compile(
    r"\b(\d+(?:\.\d+)?\s*(?:m|k|km|mi|miles?|min|mins|s|sec|secs))\s*(?:repeats?|reps?)?\s*x\s*"
    r"(\d{1,2})\b(?!\s*(?:x\b|m\b|k\b|km|mi|min|s\b|sec|:))",
    FLAGS,
)
_DANIELS_AMOUNT_RE = re.compile(
    r"(?<![x\d.:-])(?<!x )\b([12]?\d(?:\.\d)?)\s+(e|t)\b(?!\s*(?:pace|x))", FLAGS
)
_LADDER_LIST_RE = re.compile(
    rf"(?:^|(?<=[;,:+]\s))(?P<list>{_AMT}(?:\s*,\s*{_AMT}){{1,12}}(?:,?\s+and\s+{_AMT})?)"
    r"(?=\s*(?:@|at\b))",
    FLAGS,
)
_LAST_RE = re.compile(
    rf"^(?:the\s+)?(?:last|final)\s+(?P<a>{_AMT})\s*(?:@|at|of|in)\s*(?P<t>.+)$", FLAGS
)
_PLURAL_REP_RE = re.compile(r"^(\d{3,5})s\b", FLAGS)
_REP_SLASH_RECOVERY_RE = re.compile(
    rf"(?P<rep>\b\d+\s*x\s*{_AMT})\s*/\s*(?P<rec>{_AMT})(?!\s*(?:mi|mile|km|k)\b)", FLAGS
)
_AMOUNTS_ONLY_RE = re.compile(rf"^{_AMT}(?:\s*,\s*{_AMT})+$", FLAGS)
# "@ MP, HMP, 10KP, 5KP" or "progression: 6:40, 6:30, 6:20": one target per rep, read like a
# bracketed list ("5 x 400 progression (MP, HMP, 10K, 5K, mile)").
_TARGET_LIST_RE = re.compile(
    r"(?P<mark>\s*@\s*|\s+at\s+|\b(?:progression|cut-?down)\s*:\s*)"
    r"(?P<list>(?:(?!\bw/|\bwith\b)[^,;|()@])+(?:\s*,\s*(?:(?!\bw/|\bwith\b)[^,;|()@])+)+)"
    r"(?=\s*(?:$|;|\||\bw/|\bwith\b))",
    FLAGS,
)
_TARGET_LIST_TAIL_RE = re.compile(r"\s*,\s*|\s+and\s+", FLAGS)
# "12 x 200 every 90 seconds", "10 x 100 on the minute": a send-off, its own clause.
_SENDOFF_TAIL_RE = re.compile(
    r"(?<=[\w'\"])(?<!starting)(?<!leaving)\s+(?=(?:starting\s+|leaving\s+)?(?:every|on\s+the)\s+(?:\d|minute\b))",
    FLAGS,
)
# "10 x 30/30", "12 x 45/15s": seconds on, seconds off.
_ON_OFF_SECONDS_RE = re.compile(
    r"\b(\d{1,3})\s*x\s*(\d{1,3})\s*/\s*(\d{1,3})\s*(?:s|secs?|seconds?)?(?=\s*(?:$|[,;|]))", FLAGS
)
# "4 x 1200, 400 jog, all at 5K pace", "400, 800, 1200 all at 5K pace": the target after the list.
_ALL_AT_RE = re.compile(
    r"(?:(?<=,)|(?<=\d)(?=\s))\s*all\s+(?:(?:the\s+)?reps\s+|of\s+them\s+)?(?=@|at\b)", FLAGS
)
# "Cut-down: 1200, 1000, 800, 600, 400 w/ 200 jog": a list of reps, run one after another.
_REP_LIST_RE = re.compile(
    rf"(?:^|(?<=:\s))(?P<list>{_AMT}(?:\s*,\s*{_AMT}){{2,12}})"
    r"(?=\s*(?:w/|with\b|cut|progress|descend|$|;|\())",
    FLAGS,
)
# "Fartlek 10 x 2 min on, 1 min off", "Track 6 x 800": a label before the count, no colon.
_LABEL_BEFORE_COUNT_RE = re.compile(
    r"^([a-z](?:[a-z'/-]|(?<=vo)2)*(?:\s+[a-z][a-z'/-]*){0,2})\s+(?=\d+(?:\s*-\s*\d+)?\s*x\b)",
    FLAGS,
)
# "4 x 1 mile w/ 3 min jog @ 10K pace": the target said after the recovery comes first.
_TARGET_AFTER_RECOVERY_RE = re.compile(
    r"(?P<rec>(?:\bw/|\bwith\b)\s*[^@,;|+()]*?\b(?:jog|jg|rest|walk|float|recovery|easy))"
    r"\s*(?P<tgt>(?:@|\bat\b)\s*[^,;|+()]+)",
    FLAGS,
)
# "3 min set rest", "set rest 3 min": a set break.
_SET_REST_AFTER_RE = re.compile(
    rf"(?P<a>{_AMT_RANGE})\s*(?:between[\s-]sets?|sets?)\s+(?:rest|recovery|break)\b", FLAGS
)
_SET_REST_BEFORE_RE = re.compile(
    rf"\b(?:between[\s-]sets?|sets?)\s+(?:rest|recovery|break)\s*(?:of\s+|is\s+)?(?P<a>{_AMT_RANGE})",
    FLAGS,
)
_RECOVERY_VOCABULARY = ("jog", "rest", "walk", "float", "recovery", "easy")
# "Mile, 1200, 800, 400": a unit alone in a list of reps is one of it.
_BARE_UNIT_IN_LIST_RE = re.compile(r"(^|[,;:+]\s*)(mile|km|k)(?=\s*,\s*\d)", FLAGS)
_ON_THE_MINUTE_RE = re.compile(r"\b(?:on\s+the|every)\s+minute\b", FLAGS)
_SETS_OF_RE = re.compile(r"\b(\d+(?:\s*-\s*\d+)?)\s*(?:sets|rounds|series)\s+of\s+", FLAGS)
_PART_COLON_RE = re.compile(r"\b(warm[\s-]?up|wu|cool[\s-]?down|cd)\s*:\s*", FLAGS)
_AMOUNT_LIST_RE = re.compile(
    rf"(?P<pre>(?:\bw/|\bwith)\s*)(?P<list>{_AMT}(?:\s*,\s*{_AMT}){{1,10}}(?:,?\s+and\s+{_AMT})?)"
    rf"\s+(?=(?:{_KIND})\b)",
    FLAGS,
)
_MILER_RE = re.compile(
    rf"^(?:[a-z][a-z\s-]*?\s+)?(?P<total>{NUMBER})\s*(?P<unit>mi|mile|miles|miler|k|km)\s*"
    rf"(?:run\s*)?(?:with|w/|including|incl\.?)\s+(?P<work>{NUMBER})\s*(?:mi|miles?|k|km)?\s*"
    r"(?:@|at)\s*(?P<target>.+)$",
    FLAGS,
)
_TOTAL_WITH_RE = re.compile(
    rf"^(?:[a-z][\w\s-]*?(?:\s*\+\s*[a-z][\w\s-]*?)?\s+)?(?P<total>{NUMBER})\s*(?P<unit>mi|mile|miles|miler|k|km)\s*"
    r"(?:run\s*)?(?:with|w/|including|incl\.?)\s+(?P<rest>\d.+)$",
    FLAGS,
)
#: Timed recoveries count toward a run's total at this pace when easy miles are split around
#: the work (6:00/km: a jog).
_JOG_S_PER_KM = 360.0
_LEAD_RE = re.compile(
    r"^(?:(?:and|then|do|run|running|of|followed by|finish with|finishing with|plus|also|"
    r"after that|next)\s+)+",
    FLAGS,
)
_COUNT_RE = re.compile(
    r"^(?:x\s*)?(?P<n>\d+)(?:\s*(?:-|to)\s*(?P<m>\d+))?\s*(?:x\s*)?"
    r"(?:sprints?|reps?|repeats?|repetitions?|times|intervals?|efforts?|of\s+(?:these|those|them)"
    r"|sets?)?$",
    FLAGS,
)
_REPEAT_TIMES_RE = re.compile(
    r"^(?:repeat|do\s+(?:this|it)|x)\s*(?P<n>\d+)(?:\s*(?:-|to)\s*(?P<m>\d+))?\s*(?:times|x)?$",
    FLAGS,
)
_REPEAT_FOR_RE = re.compile(
    rf"^(?:repeat|keep\s+going|continue|do\s+this)?\s*(?:for|until)\s+(?:a\s+total\s+of\s+)?"
    rf"(?P<a>{_AMT})(?:\s+(?:total|in\s+all|of\s+running))?$",
    FLAGS,
)
_NO_RECOVERY_RE = re.compile(
    r"^(?:no\s+(?:rest|recovery|break|jog|stopping)|without\s+(?:rest|stopping)|continuous(?:ly)?"
    r"|straight\s+through|non-?stop)$",
    FLAGS,
)
_WARMUP_RE = re.compile(
    rf"^(?:(?P<a>{_AMT})\s*)?(?:wu|w/u|warm[\s-]?up|warming\s+up)(?:\s+(?P<b>{_AMT}))?"
    r"(?:\s+(?:easy|jog|e))?$",
    FLAGS,
)
_COOLDOWN_RE = re.compile(
    rf"^(?:(?P<a>{_AMT})\s*)?(?:cd|c/d|cool[\s-]?down|warm[\s-]?down)(?:\s+(?P<b>{_AMT}))?"
    r"(?:\s+(?:easy|jog|e))?$",
    FLAGS,
)
_EASY_PART_RE = re.compile(
    rf"^(?:(?P<a>{_AMT})\s*(?:easy|jog|easy\s+jog|easy\s+running)"
    rf"|(?:easy|jog)\s+(?P<b>{_AMT}))$",
    FLAGS,
)
_SENDOFF_RE = re.compile(
    rf"^(?:starting|leaving|going|start|leave|go|on\s+a|send-?off)?\s*(?:each\s+(?:one\s+)?|every\s+|on\s+the\s+)?"
    rf"(?P<a>{_AMT})\s*(?:apart|send-?off|interval)?$|^(?:starting|leaving|going|start)\s+"
    rf"(?:every|each)\s+(?P<b>{_AMT})$|^(?:every|on\s+the)\s+(?P<c>{_AMT})$"
    rf"|^(?:starting|leaving)\s+(?P<d>{_AMT})\s+apart$",
    FLAGS,
)
_PERCENT_TIME_RE = re.compile(
    r"^(?:jog\s+)?(?P<a>\d+)(?:\s*%?\s*(?:-|to)\s*(?P<b>\d+))?\s*%\s*(?:of\s+)?(?:the\s+)?"
    r"(?:interval|rep|repeat)?\s*time(?:\s+jog)?$",
    FLAGS,
)
_BACK_DOWN_RE = re.compile(
    r"^(?P<k>jog|jogging|walk|walking|walk/jog|jog/walk|easy)\s+(?:back\s+)?(?:down|back)"
    r"(?:\s+(?:the\s+)?hill)?(?:\s+(?:to\s+(?:the\s+)?(?:start|bottom)|recovery))?$",
    FLAGS,
)
_EQUAL_RE = re.compile(
    rf"^(?P<rel>half|equal|same|even|full|complete)(?:[\s-]+(?:the\s+)?(?P<what>distance|time|length|"
    rf"duration))?(?:\s+(?P<k>{_KIND}))?(?:\s+recovery)?$",
    FLAGS,
)
_QUALIFIER_RE = re.compile(
    r"\s+(?P<q>between\s+(?:sets|rounds|blocks|series)|between(?:\s+(?:reps|each(?:\s+\w+)?|"
    r"repeats|intervals|efforts|them))?|in\s+between|after\s+(?:each|every)(?:\s+(?:rep|one|"
    r"interval|repeat|effort|set))?|each|per\s+rep|recovery|recoveries|after)$",
    FLAGS,
)
_SET_WORDS_RE = re.compile(r"between\s+(?:sets|rounds|blocks|series)", FLAGS)
_GLOBAL_WORDS_RE = re.compile(
    r"between\s+(?:reps|each|repeats|intervals|efforts|all)|after\s+(?:each|every)|in\s+between"
    r"|\bbetween$",
    FLAGS,
)
_HILL_RE = re.compile(
    r"\b(?:up\s*(?:a\s+|the\s+)?(?:(?:moderate|steep|gentle|short|long|gradual|good)\s+)?)?"
    r"(?:hills?|uphill|incline|inclines|slope)(?:\s+(?:repeats?|reps?|sprints?|climbs?))?\b",
    FLAGS,
)
_CUTDOWN_RE = re.compile(
    r"\b(?:cut[\s-]?downs?|cutdowns?|progression|progressive|descending|each\s+(?:rep\s+|one\s+)?"
    r"faster(?:\s+than\s+the\s+last)?|getting\s+faster(?:\s+(?:each|every)\s+(?:rep|time|one))?|"
    r"faster\s+(?:each|every)\s+(?:rep|time|one))\b",
    FLAGS,
)
_REPS_RE = re.compile(
    r"^(?P<n>\d+)(?:\s*(?:-|to)\s*(?P<m>\d+))?\s*(?:x|\*|by(?=\s))\s*(?P<rest>.*)$", FLAGS
)
_COUNT_PLURAL_RE = re.compile(
    r"^(?P<n>\d+)(?:\s*(?:-|to)\s*(?P<m>\d+))?\s+(?P<rest>\d+s\b.*)$", FLAGS
)
_COUNT_UNITS_RE = re.compile(
    r"^(?P<n>\d+)\s*(?P<u>miles?|mi|km|k|kilomet(?:er|re)s?)\s+(?=.*\b(?:cut[\s-]?downs?|cutdowns?|"
    r"progression|progressive|descending)\b)",
    FLAGS,
)
_TARGET_MARK_RE = re.compile(r"\s*@\s*|\s+at\s+|^at\s+|\s+in\s+(?=\d)", FLAGS)
_TRAILING_RECOVERY_RE = re.compile(
    rf"\s+(?P<r>(?:{_AMT_RANGE})\s*(?:{_KIND})|(?:{_KIND})\s+(?:{_AMT_RANGE}))$", FLAGS
)
_FOR_RE = re.compile(rf"^(?P<pre>.*?)\bfor\s+(?P<a>{_AMT})(?P<post>.*)$", FLAGS)
_NAMED_LADDER_RE = re.compile(rf"^(?P<a>{_AMT})(?:\s*-\s*(?P<more>{_AMT}))+$", FLAGS)
_TITLE_WORDS_RE = re.compile(r"\b(?:run|runs|workout|session|day|set|sets|intervals)\b", FLAGS)
# Labels are words; the one digit allowed is VO2's ("VO2max: 5 x 1000").
_LABEL_COLON_RE = re.compile(r"^([a-z](?:[a-z\s'/-]|(?<=vo)2)*?)\s*:\s+", FLAGS)
_LABEL_ONLY_RE = re.compile(r"^[a-z](?:[a-z\s/'-]|(?<=vo)2)*$", FLAGS)
_PROSE_WORDS_RE = re.compile(
    r"\b(?:run|running|at|a|an|the|pace|as|you|can|your|for|of|with|go|do|then|and|some|"
    r"nice|bit)\b",
    FLAGS,
)

_KIND_FIRST_RE = re.compile(rf"^(?P<k>{_KIND})\b\s*(?:for\s+)?(?P<rest>.*)$", FLAGS)
_KIND_LAST_RE = re.compile(rf"^(?P<rest>.*?)\s*(?:-\s*)?\b(?P<k>{_KIND})$", FLAGS)
_AMT_START_RE = re.compile(rf"^{_AMT}", FLAGS)
_LADDER_WORDS_RE = re.compile(rf"^(?P<a>{_AMT}(?:\s*-\s*{_AMT})*)(?:\s+(?P<w>.*))?$", FLAGS)
_WORDS_FIRST_RE = re.compile(rf"^(?P<w>[a-z][a-z\s/-]*?)\s+(?P<a>{_AMT})$", FLAGS)
_SECOND_X_RE = re.compile(rf"^x\s*(?P<r>{_AMT})\s*(?P<w>.*)$", FLAGS)
_NUMBER_START_RE = re.compile(rf"^{NUMBER}s?\s*", FLAGS)
_NUMBER_ONLY_START_RE = re.compile(rf"^{NUMBER}\s*", FLAGS)
_LADDER_REP_RE = re.compile(
    rf"^{_AMT}(?:\s*-\s*{_AMT})+\s*(?:@|at\b|(?!(?:{_KIND})\b)[a-z]+\s*$)", FLAGS
)
_AMT_EFFORT_RE = re.compile(rf"^{_AMT}\s+(?:hills?|uphill|strides?|accels?|hard|fast)\b", FLAGS)

#: What a mistyped target is compared with, for "did you mean".
_TARGET_VOCABULARY = sorted(
    {w for w in (*ZONE_WORDS, *EFFORT_WORDS) if len(w) > 2}
    | {
        "5k pace", "10k pace", "3k pace", "mile pace", "half marathon pace", "marathon pace",
        "goal pace", "race pace", "tempo pace", "threshold pace", "interval pace", "hmp", "mp",
        "5kp", "10kp", "goal marathon pace",
    }
)  # fmt: skip

MIN_REPS = 1
MAX_REPS = 50
MIN_REP_M = 50.0
MAX_REP_M = 42_200.0
#: Hill sprints start at 8 s (Brad Hudson, Run Faster, 2008).
MIN_REP_SECONDS = 6.0
MAX_REP_SECONDS = 3 * 3600.0
MIN_RECOVERY_M = 25.0
MAX_RECOVERY_M = 10_000.0
MIN_RECOVERY_SECONDS = 5.0
MAX_RECOVERY_SECONDS = 3600.0


_EASY_WORD_RE = re.compile(r"\beasy\b", FLAGS)
_GROUP_PIECES_RE = re.compile(r"\s*,\s*|\s+-\s+|;", FLAGS)
_ARTICLE_RE = re.compile(r"^(?:a|an|the)\s+", FLAGS)
_BETWEEN_TAIL_RE = re.compile(r"\s+(?:in\s+)?between$", FLAGS)
_SENDOFF_WORDS_RE = re.compile(r"apart|every|each|send|on the", FLAGS)
_JOG_TAIL_RE = re.compile(r"\s+(?:of\s+)?(?:jog|jogging|easy)$", FLAGS)
_LIST_MARK_RE = re.compile(r",|/", FLAGS)
_DIGITS_RE = re.compile(r"\d+", FLAGS)
_REP_WORDS_RE = re.compile(r"^(?:(?:reps?|repeats?|intervals?|efforts?)\b\s*)+", FLAGS)
_BARE_NUMBER_RE = re.compile(r"\d+s?", FLAGS)
_RECOVERY_MARKER_RE = re.compile(r" «rec:(.+)»$", FLAGS)
_RUNG_SPLIT_RE = re.compile(r"\s*-\s*(?=\d)", FLAGS)
_AMOUNT_LIST_SPLIT_RE = re.compile(r"\s*(?:,|/|-|to)\s*", FLAGS)
_LIST_JOIN_RE = re.compile(r"\s*,\s*|\s+and\s+", FLAGS)
_SET_CONTENT_RE = re.compile(r"\d\s*x|@|,", FLAGS)
_SPACES_RE = re.compile(r"\s+", FLAGS)
_BEFORE_GROUP_RE = re.compile(r"(\S) (\u00ab\d+\u00bb)", FLAGS)
_X_GROUP_RE = re.compile(r"x \u00ab", FLAGS)


def quote(text: str, limit: int = 60) -> str:
    """Member text, shortened and defused, in single quotes, for messages."""
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    # Mentions must not fire from an echo of what the member typed.
    shown = shown.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")
    return "'" + shown.replace("`", "'").replace("<@", "<\u200b@") + "'"


def unreadable(part: str, whole: str, why: str) -> InvalidInput:
    """The refusal for a clause: which part, why, and how to write it."""
    where = "" if part.strip() == whole.strip() else f" in {quote(whole)}"
    return InvalidInput(f"workout: I couldn't read {quote(part)}{where}: {why}. {HINT}")


@dataclass(slots=True)
class _Draft:
    """A block being built: fields may still change as later clauses attach."""

    reps: int
    distance_m: float | None
    seconds: float | None
    target: PaceTarget | None = None
    recovery: Recovery | None = None
    hill: bool = False
    part: Part = Part.WORK
    reps_max: int | None = None
    targets: tuple[PaceTarget, ...] = ()
    recoveries: tuple[Recovery | None, ...] = ()
    cutdown: bool = False
    no_recovery: bool = False
    ladder: int = 0  # rungs of one written ladder share an id (>0)

    def build(self) -> Block:
        return Block(
            reps=self.reps,
            distance_m=self.distance_m,
            seconds=self.seconds,
            target=self.target or DEFAULT_TARGET,
            recovery=None if self.no_recovery else self.recovery,
            hill=self.hill,
            part=self.part,
            reps_max=self.reps_max,
            targets=self.targets,
            recoveries=self.recoveries,
            cutdown=self.cutdown,
        )


@dataclass(slots=True)
class _SetDraft:
    times: int
    items: list[_Draft | _SetDraft]
    between: Recovery | None = None
    times_max: int | None = None

    def drafts(self) -> list[_Draft]:
        found: list[_Draft] = []
        for item in self.items:
            found.extend(item.drafts() if isinstance(item, _SetDraft) else [item])
        return found


@dataclass(slots=True)
class _Reader:
    whole: str
    miles: bool
    groups: list[str]
    notes: list[str] = field(default_factory=list)
    ladder_ids: int = 0
    last_kind: RecoveryKind | None = None
    bare_recovery: bool = True

    # --- clauses ------------------------------------------------------------------------------

    def read(self, text: str) -> list[_Draft | _SetDraft]:
        # "Strides: 8 x 100": a word before a colon names the reps after it.
        text = _LABEL_COLON_RE.sub("\\1 \u00ab:\u00bb, ", text)
        pieces = _SEPARATOR_KEEP_RE.split(text)
        # Each clause with the separator before it: after "+" or ";" a bare amount is a rep.
        clauses = [
            (pieces[i - 1].strip().lower() if i else "", pieces[i].strip())
            for i in range(0, len(pieces), 2)
        ]
        clauses = [(sep, c) for sep, c in clauses if c]
        items: list[_Draft | _SetDraft] = []
        label: PaceTarget | None = None
        label_hill = False
        for index, (separator, raw) in enumerate(clauses):
            clause = _LEAD_RE.sub("", raw).strip(" .,")
            if not clause:
                continue
            self.bare_recovery = separator not in ("+", ";", "then", ".", "followed by")
            last = index == len(clauses) - 1
            if self._attach(clause, items, last):
                continue
            if clause.endswith("\u00ab:\u00bb"):
                # A title before a colon ("Speed day:", "Ladder:") names the session; only a
                # word that is a target or an effort ("Strides:") changes the reps after it.
                labelled = self._label(clause.removesuffix("\u00ab:\u00bb").strip())
                if labelled is not None:
                    label, label_hill = labelled
                continue
            classic = find_classic(clause)
            if classic is not None:
                items.extend(self.read(normalise(classic.text)))
                continue
            labelled = self._label(clause)
            if labelled is not None:
                label, label_hill = labelled
                continue
            new = self._rep_clause(clause)
            for item in new:
                for draft in item.drafts() if isinstance(item, _SetDraft) else [item]:
                    if draft.target is None and label is not None:
                        draft.target = label
                    draft.hill = draft.hill or label_hill
            items.extend(new)
        return items

    def _label(self, clause: str) -> tuple[PaceTarget | None, bool] | None:
        """A clause that only names what follows ("Strides", "hill sprints")."""
        if not _LABEL_ONLY_RE.match(clause):
            return None
        hill = _HILL_RE.search(clause) is not None
        words = " ".join(_HILL_RE.sub(" ", clause).split())
        if not words:
            return (PaceTarget(effort="hill effort", effort_only=True), True) if hill else None
        target = read_target(words, hill=hill, miles=self.miles)
        if target is None:
            plain = " ".join(_TITLE_WORDS_RE.sub(" ", words).split())
            target = read_target(plain, hill=hill, miles=self.miles) if plain else None
        if target is None:
            return None
        return target, hill

    def _attach(self, clause: str, items: list[_Draft | _SetDraft], last: bool) -> bool:
        """Clauses that change the reps before them; True when ``clause`` was one."""
        previous = items[-1] if items else None
        drafts = [d for item in items for d in _drafts_of(item)]
        group = _PLACEHOLDER_RE.fullmatch(clause)
        if group is not None and previous is not None:
            self._attach_group(self.groups[int(group.group(1))], previous, drafts)
            return True
        if previous is None:
            return False
        tail = drafts[-1]
        if _NO_RECOVERY_RE.match(clause):
            tail.no_recovery = True
            tail.recovery = None
            return True
        count = _COUNT_RE.match(clause) or _REPEAT_TIMES_RE.match(clause)
        if count is not None and not AMOUNT_RE.fullmatch(clause):
            low = int(count.group("n"))
            high = int(count.group("m")) if count.group("m") else None
            target = previous if isinstance(previous, _SetDraft) else tail
            if isinstance(target, _SetDraft):
                target.times, target.times_max = low, high
            else:
                target.reps, target.reps_max = low, high
            return True
        last_part = _LAST_RE.match(clause)
        if last_part is not None and isinstance(previous, _Draft) and previous.reps == 1:
            return self._finish_at(clause, last_part, previous, items)
        repeat_for = _REPEAT_FOR_RE.match(clause)
        if repeat_for is not None:
            self._repeat_for(clause, repeat_for.group("a"), tail)
            return True
        if _starts_with_rep(clause):
            return False
        if (
            _EASY_PART_RE.match(clause)
            and _EASY_WORD_RE.search(clause)
            and isinstance(previous, _Draft)
            and (tail.recovery is not None or tail.part is not Part.WORK)
        ):
            return False  # "10 min easy" after reps that have their recovery: the cool-down
        recovery = self._recovery_clause(clause, tail)
        if recovery is None:
            if _amount(clause, bare="m") is not None:
                return False  # "2k + 1k": an amount on its own is the next rep
            said = self._target_clause(clause, tail)
            if said is None:
                return False
            for draft in _untargeted_tail(drafts):
                draft.target = said
            return True
        recoveries, qualifier = recovery
        if _SET_WORDS_RE.search(qualifier):
            if isinstance(previous, _SetDraft):
                previous.between = recoveries[0]
            else:
                tail.recovery = tail.recovery or recoveries[0]
            return True
        if last and _GLOBAL_WORDS_RE.search(qualifier):
            for draft in drafts:
                if draft.recovery is None and not draft.no_recovery and draft.part is Part.WORK:
                    self._set_recovery(draft, recoveries)
            return True
        if isinstance(previous, _SetDraft) and tail.recovery is not None:
            previous.between = previous.between or recoveries[0]
            return True
        if isinstance(previous, _SetDraft) and all(
            d.recovery is None and not d.no_recovery for d in previous.drafts()
        ):
            # "3x(2k, 1k) w/ 2:00 jog": the recovery follows every rep of the set.
            for draft in previous.drafts():
                own = self._recovery_clause(clause, draft)
                self._set_recovery(draft, own[0] if own else recoveries)
            return True
        for draft in _rungs(drafts):
            own = self._recovery_clause(clause, draft) if draft is not tail else None
            self._set_recovery(draft, own[0] if own else recoveries)
        return True

    def _finish_at(
        self,
        clause: str,
        match: re.Match[str],
        run: _Draft,
        items: list[_Draft | _SetDraft],
    ) -> bool:
        """ "30 min, last 10 min at tempo": the run ends at another pace (easy before)."""
        amount = _amount(match.group("a"), bare="")
        target = read_target(match.group("t"), miles=self.miles)
        if amount is None or target is None:
            raise unreadable(clause, self.whole, "write it like 40 min, last 10 min @ T")
        if (amount[0] is None) != (run.distance_m is None):
            raise unreadable(clause, self.whole, "give the run and its finish in the same unit")
        whole = run.distance_m if run.distance_m is not None else run.seconds or 0.0
        part = amount[0] if amount[0] is not None else amount[1] or 0.0
        if not 0 < part < whole:
            raise unreadable(clause, self.whole, "the finish must be shorter than the run")
        if run.distance_m is not None:
            run.distance_m = whole - part
        else:
            run.seconds = whole - part
        run.target = run.target or PaceTarget(zone=Zone.EASY)
        items.append(_Draft(1, amount[0], amount[1], target=target))
        return True

    def _set_recovery(self, draft: _Draft, recoveries: list[Recovery]) -> None:
        if len(recoveries) > 1:
            draft.recoveries = tuple(recoveries)
            draft.recovery = recoveries[0]
            return
        new = recoveries[0]
        old = draft.recovery
        if (
            old is not None
            and old.seconds is not None
            and new.seconds is not None
            and not draft.recoveries
        ):
            # "walk 30 s, then jog 30 s": one 60 s recovery between reps.
            draft.recovery = Recovery(RecoveryKind.JOG, seconds=old.seconds + new.seconds)
            return
        if old is not None and old != new and not draft.ladder:
            raise unreadable(
                f"{old.describe()} and {new.describe()}",
                self.whole,
                "that's two recoveries for the same reps: keep one, like w/ 400 jog",
            )
        draft.recovery = new
        draft.no_recovery = False

    def _attach_group(
        self, content: str, previous: _Draft | _SetDraft, drafts: list[_Draft]
    ) -> None:
        """A bracketed list after reps: one target per rep, or a recovery."""
        tail = drafts[-1]
        pieces = [p.strip() for p in _GROUP_PIECES_RE.split(content) if p.strip()]
        targets: list[PaceTarget] = []
        for piece in pieces:
            if _NO_RECOVERY_RE.match(piece):
                tail.no_recovery = True
                continue
            target = read_target(
                piece, hill=tail.hill, miles=self.miles, rep_m=tail.distance_m
            ) or read_target(piece.removesuffix(" pace") + " pace", hill=tail.hill)
            if target is not None:
                targets.append(target)
                continue
            if self._recovery_clause(piece, tail) is None:
                raise unreadable(f"({content})", self.whole, TARGET_HINT)
            for draft in _rungs(drafts):
                own = self._recovery_clause(piece, draft)
                if own is not None:
                    self._set_recovery(draft, own[0])
        if not targets:
            return
        if len(targets) == 1:
            for draft in _untargeted_tail(drafts):
                draft.target = targets[0]
            return
        if isinstance(previous, _Draft) and previous.reps == len(targets):
            previous.targets = tuple(targets)
            previous.target = targets[0]
            return
        rungs = [d for d in drafts if d.ladder and d.ladder == tail.ladder] or [tail]
        if len(rungs) == len(targets):
            for draft, target in zip(rungs, targets, strict=True):
                draft.target = target
            return
        raise unreadable(
            f"({content})",
            self.whole,
            f"{len(targets)} targets for {tail.reps} reps: give one per rep, or one for all",
        )

    def _repeat_for(self, clause: str, amount_text: str, tail: _Draft) -> None:
        amount = _amount(amount_text, bare="")
        if amount is None or amount[1] is None:
            raise unreadable(clause, self.whole, "repeat for a time, like repeat for 20 minutes")
        total = amount[1]
        rest = tail.recovery.seconds if tail.recovery and tail.recovery.seconds else 0.0
        if tail.seconds is None:
            raise unreadable(
                clause, self.whole, "repeat for a time works with timed reps, like 60s hard"
            )
        cycle = tail.seconds + rest
        tail.reps = max(1, round(total / cycle))
        self.notes.append(
            f"{_fmt_seconds(total)} of {_fmt_seconds(cycle)} cycles is {tail.reps} reps."
        )

    # --- recoveries ---------------------------------------------------------------------------

    def _recovery_clause(self, clause: str, tail: _Draft) -> tuple[list[Recovery], str] | None:
        """A recovery clause and its qualifier ("between sets"), or None if it isn't one."""
        text = clause.strip()
        qualifier = ""
        for _ in range(3):
            found = _QUALIFIER_RE.search(text)
            if found is None:
                break
            qualifier = f"{found.group('q')} {qualifier}".strip()
            text = text[: found.start()].strip()
        for word in ("recovery", "recoveries"):
            if text.startswith(word + " ") and qualifier:
                text = text.removeprefix(word).strip()
        text = _ARTICLE_RE.sub("", text)
        text = _BETWEEN_TAIL_RE.sub("", text)
        if not text and "recovery" in qualifier:
            return None
        back = _BACK_DOWN_RE.match(text)
        if back is not None:
            kind = RecoveryKind.WALK if back.group("k").startswith("walk") else RecoveryKind.JOG
            if not tail.hill and "down" in text:
                raise unreadable(
                    clause,
                    self.whole,
                    "jog down is for hill reps, like 8 x 60s hill @ R w/ jog down",
                )
            if not tail.hill and tail.distance_m is not None:
                # "walk back" on the flat: the rep's distance again, at a walk.
                return [Recovery(kind, distance_m=tail.distance_m)], qualifier
            return [Recovery(kind)], qualifier
        equal = _EQUAL_RE.match(text)
        if equal is not None:
            kind = _KIND_WORDS.get((equal.group("k") or "jog").lower(), RecoveryKind.JOG)
            share = 0.5 if equal.group("rel").lower() == "half" else 1.0
            if equal.group("what") in ("time", "duration") and tail.distance_m is not None:
                return [Recovery(kind, time_share=share)], qualifier
            return [
                _checked(
                    Recovery(
                        kind,
                        distance_m=None if tail.distance_m is None else tail.distance_m * share,
                        seconds=None if tail.seconds is None else tail.seconds * share,
                    ),
                    clause,
                    self.whole,
                )
            ], qualifier
        percent = _PERCENT_TIME_RE.match(text)
        if percent is not None:
            low = float(percent.group("a"))
            high = float(percent.group("b") or low)
            return [Recovery(RecoveryKind.JOG, time_share=(low + high) / 200)], qualifier
        sendoff = _SENDOFF_RE.match(text)
        if sendoff is not None and _SENDOFF_WORDS_RE.search(text):
            amount = _amount(
                sendoff.group("a")
                or sendoff.group("b")
                or sendoff.group("c")
                or sendoff.group("d"),
                bare="s",
            )
            if amount is not None and amount[1] is not None:
                return [Recovery(RecoveryKind.REST, sendoff_seconds=amount[1])], qualifier
        return self._amount_recovery(text, clause, qualifier)

    def _amount_recovery(
        self, text: str, clause: str, qualifier: str
    ) -> tuple[list[Recovery], str] | None:
        kind: RecoveryKind | None = None
        generic = False
        words = text
        for _ in range(2):
            found = _KIND_FIRST_RE.match(words) or _KIND_LAST_RE.match(words)
            if found is None or not (found.group("rest") or found.re is _KIND_FIRST_RE):
                break
            word = found.group("k").lower()
            # "2:30 jog rest", "90s walk break": the way of moving says more than "rest".
            if kind is None or (generic and word not in _GENERIC_REST_WORDS):
                kind = _KIND_WORDS[word]
                generic = word in _GENERIC_REST_WORDS
            words = found.group("rest").strip()
        if words.endswith((" recovery", " rest")):
            words = words.rsplit(" ", 1)[0]
        words = _JOG_TAIL_RE.sub("", words).strip()
        if kind is not None:
            self.last_kind = kind
        elif self.last_kind is not None and amounts_hint(words):
            kind = self.last_kind
        has_kind = kind is not None or "recovery" in qualifier
        if not words:
            if has_kind and kind is not None:
                raise unreadable(
                    clause, self.whole, f"say how much, like w/ 400 {kind.value} or w/ 90s"
                )
            return None
        amounts = _amount_list(words)
        if amounts is None:
            if has_kind:
                raise unreadable(clause, self.whole, RECOVERY_HINT)
            return None
        if not has_kind and not qualifier:
            # A bare amount after a rep ("6x800 @ I w/ 400") is a jog, but only after w/ or a
            # comma: after "+" or ";" it is the next rep.
            if not self.bare_recovery:
                return None
            kind = RecoveryKind.JOG
        recoveries = [
            _checked(Recovery(kind or RecoveryKind.JOG, a[0], a[1]), clause, self.whole)
            for a in amounts
        ]
        if len(recoveries) == 2 and not _LIST_MARK_RE.search(words):
            # "30-60 seconds": a range, planned at its middle.
            first, second = recoveries
            recoveries = [_middle(first, second)]
        return recoveries, qualifier

    # --- targets ------------------------------------------------------------------------------

    def _target_clause(self, clause: str, tail: _Draft) -> PaceTarget | None:
        text = _TARGET_MARK_RE.sub(" ", " " + clause).strip()
        return read_target(text, hill=tail.hill, miles=self.miles, rep_m=tail.distance_m)

    def _target_why(self, typed: str) -> str:
        """Why a target can't be read, with the likely rewrite when one is close."""
        close = difflib.get_close_matches(typed.lower(), _TARGET_VOCABULARY, n=1, cutoff=0.75)
        if not close:
            word = typed.lower()
            kind = difflib.get_close_matches(word, _RECOVERY_VOCABULARY, n=1, cutoff=0.6)
            after_amount = re.search(rf"{_AMT}\s*{re.escape(word)}\b", self.whole.lower(), FLAGS)
            if kind and after_amount is not None:
                # "w/ 90s rset": an amount and a word that is almost a recovery.
                return f"did you mean {kind[0]}? {RECOVERY_HINT}"
            return TARGET_HINT
        at = self.whole.lower().find(typed.lower())
        if at < 0:
            return f"{TARGET_HINT} (did you mean {close[0]}?)"
        rewrite = self.whole[:at] + close[0] + self.whole[at + len(typed) :]
        return f"{TARGET_HINT} (did you mean {close[0]}, as in {quote(rewrite)})"

    # --- reps ---------------------------------------------------------------------------------

    def _rep_clause(self, clause: str) -> list[_Draft | _SetDraft]:
        """A clause that starts reps: a block, a ladder, a set, or a warm-up / cool-down."""
        part = self._part(clause)
        if part is not None:
            return [part]
        hill = _HILL_RE.search(clause) is not None
        text = " ".join(_HILL_RE.sub(" ", clause).split()) if hill else clause
        cutdown = _CUTDOWN_RE.search(text) is not None
        if cutdown:
            text = " ".join(_CUTDOWN_RE.sub(" ", text).split())
        prose = _FOR_RE.match(text)
        if prose is not None and not _REPS_RE.match(text):
            return [self._prose_rep(clause, prose, hill)]
        count_units = _COUNT_UNITS_RE.match(clause)
        if count_units is not None and cutdown:
            unit = count_units.group("u")
            text = f"{count_units.group('n')} x 1 {unit} " + text[count_units.end() - 1 :]
        head, target_text = _split_target(text)
        recovery_text = None
        if target_text is not None:
            trailing = _TRAILING_RECOVERY_RE.search(" " + target_text)
            if trailing is not None and read_target(target_text, hill=hill) is None:
                recovery_text = trailing.group("r")
                target_text = (" " + target_text)[: trailing.start()].strip()
        head = head.strip()
        if not head:
            raise InvalidInput(
                f"workout: {quote(clause)} needs reps before the @, like 6x800 @ I or "
                f"20 min @ T. {HINT}"
            )
        reps, reps_max, times, body, head_target = self._head(head, clause)
        drafts: list[_Draft | _SetDraft] = []
        if isinstance(body, list):
            drafts = list(body)
        else:
            drafts = list(self._amounts(body, clause, reps if times is None else 1, reps_max))
        target = None
        if target_text is not None:
            if not target_text.strip():
                raise InvalidInput(
                    f"workout: a target is missing after @ in {quote(self.whole)}: "
                    f"{TARGET_HINT}. {HINT}"
                )
            rep_m = next((d.distance_m for d in _drafts_of_all(drafts)), None)
            target = read_target(target_text, hill=hill, miles=self.miles, rep_m=rep_m)
            if target is None:
                target = self._target_with_recovery(target_text, drafts, hill, rep_m)
            if target is None:
                raise unreadable(target_text, self.whole, self._target_why(target_text))
        elif head_target is not None:
            target = head_target
        if target is not None and hill and not target.effort_only:
            if target.adjust_s_per_km:
                raise unreadable(
                    clause, self.whole, "hill reps are run by effort, so there is no pace to adjust"
                )
            target = replace(target, effort_only=True)  # uphill, pace means nothing
        for draft in _drafts_of_all(drafts):
            draft.hill = draft.hill or hill
            draft.cutdown = draft.cutdown or cutdown
            if target is not None and draft.target is None:
                draft.target = target
        if recovery_text is not None:
            tail = _drafts_of_all(drafts)[-1]
            found = self._recovery_clause(recovery_text, tail)
            if found is None:
                raise unreadable(recovery_text, self.whole, RECOVERY_HINT)
            for draft in _drafts_of_all(drafts):
                self._set_recovery(draft, found[0])
        if times is not None:
            low, high = times
            if len(drafts) == 1 and isinstance(drafts[0], _Draft) and drafts[0].reps == 1:
                only = drafts[0]
                only.reps, only.reps_max = low, high
                return [only]
            return [_SetDraft(low, drafts, times_max=high)]
        return drafts

    def _target_with_recovery(
        self, text: str, drafts: list[_Draft | _SetDraft], hill: bool, rep_m: float | None
    ) -> PaceTarget | None:
        """ "R 200 jog": the longest start that is a target, the rest a recovery."""
        spaces = [m.start() for m in re.finditer(" ", text)]
        for space in reversed(spaces):
            target = read_target(text[:space], hill=hill, miles=self.miles, rep_m=rep_m)
            if target is None:
                continue
            tail = _drafts_of_all(drafts)[-1]
            found = self._recovery_clause(text[space + 1 :], tail)
            if found is None:
                return None
            for draft in _drafts_of_all(drafts):
                self._set_recovery(draft, found[0])
            return target
        return None

    def _head(
        self, head: str, clause: str
    ) -> tuple[
        int,
        int | None,
        tuple[int, int | None] | None,
        str | list[_Draft | _SetDraft],
        PaceTarget | None,
    ]:
        """Reps, their range, set count, the amount text (or a set's items), a word target."""
        reps, reps_max = 1, None
        match = _REPS_RE.match(head) or _COUNT_PLURAL_RE.match(head)
        rest = head
        if match is not None:
            reps = int(match.group("n"))
            reps_max = int(match.group("m")) if match.group("m") else None
            rest = match.group("rest").strip()
            _check_reps(reps, reps_max, head, self.whole)
            if not rest:
                raise unreadable(
                    head, self.whole, "a rep needs a distance or time after the x, like 6x800"
                )
            inner = _REPS_RE.match(rest)
            if inner is not None and not AMOUNT_RE.fullmatch(rest):
                # "5x5x400": five sets of five; "5 x 400m x 400m": the second is the recovery.
                first_unit = _AMT_START_RE.match(inner.group("rest") or "")
                bare = _DIGITS_RE.fullmatch(inner.group("n"))
                if bare and int(inner.group("n")) < 50 and first_unit is not None:
                    inner_reps = self._rep_clause(rest)
                    return 1, None, (reps, reps_max), inner_reps, None
            group = _PLACEHOLDER_RE.fullmatch(rest.split(" ")[0])
            if group is not None:
                content = self.groups[int(group.group(1))]
                if _AMOUNTS_ONLY_RE.match(content):
                    content = _LIST_JOIN_RE.sub(" + ", content)  # "3x(2k, 1k)": reps, in turn
                body = self.read(content)
                if not body:
                    raise unreadable(head, self.whole, "the brackets hold no reps")
                after = rest[group.end() :].strip()
                word_target = self._word_target(after, clause) if after else None
                for draft in _drafts_of_all(body):
                    if word_target is not None and draft.target is None:
                        draft.target = word_target
                return 1, None, (reps, reps_max), body, None
        plural = _PLURAL_REP_RE.match(rest) if match is None else None
        if plural is not None:
            # "400s at 5k race pace": a plural is never silently one rep.
            raise unreadable(
                clause,
                self.whole,
                f"it says {plural.group(1)}s but not how many: write the count, like "
                f"8 x {plural.group(1)} {_PLURAL_REP_RE.sub('', clause).strip()}".rstrip(),
            )
        amount_text, word_target = self._amount_and_words(rest, clause)
        return reps, reps_max, None, amount_text, word_target

    def _amount_and_words(self, text: str, clause: str) -> tuple[str, PaceTarget | None]:
        """Split "600m r" or "3 min h" or "2-3-4 minutes fast" into amount and target word."""
        ladder = _LADDER_WORDS_RE.match(text)
        words_first = _WORDS_FIRST_RE.match(text) if ladder is None else None
        if words_first is not None:
            # "Medium-long run 15 mi", "tempo 20 min": the words name the target.
            return words_first.group("a"), self._word_target(words_first.group("w"), clause)
        if ladder is None:
            raise unreadable(
                text, self.whole, "a rep is a distance like 800 or 1 mile, or a time like 3 min"
            )
        amount_text = ladder.group("a")
        words = (ladder.group("w") or "").strip()
        second = _SECOND_X_RE.match(words)
        if second is not None:
            # "5 x 400m x 400m": the amount after a second x is the recovery.
            amount_text += f" «rec:{second.group('r')}»"
            words = second.group("w").strip()
        if not words:
            return amount_text, None
        target = self._word_target(words, clause)
        return amount_text, target

    def _word_target(self, words: str, clause: str) -> PaceTarget | None:
        words = _REP_WORDS_RE.sub("", words).strip()
        if not words:
            return None
        target = read_target(words, miles=self.miles)
        if target is None:
            if _BARE_NUMBER_RE.fullmatch(words):
                raise unreadable(
                    clause, self.whole, "a rep is a distance like 800 or 1 mile, or a time"
                )
            raise unreadable(words, self.whole, self._target_why(words))
        return target

    def _amounts(self, text: str, clause: str, reps: int, reps_max: int | None) -> list[_Draft]:
        recovery: Recovery | None = None
        marker = _RECOVERY_MARKER_RE.search(text)
        if marker is not None:
            text = text[: marker.start()]
        rungs = [r.strip() for r in _RUNG_SPLIT_RE.split(text) if r.strip()]
        if len(rungs) > 1 and reps > 1:
            raise unreadable(
                text, self.whole, "write a ladder without reps, like 400-800-1200-800-400 @ I"
            )
        unit = _NUMBER_START_RE.sub("", rungs[-1])
        amounts = []
        for rung in rungs:
            typed = f"{rung} {unit}" if unit and re.fullmatch(NUMBER, rung) else rung
            amounts.append(self._rep_amount(typed, clause))
        if len(amounts) == 2 and reps == 1 and _is_range(amounts[0], amounts[1]):
            # "20-30 min at threshold": a range of one rep, planned at its low end.
            self.notes.append(
                f"{text}: planned at the low end; go longer only if it still feels controlled."
            )
            amounts = amounts[:1]
            rungs = rungs[:1]
        ladder = 0
        if len(rungs) > 1:
            self.ladder_ids += 1
            ladder = self.ladder_ids
        drafts = [_Draft(reps, d, s, reps_max=reps_max, ladder=ladder) for d, s in amounts]
        if marker is not None:
            found = _amount(marker.group(1), bare="m")
            if found is None:
                raise unreadable(clause, self.whole, RECOVERY_HINT)
            recovery = _checked(Recovery(RecoveryKind.JOG, found[0], found[1]), clause, self.whole)
            for draft in drafts:
                draft.recovery = recovery
        return drafts

    def _rep_amount(self, text: str, clause: str) -> tuple[float | None, float | None]:
        amount = _amount(text, bare="m")
        if amount is None:
            raise unreadable(
                text, self.whole, "a rep is a distance like 800 or 1 mile, or a time like 3 min"
            )
        distance_m, seconds = amount
        if distance_m is not None and not MIN_REP_M <= distance_m <= MAX_REP_M:
            size = "short" if distance_m < MIN_REP_M else "long"
            raise InvalidInput(
                f"workout: a rep of {quote(text)} is too {size}: reps run 50 m to 42.2 km or "
                f"{MIN_REP_SECONDS:g} s to 3 h (write minutes as min, like 5 x 3 min @ I). {HINT}"
            )
        if seconds is not None and not MIN_REP_SECONDS <= seconds <= MAX_REP_SECONDS:
            size = "short" if seconds < MIN_REP_SECONDS else "long"
            raise InvalidInput(
                f"workout: a rep of {quote(text)} is too {size}: timed reps run "
                f"{MIN_REP_SECONDS:g} s to 3 h, like 20 min @ T. {HINT}"
            )
        return amount

    def _prose_rep(self, clause: str, prose: re.Match[str], hill: bool) -> _Draft:
        """ "Run at a fast pace for 60 seconds", "sprint as hard as you can uphill for 10 s"."""
        amount = self._rep_amount(prose.group("a"), clause)
        words = f"{prose.group('pre')} {prose.group('post')}".strip()
        target = _effort_in(words, hill)
        if target is None:
            plain = " ".join(_PROSE_WORDS_RE.sub(" ", words).split())
            target = read_target(plain, hill=hill, miles=self.miles) if plain else None
        if target is None and hill:
            target = PaceTarget(effort="hill effort", effort_only=True)
        if target is None:
            raise unreadable(clause, self.whole, TARGET_HINT)
        return _Draft(1, amount[0], amount[1], target=target, hill=hill)

    def _part(self, clause: str) -> _Draft | None:
        for regex, part in ((_WARMUP_RE, Part.WARMUP), (_COOLDOWN_RE, Part.COOLDOWN)):
            match = regex.match(clause)
            if match is not None:
                text = match.group("a") or match.group("b")
                amount = _amount(text, bare="") if text else (None, None)
                if amount is None:
                    raise unreadable(clause, self.whole, "write it like 2 mi WU or 15 min CD")
                return _Draft(1, amount[0], amount[1], PaceTarget(zone=Zone.EASY), part=part)
        easy = _EASY_PART_RE.match(clause)
        if easy is not None:
            amount = _amount(easy.group("a") or easy.group("b"), bare="")
            if amount is not None:
                # Placed as warm-up or cool-down once the whole workout is read.
                return _Draft(
                    1, amount[0], amount[1], PaceTarget(zone=Zone.EASY), part=Part.COOLDOWN
                )
        return None


_EFFORT_IN_RE = re.compile(
    r"\b("
    + "|".join(re.escape(w) for w in sorted(EFFORT_WORDS, key=len, reverse=True) if w != "on")
    + r")\b",
    FLAGS,
)


def _effort_in(words: str, hill: bool) -> PaceTarget | None:
    found = _EFFORT_IN_RE.search(words)
    del hill
    if found is None:
        return None
    return PaceTarget(effort=EFFORT_WORDS[found.group(1).lower()], effort_only=True)


def _split_clauses(text: str) -> list[str]:
    parts = _SEPARATOR_RE.split(text)
    return [p.strip() for p in parts]


def _split_target(text: str) -> tuple[str, str | None]:
    mark = _TARGET_MARK_RE.search(text)
    if mark is None:
        return text, None
    return text[: mark.start()], text[mark.end() :].strip()


def _starts_with_rep(clause: str) -> bool:
    """Whether a clause starts new reps rather than qualifying the ones before."""
    if _REPS_RE.match(clause) or _COUNT_PLURAL_RE.match(clause):
        return True
    if _PLACEHOLDER_RE.match(clause):
        return False
    if _WARMUP_RE.match(clause) or _COOLDOWN_RE.match(clause):
        return True
    if _TARGET_MARK_RE.search(clause) and _AMT_START_RE.match(clause):
        return True
    if _LADDER_REP_RE.match(clause):
        return True
    return bool(_AMT_EFFORT_RE.match(clause))


def _is_range(
    first: tuple[float | None, float | None], second: tuple[float | None, float | None]
) -> bool:
    """Two amounts of one kind, the second larger and within twice the first ("20-30 min")."""
    a = first[0] if first[0] is not None else first[1]
    b = second[0] if second[0] is not None else second[1]
    same_kind = (first[0] is None) == (second[0] is None)
    return same_kind and a is not None and b is not None and a < b <= 2 * a


def _rungs(drafts: list[_Draft]) -> list[_Draft]:
    """The last written reps: the whole ladder when the last clause was one."""
    tail = drafts[-1]
    if not tail.ladder:
        return [tail]
    return [d for d in drafts if d.ladder == tail.ladder]


def _drafts_of(item: _Draft | _SetDraft) -> list[_Draft]:
    return item.drafts() if isinstance(item, _SetDraft) else [item]


def _drafts_of_all(items: list[_Draft | _SetDraft]) -> list[_Draft]:
    return [d for item in items for d in _drafts_of(item)]


def _untargeted_tail(drafts: list[_Draft]) -> list[_Draft]:
    """The reps just before a target clause that have none yet ("5 x 400, @ 5K pace")."""
    found: list[_Draft] = []
    for draft in reversed(drafts):
        if draft.target is not None or draft.part is not Part.WORK:
            break
        found.append(draft)
    return found


def amounts_hint(text: str) -> bool:
    """Whether ``text`` reads as recovery amounts (so a kind said before carries over)."""
    return _amount_list(text) is not None


def _amount(text: str | None, bare: str) -> tuple[float | None, float | None] | None:
    if not text:
        return None
    match = AMOUNT_RE.fullmatch(text.strip())
    if match is None:
        return None
    return amount_of(match, bare)


def _amount_list(text: str) -> list[tuple[float | None, float | None]] | None:
    """ "400", "2 min", "30-60 seconds", "90, 60, 30 s", "3-2-1 min"."""
    one = _amount(text, bare="m")
    if one is not None:
        return [one]
    pieces = [p for p in _AMOUNT_LIST_SPLIT_RE.split(text) if p]
    if len(pieces) < 2 or len(pieces) > 12:
        return None
    unit = _NUMBER_ONLY_START_RE.sub("", pieces[-1])
    found = []
    for piece in pieces:
        typed = f"{piece} {unit}" if unit and re.fullmatch(NUMBER, piece) else piece
        amount = _amount(typed, bare="m")
        if amount is None:
            return None
        found.append(amount)
    kinds = {a[0] is None for a in found}
    return found if len(kinds) == 1 else None


def _middle(first: Recovery, second: Recovery) -> Recovery:
    if first.seconds is not None and second.seconds is not None:
        return Recovery(first.kind, seconds=(first.seconds + second.seconds) / 2)
    if first.distance_m is not None and second.distance_m is not None:
        return Recovery(first.kind, distance_m=(first.distance_m + second.distance_m) / 2)
    return first


def _checked(recovery: Recovery, text: str, whole: str) -> Recovery:
    if recovery.kind is RecoveryKind.REST and recovery.distance_m is not None:
        raise unreadable(
            text, whole, "rest is timed, like w/ 90s rest; for a distance jog, like w/ 400 jog"
        )
    if recovery.distance_m is not None and not MIN_RECOVERY_M <= recovery.distance_m <= (
        MAX_RECOVERY_M
    ):
        raise InvalidInput(
            f"workout: the recovery {quote(text)} should be 25 m to 10 km, like w/ 400 jog. {HINT}"
        )
    if recovery.seconds is not None and not MIN_RECOVERY_SECONDS <= recovery.seconds <= (
        MAX_RECOVERY_SECONDS
    ):
        raise InvalidInput(
            f"workout: the recovery {quote(text)} should be 5 s to 1 h, like w/ 90s rest. {HINT}"
        )
    return recovery


def _check_reps(reps: int, reps_max: int | None, head: str, whole: str) -> None:
    for count in (reps, reps_max):
        if count is not None and not MIN_REPS <= count <= MAX_REPS:
            raise InvalidInput(
                f"workout: {count} reps in {quote(head)} is {'too many' if count else 'none'}: "
                f"use {MIN_REPS} to {MAX_REPS} reps, like 6x800 @ I. {HINT}"
            )
    if reps_max is not None and reps_max <= reps:
        raise unreadable(head, whole, "a range of reps goes up, like 4-5 x 1200")


def _fmt_seconds(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}" if secs else f"{minutes} min"


# --- the whole workout ---------------------------------------------------------------------------


def read_items(tidy_text: str) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    """Read tidied text into blocks and sets, with notes on what Pacer decided.

    Raises:
        InvalidInput: naming the clause that could not be read and why.
    """
    text = normalise(tidy_text)
    text = text.strip()
    if text.startswith("[") and text.endswith("]") and text.count("[") == 1:
        text = text[1:-1].strip()
    text = _SETS_OF_RE.sub(r"\1 x ", text)
    text = _ON_OFF_SECONDS_RE.sub(r"\1 x \2s hard w/ \3s jog", text)
    text = _REP_SLASH_RECOVERY_RE.sub(r"\g<rep> w/ \g<rec>", text)
    # Daniels' plans write easy and threshold running as "2 E", "4 T": miles where the plan is in
    # miles, else kilometres.
    daniels_unit = "mi" if uses_miles(text) else "km"
    text = _DANIELS_AMOUNT_RE.sub(rf"\1 {daniels_unit} @ \2", text)
    text = _TRAILING_COUNT_RE.sub(r"\2 x \1", text)
    text = _PART_COLON_RE.sub(r"\1 ", text)
    text = _ON_THE_MINUTE_RE.sub("every 1 min", text)
    text = _BARE_UNIT_IN_LIST_RE.sub(r"\g<1>1 \2", text)
    text = _LABEL_BEFORE_COUNT_RE.sub(r"\1: ", text)
    text = _ALL_AT_RE.sub(" ", text)
    text = _REP_LIST_RE.sub(lambda m: _LIST_JOIN_RE.sub("-", m.group("list")), text)
    text = _SENDOFF_TAIL_RE.sub(", ", text)
    text = _TARGET_AFTER_RECOVERY_RE.sub(r"\g<tgt> \g<rec>", text)
    text = _SET_REST_AFTER_RE.sub(r"\g<a> rest between sets", text)
    text = _SET_REST_BEFORE_RE.sub(r"\g<a> rest between sets", text)
    text = _NUMBER_LIST_RE.sub(_number_list, text)
    text = _AMOUNT_LIST_RE.sub(_amount_list_joined, text)
    text = _LADDER_LIST_RE.sub(lambda m: _LIST_JOIN_RE.sub("-", m.group("list")), text)
    text = _TARGET_LIST_RE.sub(_target_list, text)
    if _ON_OFF_HINT_RE.search(text):  # the full pattern is slow: look for its words first
        text = _ON_OFF_RE.sub(r"\g<on> hard w/ \g<off> jog", text)
    miler = _MILER_RE.match(text)
    miles = uses_miles(text) or any(
        classic is not None and uses_miles(classic.text)
        for classic in map(find_classic, _split_clauses(text))
    )
    reader = _Reader(whole=tidy_text, miles=miles, groups=[])
    total_with = _TOTAL_WITH_RE.match(text) if miler is None else None
    if miler is not None:
        drafts = _miler(miler, reader)
    elif total_with is not None:
        drafts = _total_with(total_with, reader)
    else:
        text = _set_groups_aside(text, reader.groups)
        drafts = reader.read(text)
    if not drafts:
        raise unreadable(
            tidy_text, tidy_text, "there are no reps: say how many and how far or how long"
        )
    _place_easy_parts(drafts)
    notes = _apply_defaults(drafts, reader)
    _place_easy_parts(drafts)  # a long run that became easy by default is a warm-up too
    items = tuple(_build(item) for item in drafts)
    return items, tuple(dict.fromkeys([*reader.notes, *notes]))


def _amount_list_joined(match: re.Match[str]) -> str:
    """ "90s, 60s, 30s rest" is one recovery per gap, not three clauses."""
    amounts = [a.strip() for a in _LIST_JOIN_RE.split(match.group("list")) if a]
    return match.group("pre") + "/".join(amounts) + " "


def _target_list(match: re.Match[str]) -> str:
    """ "@ MP, HMP, 10KP" as "(MP, HMP, 10KP)" when every item is a target; else unchanged."""
    items = [item.strip() for item in _TARGET_LIST_TAIL_RE.split(match.group("list"))]
    if len(items) < 2 or any(not item for item in items):
        return match.group(0)
    if not match.group("mark").strip().startswith("@") and any(i.isdigit() for i in items):
        return match.group(0)  # "cut-down: 1200, 1000, 800" lists reps, not times
    try:
        if any(read_target(item) is None for item in items):
            return match.group(0)
    except InvalidInput:
        return match.group(0)
    label = " progression" if match.group("mark").strip().startswith(("p", "c")) else ""
    return f"{label} ({', '.join(items)})"


def _number_list(match: re.Match[str]) -> str:
    numbers = [match.group(1), *re.findall(r"\d+(?:\.\d+)?", match.group(2))]
    if match.group(3):
        numbers.append(match.group(3))
    return "-".join(numbers)


def _set_groups_aside(text: str, groups: list[str]) -> str:
    for _ in range(4):
        found = _GROUP_RE.search(text)
        if found is None:
            break

        def keep(match: re.Match[str]) -> str:
            content = match.group(1)
            a_set = match.string[: match.start()].rstrip().endswith(("x", "\u00d7", "*"))
            if (
                not a_set
                and _GROUP_RECOVERY_RE.search(content)
                and not _SET_CONTENT_RE.search(content)
            ):
                return f", w/ {content}, "  # "5 x 1200m (3:00 jog recovery) at I"
            groups.append(content)
            return f" \u00ab{len(groups) - 1}\u00bb "

        text = _GROUP_RE.sub(keep, text)
    text = _SPACES_RE.sub(" ", text).strip()
    # "4x «0»" reads as a set; a group right after reps is a list of targets or a recovery.
    return _BEFORE_GROUP_RE.sub(r"\1, \2", _X_GROUP_RE.sub("x\u00ab", text))


def _miler(match: re.Match[str], reader: _Reader) -> list[_Draft | _SetDraft]:
    """ "12-miler with 7 @ HMP": easy miles split around the work, as Pfitzinger writes it."""
    unit = match.group("unit")
    per = MILE_M if unit.startswith("mi") else 1000.0
    total = float(match.group("total")) * per
    work = float(match.group("work")) * per
    target = read_target(match.group("target"), miles=per == MILE_M, rep_m=work)
    if target is None:
        raise unreadable(match.group("target"), reader.whole, TARGET_HINT)
    if not 0 < work < total:
        raise unreadable(match.group(0), reader.whole, "the work must be shorter than the run")
    easy = (total - work) / 2
    reader.notes.append("The easy miles are split evenly before and after the work.")
    return [
        _Draft(1, easy, None, PaceTarget(zone=Zone.EASY), part=Part.WARMUP),
        _Draft(1, work, None, target),
        _Draft(1, easy, None, PaceTarget(zone=Zone.EASY), part=Part.COOLDOWN),
    ]


def _total_with(match: re.Match[str], reader: _Reader) -> list[_Draft | _SetDraft]:
    """ "VO2max 8 mi w/ 5 x 1000m @ 5K pace": the reps, with the rest of the run as easy
    warm-up and cool-down (Pfitzinger's way of writing a day)."""
    per = MILE_M if match.group("unit").startswith("mi") else 1000.0
    total = float(match.group("total")) * per
    groups: list[str] = []
    reader.groups = groups
    work = reader.read(_set_groups_aside(match.group("rest"), groups))
    covered = 0.0
    for draft in _drafts_of_all(work):
        covered += draft.reps * (draft.distance_m or (draft.seconds or 0.0) / _JOG_S_PER_KM * 1000)
        recovery = draft.recovery
        if recovery is not None and recovery.kind is not RecoveryKind.REST:
            each = recovery.distance_m or (recovery.seconds or 0.0) / _JOG_S_PER_KM * 1000
            if recovery.time_share is not None and draft.distance_m is not None:
                each = draft.distance_m * recovery.time_share * 0.75
            covered += (draft.reps - 1) * each
    easy = (total - covered) / 2
    if easy < 100:
        return work
    reader.notes.append("The rest of the run is split evenly into warm-up and cool-down.")
    return [
        _Draft(1, easy, None, PaceTarget(zone=Zone.EASY), part=Part.WARMUP),
        *work,
        _Draft(1, easy, None, PaceTarget(zone=Zone.EASY), part=Part.COOLDOWN),
    ]


def _is_easy(item: _Draft | _SetDraft) -> bool:
    return (
        isinstance(item, _Draft)
        and item.reps == 1
        and item.target is not None
        and item.target.zone is Zone.EASY
        and not item.target.adjust_s_per_km
        and not item.hill
        and item.recovery is None
    )


def _place_easy_parts(items: list[_Draft | _SetDraft]) -> None:
    """Easy running before the first work is the warm-up; after the last, the cool-down;
    alone, it is the work."""
    if any(not _is_easy(i) for i in items):
        # "2 E + 3 x 1 mi T + 2 E": easy running around the work is warm-up and cool-down.
        for index, item in enumerate(items):
            if not _is_easy(item) or not isinstance(item, _Draft):
                break
            if item.part is Part.WORK and index == 0:
                item.part = Part.WARMUP
        for item in reversed(items):
            if not _is_easy(item) or not isinstance(item, _Draft):
                break
            if item.part is Part.WORK:
                item.part = Part.COOLDOWN
                break
    if all(isinstance(i, _Draft) and i.part is not Part.WORK for i in items):
        for item in items:
            if isinstance(item, _Draft) and (item.distance_m or item.seconds):
                item.part = Part.WORK
        return
    for item in items:
        if isinstance(item, _Draft) and item.part is not Part.WORK:
            if item.part is Part.COOLDOWN and not any(
                isinstance(i, _SetDraft) or i.part is Part.WORK for i in items[: items.index(item)]
            ):
                item.part = Part.WARMUP
        else:
            break
    work_seen = False
    for item in items:
        if isinstance(item, _SetDraft) or item.part is Part.WORK:
            work_seen = True
        elif item.part is Part.COOLDOWN and not work_seen:
            item.part = Part.WARMUP


def _steady(target: PaceTarget | None) -> bool:
    """T pace or slower (T, M, E, or a race of 15 km and longer): rest, not an equal jog."""
    if target is None:
        return False
    if target.zone in (Zone.THRESHOLD, Zone.MARATHON, Zone.EASY):
        return True
    return target.race is not None and target.race.distance_m >= STEADY_RACE_M


def _apply_defaults(items: list[_Draft | _SetDraft], reader: _Reader) -> list[str]:
    notes: list[str] = []
    drafts = _drafts_of_all(items)
    work = [d for d in drafts if d.part is Part.WORK]
    for draft in drafts:
        if (
            draft.part is Part.WORK
            and draft.hill
            and draft.recovery is None
            and not draft.no_recovery
        ):
            draft.recovery = Recovery(RecoveryKind.JOG)  # back down the hill
        if draft.target is None and draft.hill:
            draft.target = PaceTarget(effort="hill effort", effort_only=True)
    for draft in work:
        if draft.recovery is not None or draft.no_recovery or draft.hill:
            continue
        effort = draft.target.effort if draft.target is not None else None
        if effort is not None and effort.startswith("stride") and draft.distance_m is not None:
            draft.recovery = Recovery(RecoveryKind.WALK, distance_m=draft.distance_m)
            notes.append("Strides: walk back between them.")
        elif (
            draft.target is not None
            and draft.target.zone is Zone.REPETITION
            and draft.reps > 1
            and draft.distance_m is not None
        ):
            draft.recovery = Recovery(RecoveryKind.JOG, distance_m=draft.distance_m)
            notes.append("R reps with no recovery written: jog the same distance (Daniels).")
        elif draft.reps > 1 and not draft.cutdown and not draft.targets:
            # Repeats never run on: a coach who writes "5 x 1000 @ 5K pace" means a recovery.
            if _steady(draft.target):
                # Daniels' cruise intervals: 1 min rest per 5 min run, or per mile.
                if draft.seconds is not None:
                    rest_s = draft.seconds * STEADY_REST_SHARE
                else:
                    rest_s = 60.0 * (draft.distance_m or 0.0) / MILE_M
                rest_s = max(MIN_RECOVERY_SECONDS, round(rest_s / 5.0) * 5.0)
                draft.recovery = Recovery(RecoveryKind.REST, seconds=rest_s)
                notes.append(
                    "No recovery written: rest 1 min for every 5 min or mile run (Daniels' "
                    "cruise intervals)."
                )
            else:
                if draft.seconds is not None:
                    draft.recovery = Recovery(RecoveryKind.JOG, seconds=draft.seconds)
                else:
                    draft.recovery = Recovery(RecoveryKind.JOG, time_share=1.0)
                notes.append("No recovery written: jog as long as each rep took (Daniels).")
    cut = [d for d in work if d.target is None and (d.cutdown or _descending_ladder(d, work))]
    if cut:
        _cutdown(cut)
        notes.append(
            "A cut-down with no paces runs from about T pace down to mile pace, each rep faster."
        )
    if any(d.cutdown and d.target is not None and d.reps > 1 and not d.targets for d in work):
        notes.append("Each rep faster than the last: start at the target and press on.")
    for draft in work:
        long_run = (draft.seconds or 0.0) >= 20 * 60 or (draft.distance_m or 0.0) >= 5000
        if draft.target is None and draft.reps == 1 and long_run and not draft.cutdown:
            draft.target = PaceTarget(zone=Zone.EASY)
            notes.append("A long run with no target is easy running.")
    for draft in work:
        if draft.target is not None:
            continue
        recovery = draft.recovery
        if recovery is not None and recovery.sendoff_seconds is not None:
            draft.target = PaceTarget(zone=SENDOFF_ZONE)
            notes.append("Send-off reps with no target are run at I pace, as Daniels writes them.")
        else:
            draft.target = DEFAULT_TARGET
            notes.append(
                "Reps with no target are planned at 5K pace: add @ and a target to change it."
            )
    for draft in drafts:
        if draft.reps_max is not None:
            notes.append(
                f"{draft.reps}-{draft.reps_max} reps: planned at {draft.reps}; add the rest only "
                "if the last rep was as good as the first."
            )
    for item in items:
        if isinstance(item, _SetDraft) and item.times_max is not None:
            notes.append(f"{item.times}-{item.times_max} sets: planned at {item.times}.")
    del reader
    return notes


def _descending_ladder(draft: _Draft, work: list[_Draft]) -> bool:
    if not draft.ladder:
        return False
    rungs = [d for d in work if d.ladder == draft.ladder]
    amounts = [d.distance_m if d.distance_m is not None else d.seconds or 0.0 for d in rungs]
    return (
        len(rungs) > 2 and all(a >= b for a, b in pairwise(amounts)) and (amounts[0] > amounts[-1])
    )


def _cutdown(drafts: list[_Draft]) -> None:
    steps = sum(d.reps for d in drafts)
    distances = [
        CUTDOWN_FROM_M * (CUTDOWN_TO_M / CUTDOWN_FROM_M) ** (i / max(steps - 1, 1))
        for i in range(steps)
    ]
    index = 0
    for draft in drafts:
        targets = []
        for _ in range(draft.reps):
            step = index + 1
            race = Race(f"cut-down step {step} of {steps}", distances[index])
            targets.append(PaceTarget(race=race, word=f"cut-down {step}/{steps}"))
            index += 1
        draft.target = targets[0]
        draft.targets = tuple(targets) if draft.reps > 1 else ()
        draft.cutdown = True


def _build(item: _Draft | _SetDraft) -> Item:
    if isinstance(item, _Draft):
        return item.build()
    return RepeatSet(
        times=item.times,
        items=tuple(_build(i) for i in item.items),
        between=item.between,
        times_max=item.times_max,
    )


def with_target(block: Block, target: PaceTarget) -> Block:
    """``block`` at another target (for named sessions)."""
    return replace(block, target=target)
