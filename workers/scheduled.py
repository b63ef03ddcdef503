"""Dispatching planned sends: the deferred job and the minute sweep share one claiming function."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.airbnb.http_gateway import HttpAirbnbGateway
from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.repositories import (
    SqlaBookingRepository,
    SqlaConnectionDirectory,
    SqlaConversationRepository,
    SqlaGuestRepository,
    SqlaPlannedSendRepository,
    SqlaScheduledRuleRepository,
)
from adapters.db.tables import planned_sends
from adapters.db.template_store import SqlaTemplateStore
from adapters.db.unit_of_work import SqlaUnitOfWork
from domain.clock import Clock
from domain.ports.airbnb import AirbnbReservation
from domain.ports.templates import TemplateStore
from domain.scheduling.model import PlannedSend
from domain.services.scheduling import DispatchContext, dispatch
from domain.sharing import wa_me_link
from domain.templates.model import WhatsAppTemplate
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


class BatchFailed(Exception):
    """A batch of sends rolled back; `claimed` are the sends it held, to dispatch one by one."""

    def __init__(self, claimed: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
        super().__init__(f"{len(claimed)} scheduled sends to dispatch one by one")
        self.claimed = claimed


class _RememberingTemplates:
    """A batch reads each rule's template once (the store opens a session per read)."""

    def __init__(self, store: TemplateStore) -> None:
        self._store = store
        self._seen: dict[tuple[uuid.UUID, uuid.UUID], WhatsAppTemplate | None] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def get(self, property_id: uuid.UUID, template_id: uuid.UUID) -> WhatsAppTemplate | None:
        key = (property_id, template_id)
        if key not in self._seen:
            self._seen[key] = await self._store.get(property_id, template_id)
        return self._seen[key]


async def dispatch_due(
    new_uow: Callable[[], SqlaUnitOfWork],
    sessions: async_sessionmaker[AsyncSession],
    box: FernetSecretBox,
    rates: RateTable,
    clock: Clock,
    airbnb: HttpAirbnbGateway | None = None,
    batch: int = 50,
) -> Counter[str]:
    """Claims up to `batch` due sends that no other worker holds and dispatches them in one transaction.

    The same `dispatch` as a single send (so the same claim, checks and reasons), with what a batch shares
    read once: each property's context, connected channels and templates. All or nothing: if one send
    fails, the batch rolls back and the caller dispatches its sends one by one.
    """
    outcomes: Counter[str] = Counter()
    contexts: dict[uuid.UUID, DispatchContext] = {}
    claimed: list[tuple[uuid.UUID, uuid.UUID]] = []
    async with new_uow() as uow:
        planned = await cast(SqlaPlannedSendRepository, uow.planned).claim_due(clock.now(), batch)
        claimed = [(p.property_id, p.id) for p in planned]
        await _look_ahead(uow, planned)
        try:
            for property_id, planned_id in claimed:
                if property_id not in contexts:
                    found = await _context(sessions, box, rates, property_id, airbnb)
                    contexts[property_id] = replace(found, templates=_RememberingTemplates(found.templates))
                outcomes[await dispatch(uow, property_id, planned_id, clock.now(), contexts[property_id])] += 1
            await uow.commit()
        except Exception as exc:
            raise BatchFailed(claimed) from exc
    outcomes["claimed"] = len(claimed)
    return outcomes


async def _look_ahead(uow: SqlaUnitOfWork, planned: list[PlannedSend]) -> None:
    """What a batch of sends reads, in a few statements instead of a handful per send: their rules,
    bookings, guests, conversations (locked, as one send would lock its own) and, for guests without a
    conversation yet, their bookings (to link the new one). The dispatch use case then finds them."""
    cast(SqlaConnectionDirectory, uow.connections).remember_answers()
    if not planned:
        return
    await cast(SqlaScheduledRuleRepository, uow.rules).prefetch_ids(p.rule_id for p in planned)
    stays = await cast(SqlaBookingRepository, uow.bookings).prefetch_ids(p.booking_id for p in planned)
    guests = await cast(SqlaGuestRepository, uow.guests).prefetch_ids(b.guest_id for b in stays)
    by_property: dict[uuid.UUID, set[uuid.UUID]] = {}
    for guest in guests:
        by_property.setdefault(guest.property_id, set()).add(guest.id)
    conversations = cast(SqlaConversationRepository, uow.conversations)
    for property_id, guest_ids in by_property.items():
        await conversations.prefetch_for_guests(property_id, guest_ids)
        first_contact = [g for g in guest_ids if await conversations.for_guest(property_id, g, lock=True) is None]
        await cast(SqlaBookingRepository, uow.bookings).prefetch_for_guests(property_id, first_contact)


async def count_due(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    async with sessions() as session:
        stmt = select(func.count()).where(planned_sends.c.state == "planned", planned_sends.c.due_at <= clock.now())
        return int(await session.scalar(stmt) or 0)


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
