from __future__ import annotations

import uuid
from typing import Protocol

from domain.saved_replies.model import SavedReply


class SavedReplyStore(Protocol):
    async def get(self, property_id: uuid.UUID, reply_id: uuid.UUID) -> SavedReply | None: ...
    async def all_for(self, property_id: uuid.UUID) -> list[SavedReply]:
        """Ordered by shortcut, as the composer's picker lists them."""
        ...

    async def save(self, reply: SavedReply) -> None:
        """Insert or update; a shortcut taken meanwhile raises Conflict (the database has the last word)."""
        ...

    async def delete(self, reply: SavedReply) -> None: ...
