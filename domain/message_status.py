"""How an outbound message's status may move.

Providers redeliver and reorder callbacks (a late "delivered" after "read", "sent" after
"delivered"); a message must never move backwards, so every update goes through `advance`.
"""

from __future__ import annotations

from enum import StrEnum


class MessageStatus(StrEnum):
    RECEIVED = "received"  # inbound messages, and staff notes
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


_RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.READ: 4,
}

# A failure we recorded ourselves because the outcome was unknown; the provider's own word wins.
OUTCOME_UNKNOWN_CODE = "send_interrupted"


def advance(current: MessageStatus, proposed: MessageStatus, current_error_code: str | None = None) -> bool:
    """True when moving from `current` to `proposed` is a real step forward."""
    if current == proposed or current == MessageStatus.RECEIVED:
        return False
    if current == MessageStatus.FAILED:
        # Only a provider confirming delivery of a send we thought lost may undo a failure.
        return current_error_code == OUTCOME_UNKNOWN_CODE and proposed in (
            MessageStatus.SENT,
            MessageStatus.DELIVERED,
            MessageStatus.READ,
        )
    if proposed == MessageStatus.FAILED:
        # A failure after delivery is noise from a reordered callback.
        return _RANK[current] < _RANK[MessageStatus.DELIVERED]
    if proposed in _RANK:
        return _RANK[proposed] > _RANK[current]
    return False
