"""Outgoing-webhook subscriptions, their deliveries and attempts; every read is scoped to the property."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.any_of import any_of
from adapters.db.tables import (
    outgoing_webhook_attempts,
    outgoing_webhook_deliveries,
    outgoing_webhook_events,
    outgoing_webhook_subscriptions,
)
from domain.model import new_id
from domain.outgoing_webhooks import DeliveryState
from domain.services.outgoing_webhooks import AttemptOutcome, envelope

subs = outgoing_webhook_subscriptions
deliveries = outgoing_webhook_deliveries
attempts = outgoing_webhook_attempts
PUBLIC_COLUMNS = (subs.c.id, subs.c.url, subs.c.description, subs.c.event_types, subs.c.active, subs.c.created_at)


async def create_subscription(
    session: AsyncSession,
    property_id: uuid.UUID,
    url: str,
    description: str,
    event_types: list[str],
    sealed_secret: bytes,
    now: datetime,
) -> dict[str, Any]:
    row = (
        await session.execute(
            insert(subs)
            .values(
                id=new_id(),
                property_id=property_id,
                url=url,
                description=description,
                event_types=event_types,
                secret=sealed_secret,
                active=True,
                created_at=now,
                updated_at=now,
            )
            .returning(*PUBLIC_COLUMNS)
        )
    ).mappings()
    return dict(row.one())


async def list_subscriptions(session: AsyncSession, property_id: uuid.UUID) -> list[dict[str, Any]]:
    stmt = select(*PUBLIC_COLUMNS).where(subs.c.property_id == property_id).order_by(subs.c.created_at)
    return [dict(r) for r in (await session.execute(stmt)).mappings()]


async def get_subscription(
    session: AsyncSession, property_id: uuid.UUID, subscription_id: uuid.UUID
) -> dict[str, Any] | None:
    stmt = select(*PUBLIC_COLUMNS).where(subs.c.property_id == property_id, subs.c.id == subscription_id)
    row = (await session.execute(stmt)).mappings().first()
    return dict(row) if row else None


async def update_subscription(
    session: AsyncSession, property_id: uuid.UUID, subscription_id: uuid.UUID, now: datetime, **values: Any
) -> dict[str, Any] | None:
    stmt = (
        update(subs)
        .where(subs.c.property_id == property_id, subs.c.id == subscription_id)
        .values(**values, updated_at=now)
        .returning(*PUBLIC_COLUMNS)
    )
    row = (await session.execute(stmt)).mappings().first()
    return dict(row) if row else None


async def delete_subscription(session: AsyncSession, property_id: uuid.UUID, subscription_id: uuid.UUID) -> bool:
    result = await session.execute(
        delete(subs).where(subs.c.property_id == property_id, subs.c.id == subscription_id).returning(subs.c.id)
    )
    return result.first() is not None


async def fan_out(session: AsyncSession, now: datetime, batch: int = 200) -> int:
    """Turns captured events into one pending delivery per matching active subscription, then drops them.

    Rows are claimed with SKIP LOCKED, so several workers share the work without doubling a delivery."""
    events = (
        (
            await session.execute(
                select(outgoing_webhook_events)
                .order_by(outgoing_webhook_events.c.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        )
        .mappings()
        .all()
    )
    if not events:
        return 0
    property_ids = {e["property_id"] for e in events}
    active = (
        await session.execute(
            select(subs.c.id, subs.c.property_id, subs.c.event_types).where(
                subs.c.property_id.in_(property_ids), subs.c.active.is_(True)
            )
        )
    ).all()
    rows = [
        {
            "id": new_id(),
            "property_id": e["property_id"],
            "subscription_id": s.id,
            "event_id": e["event_id"],
            "event_type": e["event_type"],
            "payload": envelope(e["event_id"], e["event_type"], e["property_id"], e["occurred_at"], e["payload"]),
            "state": DeliveryState.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for e in events
        for s in active
        if s.property_id == e["property_id"] and e["event_type"] in s.event_types
    ]
    if rows:
        await session.execute(insert(deliveries), rows)
    await session.execute(
        delete(outgoing_webhook_events).where(any_of(outgoing_webhook_events.c.id, [e["id"] for e in events]))
    )
    return len(rows)


async def due_deliveries(session: AsyncSession, now: datetime, limit: int = 100) -> list[tuple[uuid.UUID, datetime]]:
    stmt = (
        select(deliveries.c.id, deliveries.c.next_attempt_at)
        .where(deliveries.c.state == DeliveryState.PENDING.value, deliveries.c.next_attempt_at <= now)
        .order_by(deliveries.c.next_attempt_at)
        .limit(limit)
    )
    return [(r.id, r.next_attempt_at) for r in (await session.execute(stmt))]


@dataclass(frozen=True)
class ClaimedDelivery:
    id: uuid.UUID
    property_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    attempts: int  # including this one
    created_at: datetime
    url: str
    sealed_secret: bytes


async def claim(
    session: AsyncSession, delivery_id: uuid.UUID, now: datetime, lease: timedelta
) -> ClaimedDelivery | None:
    """Takes a due delivery for one attempt: its next time moves past the lease, so no one else takes it
    meanwhile, and a worker that dies mid-call leaves it to be retried once the lease is over."""
    row = (
        await session.execute(
            select(deliveries, subs.c.url, subs.c.secret, subs.c.active)
            .join(subs, subs.c.id == deliveries.c.subscription_id)
            .where(
                deliveries.c.id == delivery_id,
                deliveries.c.state == DeliveryState.PENDING.value,
                deliveries.c.next_attempt_at <= now,
            )
            .with_for_update(of=deliveries, skip_locked=True)
        )
    ).first()
    if row is None or not row.active:
        return None
    await session.execute(
        update(deliveries)
        .where(deliveries.c.id == delivery_id)
        .values(next_attempt_at=now + lease, attempts=deliveries.c.attempts + 1)
    )
    return ClaimedDelivery(
        row.id,
        row.property_id,
        row.event_id,
        row.event_type,
        row.payload,
        row.attempts + 1,
        row.created_at,
        row.url,
        row.secret,
    )


async def record_attempt(
    session: AsyncSession,
    claimed: ClaimedDelivery,
    attempted_at: datetime,
    status_code: int | None,
    latency_ms: int,
    error: str | None,
    outcome: AttemptOutcome,
) -> None:
    await session.execute(
        insert(attempts).values(
            delivery_id=claimed.id,
            property_id=claimed.property_id,
            attempted_at=attempted_at,
            status_code=status_code,
            latency_ms=latency_ms,
            error=(error or None) and error[:500],
        )
    )
    await session.execute(
        update(deliveries)
        .where(deliveries.c.id == claimed.id)
        .values(
            state=outcome.state.value,
            next_attempt_at=outcome.next_attempt_at,
            last_status_code=status_code,
            last_error=outcome.error,
            finished_at=None if outcome.state == DeliveryState.PENDING else attempted_at,
        )
    )


async def delivery_log(
    session: AsyncSession, property_id: uuid.UUID, subscription_id: uuid.UUID, limit: int = 50
) -> list[dict[str, Any]]:
    """One statement, so a delivery and its attempts are read from the same snapshot."""
    tries = (
        select(
            func.coalesce(
                func.jsonb_agg(
                    aggregate_order_by(
                        func.jsonb_build_object(
                            "attempted_at",
                            attempts.c.attempted_at,
                            "status_code",
                            attempts.c.status_code,
                            "latency_ms",
                            attempts.c.latency_ms,
                            "error",
                            attempts.c.error,
                        ),
                        attempts.c.id,
                    )
                ),
                text("'[]'::jsonb"),
            )
        )
        .where(attempts.c.delivery_id == deliveries.c.id)
        .scalar_subquery()
    )
    rows = (
        (
            await session.execute(
                select(deliveries, tries.label("attempt_log"))
                .where(deliveries.c.property_id == property_id, deliveries.c.subscription_id == subscription_id)
                .order_by(deliveries.c.created_at.desc(), deliveries.c.id.desc())
                .limit(limit)
            )
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


async def redeliver(
    session: AsyncSession, property_id: uuid.UUID, subscription_id: uuid.UUID, delivery_id: uuid.UUID, now: datetime
) -> uuid.UUID | None:
    """A fresh delivery of the same event (same event id: receivers dedupe on it), due now."""
    original = (
        (
            await session.execute(
                select(deliveries).where(
                    deliveries.c.property_id == property_id,
                    deliveries.c.subscription_id == subscription_id,
                    deliveries.c.id == delivery_id,
                )
            )
        )
        .mappings()
        .first()
    )
    if original is None:
        return None
    new = new_id()
    await session.execute(
        insert(deliveries).values(
            id=new,
            property_id=property_id,
            subscription_id=original["subscription_id"],
            event_id=original["event_id"],
            event_type=original["event_type"],
            payload=original["payload"],
            state=DeliveryState.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            redelivery_of=original["id"],
            created_at=now,
        )
    )
    return new
