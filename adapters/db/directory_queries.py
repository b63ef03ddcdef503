"""Guest and booking look-ups for staff and integrators: keyset pages and search."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import literal, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db import cursor as cursors
from adapters.db.tables import bookings, guests


def _guest_search(q: str) -> Any:
    term = f"%{q.strip()}%"
    digits = "".join(ch for ch in q if ch.isdigit())
    clauses = [(guests.c.first_name + " " + guests.c.last_name).ilike(term), guests.c.email.ilike(term)]
    if len(digits) >= 4:
        clauses.append(guests.c.phone.like(f"%{digits}%"))
    return or_(*clauses)


async def _page(
    session: AsyncSession, stmt: Any, table: Any, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    if cursor:
        at, last_id = cursors.decode(cursor)
        stmt = stmt.where(tuple_(table.c.created_at, table.c.id) < tuple_(literal(at), literal(last_id)))
    stmt = stmt.order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit + 1)
    rows = [dict(r) for r in (await session.execute(stmt)).mappings()]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursors.encode(rows[-1]["created_at"], rows[-1]["id"])
    return rows, next_cursor


async def list_guests(
    session: AsyncSession, property_id: uuid.UUID, q: str | None, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    stmt = select(guests).where(guests.c.property_id == property_id)
    if q:
        stmt = stmt.where(_guest_search(q))
    return await _page(session, stmt, guests, cursor, limit)


async def get_guest(session: AsyncSession, property_id: uuid.UUID, guest_id: uuid.UUID) -> dict[str, Any] | None:
    row = (
        (await session.execute(select(guests).where(guests.c.property_id == property_id, guests.c.id == guest_id)))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _booking_columns() -> list[Any]:
    return [bookings] + [c.label(f"g_{c.name}") for c in guests.c]


async def list_bookings(
    session: AsyncSession,
    property_id: uuid.UUID,
    q: str | None,
    cursor: str | None,
    limit: int,
    guest_id: uuid.UUID | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    stmt = (
        select(*_booking_columns())
        .join(guests, guests.c.id == bookings.c.guest_id)
        .where(bookings.c.property_id == property_id)
    )
    if guest_id is not None:
        stmt = stmt.where(bookings.c.guest_id == guest_id)
    if q:
        term = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(_guest_search(q), bookings.c.external_ref.ilike(term), bookings.c.confirmation_code.ilike(term))
        )
    return await _page(session, stmt, bookings, cursor, limit)


async def get_booking(session: AsyncSession, property_id: uuid.UUID, external_ref: str) -> dict[str, Any] | None:
    stmt = (
        select(*_booking_columns())
        .join(guests, guests.c.id == bookings.c.guest_id)
        .where(bookings.c.property_id == property_id, bookings.c.external_ref == external_ref)
    )
    row = (await session.execute(stmt)).mappings().first()
    return dict(row) if row else None
