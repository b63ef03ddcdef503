"""Storage port of the monthly spending caps, used at send time inside the delivery's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class SpendingCap:
    property_id: uuid.UUID
    channel: str
    monthly_cap: Decimal
    currency: str


class SpendingLedger(Protocol):
    async def cap_for(self, property_id: uuid.UUID, channel: str) -> SpendingCap | None: ...

    async def reserve(
        self, property_id: uuid.UUID, channel: str, month: str, amount: Decimal, cap: Decimal | None
    ) -> bool:
        """Adds `amount` to the month's spend if it stays within `cap` (None: no limit), atomically:
        concurrent sends queue on the month's row, so together they can never pass the cap.
        False (and nothing added) when it would."""
        ...
