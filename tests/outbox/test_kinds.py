"""The delivery kinds' rules, pure: when a due row is sent or skipped, and payload storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox.kinds import (
    KINDS,
    Announcement,
    AnnouncementEdit,
    CancelNotice,
    Close,
    Current,
    Decision,
    Kind,
    Late,
    Payload,
    Promotion,
    Reminder,
    TimeChange,
    decide,
    decode,
    encode,
    fingerprint,
    nonce,
)

START = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)
SENT = Decision(send=True, reason=None)
BEFORE = START - timedelta(minutes=10)
AFTER = START + timedelta(minutes=1)

PAYLOADS: dict[str, Payload] = {
    "announcement": Announcement(),
    "reminder": Reminder(offset_s=3600),
    "time_change": TimeChange(START - timedelta(hours=1), START),
    "cancel_notice": CancelNotice("ice"),
    "promotion": Promotion(user_id=42),
    "close": Close(starts_at=START),
}


@pytest.mark.parametrize(
    ("kind", "now", "cancelled", "later_reminder_due", "expected"),
    [
        ("announcement", BEFORE, False, False, SENT),
        ("reminder", BEFORE, False, False, SENT),
        ("time_change", BEFORE, False, False, SENT),
        ("cancel_notice", BEFORE, False, False, SENT),
        ("promotion", BEFORE, False, False, SENT),
        ("announcement", AFTER, False, False, Decision(False, "session already started")),
        ("reminder", AFTER, False, False, Decision(False, "session already started")),
        ("time_change", AFTER, False, False, Decision(False, "session already started")),
        ("promotion", START, False, False, Decision(False, "session already started")),
        ("cancel_notice", AFTER, True, False, Decision(False, "session already started")),
        ("announcement", BEFORE, True, False, Decision(False, "session cancelled")),
        ("reminder", BEFORE, True, True, Decision(False, "session cancelled")),
        ("time_change", BEFORE, True, False, Decision(False, "session cancelled")),
        ("promotion", AFTER, True, False, Decision(False, "session cancelled")),
        ("cancel_notice", BEFORE, True, False, SENT),
        ("reminder", BEFORE, False, True, Decision(False, "superseded by a later reminder")),
        ("announcement", BEFORE, False, True, SENT),
        (Kind.REMINDER, BEFORE, False, False, SENT),
    ],
)
def test_decide_rules(
    kind: str, now: datetime, cancelled: bool, later_reminder_due: bool, expected: Decision
) -> None:
    due_at = START - timedelta(days=2)
    current = Current(START, cancelled, "going", later_reminder_due)
    assert decide(kind, PAYLOADS[str(kind)], due_at, now, current) == expected


def test_skip_reasons_are_plain_strings() -> None:
    decision = decide("reminder", Reminder(3600), BEFORE, AFTER, Current(START, False))
    assert decision.reason == Late.STARTED == "session already started"


def test_decide_refuses_unknown_kinds_and_rows_not_yet_due() -> None:
    with pytest.raises(ValueError, match="nudge"):
        decide("nudge", Announcement(), BEFORE, BEFORE, Current(START, False))
    with pytest.raises(ValueError, match="not due"):
        decide(
            "reminder", Reminder(60), BEFORE, BEFORE - timedelta(seconds=1), Current(START, False)
        )


@pytest.mark.parametrize(
    ("member_state", "expected"),
    [
        ("going", SENT),
        ("no", Decision(False, Late.MEMBER_CHANGED)),
        ("maybe", Decision(False, Late.MEMBER_CHANGED)),
        ("waitlist", Decision(False, Late.MEMBER_CHANGED)),
        (None, Decision(False, Late.MEMBER_CHANGED)),
    ],
)
def test_a_promotion_goes_only_to_a_member_still_going(
    member_state: str | None, expected: Decision
) -> None:
    current = Current(START, False, member_state)
    assert decide("promotion", Promotion(7), BEFORE, BEFORE, current) == expected


def test_a_time_change_replaced_by_a_later_one_is_dropped() -> None:
    notice = TimeChange(old_starts_at=START - timedelta(hours=2), new_starts_at=START)
    later_start = START + timedelta(hours=1)
    assert decide("time_change", notice, BEFORE, BEFORE, Current(START, False)) == SENT
    assert decide("time_change", notice, BEFORE, BEFORE, Current(later_start, False)) == Decision(
        False, Late.TIME_CHANGED_AGAIN
    )


@pytest.mark.parametrize(
    ("now", "current", "expected"),
    [
        # The one kind meant for the start: exempt from "session already started".
        (START, Current(START, False), SENT),
        (START + timedelta(days=2), Current(START, False), SENT),  # after downtime
        (START, Current(START, True), Decision(False, Late.CANCELLED)),  # drawn cancelled
        (START, Current(START, False, announced=False), Decision(False, Late.NO_ANNOUNCEMENT)),
        # Left behind by a start that moved (re-planning supersedes it; this is the backstop).
        (START, Current(START + timedelta(hours=1), False), Decision(False, Late.START_MOVED)),
    ],
)
def test_closing_answers_is_due_at_the_start(
    now: datetime, current: Current, expected: Decision
) -> None:
    assert KINDS[Kind.CLOSE].at_start
    assert not KINDS[Kind.CLOSE].posts
    assert decide("close", Close(starts_at=START), START, now, current) == expected


def test_only_closing_answers_is_decided_after_the_start() -> None:
    assert [kind for kind, rules in KINDS.items() if rules.at_start] == [Kind.CLOSE]


@pytest.mark.parametrize("payload", [*PAYLOADS.values(), AnnouncementEdit()])
def test_every_payload_survives_storage(payload: Payload) -> None:
    assert decode(payload.kind, encode(payload)) == payload


def test_every_kind_is_declared_once_with_its_payload() -> None:
    assert set(KINDS) == set(Kind)
    assert {spec.payload.kind for spec in KINDS.values()} == set(Kind)


def test_old_rows_are_read() -> None:
    # Rows written before payloads were typed: a reminder's lead was only a column, a time
    # change had no new start.
    assert decode("reminder", None, offset_s=3600) == Reminder(3600)
    old = decode("time_change", '{"old_starts_at": "2026-03-10T22:30:00+00:00"}')
    assert old == TimeChange(START, None)


@pytest.mark.parametrize(
    ("kind", "stored"),
    [("reminder", None), ("promotion", '{"member": 3}'), ("nudge", None)],
)
def test_a_payload_that_does_not_fit_is_a_value_error(kind: str, stored: str | None) -> None:
    with pytest.raises(ValueError, match=kind):
        decode(kind, stored)


def test_nonce_and_fingerprint() -> None:
    assert nonce(123) == "pacer-d123"
    assert len(nonce(10**15)) <= 25
    assert fingerprint("a", "b", "c") == fingerprint(" a ", "b", "c")
    assert fingerprint("a", "b", "c") != fingerprint("a", "b", "d")
    assert fingerprint(None, None, None) == fingerprint("", "", "")
