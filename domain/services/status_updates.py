"""Provider callbacks about our outbound messages: applied once, in order, never backwards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.channels import Channel
from domain.message_status import MessageStatus, advance
from domain.model import Message
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork
from domain.services.consent import record_provider_refusal

# provider words -> our statuses; anything else (e.g. WhatsApp's "played") changes nothing
_STATUS_WORDS = {
    "accepted": MessageStatus.SENT,
    "queued": MessageStatus.SENT,
    "sending": MessageStatus.SENT,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "failed": MessageStatus.FAILED,
    "undelivered": MessageStatus.FAILED,
}


@dataclass(frozen=True)
class StatusUpdate:
    channel: Channel
    provider_message_id: str
    status: str
    at: datetime
    our_message_id: str | None = None  # WhatsApp echoes biz_opaque_callback_data
    error_code: str | None = None
    error_reason: str | None = None
    pricing_category: str | None = None
    billable: bool | None = None
    cost_amount: Decimal | None = None
    cost_currency: str | None = None


async def _find(uow: UnitOfWork, property_id: uuid.UUID, update: StatusUpdate) -> Message | None:
    if update.provider_message_id:
        found = await uow.messages.by_provider_id(property_id, update.channel, update.provider_message_id)
        if found is not None:
            return await uow.messages.get(property_id, found.id, lock=True)
    if update.our_message_id:
        try:
            our_id = uuid.UUID(update.our_message_id)
        except ValueError:
            return None
        return await uow.messages.get(property_id, our_id, lock=True)
    return None


def _apply_pricing(message: Message, update: StatusUpdate) -> None:
    if update.pricing_category:
        message.pricing_category = update.pricing_category
    if update.billable is False:
        message.cost_amount = Decimal("0")
    if update.cost_amount is not None:
        message.cost_amount, message.cost_currency = update.cost_amount, update.cost_currency or message.cost_currency


async def apply_status(uow: UnitOfWork, property_id: uuid.UUID, update: StatusUpdate) -> bool:
    """True when the message moved. Unknown messages and stale or repeated updates change nothing."""
    proposed = _STATUS_WORDS.get(update.status)
    message = await _find(uow, property_id, update)
    if message is None or proposed is None:
        return False
    _apply_pricing(message, update)
    if message.provider_message_id is None and update.provider_message_id:
        message.provider_message_id = update.provider_message_id  # the callback beat our own bookkeeping
    if not advance(MessageStatus(message.status), proposed, message.error_code):
        return False
    message.status = proposed
    message.status_changed_at = update.at
    if proposed == MessageStatus.FAILED:
        message.error_code = update.error_code or "provider_failed"
        message.error_reason = update.error_reason or "The provider could not deliver the message."
        await record_provider_refusal(uow, message, message.error_code, update.at)  # consent register
    else:
        message.error_code = message.error_reason = None
    uow.announce(RealtimeEvent("message.status", property_id, message.conversation_id, message.id))
    return True
