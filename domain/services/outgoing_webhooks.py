"""Outgoing webhooks: the event envelope integrators receive, and what one delivery attempt leads to."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.outgoing_webhooks import DeliveryState, next_attempt_at, succeeded

MAX_ERROR = 500


def envelope(
    event_id: uuid.UUID, event_type: str, property_id: uuid.UUID, occurred_at: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    """The JSON body of every delivery: one shape for all events, `data` varies by `type`."""
    return {
        "id": str(event_id),
        "type": event_type,
        "created_at": occurred_at.isoformat(),
        "property_id": str(property_id),
        "data": data,
    }


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed (compact, keys sorted: the same event always reads the same)."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


@dataclass(frozen=True)
class AttemptOutcome:
    state: DeliveryState
    next_attempt_at: datetime | None
    error: str | None


def after_attempt(
    first_created_at: datetime, attempts_so_far: int, status_code: int | None, error: str | None, now: datetime
) -> AttemptOutcome:
    """`attempts_so_far` counts this attempt. A 2xx ends it; anything else retries with backoff for 24 h."""
    if succeeded(status_code):
        return AttemptOutcome(DeliveryState.SUCCEEDED, None, None)
    reason = (error or f"The receiver answered HTTP {status_code}.")[:MAX_ERROR]
    retry_at = next_attempt_at(first_created_at, attempts_so_far, now)
    if retry_at is None:
        return AttemptOutcome(DeliveryState.FAILED, None, f"Gave up after 24 hours: {reason}"[:MAX_ERROR])
    return AttemptOutcome(DeliveryState.PENDING, retry_at, reason)
