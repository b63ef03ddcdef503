"""A guest wrote: find them, their conversation and their stay, and file the message once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.booking_link import pick_booking
from domain.channels import AuthorType, Channel, Direction, MessageKind
from domain.message_status import MessageStatus
from domain.model import Booking, Conversation, Guest, Message, OutboxEvent
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork
from domain.services.consent import record_keyword_consent
from domain.services.messaging import touch
from domain.sms.keywords import Keyword, keyword_of

MEDIA_TOPIC = "media.fetch"


@dataclass(frozen=True)
class InboundMessage:
    channel: Channel
    provider_message_id: str
    received_at: datetime
    body: str
    kind: str = MessageKind.TEXT
    phone: str | None = None  # E.164
    email: str | None = None
    profile_name: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # Airbnb: the thread belongs to a reservation; the guest is the booking's guest
    confirmation_code: str | None = None
    thread_id: str | None = None
    reservation_status: str | None = None


@dataclass(frozen=True)
class InboundResult:
    message: Message
    conversation: Conversation
    guest: Guest
    duplicate: bool


async def _airbnb_booking(uow: UnitOfWork, property_id: uuid.UUID, inbound: InboundMessage) -> Booking | None:
    if not inbound.confirmation_code:
        return None
    booking = await uow.bookings.by_confirmation_code(property_id, inbound.confirmation_code.upper())
    if booking is not None:
        booking.airbnb_thread_id = inbound.thread_id or booking.airbnb_thread_id
        booking.external_status = inbound.reservation_status or booking.external_status
    return booking


async def _find_or_create_guest(
    uow: UnitOfWork, property_id: uuid.UUID, inbound: InboundMessage, booking: Booking | None = None
) -> Guest:
    if booking is not None:
        found = await uow.guests.get(property_id, booking.guest_id)
        if found is not None:
            return found
    guest = None
    if inbound.thread_id:
        # a thread whose reservation we do not know (yet): its earlier messages tell whose it is
        earlier = await uow.messages.guest_of_thread(property_id, inbound.channel, inbound.thread_id)
        guest = await uow.guests.get(property_id, earlier) if earlier else None
        if guest is not None:
            return guest
    if inbound.phone:
        guest = await uow.guests.by_phone(property_id, inbound.phone)
    if guest is None and inbound.email:
        guest = await uow.guests.by_email(property_id, inbound.email)
    if guest is None:
        first, _, last = (inbound.profile_name or "").strip().partition(" ")
        guest = Guest(
            property_id=property_id,
            first_name=first,
            last_name=last,
            phone=inbound.phone,
            email=inbound.email,
            created_at=inbound.received_at,
            updated_at=inbound.received_at,
        )
        uow.guests.add(guest)
        await uow.flush()  # the conversation row references it
    return guest


async def conversation_for(uow: UnitOfWork, guest: Guest, at: datetime, *, started: bool = True) -> Conversation:
    """The guest's one conversation, created on first contact and linked to their stay."""
    conversation = await uow.conversations.for_guest(guest.property_id, guest.id, lock=True)
    if conversation is None:
        booking = pick_booking(await uow.bookings.for_guest(guest.property_id, guest.id), at.date())
        conversation = Conversation(
            property_id=guest.property_id,
            guest_id=guest.id,
            booking_id=booking.id if booking else None,
            last_activity_at=at,
            created_at=at,
            started=started,
        )
        uow.conversations.add(conversation)
        await uow.flush()
    return conversation


def _honour_keyword(guest: Guest, message: Message, at: datetime) -> None:
    """STOP blocks further SMS to the guest until START; both are recorded with when and how."""
    keyword = keyword_of(message.body)
    if keyword is None:
        return
    message.details = {**message.details, "keyword": keyword.value}
    if keyword == Keyword.STOP:
        guest.opt_outs = {**guest.opt_outs, Channel.SMS.value: {"at": at.isoformat(), "source": "STOP keyword"}}
    elif keyword == Keyword.START:
        guest.opt_outs = {k: v for k, v in guest.opt_outs.items() if k != Channel.SMS.value}


async def record_inbound(uow: UnitOfWork, property_id: uuid.UUID, inbound: InboundMessage) -> InboundResult:
    existing = await uow.messages.by_provider_id(property_id, inbound.channel, inbound.provider_message_id)
    booking = await _airbnb_booking(uow, property_id, inbound)
    guest = await _find_or_create_guest(uow, property_id, inbound, booking)
    conversation = await conversation_for(uow, guest, inbound.received_at)
    if booking is not None and conversation.booking_id != booking.id:
        conversation.booking_id = booking.id  # an Airbnb thread is about its own reservation
    if existing is not None:
        return InboundResult(existing, conversation, guest, duplicate=True)
    message = Message(
        property_id=property_id,
        conversation_id=conversation.id,
        channel=inbound.channel,
        direction=Direction.INBOUND,
        kind=inbound.kind,
        body=inbound.body,
        status=MessageStatus.RECEIVED,
        author_type=AuthorType.GUEST,
        provider_message_id=inbound.provider_message_id,
        details={**inbound.details, **({"thread_id": inbound.thread_id} if inbound.thread_id else {})},
        created_at=inbound.received_at,
    )
    uow.messages.add(message)
    if inbound.kind == MessageKind.MEDIA:
        # attachments are fetched by a worker with the provider's credentials, never linked to directly
        uow.outbox.add(
            OutboxEvent(
                property_id=property_id,
                topic=MEDIA_TOPIC,
                payload={"property_id": str(property_id), "message_id": str(message.id)},
                created_at=inbound.received_at,
            )
        )
    if inbound.channel == Channel.SMS:
        _honour_keyword(guest, message, inbound.received_at)
        record_keyword_consent(uow, guest, message, inbound.received_at)  # the consent register shows it
    previous = conversation.last_inbound_at.get(inbound.channel.value)
    if previous is None or datetime.fromisoformat(previous) < inbound.received_at:
        conversation.last_inbound_at = {
            **conversation.last_inbound_at,
            inbound.channel.value: inbound.received_at.isoformat(),
        }
    conversation.inbound_count += 1
    conversation.started = True
    if conversation.status == "closed":
        conversation.status = "open"  # a guest writing again reopens the thread for staff
    touch(conversation, message)
    uow.announce(RealtimeEvent("message.created", property_id, conversation.id, message.id))
    return InboundResult(message, conversation, guest, duplicate=False)
