"""The few facts of a stay and a guest that planning reads, without a whole loaded booking or guest.

Planning a rule for every booking ahead reads these for 100,000 bookings at a time; loading whole
bookings and guests for that costs more than all the decisions together.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from domain.model import Booking, Guest


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


Stay = Booking | StayFacts
GuestLike = Guest | GuestFacts
