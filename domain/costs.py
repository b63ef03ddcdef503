"""What a guest's messages cost, in total and per booking.

A scheduled message belongs to the booking it was planned for; any other message to the stay the
conversation was about on the day it was sent (the same rule that links a conversation to a booking:
the stay in progress, else the next one, else the last).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.booking_link import pick_booking
from domain.model import Booking


@dataclass(frozen=True)
class CostedMessage:
    id: uuid.UUID
    day: date  # in the property's timezone
    channel: str
    amount: Decimal
    currency: str
    booking_id: uuid.UUID | None = None  # known for scheduled messages


@dataclass
class CostTotal:
    messages: int = 0
    amount: Decimal = Decimal(0)
    by_channel: dict[str, Decimal] = field(default_factory=dict)

    def add(self, message: CostedMessage) -> None:
        self.messages += 1
        self.amount += message.amount
        self.by_channel[message.channel] = self.by_channel.get(message.channel, Decimal(0)) + message.amount


@dataclass
class GuestCosts:
    total: CostTotal
    per_booking: dict[uuid.UUID, CostTotal]
    unattributed: CostTotal
    currency: str


def guest_costs(bookings: list[Booking], messages: Iterable[CostedMessage], currency: str = "USD") -> GuestCosts:
    known = {b.id for b in bookings}
    result = GuestCosts(CostTotal(), {b.id: CostTotal() for b in bookings}, CostTotal(), currency)
    for message in messages:
        result.total.add(message)
        booking_id = message.booking_id if message.booking_id in known else None
        if booking_id is None:
            picked = pick_booking(bookings, message.day)
            booking_id = picked.id if picked else None
        (result.per_booking[booking_id] if booking_id else result.unattributed).add(message)
    return result
