from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.services.labels import Label


class LabelStore(Protocol):
    async def get(self, property_id: uuid.UUID, label_id: uuid.UUID) -> Label | None: ...
    async def all_for(self, property_id: uuid.UUID) -> list[Label]:
        """The catalogue, ordered by name."""
        ...

    async def save(self, label: Label) -> None:
        """Insert or update; a name taken meanwhile is refused as a field problem."""
        ...

    async def delete(self, label: Label) -> None:
        """Removes it from every conversation too."""
        ...

    async def for_conversation(self, property_id: uuid.UUID, conversation_id: uuid.UUID) -> list[Label]: ...
    async def attach(self, label: Label, conversation_id: uuid.UUID, now: datetime) -> None:
        """Idempotent: adding a label twice keeps one."""
        ...

    async def detach(self, label: Label, conversation_id: uuid.UUID) -> None: ...
