"""Our placeholders: the values a template variable can be filled with, and where each one is read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.model import Booking, Guest, Property
from domain.templates.dates import format_date


@dataclass(frozen=True)
class PlaceholderContext:
    guest: Guest
    booking: Booking | None
    property: Property
    whatsapp_link: str | None
    language: str  # the template's language: dates are written in it


@dataclass(frozen=True)
class Placeholder:
    key: str
    description: str
    example: str  # a sensible example for Meta's review, offered when the user maps a variable
    read: Callable[[PlaceholderContext], str | None]
    needs_booking: bool = False


def _booking(read: Callable[[Booking, PlaceholderContext], object]) -> Callable[[PlaceholderContext], str | None]:
    def reader(context: PlaceholderContext) -> str | None:
        if context.booking is None:
            return None
        value = read(context.booking, context)
        return None if value is None else str(value)

    return reader


_ALL = (
    Placeholder("guest.first_name", "Guest's first name", "Anna", lambda c: c.guest.first_name),
    Placeholder("guest.last_name", "Guest's last name", "Martin", lambda c: c.guest.last_name),
    Placeholder(
        "guest.full_name",
        "Guest's first and last name",
        "Anna Martin",
        lambda c: " ".join(part for part in (c.guest.first_name, c.guest.last_name) if part),
    ),
    Placeholder("booking.reference", "Booking reference", "BK-10452", _booking(lambda b, _: b.external_ref), True),
    Placeholder(
        "booking.check_in",
        "Check-in date, written in the template's language",
        "Monday 14 December 2026",
        _booking(lambda b, c: format_date(b.check_in, c.language)),
        True,
    ),
    Placeholder(
        "booking.check_out",
        "Check-out date, written in the template's language",
        "Thursday 17 December 2026",
        _booking(lambda b, c: format_date(b.check_out, c.language)),
        True,
    ),
    Placeholder("booking.nights", "Number of nights", "3", _booking(lambda b, _: b.nights), True),
    Placeholder("booking.room", "Room", "12", _booking(lambda b, _: b.room), True),
    Placeholder(
        "booking.confirmation_code",
        "Confirmation code of the booking channel (e.g. Airbnb)",
        "HMABCD1234",
        _booking(lambda b, _: b.confirmation_code),
        True,
    ),
    Placeholder(
        "booking.door_code",
        "Door code (the booking's custom field door_code)",
        "4821",
        _booking(lambda b, _: b.custom_fields.get("door_code")),
        True,
    ),
    Placeholder("property.name", "Property name", "Hotel des Arts", lambda c: c.property.name),
    Placeholder(
        "property.whatsapp_link",
        "wa.me link to the property's WhatsApp number",
        "https://wa.me/33612345678",
        lambda c: c.whatsapp_link,
    ),
)

PLACEHOLDERS: dict[str, Placeholder] = {placeholder.key: placeholder for placeholder in _ALL}


def is_known_placeholder(key: str) -> bool:
    return key in PLACEHOLDERS


def read_placeholder(key: str, context: PlaceholderContext) -> str | None:
    """The value for the guest, or None when the context does not have it (or the key is unknown)."""
    placeholder = PLACEHOLDERS.get(key)
    if placeholder is None:
        return None
    value = placeholder.read(context)
    return value if value and value.strip() else None
