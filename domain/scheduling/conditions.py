"""Whether a rule applies to a booking at all (source, length of stay, guest language)."""

from __future__ import annotations

from domain.model import BookingStatus
from domain.scheduling.facts import GuestLike, RuleLike, Stay
from domain.scheduling.model import Trigger


def why_not(rule: RuleLike, booking: Stay, guest: GuestLike) -> str | None:
    """None when the rule applies; otherwise the reason, in words staff read."""
    if not rule.active:
        return "The rule is inactive."
    cancelled = booking.status == BookingStatus.CANCELLED
    if cancelled != (rule.trigger == Trigger.BOOKING_CANCELLED):
        return "The booking is cancelled." if cancelled else "The booking is not cancelled."
    sources = rule.conditions.get("sources")
    if sources and booking.source not in sources:
        return f"The booking comes from {booking.source}, not from {', '.join(sources)}."
    min_nights = rule.conditions.get("min_nights")
    if min_nights and booking.nights < int(min_nights):
        return f"The stay is {booking.nights} night(s), shorter than {min_nights}."
    languages = rule.conditions.get("languages")
    if languages and (guest.language or "") not in languages:
        return f"The guest's language ({guest.language or 'unknown'}) is not {', '.join(languages)}."
    return None
