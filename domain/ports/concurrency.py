"""Per-property limits on work that waits on a provider, so one property's outage cannot take every worker."""

from __future__ import annotations

import uuid
from typing import Protocol


class DeliverySlots(Protocol):
    async def try_acquire(self, property_id: uuid.UUID, holder: str) -> bool:
        """Take one of the property's slots without waiting; False when all are in use."""
        ...

    async def release(self, property_id: uuid.UUID, holder: str) -> None:
        """Give the slot back (a holder that died loses it when its lease runs out)."""
        ...
