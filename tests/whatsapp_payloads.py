"""Meta webhook payloads in the shapes of PROVIDERS.md (pywa fixtures and Meta's reference)."""

from __future__ import annotations

from typing import Any

PHONE_NUMBER_ID = "106540352242922"


def envelope(*values: dict[str, Any], field: str = "messages", waba_id: str = "WABA1") -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, "changes": [{"field": field, "value": v} for v in values]}],
    }


def _value(phone_number_id: str = PHONE_NUMBER_ID) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id},
    }


def inbound(
    msg: dict[str, Any], wa_id: str = "33612345678", name: str = "Sheena Nelson", phone_number_id: str = PHONE_NUMBER_ID
) -> dict[str, Any]:
    return {
        **_value(phone_number_id),
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "timestamp": "1749416383", **msg}],
    }


def text(wamid: str, body: str, **kw: Any) -> dict[str, Any]:
    return inbound({"id": wamid, "type": "text", "text": {"body": body}}, **kw)


def status(
    wamid: str,
    state: str,
    timestamp: int = 1749416400,
    tracker: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    pricing: dict[str, Any] | None = None,
    phone_number_id: str = PHONE_NUMBER_ID,
) -> dict[str, Any]:
    item: dict[str, Any] = {"id": wamid, "status": state, "timestamp": str(timestamp), "recipient_id": "33612345678"}
    if tracker:
        item["biz_opaque_callback_data"] = tracker
    if errors:
        item["errors"] = errors
    if pricing:
        item["pricing"] = pricing
    return {**_value(phone_number_id), "statuses": [item]}


RE_ENGAGEMENT_ERROR = [
    {
        "code": 131047,
        "title": "Re-engagement message",
        "message": "Re-engagement message",
        "error_data": {
            "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
        },
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }
]

PMP_UTILITY = {"billable": True, "pricing_model": "PMP", "category": "utility", "type": "regular"}
