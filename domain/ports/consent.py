"""Storage port of the consent register (entries are only ever added)."""

from __future__ import annotations

import uuid
from typing import Protocol

from domain.consent import GuestConsent


class ConsentRepository(Protocol):
    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[GuestConsent]:
        """Every entry of the guest, oldest first."""
        ...

    def add(self, entry: GuestConsent) -> None: ...
