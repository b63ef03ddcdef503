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

    async def acquire_up_to(self, property_id: uuid.UUID, holder: str, wanted: int) -> list[str]:
        """Take as many of the property's free slots as are free, up to `wanted`, without waiting; returns
        the holders that got one (`holder#0`, `holder#1`, …), to release each."""
        ...

    async def release_all(self, property_id: uuid.UUID, holders: list[str]) -> None:
        """Give back several slots at once."""
        ...
