"""Twilio's callbacks on the real stack: X-Twilio-Signature, replays, ordering, STOP/START, MMS."""

from __future__ import annotations

import random
import uuid

import httpx
import respx
from sqlalchemy import event, func, select

from adapters.db.tables import conversations, guests, messages, webhook_events
from adapters.twilio.signature import compute
from domain.channels import Channel
from tests.factories import connect_channel, make_booking, make_property, make_user
from tests.integration.test_whatsapp_webhooks import count, process

ACCOUNT = "AC" + "1" * 32
TOKEN = "12345"
HOTEL_NUMBER = "+15017122661"


async def post(
    client, path, form: dict[str, str], token=TOKEN, signature: str | None = "sign", base="http://testserver"
):
    headers = {}
    if signature == "sign":
        headers["X-Twilio-Signature"] = compute(f"{base}{path}", list(form.items()), token)
    elif signature is not None:
        headers["X-Twilio-Signature"] = signature
    return await client.post(path, data=form, headers=headers)


def inbound(body: str, sid: str | None = None, sender: str = "+33612345678", **extra: str) -> dict[str, str]:
    sid = sid or "SM" + uuid.uuid4().hex
    return {
        "AccountSid": ACCOUNT,
        "ApiVersion": "2010-04-01",
        "Body": body,
        "From": sender,
        "To": HOTEL_NUMBER,
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "NumMedia": "0",
        "FromCountry": "FR",
        **extra,
    }


async def _hotel(container):
    prop = await make_property(container)
    await connect_channel(container, prop, Channel.SMS, settings={"from_number": HOTEL_NUMBER})
    return prop


async def test_forged_missing_and_unknown_account_are_403_and_store_nothing(client, container):
    await _hotel(container)
    assert (await post(client, "/webhooks/twilio/inbound", inbound("hi"), token="not-the-token")).status_code == 403
    assert (await post(client, "/webhooks/twilio/inbound", inbound("hi"), signature=None)).status_code == 403
    other = {**inbound("hi"), "AccountSid": "AC" + "9" * 32}
    assert (await post(client, "/webhooks/twilio/inbound", other)).status_code == 403
    # a signature computed on another URL (e.g. the internal one behind a proxy) does not pass
    assert (
        await post(client, "/webhooks/twilio/inbound", inbound("hi"), base="http://internal:8000")
    ).status_code == 403
    assert await count(container, webhook_events) == 0


async def test_inbound_sms_lands_in_the_guests_conversation_once(client, container, settings, worker_ctx, arq_pool):
    prop = await _hotel(container)
    booking = await make_booking(container, prop, ref="PMS-3", phone="+33612345678")
    form = inbound("Bonjour, à quelle heure le petit-déjeuner ?", sid="SM" + "a" * 32)
    for _ in range(2):
        response = await post(client, "/webhooks/twilio/inbound", form)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
        assert "<Response></Response>" in response.text
    await process(container, settings, worker_ctx, arq_pool)
    assert await count(container, messages) == 1
    async with container.sessions() as session:
        conv = (await session.execute(select(conversations))).mappings().one()
    assert conv["booking_id"] == booking.booking.id and "sms" in conv["last_inbound_at"]


async def test_mms_media_are_kept(client, container, settings, worker_ctx, arq_pool):
    await _hotel(container)
    form = inbound(
        "",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1",
        MediaContentType0="image/jpeg",
    )
    await post(client, "/webhooks/twilio/inbound", form)
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        row = (await session.execute(select(messages))).mappings().one()
    assert row["kind"] == "media" and row["details"]["media"][0]["content_type"] == "image/jpeg"


async def test_stop_blocks_sms_until_start(client, container, settings, worker_ctx, arq_pool):
    prop = await _hotel(container)
    await make_user(container, prop, email="s@hotel.test")
    await client.login("s@hotel.test", "correct horse")
    await post(client, "/webhooks/twilio/inbound", inbound("Stop"))
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        cid = await session.scalar(select(conversations.c.id))
        opt_outs = await session.scalar(select(guests.c.opt_outs))
    assert opt_outs["sms"]["source"] == "STOP keyword"
    row = (await client.get(f"/api/v1/conversations/{cid}")).json()
    assert row["reply_state"]["sms"]["code"] == "sms_opted_out"
    refused = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Hello?"})
    assert refused.status_code == 409 and refused.json()["code"] == "sms_opted_out"
    await post(client, "/webhooks/twilio/inbound", inbound("START"))
    await process(container, settings, worker_ctx, arq_pool)
    assert (
        await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Welcome back"})
    ).status_code == 202


async def test_21610_from_twilio_marks_the_guest_opted_out(client, container, settings, worker_ctx, arq_pool):
    prop = await _hotel(container)
    await make_user(container, prop, email="s@hotel.test")
    await client.login("s@hotel.test", "correct horse")
    await post(client, "/webhooks/twilio/inbound", inbound("hello"))
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        cid = await session.scalar(select(conversations.c.id))
    sent = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Hi"})
    with respx.mock:
        respx.post(f"https://twilio.test/2010-04-01/Accounts/{ACCOUNT}/Messages.json").respond(
            400,
            json={
                "code": 21610,
                "message": "Attempt to send to unsubscribed recipient",
                "more_info": "https://www.twilio.com/docs/errors/21610",
                "status": 400,
            },
        )
        await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        message = (
            (await session.execute(select(messages).where(messages.c.id == uuid.UUID(sent.json()["id"]))))
            .mappings()
            .one()
        )
        opt_outs = await session.scalar(select(guests.c.opt_outs))
    assert message["status"] == "failed" and "STOP" in message["error_reason"]
    assert "21610" in opt_outs["sms"]["source"]
    refused = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Again"})
    assert refused.status_code == 409 and refused.json()["code"] == "sms_opted_out"


async def test_status_callbacks_out_of_order_and_repeated(client, container, settings, worker_ctx, arq_pool):
    prop = await _hotel(container)
    await make_user(container, prop, email="s@hotel.test")
    await client.login("s@hotel.test", "correct horse")
    await post(client, "/webhooks/twilio/inbound", inbound("hello"))
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        cid = await session.scalar(select(conversations.c.id))
    sent = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Hi"})
    sid = "SM" + "b" * 32
    with respx.mock:
        respx.post(f"https://twilio.test/2010-04-01/Accounts/{ACCOUNT}/Messages.json").respond(
            201, json={"sid": sid, "status": "queued"}
        )
        await process(container, settings, worker_ctx, arq_pool)
    base = {
        "AccountSid": ACCOUNT,
        "ApiVersion": "2010-04-01",
        "From": HOTEL_NUMBER,
        "To": "+33612345678",
        "MessageSid": sid,
        "SmsSid": sid,
    }
    callbacks = [{**base, "MessageStatus": s, "SmsStatus": s} for s in ("sent", "delivered")]
    callbacks[1]["Price"], callbacks[1]["PriceUnit"] = "-0.07900", "USD"
    deliveries = callbacks * 3
    random.shuffle(deliveries)
    for form in deliveries:
        assert (await post(client, "/webhooks/twilio/status", form)).status_code == 200
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        message = (
            (await session.execute(select(messages).where(messages.c.id == uuid.UUID(sent.json()["id"]))))
            .mappings()
            .one()
        )
        stored = await session.scalar(
            select(func.count()).select_from(webhook_events).where(webhook_events.c.provider == "twilio")
        )
    assert message["status"] == "delivered" and str(message["cost_amount"]) == "0.07900"
    assert stored == 3  # one inbound and two distinct statuses; the replays were not stored again


async def test_signed_but_malformed_callbacks_are_400_and_store_nothing(client, container):
    await _hotel(container)
    no_sid = {k: v for k, v in inbound("hi").items() if k not in ("MessageSid", "SmsMessageSid", "SmsSid")}
    response = await post(client, "/webhooks/twilio/inbound", no_sid)
    assert (
        response.status_code == 400
        and response.json()["code"] == "malformed_payload"
        and "MessageSid" in response.json()["detail"]
    )
    no_status = {"AccountSid": ACCOUNT, "MessageSid": "SM" + "c" * 32}
    assert (await post(client, "/webhooks/twilio/status", no_status)).status_code == 400
    garbage = await client.post(
        "/webhooks/twilio/inbound", content=b"\xff\xfe not a form", headers={"X-Twilio-Signature": "x"}
    )
    assert garbage.status_code == 403
    too_big = await client.post(
        "/webhooks/twilio/inbound",
        content=b"Body=" + b"x" * 2_000_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert too_big.status_code == 413
    assert await count(container, webhook_events) == 0


async def test_a_batch_of_status_callbacks_reads_and_locks_its_messages_in_one_statement(
    client, container, settings, worker_ctx, arq_pool
):
    prop = await _hotel(container)
    await make_user(container, prop, email="s@hotel.test")
    await client.login("s@hotel.test", "correct horse")
    guests_phones = [f"+3361234{i:04d}" for i in range(3)]
    for phone in guests_phones:
        await post(client, "/webhooks/twilio/inbound", inbound("hello", sender=phone))
    await process(container, settings, worker_ctx, arq_pool)
    async with container.sessions() as session:
        conversation_ids = list(await session.scalars(select(conversations.c.id)))
    for cid in conversation_ids:
        await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "Hi"})
    with respx.mock:
        respx.post(f"https://twilio.test/2010-04-01/Accounts/{ACCOUNT}/Messages.json").mock(
            side_effect=lambda request: httpx.Response(
                201, json={"sid": "SM" + dict(httpx.QueryParams(request.content.decode()))["To"][1:].rjust(32, "0")}
            )
        )
        await process(container, settings, worker_ctx, arq_pool)
    for phone in guests_phones:
        sid = "SM" + phone[1:].rjust(32, "0")
        for status in ("sent", "delivered"):
            form = {
                "AccountSid": ACCOUNT,
                "From": HOTEL_NUMBER,
                "To": phone,
                "MessageSid": sid,
                "MessageStatus": status,
            }
            assert (await post(client, "/webhooks/twilio/status", form)).status_code == 200

    reads: list[str] = []

    def note(conn, cursor, statement: str, *args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM messages" in statement:
            reads.append(statement)

    engine = worker_ctx["engine"].sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        await process(container, settings, worker_ctx, arq_pool)
    finally:
        event.remove(engine, "before_cursor_execute", note)

    assert len(reads) == 1, reads  # by provider id, locked: not read by provider id, then again by id
    assert "provider_message_id" in reads[0] and "FOR UPDATE" in reads[0]
    async with container.sessions() as session:
        statuses = list(await session.scalars(select(messages.c.status).where(messages.c.direction == "outbound")))
    assert statuses == ["delivered"] * 3
