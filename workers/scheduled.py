"""Dispatching planned sends: the deferred job and the minute sweep share one claiming function."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.airbnb.http_gateway import HttpAirbnbGateway
from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.tables import planned_sends
from adapters.db.template_store import SqlaTemplateStore
from adapters.db.unit_of_work import SqlaUnitOfWork
from domain.clock import Clock
from domain.ports.airbnb import AirbnbReservation
from domain.services.scheduling import DispatchContext, dispatch
from domain.sharing import wa_me_link
from domain.templates.pricing import RateTable

log = logging.getLogger("workers.scheduled")


class ConnectionAirbnbThreadFinder:
    def __init__(self, store: SqlaConnectionStore, gateway: HttpAirbnbGateway) -> None:
        self._store, self._gateway = store, gateway

    async def find(self, property_id: uuid.UUID, confirmation_code: str) -> AirbnbReservation | None:
        record = await self._store.get(property_id, "airbnb")
        if record is None or record.status != "connected":
            return None
        return await self._gateway.reservation(str(record.secrets.get("access_token", "")), confirmation_code)


async def _context(
    sessions: async_sessionmaker[AsyncSession],
    box: FernetSecretBox,
    rates: RateTable,
    property_id: uuid.UUID,
    gateway: HttpAirbnbGateway | None = None,
) -> DispatchContext:
    airbnb = ConnectionAirbnbThreadFinder(SqlaConnectionStore(sessions, box), gateway) if gateway else None
    record = await SqlaConnectionStore(sessions, box).get(property_id, "whatsapp")
    number = record.settings.get("display_phone_number") if record else None
    return DispatchContext(SqlaTemplateStore(sessions), rates, wa_me_link(number) if number else None, airbnb)


async def dispatch_one(
    new_uow: Callable[[], SqlaUnitOfWork],
    sessions: async_sessionmaker[AsyncSession],
    box: FernetSecretBox,
    rates: RateTable,
    clock: Clock,
    property_id: uuid.UUID,
    planned_id: uuid.UUID,
    airbnb: HttpAirbnbGateway | None = None,
) -> str:
    ctx = await _context(sessions, box, rates, property_id, airbnb)
    async with new_uow() as uow:
        outcome = await dispatch(uow, property_id, planned_id, clock.now(), ctx)
        await uow.commit()
    return outcome


async def due_before(
    sessions: async_sessionmaker[AsyncSession], until: datetime, limit: int = 20_000
) -> list[tuple[uuid.UUID, uuid.UUID, datetime]]:
    """Planned sends due before `until` (through the partial index on due planned sends)."""
    async with sessions() as session:
        rows = await session.execute(
            select(planned_sends.c.property_id, planned_sends.c.id, planned_sends.c.due_at)
            .where(planned_sends.c.state == "planned", planned_sends.c.due_at < until)
            .order_by(planned_sends.c.due_at)
            .limit(limit)
        )
        return [(r.property_id, r.id, r.due_at) for r in rows]


async def due_now(
    sessions: async_sessionmaker[AsyncSession], clock: Clock, limit: int = 2000
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    async with sessions() as session:
        rows = await session.execute(
            select(planned_sends.c.property_id, planned_sends.c.id)
            .where(planned_sends.c.state == "planned", planned_sends.c.due_at <= clock.now())
            .order_by(planned_sends.c.due_at)
            .limit(limit)
        )
        return [(r.property_id, r.id) for r in rows]
