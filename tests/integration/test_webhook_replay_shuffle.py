"""Webhooks from every provider replayed 3 times in shuffled order leave the same state as one ordered delivery.

A realistic morning: WhatsApp guest messages and the statuses of our replies (sent, delivered, read, failed),
Twilio inbound SMS and status callbacks (delivered, undelivered), Airbnb guest messages, all signed as the
providers sign them, posted to our webhook endpoints and processed by the real worker jobs. The state is read
back through the API (inbox, threads with statuses, unread counts) and compared without ids."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import text, update

from adapters.db.tables import channel_connections, metadata
from adapters.twilio.signature import compute
from adapters.whatsapp.signature import sign
from domain.channels import Channel
from tests import whatsapp_payloads as wa
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user
from tests.integration.test_whatsapp_webhooks import process

T0 = 1781514000  # the test clock's start, 15 June 2026 09:00 UTC
META_SECRET = "test-meta-app-secret"
AIRBNB_SECRET = "airbnb-replay-secret"
ACCOUNT = "AC" + "1" * 32
TWILIO_TOKEN = "12345"
HOTEL_SMS = "+15017122661"
AIRBNB_HOST = "host-4242"
GRAPH = f"https://graph.test/v21.0/{wa.PHONE_NUMBER_ID}/messages"
TWILIO = f"https://twilio.test/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
WA_GUEST, WA_NEW_GUEST = "33612345678", "33698765432"
SMS_GUEST, SMS_NEW_GUEST = "+33611112222", "+33633334444"


@dataclass(frozen=True)
class Delivery:
    """One webhook as the provider posts it."""

    path: str
    body: bytes
    headers: dict[str, str]


def _whatsapp(value: dict[str, Any]) -> Delivery:
    body = json.dumps(wa.envelope(value)).encode()
    return Delivery(
        "/webhooks/whatsapp", body, {"content-type": "application/json", "x-hub-signature-256": sign(META_SECRET, body)}
    )


def _twilio(kind: str, form: dict[str, str]) -> Delivery:
    path = f"/webhooks/twilio/{kind}"
    signature = compute(f"http://testserver{path}", list(form.items()), TWILIO_TOKEN)
    return Delivery(
        path,
        httpx.QueryParams(form).__str__().encode(),
        {"content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature},
    )


def _airbnb(message_id: str, body: str, at: int) -> Delivery:
    payload = {
        "host_id": AIRBNB_HOST,
        "thread_id": "thread-77",
        "message": {
            "id": message_id,
            "body": body,
            "sent_at": at,
            "sender_role": "guest",
            "sender": {"first_name": "Léa"},
        },
        "reservation": {"confirmation_code": "HMZX42", "status": "accepted"},
    }
    raw = json.dumps(payload).encode()
    digest = hmac.new(AIRBNB_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return Delivery(
        "/webhooks/airbnb", raw, {"content-type": "application/json", "x-airbnb-signature": f"sha256={digest}"}
    )


def _sms_status(sid: str, to: str, status: str, **extra: str) -> Delivery:
    form = {"AccountSid": ACCOUNT, "ApiVersion": "2010-04-01", "From": HOTEL_SMS, "To": to, "MessageSid": sid}
    return _twilio("status", {**form, "SmsSid": sid, "MessageStatus": status, "SmsStatus": status, **extra})


def _sms_inbound(sid: str, sender: str, body: str) -> Delivery:
    form = {"AccountSid": ACCOUNT, "ApiVersion": "2010-04-01", "Body": body, "From": sender, "To": HOTEL_SMS}
    return _twilio("inbound", {**form, "MessageSid": sid, "SmsSid": sid, "NumMedia": "0", "FromCountry": "FR"})


def _morning() -> list[Delivery]:
    """The day's webhooks, in the order the providers sent them."""
    at = T0 + 600
    failed = [{"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable"}]
    return [
        _wa_text("wamid.IN1", "Hello, can we check in early?", WA_GUEST, "Sheena", at + 1),
        _whatsapp(wa.status("wamid.OUT-wa-1", "sent", at + 2)),
        _sms_inbound("SM" + "1" * 32, SMS_GUEST, "Running late, arriving 23:00"),
        _whatsapp(wa.status("wamid.OUT-wa-1", "delivered", at + 3)),
        _sms_status("SMout-sms-1", SMS_GUEST, "sent"),
        _airbnb("abnb-1", "Is breakfast included?", at + 4),
        _whatsapp(wa.status("wamid.OUT-wa-2", "sent", at + 5)),
        _wa_text("wamid.IN2", "Bonjour !", WA_NEW_GUEST, "Marc", at + 6),
        _sms_status("SMout-sms-1", SMS_GUEST, "delivered", Price="-0.07900", PriceUnit="USD"),
        _whatsapp(wa.status("wamid.OUT-wa-1", "read", at + 7)),
        _sms_status("SMout-sms-2", SMS_GUEST, "sent"),
        _whatsapp(wa.status("wamid.OUT-wa-2", "failed", at + 8, errors=failed)),
        _sms_inbound("SM" + "2" * 32, SMS_NEW_GUEST, "Do you have parking?"),
        _airbnb("abnb-2", "And a late checkout?", at + 9),
        _sms_status("SMout-sms-2", SMS_GUEST, "undelivered", ErrorCode="30007"),
        _wa_text("wamid.IN3", "Thanks!", WA_GUEST, "Sheena", at + 10),
    ]


def _wa_text(wamid: str, body: str, wa_id: str, name: str, at: int) -> Delivery:
    value = wa.text(wamid, body, wa_id=wa_id, name=name)
    value["messages"][0]["timestamp"] = str(at)
    return _whatsapp(value)


async def _hotel(client, container, settings, worker_ctx, arq_pool) -> None:
    """The same hotel each time: guests who wrote earlier, and four replies whose statuses will come in."""
    settings.airbnb_webhook_secret = AIRBNB_SECRET
    prop = await make_property(container)
    await make_user(container, prop, email="r@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await connect_channel(container, prop, Channel.SMS, settings={"from_number": HOTEL_SMS})
    await connect_channel(container, prop, Channel.AIRBNB, settings={"host_id": AIRBNB_HOST})
    async with container.sessions() as session:  # Airbnb webhooks are routed by the host's id
        await session.execute(
            update(channel_connections).where(channel_connections.c.channel == "airbnb").values(external_id=AIRBNB_HOST)
        )
        await session.commit()
    # Léa's Airbnb stay is known (the reservation sync brought it); her messages join its conversation
    await make_booking(
        container, prop, "AB-1", "Léa", "Martin", phone=None, source="airbnb", confirmation_code="HMZX42"
    )
    wa_cid = (await guest_writes(container, prop, "+" + WA_GUEST, "Hi", name="Sheena")).conversation.id
    sms_cid = (await guest_writes(container, prop, SMS_GUEST, "Hi", channel=Channel.SMS)).conversation.id
    container.clock.advance(minutes=1)
    await client.login("r@hotel.test", "correct horse")
    for cid, channel, bodies in ((wa_cid, "whatsapp", ("wa-1", "wa-2")), (sms_cid, "sms", ("sms-1", "sms-2"))):
        for body in bodies:
            sent = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": channel, "body": body})
            assert sent.status_code == 202, sent.text
    with respx.mock(assert_all_mocked=True) as provider:
        provider.post(GRAPH).mock(
            side_effect=lambda r: httpx.Response(
                200, json={"messages": [{"id": "wamid.OUT-" + json.loads(r.content)["text"]["body"]}]}
            )
        )
        provider.post(TWILIO).mock(
            side_effect=lambda r: httpx.Response(
                201, json={"sid": "SMout-" + dict(httpx.QueryParams(r.content.decode()))["Body"], "status": "queued"}
            )
        )
        await process(container, settings, worker_ctx, arq_pool)
    container.clock.advance(minutes=9)


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_ids(v)
            for k, v in value.items()
            if k != "id" and not (k.endswith("_id") and k != "provider_message_id") and k != "next_cursor"
        }
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


async def _snapshot(client) -> dict[str, Any]:
    inbox = (await client.get("/api/v1/conversations", params={"limit": 100})).json()["items"]
    threads = {}
    for conversation in inbox:
        page = (await client.get(f"/api/v1/conversations/{conversation['id']}/messages", params={"limit": 100})).json()
        # messages stamped at the same instant have no order of their own (Twilio sends no timestamp)
        items = sorted(_without_ids(page["items"]), key=lambda m: (m["created_at"], json.dumps(m, sort_keys=True)))
        threads[json.dumps(_without_ids(conversation["guest"]), sort_keys=True)] = items
    conversations = sorted((_without_ids(c) for c in inbox), key=lambda c: json.dumps(c["guest"], sort_keys=True))
    unread = (await client.get("/api/v1/conversations/unread")).json()
    return {"conversations": conversations, "threads": threads, "unread": unread}


async def _fresh_database(container, worker_ctx) -> None:
    """Empty tables and Redis, and processes that forget what they remembered: a new deployment."""
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with container.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await container.redis.flushdb()
    # the number -> property routing is remembered for 30 s by the API and the worker; the new
    # property's id differs, so the old answer must go
    container.routes.forget()
    if worker_ctx.get("routes") is not None:
        worker_ctx["routes"].forget()


@pytest.mark.parametrize("seed", [8, 2026])
async def test_shuffled_triple_replay_equals_one_ordered_delivery(
    client, container, settings, worker_ctx, arq_pool, seed
):
    morning = _morning()
    start = container.clock.now()

    await _hotel(client, container, settings, worker_ctx, arq_pool)
    for delivery in morning:
        response = await client.post(delivery.path, content=delivery.body, headers=delivery.headers)
        assert response.status_code == 200, (delivery.body[:400], response.text)
        await process(container, settings, worker_ctx, arq_pool)
    ordered = await _snapshot(client)

    await _fresh_database(container, worker_ctx)
    container.clock._at = start  # the same morning again, from the same instant
    client.cookies.clear()
    await _hotel(client, container, settings, worker_ctx, arq_pool)
    replay = morning * 3
    rng = random.Random(seed)
    rng.shuffle(replay)
    for delivery in replay:
        response = await client.post(delivery.path, content=delivery.body, headers=delivery.headers)
        assert response.status_code == 200, (delivery.body[:400], response.text)
        if rng.random() < 0.3:  # the worker catches up at random points: batches of every size and mix
            await process(container, settings, worker_ctx, arq_pool)
    await process(container, settings, worker_ctx, arq_pool)
    shuffled = await _snapshot(client)

    assert shuffled == ordered
    # and the ordered state is the one the morning describes
    statuses = {
        m["body"]: (m["status"], m.get("error_code"))
        for thread in ordered["threads"].values()
        for m in thread
        if m["direction"] == "outbound"
    }
    assert statuses["wa-1"][0] == "read" and statuses["wa-2"][0] == "failed"
    assert statuses["sms-1"][0] == "delivered" and statuses["sms-2"] == ("failed", "twilio_30007")
    inbound = sorted(m["body"] for t in ordered["threads"].values() for m in t if m["direction"] == "inbound")
    assert inbound == sorted(
        [
            "Hi",
            "Hi",
            "Hello, can we check in early?",
            "Bonjour !",
            "Thanks!",
            "Running late, arriving 23:00",
            "Do you have parking?",
            "Is breakfast included?",
            "And a late checkout?",
        ]
    )
    assert len(ordered["conversations"]) == 5 and ordered["unread"]["messages"] == 9
