"""Twilio's form-encoded callbacks turned into the domain's inbound messages and status updates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from adapters.twilio.errors import reason_for
from domain.channels import Channel, MessageKind
from domain.services.inbound import InboundMessage
from domain.services.status_updates import StatusUpdate


def _media(form: dict[str, str]) -> list[dict[str, str]]:
    try:
        count = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        count = 0
    return [
        {"url": form.get(f"MediaUrl{i}", ""), "content_type": form.get(f"MediaContentType{i}", "")}
        for i in range(min(count, 10))
    ]


def inbound(form: dict[str, str], at: datetime) -> InboundMessage:
    media = _media(form)
    body = form.get("Body", "")
    details: dict[str, object] = {"to": form.get("To"), "from_country": form.get("FromCountry")}
    if media:
        details["media"] = media
    return InboundMessage(
        channel=Channel.SMS,
        provider_message_id=form.get("MessageSid") or form.get("SmsMessageSid") or "",
        received_at=at,
        body=body or ("[MMS]" if media else ""),
        kind=MessageKind.MEDIA if media else MessageKind.TEXT,
        phone=form.get("From"),
        details=details,
    )


def status(form: dict[str, str], at: datetime) -> StatusUpdate:
    word = form.get("MessageStatus") or form.get("SmsStatus") or ""
    code_text = form.get("ErrorCode")
    code = int(code_text) if code_text and code_text.isdigit() else None
    price = None
    if form.get("Price"):
        try:
            price = abs(Decimal(form["Price"]))
        except InvalidOperation:
            price = None
    return StatusUpdate(
        channel=Channel.SMS,
        provider_message_id=form.get("MessageSid") or form.get("SmsSid") or "",
        status=word,
        at=at,
        error_code=f"twilio_{code}" if code else None,
        error_reason=reason_for(code, f"The carrier reported error {code}.")[1] if code else None,
        cost_amount=price,
        cost_currency=form.get("PriceUnit") if price is not None else None,
    )
