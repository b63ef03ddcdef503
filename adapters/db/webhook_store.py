"""Raw provider callbacks: stored once (deduplicated) with an outbox row, processed later by a worker."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, LargeBinary, Text, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.any_of import any_of
from adapters.db.tables import channel_connections, webhook_events

PROCESS_TOPIC = "webhook.process"
log = logging.getLogger(__name__)

# Several events and their outbox rows in one statement, in the order given (a burst's callbacks, stored together:
# see EventWriter). A key given twice, or already stored, inserts nothing the second time.
STORE_MANY_WITH_OUTBOX_ROWS = text(
    """
WITH incoming AS (
    SELECT * FROM unnest(:providers, :dedupe_keys, :property_ids, :bodies, :headers, :received)
        WITH ORDINALITY AS i(provider, dedupe_key, property_id, body, headers, received_at, n)
),
stored AS (
    INSERT INTO webhook_events (provider, dedupe_key, property_id, body, headers, received_at)
    SELECT provider, dedupe_key, property_id, body, CAST(headers AS jsonb), received_at FROM incoming ORDER BY n
    ON CONFLICT (provider, dedupe_key) DO NOTHING
    RETURNING id, provider, dedupe_key, property_id, received_at
),
announced AS (
    INSERT INTO outbox_events (property_id, topic, payload, created_at)
    SELECT property_id, :topic, jsonb_build_object('event_id', id), received_at FROM stored ORDER BY id
)
SELECT id, provider, dedupe_key FROM stored
"""
).bindparams(
    bindparam("providers", type_=ARRAY(Text())),
    bindparam("dedupe_keys", type_=ARRAY(Text())),
    bindparam("property_ids", type_=ARRAY(UUID(as_uuid=True))),
    bindparam("bodies", type_=ARRAY(LargeBinary())),
    bindparam("headers", type_=ARRAY(Text())),
    bindparam("received", type_=ARRAY(DateTime(timezone=True))),
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
            channel_connections.c.channel == channel, any_of(channel_connections.c.external_id, ids)
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
    return (await store_events(sessions, [IncomingEvent(provider, body, headers, property_id, now, key)]))[0]


@dataclass(frozen=True)
class IncomingEvent:
    provider: str
    body: bytes
    headers: dict[str, str]
    property_id: uuid.UUID | None
    received_at: datetime
    key: str | None = None


async def store_events(sessions: async_sessionmaker[AsyncSession], events: Sequence[IncomingEvent]) -> list[int | None]:
    """Each event's id, or None when it was already stored (before, or earlier in `events`): one statement."""
    keys = [event.key or dedupe_key(event.body) for event in events]
    params = {
        "providers": [event.provider for event in events],
        "dedupe_keys": keys,
        "property_ids": [event.property_id for event in events],
        "bodies": [event.body for event in events],
        "headers": [json.dumps(event.headers) for event in events],
        "received": [event.received_at for event in events],
        "topic": PROCESS_TOPIC,
    }
    async with sessions() as session:
        # one statement is atomic on its own: run without BEGIN and COMMIT, which were two of its three
        # round trips (a fifth of the API's CPU while a burst's status callbacks came in)
        connection = await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        rows = (await connection.execute(STORE_MANY_WITH_OUTBOX_ROWS, params)).all()
    new = {(row.provider, row.dedupe_key): int(row.id) for row in rows}
    # the first of a repeated key is the one stored; later ones in the batch are redeliveries
    return [new.pop((event.provider, key), None) for event, key in zip(events, keys, strict=True)]


class EventWriter:
    """Stores provider callbacks as they come, those that arrive together in one statement.

    While one write is running, the callbacks arriving meanwhile wait and then go in the next write, all at
    once: a burst's status callbacks cost a statement (and a commit) per few instead of one each, and a lone
    callback is written at once, with no added wait. Each caller still gets its own answer only once its
    event is committed, so a provider is never told "stored" for an event that was not. If a joint write
    fails, its events are written one by one: one bad event never refuses the others."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], most: int = 200) -> None:
        self._sessions = sessions
        self._most = most
        self._waiting: list[tuple[IncomingEvent, asyncio.Future[int | None]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def store(
        self,
        provider: str,
        body: bytes,
        headers: dict[str, str],
        property_id: uuid.UUID | None,
        now: datetime,
        key: str | None = None,
    ) -> int | None:
        """The event's id, or None when the same event was already stored (a redelivery)."""
        answer: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._waiting.append((IncomingEvent(provider, body, headers, property_id, now, key), answer))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.create_task(self._write_waiting())
        return await answer

    async def _write_waiting(self) -> None:
        batch: list[tuple[IncomingEvent, asyncio.Future[int | None]]] = []
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[: self._most], self._waiting[self._most :]
                await self._write(batch)
        except BaseException:
            # the writer itself stopped (cancelled at shutdown): no caller may wait forever for an answer
            for _, answer in batch + self._waiting:
                answer.cancel()
            self._waiting = []
            raise

    async def _write(self, batch: list[tuple[IncomingEvent, asyncio.Future[int | None]]]) -> None:
        try:
            ids = await store_events(self._sessions, [event for event, _ in batch])
        except Exception as failure:
            if len(batch) == 1:
                _answer(batch[0][1], failure=failure)
                return
            log.warning("events stored together failed; storing them one by one", exc_info=True)
            for event, answer in batch:
                try:
                    _answer(answer, (await store_events(self._sessions, [event]))[0])
                except Exception as alone:
                    _answer(answer, failure=alone)
            return
        for (_, answer), event_id in zip(batch, ids, strict=True):
            _answer(answer, event_id)


def _answer(answer: asyncio.Future[int | None], event_id: int | None = None, failure: Exception | None = None) -> None:
    if answer.done():
        return  # its request went away (the caller disconnected): the event is stored all the same
    if failure is not None:
        answer.set_exception(failure)
    else:
        answer.set_result(event_id)


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
        .where(any_of(webhook_events.c.id, event_ids), webhook_events.c.processed_at.is_(None))
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
