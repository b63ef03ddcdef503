"""The few facts of a stay and a guest that planning reads, without a whole loaded booking or guest.

Planning a rule for every booking ahead reads these for 100,000 bookings at a time; loading whole
bookings and guests for that costs more than all the decisions together.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.model import Booking, Guest
from domain.scheduling.model import ScheduledRule


@dataclass(frozen=True, slots=True)
class StayFacts:
    id: uuid.UUID
    guest_id: uuid.UUID
    status: str
    source: str | None
    check_in: date
    check_out: date
    created_at: datetime | None
    updated_at: datetime | None

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


@dataclass(frozen=True, slots=True)
class GuestFacts:
    language: str | None


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What a decision reads of a rule, copied once for a batch: a saved rule's attributes are the ORM's
    descriptors, and reading them half a million times cost a tenth of planning a rule for 100,000 bookings."""

    id: uuid.UUID
    trigger: str
    offset_days: int
    offset_hours: int
    send_time: str | None
    conditions: dict[str, Any]
    active: bool

    @classmethod
    def of(cls, rule: ScheduledRule) -> RuleFacts:
        return cls(
            rule.id, rule.trigger, rule.offset_days, rule.offset_hours, rule.send_time, rule.conditions, rule.active
        )


Stay = Booking | StayFacts
RuleLike = ScheduledRule | RuleFacts
GuestLike = Guest | GuestFacts
