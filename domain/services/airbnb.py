"""Airbnb: authorisation and its renewal, pausing sends while it is broken, and the platform's content rules."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from domain.airbnb.content_filter import applies, blocked_parts
from domain.channels import Channel
from domain.errors import FieldProblem, InvalidInput, PolicyViolation, ProviderFailure
from domain.model import OutboxEvent
from domain.ports.airbnb import AirbnbGateway, AirbnbTokens
from domain.ports.connections import ConnectionRecord, ConnectionStore
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork

REFRESH_AHEAD = timedelta(hours=2)  # tokens last 24 h; renew well before they lapse
PAUSED_CODE = "channel_paused"
RESUME_TOPIC = "message.send"  # a resumed send travels like any other (the relay reads job_suffix)


MAPPING_NEEDED = "Choose which of the host's Airbnb listings belong to this property before messaging."


def _record(
    property_id: uuid.UUID, tokens: AirbnbTokens, now: datetime, previous: ConnectionRecord | None
) -> ConnectionRecord:
    settings = dict(previous.settings) if previous else {}
    settings.update(host_user_id=tokens.user_id, expires_at=tokens.expires_at.isoformat())
    mapped = bool(settings.get("listing_ids"))
    return ConnectionRecord(
        property_id=property_id,
        channel="airbnb",
        status="connected" if mapped else "needs_mapping",
        last_error=None if mapped else MAPPING_NEEDED,
        updated_at=now,
        external_id=tokens.user_id,
        settings=settings,
        secrets={"access_token": tokens.access_token, "refresh_token": tokens.refresh_token},
    )


async def complete_authorization(
    store: ConnectionStore, gateway: AirbnbGateway, property_id: uuid.UUID, code: str, now: datetime
) -> ConnectionRecord:
    try:
        tokens = await gateway.exchange(code)
    except ProviderFailure as failure:
        raise PolicyViolation("provider_rejected", failure.reason) from failure
    owner = await store.owner_of("airbnb", tokens.user_id)
    if owner is not None and owner != property_id:
        raise PolicyViolation("conflict", "This Airbnb account is already connected to another property.")
    record = _record(property_id, tokens, now, await store.get(property_id, "airbnb"))
    try:
        record.settings["listings_available"] = await gateway.listings(tokens.access_token)
    except ProviderFailure:
        record.settings.setdefault("listings_available", [])
    await store.save(record)
    return record


async def map_listings(
    store: ConnectionStore, property_id: uuid.UUID, listing_ids: list[str], now: datetime
) -> ConnectionRecord:
    """The product asks for the mapping before messaging: only then does the channel open."""
    record = await store.get(property_id, "airbnb")
    if record is None:
        raise PolicyViolation("channel_not_connected", "Connect Airbnb first.")
    available = {str(item["id"]) for item in record.settings.get("listings_available", [])}
    unknown = sorted(set(listing_ids) - available)
    if not listing_ids or unknown:
        raise InvalidInput(
            [
                FieldProblem(
                    "listing_ids",
                    "unknown_listing" if unknown else "required",
                    f"Unknown listing(s): {', '.join(unknown)}." if unknown else "Choose at least one listing.",
                )
            ]
        )
    record.settings["listing_ids"] = sorted(set(listing_ids))
    if record.status == "needs_mapping":
        record.status, record.last_error = "connected", None
    record.updated_at = now
    await store.save(record)
    return record


async def refresh_if_due(
    store: ConnectionStore, gateway: AirbnbGateway, record: ConnectionRecord, now: datetime
) -> str:
    """ "refreshed", "not_due", or "needs_reauthorization" (sends then wait, with the reason shown)."""
    expires = (
        datetime.fromisoformat(str(record.settings.get("expires_at"))) if record.settings.get("expires_at") else now
    )
    if record.status not in ("connected", "needs_mapping") or expires - now > REFRESH_AHEAD:
        return "not_due"
    try:
        tokens = await gateway.refresh(str(record.secrets.get("refresh_token", "")))
    except ProviderFailure as failure:
        record.status, record.last_error, record.updated_at = "needs_reauthorization", failure.reason, now
        await store.save(record)
        return "needs_reauthorization"
    await store.save(_record(record.property_id, tokens, now, record))
    return "refreshed"


def check_airbnb_content(text: str, reservation_status: str | None) -> None:
    """Before confirmation Airbnb rejects contact details and links: refuse first, listing what to remove."""
    if not applies(reservation_status):
        return
    parts = blocked_parts(text)
    if parts:
        listed = "; ".join(f"{p.kind.replace('_', ' ')}: {p.text}" for p in parts)
        raise PolicyViolation(
            "airbnb_content_blocked",
            f"Airbnb does not allow this before the reservation is confirmed — remove {listed}.",
        )


async def resume_paused(uow: UnitOfWork, property_id: uuid.UUID, channel: Channel, now: datetime) -> int:
    """After re-authorisation: every message that waited goes out, once (fresh queue job ids)."""
    waiting = await uow.messages.waiting_with(property_id, channel, PAUSED_CODE)
    for message in waiting:
        message.error_code = message.error_reason = None
        message.status_changed_at = now
        uow.outbox.add(
            OutboxEvent(
                property_id=property_id,
                topic=RESUME_TOPIC,
                created_at=now,
                payload={
                    "message_id": str(message.id),
                    "property_id": str(property_id),
                    "job_suffix": f"resume-{int(now.timestamp())}",
                },
            )
        )
        uow.announce(RealtimeEvent("message.status", property_id, message.conversation_id, message.id))
    return len(waiting)
