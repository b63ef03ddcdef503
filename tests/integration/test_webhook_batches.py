"""Stored webhooks are processed in batches (one job, one transaction): the outcome must be exactly
that of processing them one by one, and one bad event must not hold back the others."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from adapters.db import webhook_store
from adapters.db.tables import conversations, guests, messages, outbox_events, webhook_events
from adapters.queue.arq_job_queue import ArqJobQueue
from domain.channels import Channel
from tests import whatsapp_payloads as wa
from tests.factories import connect_channel, make_booking, make_property
from tests.integration.conftest import run_worker_burst
from tests.integration.test_whatsapp_webhooks import post
from workers.relay import WEBHOOK_BATCH, relay_once


async def _rows(container, stmt):
    async with container.sessions() as session:
        return list((await session.execute(stmt)).mappings())


async def _count(container, table, *where) -> int:
    async with container.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table).where(*where)) or 0


async def test_a_batch_files_every_message_once_in_order_with_one_guest_and_conversation_each(
    client, container, settings, worker_ctx, arq_pool
):
    prop = await make_property(container)
    await connect_channel(container, prop, Channel.WHATSAPP)
    await make_booking(container, prop, ref="PMS-1", phone="+33612345678")  # a known guest
    deliveries = [
        wa.envelope(wa.text("wamid.k1", "known 1")),
        wa.envelope(wa.text("wamid.n1", "new 1", wa_id="16505550001", name="Ann Lee")),
        wa.envelope(wa.text("wamid.n2", "new 2", wa_id="16505550001", name="Ann Lee")),  # same new guest
        wa.envelope(wa.text("wamid.k2", "known 2")),
        # the same message again in other bytes (a new dedupe key): filed once
        json.loads(json.dumps(wa.envelope(wa.text("wamid.k1", "known 1")), separators=(",", ":"))),
        wa.envelope(wa.text("wamid.x1", "to a number nobody connected", phone_number_id="999")),
        wa.envelope(wa.text("wamid.n3", "other new", wa_id="16505550002", name="Bo Kim")),
    ]
    for payload in deliveries:
        body = json.dumps(payload, separators=(",", ":") if payload is deliveries[4] else None).encode()
        assert (await post(client, None, raw=body)).status_code == 200
    stored = await _count(container, webhook_events)
    assert stored == 6  # the unknown number is acknowledged and dropped at the door

    queue = ArqJobQueue(arq_pool)
    assert await relay_once(container.sessions, queue, container.clock) == stored
    assert len(await arq_pool.queued_jobs()) == 1  # one job for the whole batch
    await run_worker_burst(settings, worker_ctx)

    assert await _count(container, webhook_events, webhook_events.c.processed_at.is_(None)) == 0
    filed = await _rows(container, select(messages.c.provider_message_id, messages.c.body, messages.c.conversation_id))
    assert sorted(m["provider_message_id"] for m in filed) == [
        "wamid.k1",
        "wamid.k2",
        "wamid.n1",
        "wamid.n2",
        "wamid.n3",
    ]
    assert await _count(container, guests) == 3
    convs = {c["guest_id"]: c for c in await _rows(container, select(conversations))}
    assert len(convs) == 3
    ann = (await _rows(container, select(guests).where(guests.c.phone == "+16505550001")))[0]
    assert convs[ann["id"]]["inbound_count"] == 2
    known = (await _rows(container, select(guests).where(guests.c.phone == "+33612345678")))[0]
    assert convs[known["id"]]["inbound_count"] == 2 and convs[known["id"]]["booking_id"] is not None


async def test_relay_splits_a_large_backlog_into_bounded_batches(client, container, arq_pool):
    prop = await make_property(container)
    await connect_channel(container, prop, Channel.WHATSAPP)
    for i in range(WEBHOOK_BATCH + 5):
        await post(client, wa.envelope(wa.text(f"wamid.b{i}", f"m{i}", wa_id=str(16505560000 + i))))
    assert await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock) == WEBHOOK_BATCH + 5
    sizes = sorted(len(job.args[0]) if isinstance(job.args[0], list) else 1 for job in await arq_pool.queued_jobs())
    assert sizes == [5, WEBHOOK_BATCH]


async def test_one_bad_event_is_retried_alone_and_the_rest_of_its_batch_is_filed(
    client, container, settings, worker_ctx, arq_pool
):
    prop = await make_property(container)
    await connect_channel(container, prop, Channel.WHATSAPP)
    await post(client, wa.envelope(wa.text("wamid.g1", "good 1")))
    # a stored event our processor cannot read (a callback shape we do not know): it raises
    broken = await webhook_store.store_event(
        container.sessions, "twilio", b'{"kind": "inbound"}', {}, prop.id, container.clock.now()
    )
    await post(client, wa.envelope(wa.text("wamid.g2", "good 2", wa_id="16505550009")))
    assert await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock) == 3
    await run_worker_burst(settings, worker_ctx)

    assert sorted(r["provider_message_id"] for r in await _rows(container, select(messages))) == [
        "wamid.g1",
        "wamid.g2",
    ]
    pending = await _rows(container, select(webhook_events.c.id).where(webhook_events.c.processed_at.is_(None)))
    assert [r["id"] for r in pending] == [broken]  # kept for a look, never silently marked done
    assert await _count(container, outbox_events, outbox_events.c.relayed_at.is_(None)) == 0


async def test_a_lost_processing_job_is_replaced_by_the_sweep_and_a_broken_event_waits_with_its_error(
    client, container, settings, worker_ctx, arq_pool
):
    from datetime import timedelta

    from workers.main import sweep

    prop = await make_property(container)
    await connect_channel(container, prop, Channel.WHATSAPP)
    await post(client, wa.envelope(wa.text("wamid.lost", "is anyone there?")))
    broken = await webhook_store.store_event(
        container.sessions, "twilio", b'{"kind": "inbound"}', {}, prop.id, container.clock.now()
    )
    assert await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock) == 2
    await arq_pool.flushdb()  # Redis lost the jobs after the relay handed them over
    assert await sweep(worker_ctx) == 0  # too recent to call lost
    container.clock.set(container.clock.now() + timedelta(minutes=3))
    assert await sweep(worker_ctx) == 2  # one job each
    await run_worker_burst(settings, worker_ctx)
    assert [r["provider_message_id"] for r in await _rows(container, select(messages))] == ["wamid.lost"]
    [left] = await _rows(container, select(webhook_events).where(webhook_events.c.processed_at.is_(None)))
    assert left["id"] == broken and left["error"].startswith("KeyError")
    container.clock.set(container.clock.now() + timedelta(minutes=3))
    assert await sweep(worker_ctx) == 0  # a broken event waits for a person, it is not retried in a loop
