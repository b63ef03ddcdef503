"""Processing stored provider callbacks: route each change to its property, then apply it once."""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select

from adapters.db import webhook_store
from adapters.db.repositories import SqlaConversationRepository, SqlaGuestRepository, SqlaMessageRepository
from adapters.db.routing_cache import RoutingCache
from adapters.db.tables import channel_connections
from adapters.db.template_store import SqlaTemplateStore
from adapters.db.unit_of_work import SqlaUnitOfWork
from adapters.email.inbound_processing import process_inbound_email
from adapters.twilio import webhook_parser as twilio_parser
from adapters.whatsapp.webhook_parser import ParsedChange, parse
from domain.channels import Channel
from domain.clock import Clock
from domain.ports.templates import TemplateReview
from domain.services.inbound import InboundMessage, record_inbound
from domain.services.status_updates import apply_status
from domain.services.templates import apply_review

log = logging.getLogger("workers.webhooks")


async def _route(uow: SqlaUnitOfWork, phone_number_id: str | None, routes: RoutingCache | None) -> uuid.UUID | None:
    if not phone_number_id:
        return None
    if routes is not None:
        found = await routes.connections(
            "whatsapp",
            [phone_number_id],
            lambda ids: webhook_store.connections_by_external_id(uow.session, "whatsapp", ids),
        )
    else:
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


async def process_whatsapp(
    uow: SqlaUnitOfWork,
    payload: dict[str, Any],
    clock: Clock | None = None,
    routes: RoutingCache | None = None,
    changes: list[ParsedChange] | None = None,
) -> dict[str, int]:
    counts = {"inbound": 0, "statuses": 0, "unrouted": 0, "templates": 0}
    for change in changes if changes is not None else parse(payload):
        if change.template_events and clock is not None:
            store = SqlaTemplateStore(uow.sessions_factory)
            for value in change.template_events:
                counts["templates"] += int(await _template_event(uow, store, change.waba_id, value, clock))
            continue
        property_id = await _route(uow, change.phone_number_id, routes)
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


async def _look_ahead(uow: SqlaUnitOfWork, events: list[dict[str, Any]], routes: RoutingCache | None) -> None:
    """One statement each for the filed messages, guests and conversations a batch of WhatsApp events
    touches, instead of one of each per event; the use cases then find them without asking again."""
    wanted: dict[uuid.UUID, tuple[set[str], set[str]]] = {}
    for event in events:
        if event["provider"] != "whatsapp":
            continue
        event["changes"] = changes = parse(json.loads(event["body"]))
        for change in changes:
            property_id = await _route(uow, change.phone_number_id, routes) if change.inbound else None
            if property_id is None:
                continue
            phones, provider_ids = wanted.setdefault(property_id, (set(), set()))
            phones.update(i.phone for i in change.inbound if i.phone)
            provider_ids.update(i.provider_message_id for i in change.inbound)
    messages = cast(SqlaMessageRepository, uow.messages)
    guests = cast(SqlaGuestRepository, uow.guests)
    conversations = cast(SqlaConversationRepository, uow.conversations)
    for property_id, (phones, provider_ids) in wanted.items():
        await messages.prefetch_provider_ids(property_id, Channel.WHATSAPP, provider_ids)
        found = await guests.prefetch_phones(property_id, phones)
        await conversations.prefetch_for_guests(property_id, [g.id for g in found])
    await _look_ahead_sms_statuses(messages, events)


async def _look_ahead_sms_statuses(messages: SqlaMessageRepository, events: list[dict[str, Any]]) -> None:
    """A burst of sends brings two Twilio status callbacks each: the messages they name are found and
    locked (in id order) once for the batch instead of twice per callback."""
    sids: dict[uuid.UUID, set[str]] = {}
    for event in events:
        if event["provider"] != "twilio" or event["property_id"] is None:
            continue
        payload = json.loads(event["body"])
        if payload.get("kind") == "status":
            sid = dict((name, value) for name, value in payload["form"]).get("MessageSid")
            if sid:
                sids.setdefault(event["property_id"], set()).add(sid)
    for property_id, wanted in sids.items():
        await messages.prefetch_provider_ids(property_id, Channel.SMS, wanted, lock=True)


async def _apply(
    uow: SqlaUnitOfWork, event: dict[str, Any], clock: Clock, reply_key: bytes, routes: RoutingCache | None
) -> dict[str, int]:
    if event["provider"] == "email":  # the raw RFC 5322 message, not JSON
        return await process_inbound_email(uow, bytes(event["body"]), reply_key, clock)
    payload = json.loads(event["body"]) if "changes" not in event else {}
    if event["provider"] == "whatsapp":
        return await process_whatsapp(uow, payload, clock, routes, event.get("changes"))
    if event["provider"] == "airbnb":
        return await process_airbnb(uow, payload, event["property_id"])
    if event["provider"] == "twilio":
        return await process_twilio(uow, payload, event["property_id"], clock)
    log.warning("no processor for provider", extra={"provider": event["provider"]})
    return {}


async def process_events(
    new_uow: Callable[[], SqlaUnitOfWork],
    event_ids: list[int],
    clock: Clock,
    reply_key: bytes = b"",
    routes: RoutingCache | None = None,
) -> dict[str, int]:
    """A batch of stored events applied in one transaction, in the order they arrived.

    Idempotent: events already processed are skipped, and every step inside is itself idempotent. All
    or nothing: if one event fails the whole batch rolls back (the caller then retries the events one
    by one), which costs nothing in the common case, unlike a savepoint per event.
    """
    totals: Counter[str] = Counter()
    async with new_uow() as uow:
        claimed = await webhook_store.claim_events(uow.session, event_ids, clock.now())
        await _look_ahead(uow, claimed, routes)
        for event in claimed:
            totals.update(await _apply(uow, event, clock, reply_key, routes))
        await uow.commit()
    return dict(totals)


async def process_event(
    new_uow: Callable[[], SqlaUnitOfWork],
    event_id: int,
    clock: Clock,
    reply_key: bytes = b"",
    routes: RoutingCache | None = None,
) -> dict[str, int] | None:
    """One event; None when it was already processed."""
    async with new_uow() as uow:
        claimed = await webhook_store.claim_events(uow.session, [event_id], clock.now())
        if not claimed:
            return None
        counts = await _apply(uow, claimed[0], clock, reply_key, routes)
        await uow.commit()
        return counts
