"""Rules are planned for many bookings at once (rule create/edit), and far-ahead sends are queued only
as their time nears: the same decisions as one-by-one planning, history kept, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime

from arq.connections import ArqRedis
from sqlalchemy import func, select

from adapters.db.tables import outbox_events, planned_sends
from domain.services.scheduling import SCHEDULE_TOPIC
from tests.integration.test_scheduling import BOOKING, RULE, _hotel, _planned
from workers.main import queue_upcoming


async def _bookings(client, count: int) -> None:
    for i in range(count):
        guest = {"first_name": f"G{i}", "phone": f"+336120000{i:02d}", "language": "en" if i % 2 else "fr"}
        response = await client.put(f"/api/v1/bookings/B{i}", json={**BOOKING, "guest": guest})
        assert response.status_code in (200, 201), response.text


async def _announcements(container) -> int:
    async with container.sessions() as session:
        stmt = select(func.count()).select_from(outbox_events).where(outbox_events.c.topic == SCHEDULE_TOPIC)
        return await session.scalar(stmt) or 0


async def test_a_new_rule_is_planned_in_bulk_exactly_as_one_by_one(client, container):
    await _hotel(client, container)
    first = (await client.post("/api/v1/scheduled-messages", json=RULE)).json()
    await _bookings(client, 12)  # planned one booking at a time, by the booking upserts
    one_by_one = {p["booking_ref"]: p["due_at"] for p in await _planned(client, rule_id=first["id"])}
    # the same rule created again, now that the bookings exist: planned for all of them at once
    second = (await client.post("/api/v1/scheduled-messages", json={**RULE, "name": "Again"})).json()
    bulk = {p["booking_ref"]: p["due_at"] for p in await _planned(client, rule_id=second["id"])}
    assert len(one_by_one) == 12 and bulk == one_by_one
    # conditions are decided per booking in bulk too: French speakers only
    only_fr = {**RULE, "name": "FR", "conditions": {"languages": ["fr"]}}
    fr = (await client.post("/api/v1/scheduled-messages", json=only_fr)).json()
    assert sorted(p["booking_ref"] for p in await _planned(client, rule_id=fr["id"])) == [
        f"B{i}" for i in sorted(range(0, 12, 2), key=lambda i: f"B{i}")
    ]


async def test_editing_a_rule_moves_planned_sends_and_keeps_history(client, container):
    await _hotel(client, container)
    await _bookings(client, 3)
    rule = (await client.post("/api/v1/scheduled-messages", json=RULE)).json()
    planned = await _planned(client, rule_id=rule["id"])
    async with container.sessions() as session:  # one of them already went out
        await session.execute(planned_sends.update().where(planned_sends.c.id == planned[0]["id"]).values(state="sent"))
        await session.commit()
    edited = await client.put(f"/api/v1/scheduled-messages/{rule['id']}", json={**RULE, "send_time": "11:00"})
    assert edited.status_code == 200
    after = {p["id"]: p for p in await _planned(client, rule_id=rule["id"])}
    assert after[planned[0]["id"]]["state"] == "sent" and after[planned[0]["id"]]["due_at"] == planned[0]["due_at"]
    moved = [p for i, p in after.items() if i != planned[0]["id"]]
    assert [(p["state"], p["due_at"]) for p in moved] == [("planned", "2026-07-08T09:00:00Z")] * 2
    await client.put(f"/api/v1/scheduled-messages/{rule['id']}", json={**RULE, "active": False})
    states = sorted(p["state"] for p in await _planned(client, rule_id=rule["id"]))
    assert states == ["cancelled", "cancelled", "sent"]


async def test_far_sends_are_queued_only_when_their_time_nears(client, container, worker_ctx, arq_pool: ArqRedis):
    await _hotel(client, container)  # the clock says 15 June; the sends are due on 8 July
    await _bookings(client, 2)
    await client.post("/api/v1/scheduled-messages", json=RULE)
    assert await _announcements(container) == 0  # nothing deferred in the queue for three weeks
    assert await queue_upcoming(worker_ctx) == 0
    container.clock.set(datetime(2026, 7, 8, 7, 40, tzinfo=UTC))  # 20 minutes before they are due
    assert await queue_upcoming(worker_ctx) == 1  # both fall due at the same instant: one job for them
    jobs = [j.job_id for j in await arq_pool.queued_jobs()]
    assert jobs == [f"due:{int(datetime(2026, 7, 8, 8, 0, tzinfo=UTC).timestamp())}"]
    assert await queue_upcoming(worker_ctx) == 1  # again: the same job id, nothing new in the queue
    assert [j.job_id for j in await arq_pool.queued_jobs()] == jobs


async def test_a_send_due_soon_is_announced_when_planned(client, container):
    await _hotel(client, container)  # 15 June 09:00 UTC
    await client.post("/api/v1/scheduled-messages", json=RULE)
    await client.put("/api/v1/bookings/SOON", json={**BOOKING, "check_in": "2026-06-16", "check_out": "2026-06-18"})
    [planned] = await _planned(client)
    assert planned["due_at"] == "2026-06-15T09:00:00Z" and await _announcements(container) == 1
