from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FetchedMedia:
    content_type: str
    data: bytes
    filename: str | None = None


class MediaFetcher(Protocol):
    async def fetch(
        self, property_id: uuid.UUID, channel: str, details: dict[str, object], position: int
    ) -> FetchedMedia:
        """Downloads one attachment of an inbound message with the connection's credentials; raises ProviderFailure."""
        ...
