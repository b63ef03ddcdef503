"""What staff do to a conversation: read it, assign it, close and reopen it."""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.errors import FieldProblem, InvalidInput, NotFound
from domain.model import Conversation, ConversationRead, ConversationStatus
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork


async def load(
    uow: UnitOfWork, property_id: uuid.UUID, conversation_id: uuid.UUID, *, lock: bool = False
) -> Conversation:
    conversation = await uow.conversations.get(property_id, conversation_id, lock=lock)
    if conversation is None:
        raise NotFound("Conversation not found.")
    return conversation


def _updated(uow: UnitOfWork, conversation: Conversation) -> None:
    uow.announce(RealtimeEvent("conversation.updated", conversation.property_id, conversation.id))


async def mark_read(
    uow: UnitOfWork, property_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> None:
    conversation = await load(uow, property_id, conversation_id)
    read = await uow.reads.get(property_id, conversation_id, user_id)
    if read is None:
        uow.reads.add(ConversationRead(property_id, conversation_id, user_id, conversation.inbound_count, now))
    else:
        read.inbound_seen = conversation.inbound_count
        read.last_read_at = now


async def assign(
    uow: UnitOfWork, property_id: uuid.UUID, conversation_id: uuid.UUID, assignee_id: uuid.UUID | None
) -> Conversation:
    conversation = await load(uow, property_id, conversation_id, lock=True)
    if assignee_id is not None and await uow.memberships.get(assignee_id, property_id) is None:
        raise InvalidInput([FieldProblem("user_id", "not_a_member", "That user is not a member of this property.")])
    if conversation.assignee_id != assignee_id:
        conversation.assignee_id = assignee_id
        _updated(uow, conversation)
    return conversation


async def set_status(
    uow: UnitOfWork, property_id: uuid.UUID, conversation_id: uuid.UUID, status: ConversationStatus
) -> Conversation:
    conversation = await load(uow, property_id, conversation_id, lock=True)
    if conversation.status != status:
        conversation.status = status
        _updated(uow, conversation)
    return conversation


async def link_booking(
    uow: UnitOfWork, property_id: uuid.UUID, conversation_id: uuid.UUID, booking_id: uuid.UUID | None
) -> Conversation:
    """Staff tie a conversation to a stay by hand (e.g. a guest who wrote from an unknown number)."""
    conversation = await load(uow, property_id, conversation_id, lock=True)
    if booking_id is not None and await uow.bookings.get(property_id, booking_id) is None:
        raise InvalidInput([FieldProblem("booking_id", "unknown_booking", "No such booking in this property.")])
    if conversation.booking_id != booking_id:
        conversation.booking_id = booking_id
        _updated(uow, conversation)
    return conversation
