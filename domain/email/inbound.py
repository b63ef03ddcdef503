"""A guest's e-mail reply filed in their conversation; a bounce failing the message it reports on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.channels import Channel
from domain.email.smtp_replies import explain
from domain.email.trimming import trim_reply
from domain.model import Guest
from domain.ports.unit_of_work import UnitOfWork
from domain.services.inbound import InboundMessage, InboundResult, record_inbound
from domain.services.status_updates import StatusUpdate, apply_status

BOUNCE_CODE = "email_bounced"


@dataclass(frozen=True)
class EmailReply:
    message_id: str  # "<…@…>", the inbound message's provider id
    sender: str  # lower-cased address
    subject: str
    text: str  # the whole plain text, quoted history included
    received_at: datetime
    sender_name: str = ""
    references: tuple[str, ...] = ()  # In-Reply-To first, then References newest first
    auto_submitted: bool = False  # an out-of-office or other automatic answer
    attachments: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class EmailBounce:
    original_message_ids: tuple[str, ...]
    diagnostic: str  # the remote server's words, e.g. "smtp; 550 5.1.1 <a@b>: user unknown"
    status: str | None = None  # RFC 3463, e.g. "5.1.1"
    recipient: str | None = None


async def _guest_by_thread(
    uow: UnitOfWork, property_id: uuid.UUID, reply: EmailReply, conversation_id: uuid.UUID | None
) -> Guest | None:
    conversation = await uow.conversations.get(property_id, conversation_id) if conversation_id else None
    if conversation is None:
        for message_id in reply.references:
            earlier = await uow.messages.by_provider_id(property_id, Channel.EMAIL, message_id)
            if earlier is not None:
                conversation = await uow.conversations.get(property_id, earlier.conversation_id)
                break
    return await uow.guests.get(property_id, conversation.guest_id) if conversation else None


async def file_reply(
    uow: UnitOfWork, property_id: uuid.UUID, reply: EmailReply, conversation_id: uuid.UUID | None = None
) -> InboundResult | None:
    """Files the reply in its conversation: by the reply token's conversation, else by the message it
    answers, else by the sender's address among the property's guests. None: nobody it belongs to."""
    guest = await _guest_by_thread(uow, property_id, reply, conversation_id)
    if guest is None:
        guest = await uow.guests.by_email(property_id, reply.sender)
    if guest is None:
        return None
    if not guest.phone and not guest.email:
        guest.email = reply.sender  # record_inbound finds guests by phone or e-mail
    details: dict[str, Any] = {
        "full_text": reply.text,
        "subject": reply.subject,
        "message_id": reply.message_id,
        "from": reply.sender,
    }
    if reply.auto_submitted:
        details["auto_submitted"] = True
    if reply.attachments:
        details["attachments"] = list(reply.attachments)
    inbound = InboundMessage(
        channel=Channel.EMAIL,
        provider_message_id=reply.message_id,
        received_at=reply.received_at,
        body=trim_reply(reply.text) or reply.subject,
        phone=guest.phone,
        email=guest.email,
        profile_name=reply.sender_name or None,
        details=details,
    )
    return await record_inbound(uow, property_id, inbound)


def bounce_reason(bounce: EmailBounce) -> str:
    said = bounce.diagnostic.partition(";")[2] if ";" in bounce.diagnostic[:12] else bounce.diagnostic
    if bounce.status and bounce.status not in said:
        said = f"{bounce.status} {said}"
    return explain(None, said, "The guest's mail server did not accept the e-mail")


async def record_bounce(uow: UnitOfWork, property_id: uuid.UUID, bounce: EmailBounce, at: datetime) -> int:
    """Fails each message the report names; 0 when they are unknown, already failed or delivered later."""
    moved = 0
    for message_id in bounce.original_message_ids:
        update = StatusUpdate(
            channel=Channel.EMAIL,
            provider_message_id=message_id,
            status="failed",
            at=at,
            error_code=BOUNCE_CODE,
            error_reason=bounce_reason(bounce),
        )
        moved += int(await apply_status(uow, property_id, update))
    return moved
