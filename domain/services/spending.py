"""The spending cap at send time: reserve the send's expected cost, or hold the message saying why.

Called by the delivery use case inside its claiming transaction, so a reservation and the message's state
change commit or roll back together. A held message stays `queued` with error code `spending_cap_reached`
(the needs-attention queue lists it) and goes out again when released: the cap raised or removed, the
month changed, or staff sending it anyway (`spending_override`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.errors import NotFound, PolicyViolation
from domain.message_status import MessageStatus
from domain.model import Message, OutboxEvent
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork
from domain.spending import CAPPED_CHANNELS, SPENDING_CAP_CODE, expected_cost, held_reason, month_of

RELEASE_TOPIC = "message.send"  # a released send travels like any other (the relay reads job_suffix)


async def hold_for_spending_cap(uow: UnitOfWork, message: Message, now: datetime) -> bool:
    """True when the message must wait (nothing reserved); False when it may go (its cost is reserved)."""
    cost = expected_cost(message)
    details = message.details or {}
    if cost <= 0 or details.get("spend_reserved"):
        return False  # free, or reserved by an earlier attempt of the same message (retries count once)
    prop = await uow.properties.get(message.property_id)
    month = month_of(now, prop.timezone if prop else "UTC")
    cap = await uow.spending.cap_for(message.property_id, message.channel)
    limit = None if cap is None or details.get("spending_override") else cap.monthly_cap
    if await uow.spending.reserve(message.property_id, message.channel, month, cost, limit):
        message.details = {**details, "spend_reserved": month}
        if message.error_code == SPENDING_CAP_CODE:
            message.error_code = message.error_reason = None
        return False
    assert cap is not None
    if message.error_code != SPENDING_CAP_CODE:
        message.status_changed_at = now  # when it was first held, for the needs-attention queue
    message.status, message.next_attempt_at = MessageStatus.QUEUED, None
    message.error_code = SPENDING_CAP_CODE
    message.error_reason = held_reason(message.channel, cap.monthly_cap, cap.currency)
    message.details = {**details, "held_month": month}
    return True


def _requeue(uow: UnitOfWork, message: Message, now: datetime, why: str) -> None:
    message.error_code = message.error_reason = None
    message.status_changed_at = now
    uow.outbox.add(
        OutboxEvent(
            property_id=message.property_id,
            topic=RELEASE_TOPIC,
            created_at=now,
            payload={
                "message_id": str(message.id),
                "property_id": str(message.property_id),
                "job_suffix": f"{why}-{now.timestamp():.0f}",
            },
        )
    )
    uow.announce(RealtimeEvent("message.status", message.property_id, message.conversation_id, message.id))


async def release_held(
    uow: UnitOfWork, property_id: uuid.UUID, now: datetime, *, only_other_months: bool = False
) -> int:
    """Sends every held message through the cap check again (it holds again whatever still does not fit).

    `only_other_months`: the periodic sweep releases only messages held in an earlier month."""
    prop = await uow.properties.get(property_id)
    month = month_of(now, prop.timezone if prop else "UTC")
    released = 0
    for channel in CAPPED_CHANNELS:
        for message in await uow.messages.waiting_with(property_id, channel, SPENDING_CAP_CODE):
            if only_other_months and (message.details or {}).get("held_month") == month:
                continue
            _requeue(uow, message, now, "cap-release")
            released += 1
    return released


async def send_anyway(uow: UnitOfWork, property_id: uuid.UUID, message_id: uuid.UUID, now: datetime) -> Message:
    """Staff accept going over the cap for this one message; its cost still counts in the month."""
    message = await uow.messages.get(property_id, message_id, lock=True)
    if message is None:
        raise NotFound("Message not found.")
    if message.status != MessageStatus.QUEUED or message.error_code != SPENDING_CAP_CODE:
        raise PolicyViolation("not_held_by_cap", "This message is not held by a spending cap.")
    message.details = {**(message.details or {}), "spending_override": True}
    _requeue(uow, message, now, "cap-override")
    return message
