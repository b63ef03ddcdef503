"""Many scheduled sends due at the same instant go out in batches (one transaction per batch, claimed
with SKIP LOCKED): each exactly once, however many jobs run at the same time, and one bad send does not
hold back the others."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from adapters.db.tables import messages, outbox_events, planned_sends
from tests.integration.test_bulk_planning import _bookings
from tests.integration.test_scheduling import RULE, _hotel, _travel
from workers import scheduled
from workers.main import DUE_BATCH, dispatch_due

DUE = datetime(2026, 7, 8, 8, 0, tzinfo=UTC)


async def _counts(container) -> tuple[int, int, int]:
    async with container.sessions() as session:
        sent = await session.scalar(select(func.count()).where(planned_sends.c.state == "sent"))
        filed = await session.scalar(select(func.count()).where(messages.c.rule_name == "Pre-arrival"))
        distinct = await session.scalar(select(func.count(func.distinct(messages.c.conversation_id))))
    return int(sent or 0), int(filed or 0), int(distinct or 0)


async def test_a_burst_is_dispatched_once_by_racing_jobs_with_helpers(client, container, worker_ctx, arq_pool):
    await _hotel(client, container)
    await client.post("/api/v1/scheduled-messages", json=RULE)
    await _bookings(client, 60)  # sixty guests, all due at the same instant
    await _travel(client, container, DUE)
    results = await asyncio.gather(*(dispatch_due(worker_ctx) for _ in range(3)))
    assert sum(r.get("sent", 0) for r in results) == 60
    assert await _counts(container) == (60, 60, 60)
    # the first job saw more than a batch due and asked for helpers (they find nothing left)
    helpers = [j for j in await arq_pool.queued_jobs() if (j.job_id or "").startswith("due:helper:")]
    assert 1 <= len(helpers) <= 3 * (60 // DUE_BATCH)
    async with container.sessions() as session:  # each message is handed to the delivery pipeline once
        queued = await session.scalar(select(func.count()).where(outbox_events.c.topic == "message.send"))
    assert queued == 60


async def test_one_send_that_breaks_its_batch_is_retried_alone(client, container, worker_ctx, monkeypatch):
    await _hotel(client, container)
    await client.post("/api/v1/scheduled-messages", json=RULE)
    await _bookings(client, 5)
    await _travel(client, container, DUE)
    async with container.sessions() as session:
        bad = (await session.execute(select(planned_sends.c.id).order_by(planned_sends.c.id))).scalars().first()
    real, broke = scheduled.dispatch, []

    async def breaking(uow, property_id, planned_id, now, ctx):  # type: ignore[no-untyped-def]
        if planned_id == bad and not broke:
            broke.append(planned_id)
            raise RuntimeError("a send that breaks its batch once")
        return await real(uow, property_id, planned_id, now, ctx)

    monkeypatch.setattr(scheduled, "dispatch", breaking)
    outcome = await dispatch_due(worker_ctx)
    assert broke == [bad] and outcome.get("sent") == 5
    assert await _counts(container) == (5, 5, 5)
