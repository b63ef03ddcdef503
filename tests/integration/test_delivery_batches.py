"""A burst of one property's sends travels in batch jobs: claimed together, sent a few at a time within the
property's slots, recorded together; each message keeps the rules of a single send (never twice, opt-outs,
retries with their reasons)."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import respx
from arq.constants import default_queue_name
from arq.jobs import Job
from sqlalchemy import func, select

from adapters.db.tables import guests, messages
from adapters.queue.arq_job_queue import DELIVER_BATCH_JOB, ArqJobQueue
from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_property, make_user
from tests.integration.conftest import run_worker_burst
from workers import delivery
from workers.delivery import _slots, deliver_message, deliver_messages
from workers.relay import relay_once

TWILIO = f"https://twilio.test/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
UNSUBSCRIBED = "+33611110001"
FAILING = "+33611110002"


async def _rows(container, ids):
    async with container.sessions() as session:
        found = (await session.execute(select(messages).where(messages.c.id.in_(ids)))).mappings().all()
    return {r["id"]: r for r in found}


async def _hotel_sending(client, container, phones: list[str]):
    """A property with SMS connected whose staff wrote to each of these guests: (property, message id by phone)."""
    prop = await make_property(container)
    await make_user(container, prop, email="s@hotel.test")
    await connect_channel(container, prop, Channel.SMS, settings={"from_number": "+15017122661"})
    await client.login("s@hotel.test", "correct horse")
    return prop, await _staff_sends(client, container, prop, phones)


async def _staff_sends(client, container, prop, phones: list[str]) -> dict[str, uuid.UUID]:
    """The logged-in staff writes to each of these guests of the property: message id by phone."""
    ids: dict[str, uuid.UUID] = {}
    for phone in phones:
        cid = (await guest_writes(container, prop, phone, "Hi", channel=Channel.SMS)).conversation.id
        response = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Hello"})
        assert response.status_code == 202
        ids[phone] = uuid.UUID(response.json()["id"])
    return ids


def _accepting(request: httpx.Request) -> httpx.Response:
    """The provider takes every SMS, with an id made of its recipient."""
    to = dict(httpx.QueryParams(request.content.decode()))["To"]
    return httpx.Response(201, json={"sid": "SM" + to[1:].rjust(32, "0"), "status": "queued"})


def _calls_per_phone(route) -> dict[str, int]:  # type: ignore[no-untyped-def]
    calls: dict[str, int] = {}
    for call in route.calls:
        to = dict(httpx.QueryParams(call.request.content.decode()))["To"]
        calls[to] = calls.get(to, 0) + 1
    return calls


async def _queued(arq_pool, marker: str):  # type: ignore[no-untyped-def]
    return [j for j in await arq_pool.queued_jobs() if marker in (j.job_id or "")]


async def test_a_burst_goes_in_batch_jobs_and_every_message_gets_its_own_outcome(
    client, container, settings, worker_ctx, arq_pool
):
    phones = [f"+3361111{i:04d}" for i in range(1, 13)]  # includes UNSUBSCRIBED and FAILING
    prop, ids = await _hotel_sending(client, container, phones)

    assert await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock) == len(phones)
    queued = await arq_pool.queued_jobs()
    assert [(j.function, sorted(j.args[1])) for j in queued] == [
        (DELIVER_BATCH_JOB, sorted(str(i) for i in ids.values()))
    ], "one job for the property's twelve sends"

    in_flight, most = 0, 0

    async def twilio(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        to = dict(httpx.QueryParams(request.content.decode()))["To"]
        if to == UNSUBSCRIBED:
            return httpx.Response(400, json={"code": 21610, "message": "Attempt to send to unsubscribed recipient"})
        if to == FAILING:
            return httpx.Response(500, json={"code": 20500, "message": "Internal Server Error"})
        return httpx.Response(201, json={"sid": "SM" + to[1:].rjust(32, "0"), "status": "queued", "price": None})

    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=twilio)
        await run_worker_burst(settings, worker_ctx)
        for _ in range(2):  # the failing message's own retry jobs, each when its time comes (a frozen clock here)
            container.clock.advance(seconds=60)
            await deliver_message(worker_ctx, str(prop.id), str(ids[FAILING]))

    calls: dict[str, int] = {}
    for call in route.calls:
        to = dict(httpx.QueryParams(call.request.content.decode()))["To"]
        calls[to] = calls.get(to, 0) + 1
    # every message once, except the failing one: tried, retried by its own jobs, then given up
    assert calls == {p: (3 if p == FAILING else 1) for p in phones}
    assert 1 < most <= settings.delivery_slots_per_property, "sent concurrently, never beyond the property's slots"

    rows = await _rows(container, list(ids.values()))
    for phone, message_id in ids.items():
        row = rows[message_id]
        if phone == UNSUBSCRIBED:
            assert (row["status"], row["error_code"], row["attempts"]) == ("failed", "twilio_21610", 1)
        elif phone == FAILING:
            assert (row["status"], row["error_code"], row["attempts"]) == ("failed", "twilio_20500", 3)
            assert "gave up after 3 attempts" in row["error_reason"]
        else:
            assert (row["status"], row["provider_message_id"], row["attempts"]) == (
                "sent",
                "SM" + phone[1:].rjust(32, "0"),
                1,
            )
    async with container.sessions() as session:
        opted = await session.scalar(select(guests.c.opt_outs).where(guests.c.phone == UNSUBSCRIBED))
    assert "sms" in opted, "the provider's refusal is remembered, as for a single send"


async def test_a_batch_that_finds_a_drainer_on_the_slots_comes_back_once_after_their_lease(
    client, container, settings, worker_ctx, arq_pool
):
    phones = [f"+3362222{i:04d}" for i in range(3)]
    prop, by_phone = await _hotel_sending(client, container, phones)
    ids = list(by_phone.values())
    await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock)
    (relayed,) = await _queued(arq_pool, "deliveries:")
    slots = _slots(worker_ctx)
    drainer = await slots.acquire_up_to(prop.id, "batch:another-job:100", settings.delivery_slots_per_property)
    assert len(drainer) == settings.delivery_slots_per_property
    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=_accepting)
        worker_ctx["job_id"] = relayed.job_id
        before = time.time()
        assert await deliver_messages(worker_ctx, str(prop.id), relayed.args[1]) == {"waiting_for_slot": 3}
        assert route.call_count == 0
        assert {m["status"] for m in (await _rows(container, ids)).values()} == {"queued"}
        (waiting,) = await _queued(arq_pool, ":lease-")
        assert waiting.function == DELIVER_BATCH_JOB and waiting.args[1] == relayed.args[1]
        # once, late: the drainer sends these itself or hands them on when it gives the slots back, and a
        # drainer that was killed has lost its slots by then (their lease)
        assert slots.lease_seconds < waiting.score / 1000 - before < slots.lease_seconds + 8.5

        await slots.release_all(prop.id, drainer)  # the drainer sends them (here, the relayed job itself)
        assert await deliver_messages(worker_ctx, str(prop.id), relayed.args[1]) == {"sent": 3}
        assert _calls_per_phone(route) == dict.fromkeys(phones, 1)

        # its time come, the waiting job finds its messages sent: it ends, whoever holds the slots now
        busy = await slots.acquire_up_to(prop.id, "batch:a-later-burst:100", settings.delivery_slots_per_property)
        assert len(busy) == settings.delivery_slots_per_property
        worker_ctx["job_id"] = waiting.job_id
        assert await deliver_messages(worker_ctx, str(prop.id), waiting.args[1]) == {"handled_elsewhere": 3}
    assert route.call_count == 3
    assert {j.job_id for j in await arq_pool.queued_jobs()} == {relayed.job_id, waiting.job_id}, "no new job"
    assert {m["status"] for m in (await _rows(container, ids)).values()} == {"sent"}


async def test_a_batch_that_finds_the_slots_held_by_single_sends_tries_again_soon(
    client, container, settings, worker_ctx, arq_pool
):
    """Nobody drains behind single sends (a hanging provider, say): the batch keeps the short, growing waits."""
    settings.delivery_single_slots_per_property = settings.delivery_slots_per_property  # singles may fill them
    phones = [f"+3362323{i:04d}" for i in range(3)]
    prop, by_phone = await _hotel_sending(client, container, phones)
    ids = list(by_phone.values())
    await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock)
    (relayed,) = await _queued(arq_pool, "deliveries:")
    slots = _slots(worker_ctx)
    singles = [str(uuid.uuid4()) for _ in range(settings.delivery_slots_per_property)]
    for message_id in singles:  # what each single send's job holds: its message's id
        assert await slots.try_acquire(prop.id, message_id)
    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=_accepting)
        worker_ctx["job_id"] = relayed.job_id
        before = time.time()
        assert await deliver_messages(worker_ctx, str(prop.id), relayed.args[1]) == {"waiting_for_slot": 3}
        (waiting,) = await _queued(arq_pool, ":slot1-")
        assert waiting.function == DELIVER_BATCH_JOB and waiting.score / 1000 - before < 0.5
        worker_ctx["job_id"] = waiting.job_id  # found taken again: the next wait is longer, up to 8 s
        assert await deliver_messages(worker_ctx, str(prop.id), waiting.args[1]) == {"waiting_for_slot": 3}
        (again,) = await _queued(arq_pool, ":slot2-")
        assert again.score / 1000 - before < 1.0
        assert route.call_count == 0

        for message_id in singles:
            await slots.release(prop.id, message_id)
        worker_ctx["job_id"] = again.job_id
        assert await deliver_messages(worker_ctx, str(prop.id), again.args[1]) == {"sent": 3}
        # the other jobs of these messages, run by a worker, find them sent
        now_ms = int(time.time() * 1000)  # (arq takes a score of 0 for "no job")
        await arq_pool.zadd(default_queue_name, {waiting.job_id: now_ms, again.job_id: now_ms}, xx=True)
        await run_worker_burst(settings, worker_ctx)
    for job in (relayed, waiting, again):
        assert await Job(job.job_id, arq_pool).result(timeout=5) == {"handled_elsewhere": 3}, job.job_id
    assert _calls_per_phone(route) == dict.fromkeys(phones, 1)
    assert {m["status"] for m in (await _rows(container, ids)).values()} == {"sent"}


async def test_a_single_send_behind_a_drainer_comes_back_once_and_a_retry_keeps_its_short_waits(
    client, container, settings, worker_ctx, arq_pool
):
    """A send the relay handed over alone, in a burst: the drainer will send it, so its job comes back once,
    after the slots' lease. A send waiting for a retry is not the drainer's: it tries again soon."""
    phones = ["+33624240001", "+33624240002"]
    prop, by_phone = await _hotel_sending(client, container, phones)
    first, retrying = by_phone[phones[0]], by_phone[phones[1]]
    async with container.sessions() as session:  # the second failed once and waits for its retry
        await session.execute(
            messages.update()
            .where(messages.c.id == retrying)
            .values(next_attempt_at=func.now(), error_code="twilio_500", attempts=1)
        )
        await session.commit()
    slots = _slots(worker_ctx)
    drainer = await slots.acquire_up_to(prop.id, "batch:another-job:100", settings.delivery_slots_per_property)
    assert len(drainer) == settings.delivery_slots_per_property
    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=_accepting)
        before = time.time()
        worker_ctx["job_id"] = f"deliver:{first}:0"
        assert await deliver_message(worker_ctx, str(prop.id), str(first)) == "waiting_for_slot"
        (late,) = await _queued(arq_pool, f"{first}:0:lease-")
        assert slots.lease_seconds < late.score / 1000 - before < slots.lease_seconds + 8.5
        worker_ctx["job_id"] = f"deliver:{retrying}:1"
        assert await deliver_message(worker_ctx, str(prop.id), str(retrying)) == "waiting_for_slot"
        (soon,) = await _queued(arq_pool, f"{retrying}:0:slot1-")
        assert soon.score / 1000 - before < 0.5

        await slots.release_all(prop.id, drainer)
        # the drainer's look after letting go finds the first send (not the retry: it has its own job)
        assert await delivery.waiting_sends(container.sessions, prop.id, 100) == [first]
        worker_ctx["job_id"] = late.job_id
        assert await deliver_message(worker_ctx, str(prop.id), str(first)) == "sent"
    assert _calls_per_phone(route) == {phones[0]: 1}


async def test_a_drainer_whose_time_runs_out_hands_the_rest_to_one_new_job(
    client, container, settings, worker_ctx, arq_pool, monkeypatch
):
    phones = [f"+3362424{i:04d}" for i in range(5)]
    prop, by_phone = await _hotel_sending(client, container, phones)
    ids = list(by_phone.values())
    monkeypatch.setattr(delivery, "DRAIN_SECONDS", 0.0)  # its time is up after its own batch
    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=_accepting)
        worker_ctx["job_id"] = "deliveries:first-two"
        before = time.time()
        counts = await deliver_messages(worker_ctx, str(prop.id), [str(i) for i in ids[:2]])
        assert counts == {"sent": 2, "handed_on": 3}
        (continuation,) = await arq_pool.queued_jobs()
        assert ":cont-" in str(continuation.job_id) and continuation.function == DELIVER_BATCH_JOB
        assert continuation.args[1] == sorted(str(i) for i in ids[2:]), "the rest, oldest first"
        assert continuation.score / 1000 <= before + 0.5, "due at once"
        worker = await run_worker_burst(settings, worker_ctx)
    assert worker.jobs_complete == 1, "the continuation sent the rest and found nothing more to hand on"
    assert await Job(str(continuation.job_id), arq_pool).result(timeout=5) == {"sent": 3}
    assert _calls_per_phone(route) == dict.fromkeys(phones, 1), "every message sent once"
    assert {m["status"] for m in (await _rows(container, ids)).values()} == {"sent"}


async def test_sends_that_come_in_while_the_drainer_lets_go_go_with_its_continuation(
    client, container, settings, worker_ctx, arq_pool, monkeypatch
):
    """The race the long wait depends on: a batch finds the slots taken after the drainer's last look at
    the waiting sends but before it gives the slots back. The drainer's look after the release hands that
    batch's messages to a new job at once; the batch's own job, back after its long wait, finds them sent."""
    early = [f"+3362525{i:04d}" for i in range(2)]
    late_phones = [f"+3362526{i:04d}" for i in range(3)]
    prop, first = await _hotel_sending(client, container, early)
    slots = _slots(worker_ctx)
    release = slots.release_all
    late: dict[str, uuid.UUID] = {}
    late_job: dict[str, object] = {}

    async def late_batch_then_release(property_id: uuid.UUID, holders: list[str]) -> None:
        if not late:  # the drainer's release, after its last look found nothing waiting
            late.update(await _staff_sends(client, container, prop, late_phones))
            worker_ctx["job_id"] = "deliveries:late"
            late_job["counts"] = await deliver_messages(worker_ctx, str(prop.id), [str(i) for i in late.values()])
        await release(property_id, holders)

    monkeypatch.setattr(slots, "release_all", late_batch_then_release)
    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=_accepting)
        worker_ctx["job_id"] = "deliveries:drainer"
        counts = await deliver_messages(worker_ctx, str(prop.id), [str(i) for i in first.values()])
        assert counts == {"sent": 2, "handed_on": 3}
        assert late_job["counts"] == {"waiting_for_slot": 3}, "the late batch found the drainer's slots"
        (waiting,) = await _queued(arq_pool, ":lease-")
        (continuation,) = await _queued(arq_pool, ":cont-")
        assert continuation.args[1] == sorted(str(i) for i in late.values())
        assert waiting.score > continuation.score + slots.lease_seconds * 1000

        # the continuation is due at once: it sends the late messages without waiting for the long wait
        worker_ctx["job_id"] = continuation.job_id
        assert await deliver_messages(worker_ctx, str(prop.id), continuation.args[1]) == {"sent": 3}
        worker_ctx["job_id"] = waiting.job_id  # and the late batch's own job, when its time comes
        assert await deliver_messages(worker_ctx, str(prop.id), waiting.args[1]) == {"handled_elsewhere": 3}
    assert _calls_per_phone(route) == dict.fromkeys(early + late_phones, 1)
    rows = await _rows(container, [*first.values(), *late.values()])
    assert {r["status"] for r in rows.values()} == {"sent"}
    assert {j.job_id for j in await arq_pool.queued_jobs()} == {waiting.job_id, continuation.job_id}, "no other"


async def test_an_outcome_that_cannot_be_recorded_does_not_lose_the_others(
    client, container, settings, worker_ctx, arq_pool
):
    prop, by_phone = await _hotel_sending(client, container, [f"+3363333{i:04d}" for i in range(3)])
    ids = list(by_phone.values())
    await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock)
    by_to = {"+33633330000": "SMaaaa", "+33633330001": "SMaaaa", "+33633330002": "SMbbbb"}  # a provider bug

    def twilio(request: httpx.Request) -> httpx.Response:
        to = dict(httpx.QueryParams(request.content.decode()))["To"]
        return httpx.Response(201, json={"sid": by_to[to], "status": "queued"})

    with respx.mock as provider:
        provider.post(TWILIO).mock(side_effect=twilio)
        await run_worker_burst(settings, worker_ctx)
    rows = await _rows(container, ids)
    statuses = sorted((r["status"], r["provider_message_id"]) for r in rows.values())
    # the batch's one transaction failed on the repeated id; each outcome was then recorded alone: one of the
    # two sharing an id keeps "sending" (the provider had it: the stuck-send sweep settles it, never resends)
    assert statuses == [("sending", None), ("sent", "SMaaaa"), ("sent", "SMbbbb")]


async def test_a_delivery_job_goes_on_with_its_propertys_other_waiting_sends(
    client, container, settings, worker_ctx, arq_pool
):
    prop, other = await make_property(container), await make_property(container, "Other")
    await make_user(container, prop, email="s@hotel.test")
    for p, number in ((prop, "+15017122661"), (other, "+15017122662")):
        await connect_channel(container, p, Channel.SMS, settings={"from_number": number})
    await client.login("s@hotel.test", "correct horse")

    async def send(phone: str) -> uuid.UUID:
        cid = (await guest_writes(container, prop, phone, "Hi", channel=Channel.SMS)).conversation.id
        response = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Hi"})
        return uuid.UUID(response.json()["id"])

    first = [await send(f"+3364444{i:04d}") for i in range(3)]
    later = [await send(f"+3364444{i:04d}") for i in range(3, 6)]  # a burst's later sends, not relayed yet
    retrying = await send("+33644449999")
    async with container.sessions() as session:  # waiting for a retry: its own job, at its own time
        await session.execute(
            messages.update()
            .where(messages.c.id == retrying)
            .values(next_attempt_at=container.clock.now(), error_code="twilio_20500")
        )
        await session.commit()
    other_cid = (await guest_writes(container, other, "+33644448888", "Hi", channel=Channel.SMS)).conversation.id
    clerk = await make_user(container, other, email="o@hotel.test")
    async with container.uow() as uow:  # another property's send, waiting too
        from domain.services.messaging import send_free_form

        sent = await send_free_form(uow, other.id, other_cid, clerk.id, Channel.SMS, "Hi", container.clock.now())
        elsewhere = sent.id
        await uow.commit()

    with respx.mock as provider:
        route = provider.post(TWILIO).mock(
            side_effect=[
                httpx.Response(201, json={"sid": f"SM{i:02d}" + "7" * 30, "status": "queued"}) for i in range(9)
            ]
        )
        counts = await deliver_messages(worker_ctx, str(prop.id), [str(i) for i in first])
    assert counts == {"sent": 6} and route.call_count == 6
    rows = await _rows(container, [*first, *later, retrying, elsewhere])
    assert {rows[i]["status"] for i in [*first, *later]} == {"sent"}
    assert rows[retrying]["status"] == "queued", "a send waiting for its retry is not taken early"
    assert rows[elsewhere]["status"] == "queued", "another property's sends are its own jobs' work"


async def test_a_slow_call_does_not_hold_the_others_and_sending_never_exceeds_the_slots(
    client, container, settings, worker_ctx, arq_pool
):
    phones = [f"+3365555{i:04d}" for i in range(40)]
    settings.delivery_concurrency = 16  # fewer than the messages, so the window must hold them back
    prop, by_phone = await _hotel_sending(client, container, phones)
    slow, answered_before_slow = phones[0], []  # the first claimed
    most_sending = 0

    async def twilio(request: httpx.Request) -> httpx.Response:
        nonlocal most_sending
        async with container.sessions() as session:  # what a worker killed now would leave unknown
            sending = await session.scalar(select(func.count()).where(messages.c.status == "sending"))
        most_sending = max(most_sending, sending)
        to = dict(httpx.QueryParams(request.content.decode()))["To"]
        await asyncio.sleep(1.5 if to == slow else 0.005)
        answered_before_slow.append("slow" if to == slow else to)
        return httpx.Response(201, json={"sid": "SM" + to[1:].rjust(32, "0"), "status": "queued"})

    with respx.mock as provider:
        provider.post(TWILIO).mock(side_effect=twilio)
        counts = await deliver_messages(worker_ctx, str(prop.id), [str(i) for i in by_phone.values()])
    assert counts == {"sent": 40}
    assert most_sending <= settings.delivery_concurrency, "never more in flight or unrecorded than the slots"
    # the slow call's slot was the only one held: the others kept flowing through the remaining slots
    assert answered_before_slow.index("slow") >= 30, answered_before_slow.index("slow")
    assert {r["status"] for r in (await _rows(container, list(by_phone.values()))).values()} == {"sent"}


async def test_a_drainer_feeds_its_window_from_the_waiting_sends_without_waiting_for_its_first_lot(
    client, container, settings, worker_ctx, arq_pool
):
    """The job's own 100 messages, then the property's other waiting sends as slots free up: one slow call
    among the first 100 does not hold back the next ones (taken in lots, the second lot waited for it)."""
    phones = [f"+3365656{i:04d}" for i in range(150)]
    settings.delivery_concurrency = 16
    prop, by_phone = await _hotel_sending(client, container, phones)
    first_lot = [str(by_phone[p]) for p in phones[: delivery.DELIVERY_BATCH]]
    slow, answered = phones[0], []

    async def twilio(request: httpx.Request) -> httpx.Response:
        to = dict(httpx.QueryParams(request.content.decode()))["To"]
        await asyncio.sleep(1.5 if to == slow else 0.002)
        answered.append(to)
        return _accepting(request)

    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=twilio)
        counts = await deliver_messages(worker_ctx, str(prop.id), first_lot)
    assert counts == {"sent": 150}
    assert _calls_per_phone(route) == dict.fromkeys(phones, 1), "each once, the job's own lot and the fed ones"
    assert answered.index(slow) >= 140, "the waiting sends went out around the slow call"
    assert set(answered[: answered.index(slow)]) & set(phones[100:]), "the second lot did not wait for the first"


async def test_an_answer_that_cannot_be_recorded_leaves_the_others_recorded_and_claimed(
    client, container, settings, worker_ctx, arq_pool, caplog
):
    """Recording a turn's answers and claiming the next messages share a transaction: when it fails (here a
    provider id already filed for another message), each part is done again on its own.

    The provider's answers are ordered, not timed (timed, a loaded machine recorded the clash in a turn with
    nothing left to claim): the first message it receives is answered at once; the second, the clash, is
    answered with the first one's id once that id is filed; the others only after the clash, so the clash's
    turn still has messages to claim."""
    phones = [f"+3366666{i:04d}" for i in range(40)]
    settings.delivery_concurrency = 16  # fewer than the messages: the clash's turn also claims
    prop, by_phone = await _hotel_sending(client, container, phones)
    received: list[str] = []
    clash_answered = asyncio.Event()

    async def first_one_filed() -> None:
        first = by_phone[received[0]]
        for _ in range(500):
            if (await _rows(container, [first]))[first]["status"] == "sent":
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the first answer was never recorded")

    async def twilio(request: httpx.Request) -> httpx.Response:
        to = dict(httpx.QueryParams(request.content.decode()))["To"]
        received.append(to)
        is_clash = len(received) == 2
        if is_clash:
            await first_one_filed()
            clash_answered.set()
        elif len(received) > 2:
            await asyncio.wait_for(clash_answered.wait(), 10)
        sid = "SM" + (received[0] if is_clash else to)[1:].rjust(32, "0")
        return httpx.Response(201, json={"sid": sid, "status": "queued"})

    with respx.mock as provider:
        route = provider.post(TWILIO).mock(side_effect=twilio)
        counts = await deliver_messages(worker_ctx, str(prop.id), [str(i) for i in by_phone.values()])
    assert route.call_count == 40, "every message handed over once, none again"
    assert counts == {"sent": 39, "sending": 1}, "what the job reports is what was recorded"
    assert "recording and claiming together failed" in caplog.text
    clash = received[1]
    rows = await _rows(container, list(by_phone.values()))
    assert rows[by_phone[clash]]["status"] == "sending", "left for the sweep to settle as outcome unknown"
    assert {rows[by_phone[p]]["status"] for p in phones if p != clash} == {"sent"}
