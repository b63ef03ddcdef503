"""Raw provider callbacks: stored once (deduplicated) with an outbox row, processed later by a worker."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, LargeBinary, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.tables import channel_connections, webhook_events

PROCESS_TOPIC = "webhook.process"

# The event and its outbox row in one statement, built once: one round trip, never one row without the
# other, and no statement to construct per request (the busiest write of the product).
STORE_WITH_OUTBOX_ROW = text(
    """
WITH stored AS (
    INSERT INTO webhook_events (provider, dedupe_key, property_id, body, headers, received_at)
    VALUES (:provider, :dedupe_key, :property_id, :body, :headers, :now)
    ON CONFLICT (provider, dedupe_key) DO NOTHING
    RETURNING id
)
INSERT INTO outbox_events (property_id, topic, payload, created_at)
SELECT :property_id, :topic, jsonb_build_object('event_id', stored.id), :now FROM stored
RETURNING (payload ->> 'event_id')::bigint
"""
).bindparams(
    bindparam("property_id", type_=UUID(as_uuid=True)),
    bindparam("body", type_=LargeBinary()),
    bindparam("headers", type_=JSONB()),
    bindparam("now", type_=DateTime(timezone=True)),
)
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
    params = {
        "provider": provider,
        "dedupe_key": key or dedupe_key(body),
        "property_id": property_id,
        "body": body,
        "headers": headers,
        "now": now,
        "topic": PROCESS_TOPIC,
    }
    async with sessions() as session:
        # one statement is atomic on its own: run without BEGIN and COMMIT, which were two of its three
        # round trips (a fifth of the API's CPU while a burst's status callbacks came in)
        connection = await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        event_id = await connection.scalar(STORE_WITH_OUTBOX_ROW, params)
    return None if event_id is None else int(event_id)


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
