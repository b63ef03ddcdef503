"""The outbox relay: moves committed outbox rows to the queue.

Rows are claimed with FOR UPDATE SKIP LOCKED, so several relays (one per worker process) share
the work without handing the same row twice; a row is marked relayed only in the transaction
that enqueued it, so a Redis outage leaves rows waiting instead of losing them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from redis.exceptions import ResponseError as RedisResponseError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.any_of import any_of
from adapters.db.tables import outbox_events
from adapters.db.webhook_store import PROCESS_TOPIC
from adapters.queue.arq_job_queue import ArqJobQueue
from domain.clock import Clock
from domain.services.inbound import MEDIA_TOPIC
from domain.services.messaging import SEND_TOPIC
from domain.services.scheduling import SCHEDULE_TOPIC

log = logging.getLogger("workers.relay")

# events per processing job: big enough to share one transaction, small enough to keep latency low
WEBHOOK_BATCH = 50
# messages per delivery job when one property has many sends waiting (see workers/delivery.py)
DELIVERY_BATCH = 100


async def relay_once(
    sessions: async_sessionmaker[AsyncSession], queue: ArqJobQueue, clock: Clock, batch: int = 200
) -> int:
    async with sessions() as session:
        rows = (
            await session.execute(
                select(outbox_events.c.id, outbox_events.c.topic, outbox_events.c.payload)
                .where(outbox_events.c.relayed_at.is_(None))
                .order_by(outbox_events.c.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not rows:
            return 0
        # stored webhooks go to the workers in batches: one job and one transaction for many events
        webhook_ids = [int(r.payload["event_id"]) for r in rows if r.topic == PROCESS_TOPIC]
        for start in range(0, len(webhook_ids), WEBHOOK_BATCH):
            await queue.enqueue_webhooks(webhook_ids[start : start + WEBHOOK_BATCH])
        # so do sends: a property's burst (a minute of scheduled sends) travels in jobs of many messages
        batched = await _hand_over_sends(queue, [r for r in rows if r.topic == SEND_TOPIC])
        for row in rows:
            if row.topic == PROCESS_TOPIC or row.id in batched:
                continue
            try:
                await _hand_over(queue, row.topic, row.payload, clock.now())
            except RedisResponseError:
                # Redis refused this one job (not an outage): it must not hold back every row behind it;
                # the sweeps re-queue messages and planned sends from their own tables
                log.error(
                    "outbox row refused by the queue", extra={"outbox_id": row.id, "topic": row.topic}, exc_info=True
                )
        await session.execute(
            update(outbox_events).where(any_of(outbox_events.c.id, [r.id for r in rows])).values(relayed_at=clock.now())
        )
        await session.commit()
        return len(rows)


async def _hand_over_sends(queue: ArqJobQueue, rows: list[Any]) -> set[int]:
    """Sends of one property relayed together go as jobs of up to DELIVERY_BATCH messages; a lone send and a
    re-queued one (with its own job suffix) keep a job of their own. Returns the rows handed over here."""
    by_property: dict[str, list[Any]] = {}
    for row in rows:
        if not row.payload.get("job_suffix"):
            by_property.setdefault(row.payload["property_id"], []).append(row)
    handed: set[int] = set()
    for property_id, sends in by_property.items():
        if len(sends) < 2:
            continue
        for start in range(0, len(sends), DELIVERY_BATCH):
            chunk = sends[start : start + DELIVERY_BATCH]
            try:
                await queue.enqueue_deliveries(property_id, [r.payload["message_id"] for r in chunk])
            except RedisResponseError:
                log.error("outbox rows refused by the queue", extra={"outbox_id": chunk[0].id}, exc_info=True)
            handed.update(r.id for r in chunk)
    return handed


async def _hand_over(queue: ArqJobQueue, topic: str, payload: dict[str, Any], now: datetime) -> None:
    if topic == SEND_TOPIC:
        await queue.enqueue_delivery(
            payload["property_id"], payload["message_id"], attempt=0, suffix=payload.get("job_suffix", "")
        )
    elif topic == MEDIA_TOPIC:
        await queue.enqueue_media(payload["property_id"], payload["message_id"])
    elif topic == SCHEDULE_TOPIC:
        await queue.enqueue_due(datetime.fromisoformat(payload["due_at"]), now)
    else:
        log.warning("outbox topic without a handler", extra={"topic": topic})


async def relay_forever(
    sessions: async_sessionmaker[AsyncSession], queue: ArqJobQueue, clock: Clock, poll_seconds: float
) -> None:
    failures = 0
    while True:
        try:
            moved = await relay_once(sessions, queue, clock)
            failures = 0
            if moved:
                continue  # drain a backlog without sleeping
        except asyncio.CancelledError:
            raise
        except Exception:
            failures += 1
            log.warning("outbox relay failed; rows stay pending", exc_info=failures == 1)
        await asyncio.sleep(poll_seconds if failures == 0 else min(5.0, poll_seconds * 2**failures))
