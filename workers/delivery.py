"""Delivery jobs: one message, or a batch of one property's messages (what a burst of sends becomes).

At most a few delivery jobs run at once per property (slots shared by every worker, in Redis): a job that
finds its property's slots all taken (its provider hangs, say) is put back for later instead of holding
one of the worker's jobs, so one property's outage never delays another property's sends.

In a burst one batch job takes the property's slots and drains its waiting sends; when it gives the slots
back it looks once more and hands whatever still waits to one new job. So the burst's other batch jobs,
which find the slots taken, need not come back every few seconds only to find them still taken (1,127 of a
10,000-send burst's 1,170 job runs did just that): each comes back once, after a slot's lease, and mostly
finds its messages already sent.
"""

from __future__ import annotations

import logging
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from adapters.concurrency.redis_slots import RedisDeliverySlots
from adapters.db.any_of import any_of
from adapters.db.repositories import (
    SqlaBookingRepository,
    SqlaConversationRepository,
    SqlaGuestRepository,
    SqlaMessageRepository,
)
from adapters.db.tables import messages
from adapters.db.unit_of_work import SqlaUnitOfWork
from adapters.queue.arq_job_queue import deliver_job_id
from domain.channels import Channel
from domain.message_status import MessageStatus
from domain.ports.unit_of_work import UnitOfWork
from domain.services.delivery import DeliveryOutcome, deliver, deliver_many
from workers.relay import DELIVERY_BATCH

log = logging.getLogger("workers.delivery")
# how long one delivery job goes on with its property's waiting sends (taken DELIVERY_BATCH at a time) before
# handing the rest to a new job: its slots are never renewed, so its last round (a provider call may take 20 s:
# 5 s connect, 15 s read) must end within their lease (30 s); handing on costs one job per 10 s of a burst
DRAIN_SECONDS = 10.0
# a batch job's slots are held under names starting with this (a single send holds its slot under its id)
BATCH_HOLDER = "batch:"


def _slots(ctx: dict[str, Any]) -> RedisDeliverySlots:
    if "delivery_slots" not in ctx:
        ctx["delivery_slots"] = RedisDeliverySlots(
            ctx["redis"],
            per_property=ctx["settings"].delivery_slots_per_property,
            singles=ctx["settings"].delivery_single_slots_per_property,
        )
    return cast(RedisDeliverySlots, ctx["delivery_slots"])


def _wait_for_slot(ctx: dict[str, Any], longest: float = 2.0) -> tuple[float, str]:
    """How long to wait before trying again, and the suffix of the job that will: the job id counts the
    waits so far (…:slot3-ab12cd34); waits grow to at most `longest` (2 s for a single send), which keeps a
    healthy property's burst quick and costs a long outage about one cheap job per waiting job every 1.5 s;
    jittered, so waiting jobs never come back in one herd."""
    found = re.search(r":slot(\d+)-", str(ctx.get("job_id", "")))
    waits = int(found.group(1)) if found else 0
    wait = min(longest, 0.25 * 2**waits) * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
    return wait, f"slot{waits + 1}-{uuid.uuid4().hex[:8]}"


async def deliver_message(ctx: dict[str, Any], property_id: str, message_id: str) -> str:
    """Idempotent: a repeated job finds the message already handled and does nothing.

    A send's first job, as the relay queues it, goes the batch way (`deliver_messages` with this one message):
    alone it is sent at once all the same, and in a burst (the relay hands over alone whatever one of its
    passes found alone: 502 of 10,000 sends in a quick run of bench.scheduler) it drains the property's other
    waiting sends, or finds a drainer and comes back once; as single sends they held the slots one by one and
    came back every 2 s (708 job runs). Retries, sends re-queued with a reason and split batches stay single."""
    if ctx.get("job_id") == deliver_job_id(message_id, 0):
        counts = await deliver_messages(ctx, property_id, [message_id])
        return next(iter(counts)) if sum(counts.values()) == 1 else f"drained {sum(counts.values())}"
    slots = _slots(ctx)
    if not await slots.try_acquire(uuid.UUID(property_id), message_id):
        if await _drainer_will_send(ctx, slots, uuid.UUID(property_id), uuid.UUID(message_id)):
            wait, suffix = _wait_for_drainer(slots)
        else:
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

    In a burst the job then goes on with the property's other waiting sends (up to `DRAIN_SECONDS`), and hands
    what is still waiting after it gives the slots back to one new job (see `_hand_on`); the burst's other
    jobs find their messages handled, or come back once, late (see `_wait_for_slots`).
    If a batch fails (not a provider refusal: those are outcomes), each of its messages gets a job of its
    own; a message the batch had already handed over stays `sending` and is never sent twice."""
    prop, slots = uuid.UUID(property_id), _slots(ctx)
    counts: Counter[str] = Counter()
    batch = await still_waiting(ctx["sessions"], prop, [uuid.UUID(m) for m in message_ids])
    if len(batch) < len(message_ids):
        counts["handled_elsewhere"] = len(message_ids) - len(batch)  # by a job that drained them meanwhile
    if not batch:
        return dict(counts)
    # a holder name of its own (two jobs can start from the same first message: a continuation, a late batch)
    holder = f"{BATCH_HOLDER}{batch[0]}:{len(batch)}:{uuid.uuid4().hex[:8]}"
    held = await slots.acquire_up_to(prop, holder, ctx["settings"].delivery_concurrency)
    if not held:
        await _wait_for_slots(ctx, slots, prop, batch)
        counts["waiting_for_slot"] = len(batch)
        return dict(counts)
    try:
        drained = await _drain(ctx, prop, batch, len(held), counts)
    finally:
        await slots.release_all(prop, held)
    if drained:
        await _hand_on(ctx, prop, counts)
    return dict(counts)


async def _drain(
    ctx: dict[str, Any], property_id: uuid.UUID, batch: list[uuid.UUID], concurrency: int, counts: Counter[str]
) -> bool:
    """Delivers the batch, then the property's other waiting sends as the window has room for them (fetched
    DELIVERY_BATCH at a time), until none is left or DRAIN_SECONDS have passed; counts the outcomes. False when
    the batch failed and was split."""
    until = time.monotonic() + DRAIN_SECONDS
    taken = list(batch)

    async def more() -> list[uuid.UUID]:
        if time.monotonic() > until:
            return []
        fetched = await waiting_sends(ctx["sessions"], property_id, DELIVERY_BATCH)
        taken.extend(fetched)
        return fetched

    try:
        outcomes = await deliver_many(
            lambda: SqlaUnitOfWork(ctx["sessions"], ctx["publisher"]),
            ctx["gateway"],
            property_id,
            batch,
            ctx["clock"],
            ctx["policy"],
            concurrency=concurrency,
            look_ahead=look_ahead,
            sending_lease=_sending_lease(ctx),
            more=more,
        )
    except Exception:
        log.warning("delivery batch failed; its messages are delivered one by one", exc_info=True)
        # those it had handed over are `sending` or settled: their single jobs find nothing to do
        split = list(dict.fromkeys(taken))
        for message_id in split:
            await ctx["queue"].enqueue_delivery(str(property_id), str(message_id), 0, suffix="alone")
        counts["split"] += len(split)
        return False
    for delivered, outcome in outcomes.items():
        await _retry_later(ctx, str(property_id), str(delivered), outcome)
        counts[str(outcome.status)] += 1
    return True


async def _hand_on(ctx: dict[str, Any], property_id: uuid.UUID, counts: Counter[str]) -> None:
    """Once its slots are given back, a job that drained looks at the property's waiting sends once more:
    those still waiting (its DRAIN_SECONDS ran out, or they came in after its last look) go to ONE new job,
    due at once. Looking after the release closes the gap with a batch that found the slots taken before it:
    that batch's messages were committed before its job was even queued, so this look sees them, and the
    batch itself can wait long (`_wait_for_slots`). Not after a failed batch: its messages have jobs of
    their own, the others their batches' jobs, and a failure must not hand itself on from job to job."""
    waiting = await waiting_sends(ctx["sessions"], property_id, DELIVERY_BATCH)
    if waiting:
        suffix = f"cont-{uuid.uuid4().hex[:8]}"
        await ctx["queue"].enqueue_deliveries(str(property_id), [str(m) for m in waiting], suffix=suffix)
        counts["handed_on"] = len(waiting)


async def _wait_for_slots(
    ctx: dict[str, Any], slots: RedisDeliverySlots, property_id: uuid.UUID, batch: list[uuid.UUID]
) -> None:
    """Puts a batch that found its property's slots all taken back in the queue, for later.

    Held by a batch job (a drainer, named BATCH_HOLDER…): that job either sends these messages itself or
    hands them to a new job when it gives the slots back (`_hand_on`), so this job only needs to come back
    once, after a slot's lease: by then even a drainer that was killed has lost its slots, and the job
    finds its messages handled (one query) or takes over. Held by single sends only (each its own job, a
    hanging provider say): nobody drains, so the batch tries again soon, with the single sends' growing waits
    (up to 8 s: the property's slots free up one call at a time).
    The holders are read from the slots themselves rather than from a "drainer" key of its own: the slots'
    leases already say who holds what and until when, and a second key could disagree with them. Single
    sends do not look for waiting sends after their release instead: that would be a query per message for
    a case that only costs a batch a few short waits."""
    if await _drainer_holds(slots, property_id):
        wait, suffix = _wait_for_drainer(slots)
    else:
        wait, suffix = _wait_for_slot(ctx, longest=8.0)
    await ctx["queue"].enqueue_deliveries(str(property_id), [str(m) for m in batch], defer_seconds=wait, suffix=suffix)


async def _drainer_holds(slots: RedisDeliverySlots, property_id: uuid.UUID) -> bool:
    return any(holder.startswith(BATCH_HOLDER) for holder in await slots.holders(property_id))


async def _drainer_will_send(
    ctx: dict[str, Any], slots: RedisDeliverySlots, property_id: uuid.UUID, message_id: uuid.UUID
) -> bool:
    """A single send (a job that came back after waiting, or one the sweep re-queued) that finds the slots
    taken by a draining batch job, and still waits for its first attempt: that job sends it or hands it on
    when it lets go (`_hand_on`), so this job need only come back after the lease, like a waiting batch.
    A retry (its own time) or a held send is not drained: it keeps the short waits."""
    if not await _drainer_holds(slots, property_id):
        return False
    return bool(await still_waiting(ctx["sessions"], property_id, [message_id]))


def _wait_for_drainer(slots: RedisDeliverySlots) -> tuple[float, str]:
    """A slot's lease and a few seconds, jittered so the burst's waiting batches do not come back in one herd."""
    return slots.lease_seconds + random.uniform(2.0, 8.0), f"lease-{uuid.uuid4().hex[:8]}"  # noqa: S311 - jitter


def _waiting(property_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
    """A send waiting for its first attempt; one waiting for a retry, a re-authorisation or a spending cap has
    its own time and reason (and its own job)."""
    return (
        messages.c.status == "queued",
        messages.c.next_attempt_at.is_(None),
        messages.c.property_id == property_id,
        messages.c.error_code.is_(None),
    )


async def waiting_sends(
    sessions: async_sessionmaker[AsyncSession], property_id: uuid.UUID, limit: int
) -> list[uuid.UUID]:
    """The property's sends waiting for their first attempt, oldest first (through the pending-messages index)."""
    async with sessions() as session:
        rows = await session.execute(
            select(messages.c.id).where(*_waiting(property_id)).order_by(messages.c.id).limit(limit)
        )
        return list(rows.scalars())


async def still_waiting(
    sessions: async_sessionmaker[AsyncSession], property_id: uuid.UUID, message_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Those of these messages still waiting for their first attempt, in their order: the others were taken
    by another job (a drainer), which sees to their outcome and retries, or the sweep if it died."""
    async with sessions() as session:
        rows = await session.execute(
            select(messages.c.id).where(*_waiting(property_id), any_of(messages.c.id, message_ids))
        )
        found = set(rows.scalars())
    return [m for m in message_ids if m in found]


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
