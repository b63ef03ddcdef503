from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class RealtimeEvent:
    """What the inbox hears live: a type, the property it belongs to, and ids to refetch."""

    type: str  # message.created | message.status | conversation.updated
    property_id: uuid.UUID
    conversation_id: uuid.UUID
    message_id: uuid.UUID | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"type": self.type, "conversation_id": str(self.conversation_id)}
        if self.message_id is not None:
            payload["message_id"] = str(self.message_id)
        payload.update(self.extra)
        return payload


class EventPublisher(Protocol):
    async def publish(self, event: RealtimeEvent) -> None:
        """Deliver to every API process; best effort (the inbox refetches on reconnect)."""
        ...

    async def publish_many(self, events: list[RealtimeEvent]) -> None:
        """The events of one commit, in order, in one round trip."""
        ...
