"""Outgoing webhooks for integrators: which events exist, how a delivery is signed, when it is retried.

Signature (Stripe-style, so integrators' existing helpers fit): the header
`X-GMC-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
A receiver recomputes the HMAC over the timestamp and the raw body, compares in constant time, and refuses
a timestamp older than `SIGNATURE_TOLERANCE_SECONDS` (5 minutes): a captured request cannot be replayed
later. Within the tolerance a receiver dedupes on `X-GMC-Event-Id` (the same for every retry and redelivery
of an event). Each attempt is signed afresh with its own timestamp, so retries hours later still verify.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from domain.errors import FieldProblem, InvalidInput

SIGNATURE_HEADER = "X-GMC-Signature"
EVENT_ID_HEADER = "X-GMC-Event-Id"
EVENT_TYPE_HEADER = "X-GMC-Event"
DELIVERY_ID_HEADER = "X-GMC-Delivery"
SIGNATURE_TOLERANCE_SECONDS = 300
RETRY_WINDOW = timedelta(hours=24)
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
SECRET_PREFIX = "whsec_"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class EventType(StrEnum):
    MESSAGE_RECEIVED = "message.received"
    MESSAGE_STATUS = "message.status"
    CONVERSATION_ASSIGNED = "conversation.assigned"
    SCHEDULED_SEND_DONE = "scheduled_send.done"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for one attempt."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = SIGNATURE_TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the right secret, this exact body, and a fresh timestamp."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts.get("t", [""])[0])
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", []))


def retry_delay(failed_attempts: int) -> int:
    """Seconds before the next try after `failed_attempts` failures: 30 s, 1 min, 2 min, … capped at 1 h."""
    return int(min(FIRST_RETRY_SECONDS * 2 ** max(failed_attempts - 1, 0), MAX_RETRY_SECONDS))


def next_attempt_at(first_attempt_at: datetime, failed_attempts: int, now: datetime) -> datetime | None:
    """When to try again, or None once the 24-hour window is spent (the delivery is then failed)."""
    at = now + timedelta(seconds=retry_delay(failed_attempts))
    return at if at <= first_attempt_at + RETRY_WINDOW else None


def succeeded(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


def validate_subscription(url: str, event_types: list[str], *, allow_local_http: bool) -> None:
    problems: list[FieldProblem] = []
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    local = host in _LOCAL_HOSTS
    if parts.scheme not in ("https", "http") or not host:
        problems.append(FieldProblem("url", "invalid_url", "Give a full https:// URL."))
    elif parts.scheme == "http" and not (local and allow_local_http):
        problems.append(FieldProblem("url", "https_required", "Webhook URLs must use https."))
    elif not allow_local_http and (local or _private_ip(host)):
        problems.append(FieldProblem("url", "private_address", "The URL must be reachable on the public internet."))
    if parts.username or parts.password:
        problems.append(FieldProblem("url", "credentials_in_url", "Do not put credentials in the URL."))
    known = {e.value for e in EventType}
    if not event_types:
        problems.append(FieldProblem("event_types", "required", "Choose at least one event."))
    elif any(e not in known for e in event_types):
        problems.append(FieldProblem("event_types", "unknown_event", f"Events are among {', '.join(sorted(known))}."))
    if problems:
        raise InvalidInput(problems, "The webhook subscription has problems.")


def _private_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
