"""The one planning decision shared by single and bulk planning: applies or not, when, planned or skipped."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from domain.model import BookingStatus, new_id
from domain.scheduling.facts import GuestFacts, RuleFacts, StayFacts
from domain.scheduling.model import SendState
from domain.scheduling.planning import TOO_LATE, decide
from domain.scheduling.timing import QuietHours
from tests.unit.test_scheduling_rules import PARIS, booking, rule

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def stay(check_in: date, check_out: date, status: str = BookingStatus.CONFIRMED, source: str = "direct") -> StayFacts:
    return StayFacts(uuid.uuid4(), uuid.uuid4(), status, source, check_in, check_out, NOW, NOW)


def test_a_future_stay_is_planned_at_its_local_time():
    decision = decide(rule(), stay(date(2026, 7, 10), date(2026, 7, 13)), GuestFacts("en"), PARIS, NOW, QuietHours())
    assert (decision.applies, decision.state, decision.reason) == (True, SendState.PLANNED, None)
    assert decision.due == datetime(2026, 7, 8, 8, 0, tzinfo=UTC)  # 10:00 in Paris, summer time


def test_a_missed_time_sends_at_once_while_the_stay_lasts_and_is_skipped_after():
    during = decide(rule(), stay(date(2026, 6, 14), date(2026, 6, 17)), GuestFacts("en"), PARIS, NOW, QuietHours())
    assert (during.state, during.due) == (SendState.PLANNED, NOW)
    over = decide(rule(), stay(date(2026, 6, 1), date(2026, 6, 3)), GuestFacts("en"), PARIS, NOW, QuietHours())
    assert (over.state, over.reason) == (SendState.SKIPPED, TOO_LATE)


def test_a_rule_that_does_not_apply_says_why():
    only_fr = rule(conditions={"languages": ["fr"]})
    decision = decide(only_fr, stay(date(2026, 7, 10), date(2026, 7, 13)), GuestFacts("en"), PARIS, NOW, QuietHours())
    assert not decision.applies and decision.reason == "The guest's language (en) is not fr."
    cancelled = stay(date(2026, 7, 10), date(2026, 7, 13), status=BookingStatus.CANCELLED)
    assert decide(rule(), cancelled, GuestFacts("en"), PARIS, NOW, QuietHours()).reason == "The booking is cancelled."


def test_facts_and_whole_bookings_decide_alike():
    whole = booking(check_in=date(2026, 7, 10), nights=3)
    facts = StayFacts(whole.id, whole.guest_id, whole.status, whole.source, whole.check_in, whole.check_out, NOW, NOW)
    whole.created_at = whole.updated_at = NOW
    assert decide(rule(), whole, GuestFacts("en"), PARIS, NOW, QuietHours()) == decide(
        rule(), facts, GuestFacts("en"), PARIS, NOW, QuietHours()
    )


def test_a_rule_s_facts_decide_as_the_rule_does():
    """Bulk planning decides with RuleFacts copied once per batch (not the ORM-mapped rule)."""
    cases = [
        rule(),
        rule(trigger="after_check_out", offset_days=1, send_time="10:00"),
        rule(trigger="before_check_in", offset_days=0, offset_hours=3, send_time=None),
        rule(trigger="booking_confirmed", offset_days=0, send_time=None),
        rule(conditions={"languages": ["fr"], "min_nights": 2}),
        rule(active=False),
    ]
    for one in cases:
        for guest in (GuestFacts("en"), GuestFacts("fr")):
            visit = stay(date(2026, 7, 10), date(2026, 7, 13))
            assert decide(RuleFacts.of(one), visit, guest, PARIS, NOW, QuietHours()) == decide(
                one, visit, guest, PARIS, NOW, QuietHours()
            )


def test_the_same_day_in_two_timezones_gets_its_own_due_time():
    """Due times are remembered per day and timezone: the same rule and day elsewhere is computed afresh."""
    visit = stay(date(2026, 7, 10), date(2026, 7, 13))
    paris = decide(rule(), visit, GuestFacts("en"), PARIS, NOW, QuietHours())
    new_york = decide(rule(), visit, GuestFacts("en"), "America/New_York", NOW, QuietHours())
    assert paris.due == datetime(2026, 7, 8, 8, 0, tzinfo=UTC)
    assert new_york.due == datetime(2026, 7, 8, 14, 0, tzinfo=UTC)  # 10:00 in New York, summer time
    no_quiet = decide(rule(send_time="22:00"), visit, GuestFacts("en"), PARIS, NOW, None)  # type: ignore[arg-type]
    quiet = decide(rule(send_time="22:00"), visit, GuestFacts("en"), PARIS, NOW, QuietHours())
    assert (no_quiet.due, quiet.due) == (
        datetime(2026, 7, 8, 20, 0, tzinfo=UTC),
        datetime(2026, 7, 9, 6, 0, tzinfo=UTC),
    )


def test_ids_are_version_7_and_strictly_increasing():
    ids = [new_id() for _ in range(5000)]
    assert all(a.int < b.int for a, b in zip(ids, ids[1:], strict=False))
    assert {i.version for i in ids} == {7} and {i.variant for i in ids} == {uuid.RFC_4122}
    assert len({i.int >> 8 & ((1 << 54) - 1) for i in ids}) > 4900  # the random tail varies
