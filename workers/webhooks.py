"""Processing stored provider callbacks: route each change to its property, then apply it once."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from adapters.db import webhook_store
from adapters.db.tables import channel_connections
from adapters.db.template_store import SqlaTemplateStore
from adapters.db.unit_of_work import SqlaUnitOfWork
from adapters.email.inbound_processing import process_inbound_email
from adapters.twilio import webhook_parser as twilio_parser
from adapters.whatsapp.webhook_parser import parse
from domain.channels import Channel
from domain.clock import Clock
from domain.ports.templates import TemplateReview
from domain.services.inbound import InboundMessage, record_inbound
from domain.services.status_updates import apply_status
from domain.services.templates import apply_review

log = logging.getLogger("workers.webhooks")


async def _route(uow: SqlaUnitOfWork, phone_number_id: str | None) -> uuid.UUID | None:
    if not phone_number_id:
        return None
    found = await webhook_store.connections_by_external_id(uow.session, "whatsapp", [phone_number_id])
    return found[0]["property_id"] if found else None


async def _template_event(
    uow: SqlaUnitOfWork, store: SqlaTemplateStore, waba_id: str | None, value: dict[str, Any], clock: Clock
) -> bool:
    provider_id = str(value.get("message_template_id", ""))
    template = await store.by_provider_id(provider_id) if provider_id else None
    if template is None:
        return False
    # only the business account that owns the template may change it
    owner = await uow.session.scalar(
        select(channel_connections.c.settings["waba_id"].astext).where(
            channel_connections.c.property_id == template.property_id, channel_connections.c.channel == "whatsapp"
        )
    )
    if not waba_id or owner != waba_id:
        log.warning("template event from a business account that does not own the template")
        return False
    info = value.get("rejection_info") or {}
    review = TemplateReview(provider_id, str(value.get("event", "")), value.get("reason"))
    return await apply_review(store, review, clock.now(), info.get("recommendation") or info.get("reason")) is not None


async def process_whatsapp(uow: SqlaUnitOfWork, payload: dict[str, Any], clock: Clock | None = None) -> dict[str, int]:
    counts = {"inbound": 0, "statuses": 0, "unrouted": 0, "templates": 0}
    for change in parse(payload):
        if change.template_events and clock is not None:
            store = SqlaTemplateStore(uow.sessions_factory)
            for value in change.template_events:
                counts["templates"] += int(await _template_event(uow, store, change.waba_id, value, clock))
            continue
        property_id = await _route(uow, change.phone_number_id)
        if property_id is None:
            counts["unrouted"] += len(change.inbound) + len(change.statuses)
            continue
        for inbound in change.inbound:
            result = await record_inbound(uow, property_id, inbound)
            counts["inbound"] += 0 if result.duplicate else 1
        for status in change.statuses:
            counts["statuses"] += int(await apply_status(uow, property_id, status))
        for error in change.errors:
            log.warning("whatsapp reported an error", extra={"code": error.get("code"), "title": error.get("title")})
    return counts


async def process_twilio(
    uow: SqlaUnitOfWork, payload: dict[str, Any], property_id: uuid.UUID | None, clock: Clock
) -> dict[str, int]:
    form = dict((name, value) for name, value in payload["form"])
    if property_id is None:
        log.warning("twilio callback for an account shared by several properties without a matching number")
        return {"unrouted": 1}
    if payload["kind"] == "inbound":
        result = await record_inbound(uow, property_id, twilio_parser.inbound(form, clock.now()))
        return {"inbound": 0 if result.duplicate else 1}
    return {"statuses": int(await apply_status(uow, property_id, twilio_parser.status(form, clock.now())))}


async def process_airbnb(uow: SqlaUnitOfWork, payload: dict[str, Any], property_id: uuid.UUID | None) -> dict[str, int]:
    message, reservation = payload["message"], payload.get("reservation") or {}
    if property_id is None or message.get("sender_role", "guest") != "guest":
        return {"ignored": 1}
    sender = message.get("sender") or {}
    inbound = InboundMessage(
        channel=Channel.AIRBNB,
        provider_message_id=str(message["id"]),
        received_at=datetime.fromtimestamp(int(message["sent_at"]), UTC),
        body=str(message.get("body", "")),
        profile_name=sender.get("first_name"),
        confirmation_code=reservation.get("confirmation_code"),
        thread_id=str(payload.get("thread_id") or ""),
        reservation_status=reservation.get("status"),
    )
    result = await record_inbound(uow, property_id, inbound)
    return {"inbound": 0 if result.duplicate else 1}


async def process_event(
    new_uow: Callable[[], SqlaUnitOfWork], event_id: int, clock: Clock, reply_key: bytes = b""
) -> dict[str, int] | None:
    """Idempotent: a processed event is skipped, and every step inside is itself idempotent."""
    async with new_uow() as uow:
        event = await webhook_store.load_event(uow.session, event_id)
        if event is None or event["processed_at"] is not None:
            return None
        if event["provider"] == "email":  # the raw RFC 5322 message, not JSON
            counts = await process_inbound_email(uow, bytes(event["body"]), reply_key, clock)
            await webhook_store.mark_processed(uow.session, event_id, clock.now())
            await uow.commit()
            return counts
        payload = json.loads(event["body"])
        if event["provider"] == "whatsapp":
            counts = await process_whatsapp(uow, payload, clock)
        elif event["provider"] == "airbnb":
            counts = await process_airbnb(uow, payload, event["property_id"])
        elif event["provider"] == "twilio":
            counts = await process_twilio(uow, payload, event["property_id"], clock)
        else:
            log.warning("no processor for provider", extra={"provider": event["provider"]})
            counts = {}
        await webhook_store.mark_processed(uow.session, event_id, clock.now())
        await uow.commit()
        return counts
