"""Writing to a guest: the channel's rules first, then a message and its outbox row in one transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.channels import AuthorType, Channel, Direction, MessageKind
from domain.errors import FieldProblem, InvalidInput, NotFound, PolicyViolation
from domain.message_status import MessageStatus
from domain.model import Conversation, Message, OutboxEvent, preview_of
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork
from domain.reply_rules import reply_state
from domain.services.airbnb import check_airbnb_content
from domain.services.conversations import load

MAX_BODY = 4096
SEND_TOPIC = "message.send"


def _check_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise InvalidInput([FieldProblem("body", "empty", "The message is empty.")])
    if len(text) > MAX_BODY:
        raise InvalidInput([FieldProblem("body", "too_long", f"The message is longer than {MAX_BODY} characters.")])
    return text


def touch(conversation: Conversation, message: Message) -> None:
    """Keep the conversation's summary (list preview, ordering) in step with its newest message."""
    if conversation.last_message_at is None or message.created_at >= conversation.last_message_at:
        conversation.last_message_at = message.created_at
        conversation.last_message_preview = preview_of(message.body)
        conversation.last_message_direction = message.direction
        conversation.last_message_channel = message.channel
    if message.created_at > conversation.last_activity_at:
        conversation.last_activity_at = message.created_at


def queue_outbound(uow: UnitOfWork, conversation: Conversation, message: Message) -> None:
    uow.messages.add(message)
    if not (message.channel == Channel.EMAIL and message.kind == MessageKind.SCHEDULED):
        conversation.started = True  # a scheduled e-mail alone does not put the conversation in the inbox
    uow.outbox.add(
        OutboxEvent(
            property_id=conversation.property_id,
            topic=SEND_TOPIC,
            payload={"message_id": str(message.id), "property_id": str(conversation.property_id)},
            created_at=message.created_at,
        )
    )
    touch(conversation, message)
    uow.announce(RealtimeEvent("message.created", conversation.property_id, conversation.id, message.id))


async def send_free_form(
    uow: UnitOfWork,
    property_id: uuid.UUID,
    conversation_id: uuid.UUID,
    user_id: uuid.UUID,
    channel: Channel,
    body: str,
    now: datetime,
) -> Message:
    text = _check_body(body)
    conversation = await load(uow, property_id, conversation_id, lock=True)
    guest = await uow.guests.get(property_id, conversation.guest_id)
    if guest is None:
        raise NotFound("Guest not found.")
    connected = await uow.connections.connected_channels(property_id)
    state = reply_state(channel, conversation, guest, connected, now)
    if state.open and channel == Channel.AIRBNB and conversation.booking_id is not None:
        booking = await uow.bookings.get(property_id, conversation.booking_id)
        check_airbnb_content(text, booking.external_status if booking else None)
    if not state.open:
        raise PolicyViolation(state.code or "channel_unavailable", state.reason or "This channel cannot be used now.")
    message = Message(
        property_id=property_id,
        conversation_id=conversation.id,
        channel=channel,
        direction=Direction.OUTBOUND,
        kind=MessageKind.TEXT,
        body=text,
        status=MessageStatus.QUEUED,
        author_type=AuthorType.USER,
        author_user_id=user_id,
        created_at=now,
        status_changed_at=now,
    )
    queue_outbound(uow, conversation, message)
    return message


async def add_note(
    uow: UnitOfWork, property_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID, body: str, now: datetime
) -> Message:
    """Internal notes are for staff only: stored in the thread, never sent, never in the preview."""
    text = _check_body(body)
    conversation = await load(uow, property_id, conversation_id, lock=True)
    note = Message(
        property_id=property_id,
        conversation_id=conversation.id,
        channel="internal",
        direction=Direction.OUTBOUND,
        kind=MessageKind.NOTE,
        body=text,
        status=MessageStatus.RECEIVED,
        author_type=AuthorType.USER,
        author_user_id=user_id,
        created_at=now,
    )
    uow.messages.add(note)
    uow.announce(RealtimeEvent("message.created", property_id, conversation.id, note.id))
    return note
