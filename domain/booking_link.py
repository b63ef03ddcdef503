"""Which booking a conversation is about: the stay in progress, else the next one, else the last."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.model import Booking, BookingStatus


def pick_booking(bookings: Iterable[Booking], today: date) -> Booking | None:
    live = [b for b in bookings if b.status != BookingStatus.CANCELLED]
    current = [b for b in live if b.check_in <= today < b.check_out]
    if current:
        return min(current, key=lambda b: b.check_in)
    upcoming = [b for b in live if b.check_in > today]
    if upcoming:
        return min(upcoming, key=lambda b: b.check_in)
    past = [b for b in live if b.check_out <= today]
    if past:
        return max(past, key=lambda b: b.check_out)
    return None
