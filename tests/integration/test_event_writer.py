"""Provider callbacks that arrive together are stored together (one statement), each caller answered only
once its own event is committed, in arrival order, with redeliveries and failures answered one by one."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from adapters.db import webhook_store
from adapters.db.tables import outbox_events, webhook_events
from adapters.db.webhook_store import EventWriter
from tests.factories import make_property


@pytest.fixture
def statements(monkeypatch):
    """How many events each write carried."""
    sizes: list[int] = []
    real = webhook_store.store_events

    async def counting(sessions, events):
        sizes.append(len(events))
        return await real(sessions, events)

    monkeypatch.setattr(webhook_store, "store_events", counting)
    return sizes


async def _stored(container) -> list[dict]:
    async with container.sessions() as session:
        events = (await session.execute(select(webhook_events).order_by(webhook_events.c.id))).mappings().all()
        outbox = (await session.execute(select(outbox_events.c.payload))).scalars().all()
    by_event = {int(p["event_id"]) for p in outbox}
    return [{**e, "announced": e["id"] in by_event} for e in events]


async def test_callbacks_arriving_together_share_a_write_and_each_gets_its_own_answer(container, statements):
    prop = await make_property(container)
    now = container.clock.now()
    earlier = await webhook_store.store_event(container.sessions, "twilio", b"old", {}, prop.id, now, key="k-old")
    writer = EventWriter(container.sessions)
    keys = [f"k{i}" for i in range(30)] + ["k3", "k-old"]  # one repeated within the burst, one stored before
    answers = await asyncio.gather(
        *(writer.store("twilio", key.encode(), {"x-twilio-signature": "s"}, prop.id, now, key=key) for key in keys)
    )

    assert statements == [1, 32]  # the earlier event; then the whole burst together
    new_ids = answers[:30]
    assert all(isinstance(i, int) for i in new_ids) and new_ids == sorted(new_ids) and earlier < new_ids[0]
    assert answers[30:] == [None, None]  # redeliveries: stored once, answered as such
    stored = await _stored(container)
    assert [e["dedupe_key"] for e in stored] == ["k-old", *keys[:30]]  # in arrival order
    assert all(e["announced"] for e in stored)  # each with its outbox row, for the worker
    assert stored[1]["headers"] == {"x-twilio-signature": "s"} and bytes(stored[1]["body"]) == b"k0"


async def test_one_event_that_cannot_be_stored_is_refused_alone(container, statements):
    prop = await make_property(container)
    now = container.clock.now()
    writer = EventWriter(container.sessions)
    nowhere = uuid.uuid4()  # a property that does not exist: its event breaks the joint write
    calls = [writer.store("twilio", b"a", {}, prop.id, now, key="a")]
    calls += [writer.store("twilio", b"b", {}, prop.id, now, key="b")]
    calls += [writer.store("twilio", b"bad", {}, nowhere, now, key="bad")]
    calls += [writer.store("twilio", b"c", {}, prop.id, now, key="c")]
    answers = await asyncio.gather(*calls, return_exceptions=True)

    assert isinstance(answers[2], IntegrityError)
    assert all(isinstance(a, int) for a in (answers[0], answers[1], answers[3]))
    assert statements == [4, 1, 1, 1, 1]  # all together, failed; then each alone
    assert [e["dedupe_key"] for e in await _stored(container)] == ["a", "b", "c"]


async def test_callbacks_arriving_during_a_write_go_together_in_the_next(container, statements):
    prop = await make_property(container)
    now = container.clock.now()
    writer = EventWriter(container.sessions)
    first = asyncio.create_task(writer.store("twilio", b"first", {}, prop.id, now, key="first"))
    await asyncio.sleep(0)  # the first write has started
    later = [writer.store("twilio", f"{i}".encode(), {}, prop.id, now, key=f"later-{i}") for i in range(5)]
    answers = await asyncio.gather(first, *later)
    assert statements == [1, 5] and answers == sorted(answers)


async def test_callers_are_not_left_waiting_when_the_writer_is_stopped(container, monkeypatch):
    prop = await make_property(container)
    now = container.clock.now()
    started = asyncio.Event()

    async def stuck(sessions, events):
        started.set()
        await asyncio.sleep(3600)

    monkeypatch.setattr(webhook_store, "store_events", stuck)
    writer = EventWriter(container.sessions)
    first = asyncio.create_task(writer.store("twilio", b"1", {}, prop.id, now, key="1"))
    await started.wait()
    second = asyncio.create_task(writer.store("twilio", b"2", {}, prop.id, now, key="2"))  # waits for the next write
    await asyncio.sleep(0)
    assert writer._writing is not None
    writer._writing.cancel()
    for caller in (first, second):
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(caller, timeout=2)
