"""The consent register in PostgreSQL: entries only ever inserted, read per guest."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import guest_consents
from domain.consent import GuestConsent


class SqlaConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entry: GuestConsent) -> None:
        self.session.add(entry)

    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[GuestConsent]:
        stmt = (
            select(GuestConsent)
            .where(guest_consents.c.property_id == property_id, guest_consents.c.guest_id == guest_id)
            .order_by(guest_consents.c.recorded_at, guest_consents.c.id)
        )
        return list((await self.session.execute(stmt)).scalars())
