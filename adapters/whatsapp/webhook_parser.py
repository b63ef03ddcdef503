"""Turns Meta's webhook payloads into the domain's inbound messages and status updates.

Unknown message types are kept (as "unsupported") rather than dropped; unknown fields are ignored,
since Meta adds fields without notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.whatsapp.errors import reason_for
from domain.channels import Channel, MessageKind
from domain.services.inbound import InboundMessage
from domain.services.status_updates import StatusUpdate

MEDIA_TYPES = {"image", "document", "audio", "video", "sticker"}


@dataclass
class ParsedChange:
    phone_number_id: str | None
    waba_id: str | None = None
    inbound: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    template_events: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _at(timestamp: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(timestamp), UTC)
    except (TypeError, ValueError):
        return datetime.now(UTC)


def _phone(wa_id: str) -> str:
    return wa_id if wa_id.startswith("+") else "+" + wa_id


def _content(msg: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(kind, body shown in the thread, details kept for rendering and media fetching)."""
    kind = str(msg.get("type", "unknown"))
    details: dict[str, Any] = {"type": kind}
    if "context" in msg and isinstance(msg["context"], dict):
        details["reply_to"] = msg["context"].get("id")
    if kind == "text":
        return MessageKind.TEXT, str(msg.get("text", {}).get("body", "")), details
    if kind in MEDIA_TYPES:
        media = msg.get(kind) or {}
        details.update(media_id=media.get("id"), mime_type=media.get("mime_type"), filename=media.get("filename"))
        return MessageKind.MEDIA, str(media.get("caption") or f"[{kind}]"), details
    if kind == "location":
        loc = msg.get("location") or {}
        details.update(latitude=loc.get("latitude"), longitude=loc.get("longitude"))
        label = ", ".join(str(loc[k]) for k in ("name", "address") if loc.get(k))
        return MessageKind.TEXT, f"📍 {label or 'Location'} ({loc.get('latitude')}, {loc.get('longitude')})", details
    if kind == "contacts":
        names = [c.get("name", {}).get("formatted_name", "") for c in msg.get("contacts", [])]
        details["contacts"] = msg.get("contacts", [])
        return MessageKind.TEXT, "👤 " + ", ".join(n for n in names if n), details
    if kind == "interactive":
        reply = msg.get("interactive") or {}
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        details.update(reply_id=chosen.get("id"))
        return MessageKind.TEXT, str(chosen.get("title", "")), details
    if kind == "button":  # a quick-reply button of a template
        button = msg.get("button") or {}
        details.update(payload=button.get("payload"))
        return MessageKind.TEXT, str(button.get("text", "")), details
    if kind == "reaction":
        reaction = msg.get("reaction") or {}
        details.update(reacted_to=reaction.get("message_id"), emoji=reaction.get("emoji"))
        return MessageKind.TEXT, f"Reacted {reaction.get('emoji') or '(removed)'}", details
    details["unsupported"] = True
    return MessageKind.TEXT, f"Unsupported message type: {kind}", details


def _status(raw: dict[str, Any]) -> StatusUpdate:
    errors = raw.get("errors") or []
    code = reason = None
    if errors:
        first = errors[0]
        number = int(first.get("code", -1))
        details = (first.get("error_data") or {}).get("details") or first.get("message") or ""
        known_reason = reason_for(number, details or "WhatsApp could not deliver the message.")[1]
        code, reason = f"whatsapp_{number}", known_reason
    pricing = raw.get("pricing") or {}
    return StatusUpdate(
        channel=Channel.WHATSAPP,
        provider_message_id=str(raw.get("id", "")),
        our_message_id=raw.get("biz_opaque_callback_data"),
        status=str(raw.get("status", "")),
        at=_at(raw.get("timestamp")),
        error_code=code,
        error_reason=reason,
        pricing_category=pricing.get("category"),
        billable=pricing.get("billable"),
    )


def parse(payload: dict[str, Any]) -> list[ParsedChange]:
    changes: list[ParsedChange] = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            parsed = ParsedChange(
                phone_number_id=(value.get("metadata") or {}).get("phone_number_id"), waba_id=str(entry.get("id") or "")
            )
            if change.get("field") == "message_template_status_update":
                parsed.template_events.append(value)
            profiles = {c.get("wa_id"): (c.get("profile") or {}).get("name") for c in value.get("contacts") or []}
            for msg in value.get("messages") or []:
                kind, body, details = _content(msg)
                sender = str(msg.get("from", ""))
                parsed.inbound.append(
                    InboundMessage(
                        channel=Channel.WHATSAPP,
                        provider_message_id=str(msg.get("id", "")),
                        received_at=_at(msg.get("timestamp")),
                        body=body,
                        kind=kind,
                        phone=_phone(sender),
                        profile_name=profiles.get(sender),
                        details=details,
                    )
                )
            parsed.statuses += [_status(s) for s in value.get("statuses") or []]
            parsed.errors += list(value.get("errors") or [])
            changes.append(parsed)
    return changes


def phone_number_ids(payload: dict[str, Any]) -> set[str]:
    return {c.phone_number_id for c in parse(payload) if c.phone_number_id}
