"""Processing a stored inbound e-mail (webhook_events, provider "email"): route it, then file it once.

Routing, first match wins:
1. a reply token in a recipient address (To, Cc, Delivered-To…; for a bounce also the original's
   Reply-To) whose HMAC verifies -> its conversation, and the property that owns it;
2. a recipient that is an e-mail connection's sender address (external_id) or reply-to address ->
   that property; the conversation then comes from In-Reply-To/References matching one of our sent
   messages, else from the sender being a known guest of that property;
3. one of our outbound Message-IDs it answers or reports on -> that message's property (they are
   `<message uuid@sender domain>`, not guessable, and the endpoint only takes the deployment's MTA).
Unknown senders are not filed: inbound e-mail without a thread is not a conversation yet.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import channel_connections, conversations, messages
from adapters.db.unit_of_work import SqlaUnitOfWork
from adapters.email.inbound_parser import parse_email
from domain.channels import Channel, Direction
from domain.clock import Clock
from domain.email.addresses import token_in, without_token
from domain.email.inbound import file_reply, record_bounce
from domain.email.reply_token import conversation_of

log = logging.getLogger("workers.email")


@dataclass(frozen=True)
class Route:
    property_id: uuid.UUID
    conversation_id: uuid.UUID | None = None


async def _by_token(session: AsyncSession, addresses: tuple[str, ...], key: bytes) -> Route | None:
    for address in addresses:
        token = token_in(address)
        conversation_id = conversation_of(token, key) if token else None
        if token and conversation_id is None:
            log.warning("an e-mail reply token did not verify", extra={"address": address})
        if conversation_id is None:
            continue
        property_id = await session.scalar(
            select(conversations.c.property_id).where(conversations.c.id == conversation_id)
        )
        if property_id is not None:
            return Route(property_id, conversation_id)
    return None


async def _by_connection(session: AsyncSession, addresses: tuple[str, ...]) -> Route | None:
    candidates = sorted(set(addresses) | {without_token(a) for a in addresses})
    if not candidates:
        return None
    owners = set(
        await session.scalars(
            select(channel_connections.c.property_id).where(
                channel_connections.c.channel == Channel.EMAIL.value,
                or_(
                    channel_connections.c.external_id.in_(candidates),
                    channel_connections.c.settings["reply_to"].astext.in_(candidates),
                ),
            )
        )
    )
    return Route(owners.pop()) if len(owners) == 1 else None


async def _by_our_message(session: AsyncSession, message_ids: tuple[str, ...]) -> Route | None:
    if not message_ids:
        return None
    owners = set(
        await session.scalars(
            select(messages.c.property_id).where(
                messages.c.channel == Channel.EMAIL.value,
                messages.c.direction == Direction.OUTBOUND.value,
                messages.c.provider_message_id.in_(message_ids),
            )
        )
    )
    return Route(owners.pop()) if len(owners) == 1 else None


async def route_email(
    session: AsyncSession, addresses: tuple[str, ...], message_ids: tuple[str, ...], key: bytes
) -> Route | None:
    return (
        await _by_token(session, addresses, key)
        or await _by_connection(session, addresses)
        or await _by_our_message(session, message_ids)
    )


async def process_inbound_email(uow: SqlaUnitOfWork, raw: bytes, secret: bytes, clock: Clock) -> dict[str, int]:
    """Files one raw message inside `uow` (the caller commits); `secret` is the reply-token key. Idempotent."""
    parsed = parse_email(raw, clock.now())
    if parsed.reply is None and parsed.bounce is None:
        return {"delivery_reports": 1}  # delayed or relayed: nothing failed yet
    if parsed.bounce is not None and not parsed.bounce.original_message_ids:
        log.warning("a bounce without the original's Message-ID")
        return {"bounces_unmatched": 1}
    route = await route_email(uow.session, parsed.routing_addresses, parsed.referenced_ids, secret)
    if route is None:
        log.warning("an inbound e-mail matched no property", extra={"recipients": list(parsed.routing_addresses)})
        return {"unrouted": 1}
    if parsed.bounce is not None:
        return {"bounces": await record_bounce(uow, route.property_id, parsed.bounce, clock.now())}
    assert parsed.reply is not None
    result = await file_reply(uow, route.property_id, parsed.reply, route.conversation_id)
    if result is None:
        return {"unknown_sender": 1}
    return {"inbound": 0 if result.duplicate else 1}
