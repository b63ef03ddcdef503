"""Inbound RFC 5322 messages as the domain reads them: a guest's reply, or a delivery report (RFC 3464)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.message import EmailMessage, Message
from email.parser import HeaderParser

from domain.email.addresses import (
    address_of,
    addresses_in,
    display_name_of,
    is_bounce_sender,
    message_ids,
    references_newest_first,
)
from domain.email.html_text import html_to_text
from domain.email.inbound import EmailBounce, EmailReply

# where the address a message was delivered to may be: the MTA's envelope headers, then the visible ones
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To", "Cc")
_DIAGNOSTIC = re.compile(r"^.*\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b.*$|^.*\b5\d\d\s.*$", re.MULTILINE)


@dataclass(frozen=True)
class InboundEmail:
    reply: EmailReply | None = None
    bounce: EmailBounce | None = None
    routing_addresses: tuple[str, ...] = ()  # recipients; for a bounce also the original's Reply-To and From
    referenced_ids: tuple[str, ...] = ()  # messages of ours this one answers or reports on


def header(message: Message, name: str) -> str:
    """A header as text, '' when absent or beyond the parser (a malformed header never stops the rest)."""
    try:
        value = message.get(name)
    except (HeaderParseError, IndexError, ValueError):
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def text_of(part: Message) -> str:
    try:
        text = str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def key_of(raw: bytes) -> str | None:
    """The dedupe key of a raw message (its Message-ID, else its digest); None when it is not an e-mail."""
    headers = HeaderParser(policy=policy.compat32).parsestr(raw[:65536].decode("utf-8", errors="replace"), True)
    if not headers.get("From"):
        return None
    found = message_ids(headers.get("Message-ID"))
    if found and len(found[0]) <= 240:
        return found[0]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _message_id(message: Message, raw: bytes) -> str:
    found = message_ids(header(message, "Message-ID"))
    return found[0] if found else f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id.invalid>"


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = text_of(body)
    return html_to_text(text) if body.get_content_type() == "text/html" else text


def _attachments(message: EmailMessage) -> tuple[dict[str, object], ...]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        found.append({"filename": part.get_filename() or "", "content_type": part.get_content_type(), "size": size})
    return tuple(found)


def _auto_submitted(message: Message) -> bool:
    auto = header(message, "Auto-Submitted").lower()
    precedence = header(message, "Precedence").lower()
    return (auto not in ("", "no")) or bool(header(message, "X-Autoreply")) or precedence in ("auto_reply", "bulk")


def _original_headers(report: EmailMessage) -> Message | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind in ("message/rfc822", "message/global"):
            inner = part.get_payload()
            return inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else None
        if kind in ("text/rfc822-headers", "message/global-headers"):
            return HeaderParser(policy=policy.default).parsestr(text_of(part), headersonly=True)
    return None


def _status_blocks(report: EmailMessage) -> list[Message]:
    for part in report.walk():
        if part.get_content_type() in ("message/delivery-status", "message/global-delivery-status"):
            payload = part.get_payload()
            if isinstance(payload, list):
                return [block for block in payload if isinstance(block, Message)]
            text = text_of(part)
            return [HeaderParser(policy=policy.default).parsestr(b) for b in re.split(r"\n\s*\n", text) if b.strip()]
    return []


def _bounce(message: EmailMessage, routing: list[str]) -> tuple[EmailBounce | None, list[str]]:
    original = _original_headers(message)
    ids = message_ids(header(original, "Message-ID")) if original is not None else []
    if original is not None:
        routing += addresses_in(header(original, "Reply-To"), header(original, "From"))
    failed = [b for b in _status_blocks(message) if header(b, "Action").lower() == "failed"]
    if failed:
        block = failed[0]
        diagnostic = header(block, "Diagnostic-Code") or header(block, "Status")
        recipient = header(block, "Final-Recipient").partition(";")[2].strip() or None
        return EmailBounce(tuple(ids), diagnostic, header(block, "Status") or None, recipient), routing
    if _status_blocks(message):
        return None, routing  # "delayed", "delivered", "relayed": nothing failed yet
    found = _DIAGNOSTIC.search(_body_text(message))  # a bounce in prose, from an MTA without RFC 3464
    return EmailBounce(tuple(ids), found.group(0).strip() if found else "", None, None), routing


def parse_email(raw: bytes, received_at: datetime) -> InboundEmail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    sender = address_of(header(message, "From"))
    routing = addresses_in(*(header(message, name) for name in RECIPIENT_HEADERS))
    is_report = message.get_content_type() == "multipart/report" and (
        str(message.get_param("report-type", "")).lower() == "delivery-status"
    )
    if is_report or is_bounce_sender(sender):
        bounce, routing = _bounce(message, routing)
        ids = bounce.original_message_ids if bounce else ()
        return InboundEmail(bounce=bounce, routing_addresses=tuple(dict.fromkeys(routing)), referenced_ids=ids)
    references = references_newest_first(header(message, "In-Reply-To"), header(message, "References"))
    reply = EmailReply(
        message_id=_message_id(message, raw),
        sender=sender,
        sender_name=display_name_of(header(message, "From")),
        subject=header(message, "Subject"),
        text=_body_text(message),
        received_at=received_at,
        references=tuple(references),
        auto_submitted=_auto_submitted(message),
        attachments=_attachments(message),
    )
    return InboundEmail(reply=reply, routing_addresses=tuple(routing), referenced_ids=tuple(references))
