from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Dismissal:
    """An item of the needs-attention queue that staff handled; it leaves the queue for good."""

    property_id: uuid.UUID
    kind: str
    item_id: uuid.UUID
    resolution: str  # "resent" | "dismissed"
    at: datetime
    user_id: uuid.UUID | None = None
    resolved_message_id: uuid.UUID | None = None


class AttentionLog(Protocol):
    """Written in the unit of work's transaction, so a re-send and its dismissal commit together."""

    async def record(self, dismissal: Dismissal) -> None: ...


class AttentionSettingsStore(Protocol):
    async def reply_after_minutes(self, property_id: uuid.UUID) -> int | None:
        """None when the property kept the default."""
        ...

    async def set_reply_after_minutes(self, property_id: uuid.UUID, minutes: int, now: datetime) -> None: ...
