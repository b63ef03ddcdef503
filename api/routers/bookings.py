from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from adapters.db import directory_queries as q
from api.auth import CurrentPrincipal
from api.deps import ContainerDep, ReadSession, UowDep
from api.errors import ERROR_RESPONSES
from api.schemas.bookings import BookingUpsertIn, BookingWithGuest, GuestOut
from api.schemas.common import Page
from domain.errors import NotFound
from domain.model import Booking, Guest
from domain.services.bookings import BookingUpsert, GuestDetails, upsert_booking
from domain.services.scheduling import plan_booking

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
Limit = Annotated[int, Query(ge=1, le=200)]
ExternalRef = Annotated[str, Path(min_length=1, max_length=120, description="The booking's reference in the PMS")]


def _guest_out(g: dict[str, Any]) -> GuestOut:
    guest = Guest(
        property_id=g["property_id"],
        first_name=g["first_name"],
        last_name=g["last_name"],
        phone=g["phone"],
        email=g["email"],
    )
    return GuestOut(
        id=g["id"],
        first_name=g["first_name"],
        last_name=g["last_name"],
        display_name=guest.display_name,
        phone=g["phone"],
        email=g["email"],
        language=g["language"],
        airbnb_user_id=g["airbnb_user_id"],
    )


def _booking_out(row: dict[str, Any]) -> BookingWithGuest:
    guest = {k[2:]: v for k, v in row.items() if k.startswith("g_")}
    fields = {k: row[k] for k in BookingWithGuest.model_fields if k in row and k != "guest"}
    return BookingWithGuest(**fields, guest=_guest_out(guest))


def _from_entities(booking: Booking, guest: Guest, created: bool) -> BookingWithGuest:
    return BookingWithGuest(
        id=booking.id,
        external_ref=booking.external_ref,
        guest_id=guest.id,
        check_in=booking.check_in,
        check_out=booking.check_out,
        source=booking.source,
        status=booking.status,
        confirmation_code=booking.confirmation_code,
        room=booking.room,
        party_size=booking.party_size,
        custom_fields=booking.custom_fields,
        created=created,
        guest=GuestOut(
            id=guest.id,
            first_name=guest.first_name,
            last_name=guest.last_name,
            display_name=guest.display_name,
            phone=guest.phone,
            email=guest.email,
            language=guest.language,
            airbnb_user_id=guest.airbnb_user_id,
        ),
    )


@router.put(
    "/bookings/{external_ref}",
    response_model=BookingWithGuest,
    tags=["bookings"],
    summary="Create or update a booking and its guest (idempotent)",
    responses={201: {"model": BookingWithGuest, "description": "Created"}},
)
async def put_booking(
    external_ref: ExternalRef,
    body: BookingUpsertIn,
    principal: CurrentPrincipal,
    uow: UowDep,
    container: ContainerDep,
    response: Response,
) -> BookingWithGuest:
    cmd = BookingUpsert(
        external_ref=external_ref,
        guest=GuestDetails(**body.guest.model_dump()),
        check_in=body.check_in,
        check_out=body.check_out,
        source=body.source,
        status=body.status,
        confirmation_code=body.confirmation_code,
        room=body.room,
        party_size=body.party_size,
        custom_fields=body.custom_fields,
    )
    now = container.clock.now()
    result = await upsert_booking(uow, principal.property_id, cmd, now)
    if result.changed:
        await plan_booking(uow, result.booking, now)
    await uow.commit()
    response.status_code = 201 if result.created else 200
    return _from_entities(result.booking, result.guest, result.created)


@router.get(
    "/bookings",
    response_model=Page[BookingWithGuest],
    tags=["bookings"],
    summary="List bookings, newest first; search by guest name, phone, e-mail, reference or confirmation code",
)
async def list_bookings(
    principal: CurrentPrincipal,
    session: ReadSession,
    q_: Annotated[str | None, Query(alias="q", max_length=200)] = None,
    cursor: str | None = None,
    limit: Limit = 50,
    guest_id: uuid.UUID | None = None,
) -> Page[BookingWithGuest]:
    rows, next_cursor = await q.list_bookings(session, principal.property_id, q_, cursor, limit, guest_id)
    return Page(items=[_booking_out(r) for r in rows], next_cursor=next_cursor)


@router.get("/bookings/{external_ref}", response_model=BookingWithGuest, tags=["bookings"], summary="Read a booking")
async def get_booking(external_ref: ExternalRef, principal: CurrentPrincipal, session: ReadSession) -> BookingWithGuest:
    row = await q.get_booking(session, principal.property_id, external_ref)
    if row is None:
        raise NotFound("Booking not found.")
    return _booking_out(row)


@router.get(
    "/guests",
    response_model=Page[GuestOut],
    tags=["guests"],
    summary="List guests, newest first; search by name, phone or e-mail",
)
async def list_guests(
    principal: CurrentPrincipal,
    session: ReadSession,
    q_: Annotated[str | None, Query(alias="q", max_length=200)] = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[GuestOut]:
    rows, next_cursor = await q.list_guests(session, principal.property_id, q_, cursor, limit)
    return Page(items=[_guest_out(r) for r in rows], next_cursor=next_cursor)


@router.get("/guests/{guest_id}", response_model=GuestOut, tags=["guests"], summary="Read a guest")
async def get_guest(guest_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSession) -> GuestOut:
    row = await q.get_guest(session, principal.property_id, guest_id)
    if row is None:
        raise NotFound("Guest not found.")
    return _guest_out(row)
