"""Raw provider callbacks: stored once (deduplicated) with an outbox row, processed later by a worker."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.tables import channel_connections, outbox_events, webhook_events

PROCESS_TOPIC = "webhook.process"
KEPT_HEADERS = ("content-type", "user-agent", "x-hub-signature-256", "x-twilio-signature", "i-twilio-idempotency-token")


def dedupe_key(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def kept_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers if k.lower() in KEPT_HEADERS}


async def connections_by_external_id(
    session: AsyncSession, channel: str, external_ids: Iterable[str]
) -> list[dict[str, Any]]:
    ids = [i for i in set(external_ids) if i]
    if not ids:
        return []
    rows = await session.execute(
        select(channel_connections).where(
            channel_connections.c.channel == channel, channel_connections.c.external_id.in_(ids)
        )
    )
    return [dict(r) for r in rows.mappings()]


async def store_event(
    sessions: async_sessionmaker[AsyncSession],
    provider: str,
    body: bytes,
    headers: dict[str, str],
    property_id: uuid.UUID | None,
    now: datetime,
    key: str | None = None,
) -> int | None:
    """The event's id, or None when the same event was already stored (a redelivery)."""
    stored = (
        pg_insert(webhook_events)
        .values(
            provider=provider,
            dedupe_key=key or dedupe_key(body),
            property_id=property_id,
            body=body,
            headers=headers,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["provider", "dedupe_key"])
        .returning(webhook_events.c.id)
        .cte("stored")
    )
    # the event and its outbox row in one statement: one round trip, and never one without the other
    outbox_row = (
        insert(outbox_events)
        .from_select(
            ["property_id", "topic", "payload", "created_at"],
            select(
                literal(property_id, UUID(as_uuid=True)),
                literal(PROCESS_TOPIC),
                func.jsonb_build_object("event_id", stored.c.id),
                literal(now, DateTime(timezone=True)),
            ),
        )
        .returning(outbox_events.c.payload)
    )
    async with sessions() as session:
        payload = await session.scalar(outbox_row)
        await session.commit()
    return None if payload is None else int(payload["event_id"])


async def load_event(session: AsyncSession, event_id: int) -> dict[str, Any] | None:
    row = (await session.execute(select(webhook_events).where(webhook_events.c.id == event_id))).mappings().first()
    return dict(row) if row else None


async def claim_events(session: AsyncSession, event_ids: list[int], now: datetime) -> list[dict[str, Any]]:
    """Marks the unprocessed ones among `event_ids` processed and returns them in id order.

    One statement instead of a load and a mark per event; the row locks it takes make a second job for
    the same events wait, then find them processed. Done inside the transaction that applies them, so a
    failure un-claims them with everything else.
    """
    rows = await session.execute(
        update(webhook_events)
        .where(webhook_events.c.id.in_(event_ids), webhook_events.c.processed_at.is_(None))
        .values(processed_at=now)
        .returning(webhook_events.c.id, webhook_events.c.provider, webhook_events.c.body, webhook_events.c.property_id)
    )
    return sorted((dict(r) for r in rows.mappings()), key=lambda r: int(r["id"]))


async def mark_processed(session: AsyncSession, event_id: int, now: datetime, error: str | None = None) -> None:
    await session.execute(
        update(webhook_events).where(webhook_events.c.id == event_id).values(processed_at=now, error=error)
    )


async def record_error(sessions: async_sessionmaker[AsyncSession], event_id: int, error: str) -> None:
    """Processing failed for good: kept unprocessed, with why, for a person to look at."""
    async with sessions() as session:
        await session.execute(update(webhook_events).where(webhook_events.c.id == event_id).values(error=error[:2000]))
        await session.commit()
