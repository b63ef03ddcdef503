"""The sending pipeline on real PostgreSQL and Redis: API → message + outbox → relay → arq → worker → provider."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import timedelta

import httpx
import pytest
import respx
from arq.connections import ArqRedis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import func, select

from adapters.db.tables import messages, outbox_events
from adapters.queue.arq_job_queue import ArqJobQueue, deliver_job_id
from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_property, make_user
from tests.integration.conftest import run_worker_burst
from workers.main import deliver_message
from workers.relay import relay_once

GRAPH = "https://graph.test/v21.0/106540352242922/messages"
TWILIO = f"https://twilio.test/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
WA_OK = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "33612345678", "wa_id": "33612345678"}],
    "messages": [{"id": "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI5QTNDQUVCRDM3RjlCMEU2AA=="}],
}


async def _staff_reply(client, container, channel="whatsapp", body="Parking is free, see you soon!"):
    prop = await make_property(container)
    await make_user(container, prop, email="s@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await connect_channel(container, prop, Channel.SMS, settings={"from_number": "+15017122661"})
    await client.login("s@hotel.test", "correct horse")
    cid = (await guest_writes(container, prop, "+33612345678", "Is there parking?")).conversation.id
    response = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": channel, "body": body})
    assert response.status_code == 202
    return prop, uuid.UUID(response.json()["id"])


async def _message(container, message_id):
    async with container.sessions() as session:
        return (await session.execute(select(messages).where(messages.c.id == message_id))).mappings().one()


async def test_a_reply_travels_the_whole_pipeline_to_the_whatsapp_cloud_api(
    client, container, settings, worker_ctx, arq_pool
):
    prop, message_id = await _staff_reply(client, container)
    async with container.sessions() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(outbox_events).where(outbox_events.c.relayed_at.is_(None))
            )
            == 1
        )

    assert await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock) == 1
    assert await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock) == 0  # relayed once only
    queued = await arq_pool.queued_jobs()
    assert [j.job_id for j in queued] == [deliver_job_id(message_id, 0)]

    with respx.mock(assert_all_called=True) as provider:
        route = provider.post(GRAPH).respond(200, json=WA_OK)
        await run_worker_burst(settings, worker_ctx)
    sent = route.calls.last.request
    assert sent.headers["authorization"].startswith("Bearer EAAG-test-token-")
    assert json.loads(sent.content) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "33612345678",
        "type": "text",
        "text": {"preview_url": False, "body": "Parking is free, see you soon!"},
        "biz_opaque_callback_data": str(message_id),
    }
    row = await _message(container, message_id)
    assert row["status"] == "sent" and row["provider_message_id"] == WA_OK["messages"][0]["id"] and row["attempts"] == 1


async def test_sms_goes_out_form_encoded_with_basic_auth_and_status_callback(client, container, worker_ctx):
    prop, message_id = await _staff_reply(client, container, channel="sms", body="Bonjour, votre chambre est prête ✓")
    twilio_ok = {"sid": "SM29f4f980778e4621b72df75ac82f5000", "status": "queued", "price": None, "price_unit": "USD"}
    with respx.mock as provider:
        route = provider.post(TWILIO).respond(201, json=twilio_ok)
        assert await deliver_message(worker_ctx, str(prop.id), str(message_id)) == "sent"
    request = route.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(f"AC{'1' * 32}:12345".encode()).decode()
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form == {
        "To": "+33612345678",
        "From": "+15017122661",
        "Body": "Bonjour, votre chambre est prête ✓",
        "StatusCallback": "http://testserver/webhooks/twilio/status",
    }
    assert (await _message(container, message_id))["provider_message_id"] == "SM29f4f980778e4621b72df75ac82f5000"


async def test_429_with_retry_after_is_retried_later_and_then_sent(client, container, worker_ctx, arq_pool):
    prop, message_id = await _staff_reply(client, container)
    with respx.mock as provider:
        route = provider.post(GRAPH).mock(
            side_effect=[
                httpx.Response(
                    429,
                    headers={"Retry-After": "30"},
                    json={
                        "error": {
                            "message": "(#130429) Rate limit hit",
                            "type": "OAuthException",
                            "code": 130429,
                            "fbtrace_id": "x",
                        }
                    },
                ),
                httpx.Response(200, json=WA_OK),
            ]
        )
        assert await deliver_message(worker_ctx, str(prop.id), str(message_id)) == "queued"
        row = await _message(container, message_id)
        assert row["status"] == "queued" and row["error_code"] == "whatsapp_130429"
        assert row["next_attempt_at"] >= container.clock.now() + timedelta(seconds=30)
        follow_up = await arq_pool.queued_jobs()
        assert [j.job_id for j in follow_up] == [deliver_job_id(message_id, 1)]
        assert follow_up[0].score >= (time.time() + 29) * 1000  # deferred in Redis by the Retry-After
        # a job arriving before the time asked for does nothing
        assert await deliver_message(worker_ctx, str(prop.id), str(message_id)) == "queued" and route.call_count == 1
        container.clock.advance(seconds=31)
        assert await deliver_message(worker_ctx, str(prop.id), str(message_id)) == "sent"
    assert route.call_count == 2


async def test_a_policy_error_fails_at_once_with_the_human_reason(client, container, worker_ctx):
    prop, message_id = await _staff_reply(client, container)
    envelope = {
        "error": {
            "message": "(#131047) Re-engagement message",
            "type": "OAuthException",
            "code": 131047,
            "error_data": {
                "messaging_product": "whatsapp",
                "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
            },
            "fbtrace_id": "A1",
        }
    }
    with respx.mock as provider:
        route = provider.post(GRAPH).respond(400, json=envelope)
        assert await deliver_message(worker_ctx, str(prop.id), str(message_id)) == "failed"
        assert await deliver_message(worker_ctx, str(prop.id), str(message_id)) == "failed"
    assert route.call_count == 1
    row = await _message(container, message_id)
    assert row["error_code"] == "whatsapp_131047" and "24 hours" in row["error_reason"]


async def test_timeouts_are_retried_until_the_budget_then_failed(client, container, worker_ctx):
    prop, message_id = await _staff_reply(client, container)
    with respx.mock as provider:
        route = provider.post(GRAPH).mock(side_effect=httpx.ReadTimeout("slow"))
        for _ in range(3):
            await deliver_message(worker_ctx, str(prop.id), str(message_id))
            container.clock.advance(minutes=10)
    assert route.call_count == 3
    row = await _message(container, message_id)
    assert row["status"] == "failed" and row["error_code"] == "whatsapp_timeout" and "3 attempts" in row["error_reason"]


async def test_redis_down_leaves_outbox_rows_waiting_and_nothing_is_lost(client, container, arq_pool):
    prop, message_id = await _staff_reply(client, container)
    dead = ArqRedis(host="127.0.0.1", port=1, socket_connect_timeout=1)  # nothing listens there
    try:
        with pytest.raises(RedisConnectionError):
            await relay_once(container.sessions, ArqJobQueue(dead), container.clock)
    finally:
        await dead.aclose()
    async with container.sessions() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(outbox_events).where(outbox_events.c.relayed_at.is_(None))
            )
            == 1
        )
    assert await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock) == 1
    assert [j.job_id for j in await arq_pool.queued_jobs()] == [deliver_job_id(message_id, 0)]
