"""Providers that time out, answer 500, limit us with 429 + Retry-After or close the connection, through the
whole pipeline (API → outbox → relay → arq → worker → provider) on real time: retries back off within their
limits, a send that used its budget fails with its reason and staff can retry it; and a property whose
provider hangs never slows another property's sends (per-property delivery slots, with a real worker)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import func, select

from adapters.db.tables import messages, outbox_events
from adapters.queue.arq_job_queue import ArqJobQueue
from domain.channels import Channel
from domain.clock import SystemClock
from domain.retry_policy import RetryPolicy
from tests.chaos.stack import start_worker, stop, wait_for
from tests.factories import connect_channel, guest_writes, make_property, make_user
from tests.integration.conftest import run_worker_burst
from tests.live_server import serve
from workers.main import shutdown, startup
from workers.relay import relay_once

ACCOUNT = "AC" + "1" * 32
TWILIO = f"https://twilio.test/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
ACCEPTED = {"sid": "SM" + "a" * 32, "status": "queued", "price": None, "price_unit": "USD"}
POLICY = RetryPolicy(max_attempts=3, base_seconds=0.2, cap_seconds=2)


@pytest.fixture
async def real_time_ctx(settings, container, arq_pool) -> AsyncIterator[dict[str, Any]]:
    """A worker context on the real clock, so backoff and Retry-After are real waits."""
    ctx: dict[str, Any] = {
        "redis": arq_pool,
        "settings": settings,
        "clock": SystemClock(),
        "policy": POLICY,
        "run_relay": False,
    }
    await startup(ctx)
    try:
        yield ctx
    finally:
        await shutdown(ctx)


async def _sms_reply(client, container, body: str = "Your room is ready") -> uuid.UUID:
    prop = await make_property(container)
    await make_user(container, prop, email="f@hotel.test")
    await connect_channel(container, prop, Channel.SMS, settings={"from_number": "+15017122661"})
    await client.login("f@hotel.test", "correct horse")
    cid = (await guest_writes(container, prop, "+33612345678", channel=Channel.SMS)).conversation.id
    response = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": body})
    assert response.status_code == 202, response.text
    return uuid.UUID(response.json()["id"])


async def _drain(settings, ctx: dict[str, Any]) -> None:
    """Relay every outbox row, then run every job (deferred ones included) until nothing is left."""
    while await relay_once(ctx["sessions"], ArqJobQueue(ctx["redis"]), ctx["clock"]):
        pass
    await run_worker_burst(settings, ctx)


async def _row(container, message_id: uuid.UUID) -> Any:
    async with container.sessions() as session:
        return (await session.execute(select(messages).where(messages.c.id == message_id))).mappings().one()


class Timed:
    """A respx side effect that answers from a script and remembers when each call came."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers, self.at = list(answers), []  # type: ignore[var-annotated]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.at.append(time.monotonic())
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.at, self.at[1:], strict=False)]


async def test_timeouts_back_off_then_fail_with_the_reason_and_staff_retry_sends_it(
    client, container, settings, real_time_ctx
):
    message_id = await _sms_reply(client, container)
    script = Timed(httpx.ReadTimeout("no answer"))
    with respx.mock(assert_all_mocked=True) as provider:
        route = provider.post(TWILIO).mock(side_effect=script)
        await _drain(settings, real_time_ctx)
        assert route.call_count == POLICY.max_attempts  # the budget, not one more
        # full-jitter exponential backoff: at least half of 0.2 s, then of 0.4 s
        assert script.gaps[0] >= 0.1 and script.gaps[1] >= 0.2, script.gaps
        row = await _row(container, message_id)
        assert row["status"] == "failed" and row["error_code"] == "twilio_timeout"
        assert row["error_reason"] == "Twilio did not answer in time. (gave up after 3 attempts)"

        # the provider is back; staff retry the failed send from the API
        route.mock(side_effect=None, return_value=httpx.Response(201, json=ACCEPTED))
        retried = await client.post(f"/api/v1/attention/messages/{message_id}/retry")
        assert retried.status_code == 202, retried.text
        assert retried.json()["status"] == "queued"
        await _drain(settings, real_time_ctx)
        assert route.call_count == POLICY.max_attempts + 1
    row = await _row(container, message_id)
    assert row["status"] == "sent" and row["provider_message_id"] == ACCEPTED["sid"] and row["error_code"] is None


async def test_500s_are_retried_and_the_send_goes_out_once_they_stop(client, container, settings, real_time_ctx):
    message_id = await _sms_reply(client, container)
    script = Timed(
        httpx.Response(500, json={"code": 20500, "message": "Internal Server Error"}),
        httpx.Response(503, text="<html>Service Unavailable</html>"),
        httpx.Response(201, json=ACCEPTED),
    )
    with respx.mock(assert_all_mocked=True) as provider:
        route = provider.post(TWILIO).mock(side_effect=script)
        await _drain(settings, real_time_ctx)
    assert route.call_count == 3
    row = await _row(container, message_id)
    assert row["status"] == "sent" and row["attempts"] == 3 and row["error_code"] is None


async def test_429_retry_after_is_a_floor_for_the_next_attempt(client, container, settings, real_time_ctx):
    message_id = await _sms_reply(client, container)
    script = Timed(
        httpx.Response(429, headers={"Retry-After": "1"}, json={"code": 20429, "message": "Too Many Requests"}),
        httpx.Response(201, json=ACCEPTED),
    )
    with respx.mock(assert_all_mocked=True) as provider:
        route = provider.post(TWILIO).mock(side_effect=script)
        await _drain(settings, real_time_ctx)
    assert route.call_count == 2
    assert script.gaps[0] >= 1.0, script.gaps  # our own backoff (≤ 0.2 s here) never shortens Retry-After
    assert (await _row(container, message_id))["status"] == "sent"


async def test_connection_closed_is_retried_then_failed_and_a_refusal_is_never_retried(
    client, container, settings, real_time_ctx
):
    message_id = await _sms_reply(client, container)
    with respx.mock(assert_all_mocked=True) as provider:
        route = provider.post(TWILIO).mock(side_effect=httpx.RemoteProtocolError("Server disconnected"))
        await _drain(settings, real_time_ctx)
        assert route.call_count == POLICY.max_attempts
        row = await _row(container, message_id)
        assert row["status"] == "failed" and row["error_code"] == "twilio_unreachable"
        assert "gave up after 3 attempts" in row["error_reason"]

        refused = await client.post(
            f"/api/v1/conversations/{row['conversation_id']}/messages", json={"channel": "sms", "body": "again"}
        )
        invalid_number = {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}
        route.mock(side_effect=None, return_value=httpx.Response(400, json=invalid_number))
        await _drain(settings, real_time_ctx)
        assert route.call_count == POLICY.max_attempts + 1  # a refusal is final at once
    row = await _row(container, uuid.UUID(refused.json()["id"]))
    assert row["status"] == "failed" and row["error_code"] == "twilio_21211" and row["attempts"] == 1
    async with container.sessions() as session:
        pending = await session.scalar(
            select(func.count()).select_from(outbox_events).where(outbox_events.c.relayed_at.is_(None))
        )
    assert pending == 0


class HangingProvider:
    """A provider on loopback that accepts every request and never answers; it counts requests in flight."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most_in_flight = 0
        self.received = 0
        self.first_at: float | None = None
        self._server: asyncio.base_events.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.received += 1
        self.first_at = self.first_at or time.monotonic()
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await reader.read()  # until the worker gives up and closes the connection
        finally:
            self.in_flight -= 1
            writer.close()

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    def close(self) -> None:
        if self._server:
            self._server.close()


async def test_a_hanging_provider_of_one_property_never_slows_another_propertys_sends(
    client, container, settings, app, tmp_path
):
    hanging = HangingProvider()
    hanging_url = await hanging.start()
    worker = None
    async with serve(app) as url:  # the sandbox Twilio answers property B at once
        stuck, healthy = await make_property(container, "Stuck"), await make_property(container, "Healthy")
        await connect_channel(container, stuck, Channel.SMS, settings={"api_base_url": hanging_url})
        await connect_channel(container, healthy, Channel.SMS, settings={"api_base_url": f"{url}/sandbox/twilio"})
        sent: dict[str, list[str]] = {}
        for prop, email in ((stuck, "a@stuck.test"), (healthy, "b@healthy.test")):  # the stuck one queues first
            await make_user(container, prop, email=email)
            await client.login(email, "correct horse")
            sent[prop.name] = []
            for i in range(20):
                cid = (await guest_writes(container, prop, f"+3361234{i:04d}", channel=Channel.SMS)).conversation.id
                response = await client.post(
                    f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": f"hello {i}"}
                )
                assert response.status_code == 202
                sent[prop.name].append(response.json()["id"])
        try:
            worker = start_worker(settings, tmp_path / "worker.log")  # max_jobs 20, as deployed

            async def healthy_all_sent() -> bool:
                async with container.sessions() as session:
                    done = await session.scalar(
                        select(func.count())
                        .select_from(messages)
                        .where(messages.c.id.in_(sent["Healthy"]), messages.c.status == "sent")
                    )
                return done == 20

            # the hanging provider holds each call for 15 s (the worker's read timeout); without per-property
            # slots the stuck property's 20 sends, queued first, take all 20 of the worker's jobs for that long
            await wait_for(healthy_all_sent, 40, "the healthy property's 20 sends")
            assert hanging.first_at is not None, "the stuck property's sends were attempted first"
            took = time.monotonic() - hanging.first_at
            assert took < 8, f"the healthy property waited {took:.1f} s behind the hanging one"
            assert hanging.most_in_flight <= settings.delivery_slots_per_property, (
                "at most the property's delivery slots call its provider at once"
            )
            requests = app.state.sandbox.requests
            assert len([r for r in requests if r["path"].endswith("Messages.json")]) == 20
        finally:
            stop(worker)
            hanging.close()


async def test_delivery_slots_cap_each_property_and_come_back_when_a_holder_dies(arq_pool):
    from adapters.concurrency.redis_slots import RedisDeliverySlots

    slots = RedisDeliverySlots(arq_pool, per_property=2, lease_seconds=0.5)
    busy, quiet = uuid.uuid4(), uuid.uuid4()
    assert await slots.try_acquire(busy, "m1") and await slots.try_acquire(busy, "m2")
    assert not await slots.try_acquire(busy, "m3")  # the property's two slots are taken
    assert await slots.try_acquire(quiet, "m4")  # another property is not affected
    assert await slots.try_acquire(busy, "m1")  # a holder taking its own slot again is not a second one
    await slots.release(busy, "m2")
    assert await slots.try_acquire(busy, "m3")
    assert await slots.in_use(busy) == 2
    await asyncio.sleep(0.6)  # holders that died (no release) lose their slots when the lease ends
    assert await slots.in_use(busy) == 0
    assert await slots.try_acquire(busy, "m5") and await slots.try_acquire(busy, "m6")


async def test_single_sends_take_only_their_share_of_the_slots_and_a_batch_the_rest(arq_pool):
    """Each single send holds a worker's job for its call: a hanging provider must not take more than
    `singles` of them. A batch job holds one job for all its calls, so it may fill the property's slots."""
    from adapters.concurrency.redis_slots import RedisDeliverySlots

    slots = RedisDeliverySlots(arq_pool, per_property=5, singles=2, lease_seconds=5)
    prop = uuid.uuid4()
    assert await slots.try_acquire(prop, "m1") and await slots.try_acquire(prop, "m2")
    assert not await slots.try_acquire(prop, "m3"), "the singles' share is taken"
    assert await slots.acquire_up_to(prop, "batch:b", 10) == ["batch:b#0", "batch:b#1", "batch:b#2"]
    assert await slots.in_use(prop) == 5 and await slots.acquire_up_to(prop, "batch:c", 1) == []
    await slots.release_all(prop, ["batch:b#0", "batch:b#1", "batch:b#2"])
    await slots.release(prop, "m1")
    assert await slots.acquire_up_to(prop, "batch:d", 2) == ["batch:d#0", "batch:d#1"]
    assert not await slots.try_acquire(prop, "m3"), "three calls in flight: no single send joins them"
