"""Meta's webhooks on the real stack: signatures, storage, replays, ordering, routing, processing."""

from __future__ import annotations

import json
import random
import uuid

from arq.connections import ArqRedis
from sqlalchemy import func, select

from adapters.db.tables import conversations, guests, messages, webhook_events
from adapters.queue.arq_job_queue import ArqJobQueue
from adapters.whatsapp.signature import sign
from domain.channels import Channel
from tests import whatsapp_payloads as wa
from tests.factories import connect_channel, make_booking, make_property, make_user
from tests.integration.conftest import run_worker_burst
from workers.relay import relay_once

SECRET = "test-meta-app-secret"


async def post(client, payload, secret=SECRET, raw: bytes | None = None, header: str | None = "sign"):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"content-type": "application/json"}
    if header == "sign":
        headers["x-hub-signature-256"] = sign(secret, body)
    elif header is not None:
        headers["x-hub-signature-256"] = header
    return await client.post("/webhooks/whatsapp", content=body, headers=headers)


async def process(container, settings, worker_ctx, arq_pool: ArqRedis) -> None:
    while await relay_once(container.sessions, ArqJobQueue(arq_pool), container.clock):
        pass
    await run_worker_burst(settings, worker_ctx)


async def count(container, table, *where) -> int:
    async with container.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table).where(*where)) or 0


async def _property(container, **settings):
    prop = await make_property(container)
    await connect_channel(container, prop, Channel.WHATSAPP, settings=settings or None)
    return prop


async def test_handshake_echoes_the_challenge_only_for_the_right_token(client):
    ok = await client.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = await client.get(
        "/webhooks/whatsapp", params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
    )
    assert wrong.status_code == 403


async def test_forged_missing_and_malformed_signatures_are_401_and_store_nothing(client, container):
    await _property(container)
    payload = wa.envelope(wa.text("wamid.1", "hi"))
    assert (await post(client, payload, secret="attacker")).status_code == 401
    assert (await post(client, payload, header=None)).status_code == 401
    assert (await post(client, payload, header="sha256=zz")).status_code == 401
    assert (await post(client, None, raw=b"not json", header="sha256=" + "0" * 64)).status_code == 401
    assert await count(container, webhook_events) == 0


async def test_signed_but_malformed_json_is_400_and_stores_nothing(client, container):
    response = await post(client, None, raw=b"{not json")
    assert response.status_code == 400 and response.json()["code"] == "malformed_payload"
    assert await count(container, webhook_events) == 0


async def test_too_large_bodies_are_413_before_parsing(client, container):
    container.settings.max_webhook_bytes = 1000
    response = await post(client, None, raw=b"x" * 2000)
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


async def test_unknown_phone_number_id_is_acknowledged_without_storing(client, container):
    await _property(container)
    response = await post(client, wa.envelope(wa.text("wamid.1", "hi", phone_number_id="999")))
    assert response.status_code == 200 and await count(container, webhook_events) == 0


async def test_a_property_with_its_own_meta_app_verifies_with_its_own_secret(
    client, container, settings, worker_ctx, arq_pool
):
    prop = await make_property(container)
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        settings={"phone_number_id": "555"},
        secrets_={"app_secret": "hotel-own-secret"},
    )
    payload = wa.envelope(wa.text("wamid.own", "hello", phone_number_id="555"))
    assert (await post(client, payload, secret="hotel-own-secret")).status_code == 200
    await process(container, settings, worker_ctx, arq_pool)
    assert await count(container, messages, messages.c.property_id == prop.id) == 1


async def test_guest_message_links_to_booking_and_replays_create_nothing_twice(
    client, container, settings, worker_ctx, arq_pool
):
    prop = await _property(container)
    booking = await make_booking(container, prop, ref="PMS-9", phone="+33612345678")
    payload = wa.envelope(wa.text("wamid.HBgL1", "Does it come in another color?"))
    for _ in range(3):  # Meta redelivers
        assert (await post(client, payload)).status_code == 200
    await process(container, settings, worker_ctx, arq_pool)
    # the same message inside a different delivery (another batch) is still filed once
    await post(
        client, wa.envelope(wa.text("wamid.HBgL1", "Does it come in another color?"), wa.text("wamid.HBgL2", "?"))
    )
    await process(container, settings, worker_ctx, arq_pool)
    assert await count(container, webhook_events) == 2
    assert await count(container, messages) == 2 and await count(container, guests) == 1
    async with container.sessions() as session:
        conv = (await session.execute(select(conversations))).mappings().one()
    assert conv["booking_id"] == booking.booking.id and conv["inbound_count"] == 2


async def test_unknown_number_creates_a_guest_from_the_profile_not_linked(
    client, container, settings, worker_ctx, arq_pool
):
    await _property(container)
    await post(client, wa.envelope(wa.text("wamid.new", "Hello", wa_id="16505551234", name="Sheena Nelson")))
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        guest = (await session.execute(select(guests))).mappings().one()
        conv = (await session.execute(select(conversations))).mappings().one()
    assert (guest["first_name"], guest["last_name"], guest["phone"]) == ("Sheena", "Nelson", "+16505551234")
    assert conv["booking_id"] is None


async def _sent_message(client, container, settings, worker_ctx, arq_pool) -> tuple[uuid.UUID, str]:
    """A guest writes, staff reply, and the worker hands the reply to (mocked) Meta."""
    import respx

    prop = await _property(container)
    await make_user(container, prop, email="w@hotel.test")
    await client.login("w@hotel.test", "correct horse")
    await post(client, wa.envelope(wa.text("wamid.in", "hi")))
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        cid = await session.scalar(select(conversations.c.id))
    container.clock.set(__import__("datetime").datetime.fromtimestamp(1749416383 + 60, __import__("datetime").UTC))
    sent = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "Hello!"})
    assert sent.status_code == 202, sent.text
    with respx.mock:
        respx.post("https://graph.test/v21.0/106540352242922/messages").respond(
            200, json={"messages": [{"id": "wamid.OUT"}]}
        )
        await process(container, settings, worker_ctx, arq_pool)
    return uuid.UUID(sent.json()["id"]), "wamid.OUT"


async def _message(container, message_id):
    async with container.sessions() as session:
        return (await session.execute(select(messages).where(messages.c.id == message_id))).mappings().one()


async def test_statuses_out_of_order_and_repeated_never_move_backwards(
    client, container, settings, worker_ctx, arq_pool
):
    message_id, wamid = await _sent_message(client, container, settings, worker_ctx, arq_pool)
    events = [
        wa.status(wamid, s, timestamp=t)
        for s, t in (("read", 1749416500), ("delivered", 1749416450), ("sent", 1749416440))
    ]
    for _ in range(3):
        random.shuffle(events)
        for event in events:
            await post(client, wa.envelope(event))
    await process(container, settings, worker_ctx, arq_pool)
    assert (await _message(container, message_id))["status"] == "read"


async def test_async_failure_131047_marks_the_message_failed_with_the_reason(
    client, container, settings, worker_ctx, arq_pool
):
    message_id, wamid = await _sent_message(client, container, settings, worker_ctx, arq_pool)
    await post(client, wa.envelope(wa.status(wamid, "failed", errors=wa.RE_ENGAGEMENT_ERROR)))
    await process(container, settings, worker_ctx, arq_pool)
    row = await _message(container, message_id)
    assert row["status"] == "failed" and row["error_code"] == "whatsapp_131047"
    assert "24 hours" in row["error_reason"]


async def test_pricing_sets_the_category_and_billable_flag(client, container, settings, worker_ctx, arq_pool):
    message_id, wamid = await _sent_message(client, container, settings, worker_ctx, arq_pool)
    free = {"billable": False, "pricing_model": "PMP", "category": "service", "type": "free_customer_service"}
    await post(client, wa.envelope(wa.status(wamid, "delivered", pricing=free)))
    await process(container, settings, worker_ctx, arq_pool)
    row = await _message(container, message_id)
    assert row["pricing_category"] == "service" and row["cost_amount"] == 0


async def test_a_status_can_find_its_message_by_our_tracker(client, container, settings, worker_ctx, arq_pool):
    message_id, _ = await _sent_message(client, container, settings, worker_ctx, arq_pool)
    await post(client, wa.envelope(wa.status("wamid.UNKNOWN-TO-US", "delivered", tracker=str(message_id))))
    await process(container, settings, worker_ctx, arq_pool)
    assert (await _message(container, message_id))["status"] == "delivered"
