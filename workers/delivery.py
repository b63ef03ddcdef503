"""Delivery jobs: one message, or a batch of one property's messages (what a burst of sends becomes).

At most a few delivery jobs run at once per property (slots shared by every worker, in Redis): a job that
finds its property's slots all taken (its provider hangs, say) is put back for later instead of holding
one of the worker's jobs, so one property's outage never delays another property's sends.
"""

from __future__ import annotations

import logging
import random
import re
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.concurrency.redis_slots import RedisDeliverySlots
from adapters.db.repositories import (
    SqlaBookingRepository,
    SqlaConversationRepository,
    SqlaGuestRepository,
    SqlaMessageRepository,
)
from adapters.db.tables import messages
from adapters.db.unit_of_work import SqlaUnitOfWork
from domain.channels import Channel
from domain.message_status import MessageStatus
from domain.ports.concurrency import DeliverySlots
from domain.ports.unit_of_work import UnitOfWork
from domain.services.delivery import DeliveryOutcome, deliver, deliver_many
from workers.relay import DELIVERY_BATCH

log = logging.getLogger("workers.delivery")
# how long one delivery job goes on with its property's waiting sends (taken DELIVERY_BATCH at a time)
DRAIN_SECONDS = 30.0


def _slots(ctx: dict[str, Any]) -> DeliverySlots:
    if "delivery_slots" not in ctx:
        ctx["delivery_slots"] = RedisDeliverySlots(
            ctx["redis"], per_property=ctx["settings"].delivery_slots_per_property
        )
    return cast(DeliverySlots, ctx["delivery_slots"])


def _wait_for_slot(ctx: dict[str, Any], longest: float = 2.0) -> tuple[float, str]:
    """How long to wait before trying again, and the suffix of the job that will: the job id counts the
    waits so far (…:slot3-ab12cd34); waits grow to at most 2 s, which keeps a healthy property's burst quick
    and costs a long outage about one cheap job per waiting job every 1.5 s; jittered, so waiting jobs never
    come back in one herd."""
    found = re.search(r":slot(\d+)-", str(ctx.get("job_id", "")))
    waits = int(found.group(1)) if found else 0
    wait = min(longest, 0.25 * 2**waits) * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
    return wait, f"slot{waits + 1}-{uuid.uuid4().hex[:8]}"


async def deliver_message(ctx: dict[str, Any], property_id: str, message_id: str) -> str:
    """Idempotent: a repeated job finds the message already handled and does nothing."""
    slots = _slots(ctx)
    if not await slots.try_acquire(uuid.UUID(property_id), message_id):
        wait, suffix = _wait_for_slot(ctx)
        await ctx["queue"].enqueue_delivery(property_id, message_id, 0, defer_seconds=wait, suffix=suffix)
        return "waiting_for_slot"
    try:
        outcome = await deliver(
            lambda: SqlaUnitOfWork(ctx["sessions"], ctx["publisher"]),
            ctx["gateway"],
            uuid.UUID(property_id),
            uuid.UUID(message_id),
            ctx["clock"],
            ctx["policy"],
            sending_lease=_sending_lease(ctx),
        )
    finally:
        await slots.release(uuid.UUID(property_id), message_id)
    await _retry_later(ctx, property_id, message_id, outcome)
    return str(outcome.status)


async def deliver_messages(ctx: dict[str, Any], property_id: str, message_ids: list[str]) -> dict[str, int]:
    """One property's queued messages in one job, with as many provider calls in flight as the property has
    free slots (up to `DELIVERY_CONCURRENCY`), claimed and recorded several at a time while the others are
    in flight (domain/services/delivery.py): a property never has more calls in flight, nor more messages
    `sending`, than its slots, whether its messages travel alone or in batches.

    In a burst the job then goes on with the property's other waiting sends (up to `DRAIN_SECONDS`), so the
    slots it holds stay busy while the burst's other jobs wait; those find their messages handled.
    If a batch fails (not a provider refusal: those are outcomes), each of its messages gets a job of its
    own; a message the batch had already handed over stays `sending` and is never sent twice."""
    slots = _slots(ctx)
    held = await slots.acquire_up_to(
        uuid.UUID(property_id), f"batch:{message_ids[0]}:{len(message_ids)}", ctx["settings"].delivery_concurrency
    )
    if not held:
        # the job holding the slots goes on with this batch's messages too (a burst): waiting longer costs
        # nothing then, and saves the queue a job every second or two per waiting batch
        wait, suffix = _wait_for_slot(ctx, longest=8.0)
        await ctx["queue"].enqueue_deliveries(property_id, message_ids, defer_seconds=wait, suffix=suffix)
        return {"waiting_for_slot": len(message_ids)}
    counts: dict[str, int] = {}
    batch = [uuid.UUID(m) for m in message_ids]
    until = time.monotonic() + DRAIN_SECONDS
    try:
        while batch:
            try:
                outcomes = await deliver_many(
                    lambda: SqlaUnitOfWork(ctx["sessions"], ctx["publisher"]),
                    ctx["gateway"],
                    uuid.UUID(property_id),
                    batch,
                    ctx["clock"],
                    ctx["policy"],
                    concurrency=len(held),
                    look_ahead=look_ahead,
                    sending_lease=_sending_lease(ctx),
                )
            except Exception:
                log.warning("delivery batch failed; its messages are delivered one by one", exc_info=True)
                for message_id in batch:
                    await ctx["queue"].enqueue_delivery(property_id, str(message_id), 0, suffix="alone")
                counts["split"] = counts.get("split", 0) + len(batch)
                break
            for delivered, outcome in outcomes.items():
                await _retry_later(ctx, property_id, str(delivered), outcome)
                counts[str(outcome.status)] = counts.get(str(outcome.status), 0) + 1
            if time.monotonic() > until:
                break
            batch = await waiting_sends(ctx["sessions"], uuid.UUID(property_id), DELIVERY_BATCH)
    finally:
        await slots.release_all(uuid.UUID(property_id), held)
    return counts


async def waiting_sends(
    sessions: async_sessionmaker[AsyncSession], property_id: uuid.UUID, limit: int
) -> list[uuid.UUID]:
    """The property's sends waiting for their first attempt, oldest first (through the pending-messages
    index); a send waiting for a retry, a re-authorisation or a spending cap has its own time and reason."""
    async with sessions() as session:
        rows = await session.execute(
            select(messages.c.id)
            .where(
                messages.c.status == "queued",
                messages.c.next_attempt_at.is_(None),
                messages.c.property_id == property_id,
                messages.c.error_code.is_(None),
            )
            .order_by(messages.c.id)
            .limit(limit)
        )
        return list(rows.scalars())


def _sending_lease(ctx: dict[str, Any]) -> timedelta:
    """A message `sending` for less than this is in another job's hands (the sweep uses the same threshold)."""
    return timedelta(seconds=ctx["settings"].stuck_sending_seconds)


async def _retry_later(ctx: dict[str, Any], property_id: str, message_id: str, outcome: DeliveryOutcome) -> None:
    if outcome.retry_in_seconds is not None:
        await ctx["queue"].enqueue_delivery(
            property_id, message_id, outcome.attempt, defer_seconds=outcome.retry_in_seconds
        )


async def look_ahead(uow: UnitOfWork, property_id: uuid.UUID, message_ids: Sequence[uuid.UUID]) -> None:
    """What claiming or recording a batch reads, in a few statements instead of a few per message: the
    messages (locked) and, for those to claim, their conversations, guests and, for Airbnb, bookings."""
    sqla = cast(SqlaUnitOfWork, uow)
    found = await cast(SqlaMessageRepository, sqla.messages).prefetch_ids(property_id, message_ids)
    if not any(m.status == MessageStatus.QUEUED for m in found):
        return  # recording outcomes: only the messages are read (a refusal's opt-out reads its guest alone)
    conversations = await cast(SqlaConversationRepository, sqla.conversations).prefetch_ids(
        property_id, {m.conversation_id for m in found if m.status == MessageStatus.QUEUED}
    )
    await cast(SqlaGuestRepository, sqla.guests).prefetch_ids(c.guest_id for c in conversations)
    airbnb = {m.conversation_id for m in found if m.channel == Channel.AIRBNB}
    stays = [c.booking_id for c in conversations if c.id in airbnb and c.booking_id]
    if stays:
        await cast(SqlaBookingRepository, sqla.bookings).prefetch_ids(stays)
    await sqla.properties.get(property_id)
