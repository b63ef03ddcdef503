"""Saved replies: kept per property, rendered for one conversation's guest and booking."""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.errors import NotFound
from domain.ports.saved_replies import SavedReplyStore
from domain.ports.unit_of_work import UnitOfWork
from domain.saved_replies.model import RenderedReply, SavedReply
from domain.saved_replies.rules import normalise_shortcut, render_reply, validate_saved_reply
from domain.services.conversations import load
from domain.templates.placeholders import PlaceholderContext


async def load_reply(store: SavedReplyStore, property_id: uuid.UUID, reply_id: uuid.UUID) -> SavedReply:
    reply = await store.get(property_id, reply_id)
    if reply is None:
        raise NotFound("Saved reply not found.")
    return reply


def _cleaned(bodies: dict[str, str]) -> dict[str, str]:
    return {language.strip(): text for language, text in bodies.items() if text.strip()}


async def create_reply(
    store: SavedReplyStore, property_id: uuid.UUID, name: str, shortcut: str, bodies: dict[str, str], now: datetime
) -> SavedReply:
    reply = SavedReply(
        property_id=property_id,
        name=name.strip(),
        shortcut=normalise_shortcut(shortcut),
        bodies=_cleaned(bodies),
        created_at=now,
        updated_at=now,
    )
    validate_saved_reply(reply, await store.all_for(property_id))
    await store.save(reply)
    return reply


async def update_reply(
    store: SavedReplyStore,
    property_id: uuid.UUID,
    reply_id: uuid.UUID,
    name: str,
    shortcut: str,
    bodies: dict[str, str],
    now: datetime,
) -> SavedReply:
    reply = await load_reply(store, property_id, reply_id)
    reply.name, reply.shortcut, reply.bodies = name.strip(), normalise_shortcut(shortcut), _cleaned(bodies)
    reply.updated_at = now
    validate_saved_reply(reply, await store.all_for(property_id))
    await store.save(reply)
    return reply


async def delete_reply(store: SavedReplyStore, property_id: uuid.UUID, reply_id: uuid.UUID) -> None:
    await store.delete(await load_reply(store, property_id, reply_id))


async def render_for_conversation(
    uow: UnitOfWork,
    store: SavedReplyStore,
    property_id: uuid.UUID,
    conversation_id: uuid.UUID,
    reply_id: uuid.UUID,
    whatsapp_link: str | None,
) -> RenderedReply:
    """The text the composer inserts: in the guest's language, with the guest's and the stay's values."""
    reply = await load_reply(store, property_id, reply_id)
    conversation = await load(uow, property_id, conversation_id)
    guest = await uow.guests.get(property_id, conversation.guest_id)
    prop = await uow.properties.get(property_id)
    if guest is None or prop is None:
        raise NotFound("Conversation not found.")
    booking = await uow.bookings.get(property_id, conversation.booking_id) if conversation.booking_id else None
    context = PlaceholderContext(
        guest=guest, booking=booking, property=prop, whatsapp_link=whatsapp_link, language=guest.language or prop.locale
    )
    return render_reply(reply, context, prop.locale)
