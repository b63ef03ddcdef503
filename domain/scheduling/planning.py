"""When (and whether) a rule sends for a booking: one pure decision, shared by single and bulk planning."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.scheduling.conditions import why_not
from domain.scheduling.facts import GuestLike, RuleLike, Stay
from domain.scheduling.model import SendState, Trigger
from domain.scheduling.timing import CHECK_OUT_TIME, QuietHours, due_at, local_to_utc

TOO_LATE = "Its time had passed when the booking was planned, and the stay is over."


@dataclass(frozen=True)
class PlanDecision:
    """`applies` False: the rule does not apply (a send still planned is cancelled with `reason`)."""

    applies: bool
    due: datetime | None
    state: SendState
    reason: str | None


@dataclass(frozen=True)
class PlanRow:
    """One (rule, booking) as it should be planned; written only over sends still planned or cancelled."""

    rule_id: uuid.UUID
    booking_id: uuid.UUID
    due: datetime
    state: SendState
    reason: str | None


@dataclass(frozen=True)
class PlanCancel:
    rule_id: uuid.UUID
    booking_id: uuid.UUID
    reason: str


def decide(rule: RuleLike, booking: Stay, guest: GuestLike, tz: str, now: datetime, quiet: QuietHours) -> PlanDecision:
    reason = why_not(rule, booking, guest)
    if reason is not None:
        return PlanDecision(False, None, SendState.CANCELLED, reason)
    event_at = booking.updated_at if rule.trigger == Trigger.BOOKING_CANCELLED else (booking.created_at or now)
    due = due_at(rule, booking, event_at or now, tz, quiet)
    if due < now:
        if now < local_to_utc(booking.check_out, CHECK_OUT_TIME, ZoneInfo(tz)):
            return PlanDecision(True, now, SendState.PLANNED, None)  # late but still useful: send at once
        return PlanDecision(True, due, SendState.SKIPPED, TOO_LATE)
    return PlanDecision(True, due, SendState.PLANNED, None)
