"""Bookings arrive from the hotel's PMS; each one brings its guest, found again rather than duplicated."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.booking_link import pick_booking
from domain.contacts import ContactError, normalize_email, normalize_phone
from domain.errors import FieldProblem, InvalidInput, NotFound
from domain.model import Booking, BookingStatus, Guest
from domain.ports.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class GuestDetails:
    first_name: str
    last_name: str = ""
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    airbnb_user_id: str | None = None


@dataclass(frozen=True)
class BookingUpsert:
    external_ref: str
    guest: GuestDetails
    check_in: date
    check_out: date
    source: str = "direct"
    status: str = BookingStatus.CONFIRMED
    confirmation_code: str | None = None
    room: str | None = None
    party_size: int | None = None
    custom_fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UpsertResult:
    booking: Booking
    guest: Guest
    created: bool
    changed: bool


def _normalised_contacts(details: GuestDetails, country: str) -> tuple[str | None, str | None]:
    problems: list[FieldProblem] = []
    phone = email = None
    try:
        phone = normalize_phone(details.phone, country, "guest.phone") if details.phone else None
    except ContactError as exc:
        problems.append(exc.problem)
    try:
        email = normalize_email(details.email, "guest.email") if details.email else None
    except ContactError as exc:
        problems.append(exc.problem)
    if problems:
        raise InvalidInput(problems)
    return phone, email


def _validate_dates(cmd: BookingUpsert) -> None:
    if cmd.check_out <= cmd.check_in:
        raise InvalidInput(
            [FieldProblem("check_out", "check_out_before_check_in", "Check-out must be after check-in.")]
        )


def _assign(target: object, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


async def _find_guest(uow: UnitOfWork, property_id: uuid.UUID, phone: str | None, email: str | None) -> Guest | None:
    if phone:
        guest = await uow.guests.by_phone(property_id, phone)
        if guest:
            return guest
    if email:
        return await uow.guests.by_email(property_id, email)
    return None


async def _update_guest(
    uow: UnitOfWork, guest: Guest, details: GuestDetails, phone: str | None, email: str | None
) -> bool:
    values: dict[str, Any] = {"first_name": details.first_name, "last_name": details.last_name}
    if details.language:
        values["language"] = details.language
    if details.airbnb_user_id:
        values["airbnb_user_id"] = details.airbnb_user_id
    # A contact that already belongs to another guest stays with that guest: merging people is
    # a staff decision, never a side effect of a PMS sync.
    if phone and phone != guest.phone:
        owner = await uow.guests.by_phone(guest.property_id, phone)
        if owner is None:
            values["phone"] = phone
    if email and email != guest.email:
        owner = await uow.guests.by_email(guest.property_id, email)
        if owner is None:
            values["email"] = email
    return _assign(guest, values)


async def upsert_booking(uow: UnitOfWork, property_id: uuid.UUID, cmd: BookingUpsert, now: datetime) -> UpsertResult:
    prop = await uow.properties.get(property_id)
    if prop is None:
        raise NotFound("Property not found.")
    _validate_dates(cmd)
    phone, email = _normalised_contacts(cmd.guest, prop.country)

    booking = await uow.bookings.by_external_ref(property_id, cmd.external_ref)
    guest = await uow.guests.get(property_id, booking.guest_id) if booking else None
    if guest is None:
        guest = await _find_guest(uow, property_id, phone, email)
    created_guest = guest is None
    if guest is None:
        guest = Guest(
            property_id=property_id,
            first_name=cmd.guest.first_name,
            last_name=cmd.guest.last_name,
            phone=phone,
            email=email,
            language=cmd.guest.language,
            airbnb_user_id=cmd.guest.airbnb_user_id,
            created_at=now,
            updated_at=now,
        )
        uow.guests.add(guest)
        await uow.flush()  # the booking row references it; no ORM relationship orders the inserts for us
        guest_changed = True
    else:
        guest_changed = await _update_guest(uow, guest, cmd.guest, phone, email)
        if guest_changed:
            guest.updated_at = now

    fields: dict[str, Any] = {
        "guest_id": guest.id,
        "check_in": cmd.check_in,
        "check_out": cmd.check_out,
        "source": cmd.source,
        "status": cmd.status,
        "confirmation_code": cmd.confirmation_code.upper() if cmd.confirmation_code else None,
        "room": cmd.room,
        "party_size": cmd.party_size,
        "custom_fields": dict(cmd.custom_fields),
    }
    created = booking is None
    if booking is None:
        booking = Booking(
            property_id=property_id, external_ref=cmd.external_ref, created_at=now, updated_at=now, **fields
        )
        uow.bookings.add(booking)
        booking_changed = True
    else:
        booking_changed = _assign(booking, fields)
        if booking_changed:
            booking.updated_at = now

    if booking_changed and not created_guest:
        await relink_conversation(uow, property_id, guest.id, now.date(), extra=booking)
    return UpsertResult(booking, guest, created, booking_changed or guest_changed)


async def relink_conversation(
    uow: UnitOfWork, property_id: uuid.UUID, guest_id: uuid.UUID, today: date, extra: Booking | None = None
) -> None:
    """Point the guest's conversation at their current or next stay."""
    conversation = await uow.conversations.for_guest(property_id, guest_id)
    if conversation is None:
        return
    bookings = {b.id: b for b in await uow.bookings.for_guest(property_id, guest_id)}
    if extra is not None:
        bookings[extra.id] = extra
    chosen = pick_booking(bookings.values(), today)
    conversation.booking_id = chosen.id if chosen else None
