"""Outgoing-webhook subscriptions over the API, and events captured in the transaction of their change."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from adapters.db.tables import outgoing_webhook_deliveries, outgoing_webhook_events, outgoing_webhook_subscriptions
from adapters.db.webhook_subscriptions_store import fan_out
from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_property, make_user

URL = "http://127.0.0.1:9/hooks"


async def _hotel(client, container, role="owner"):
    prop = await make_property(container)
    user = await make_user(container, prop, role=role, email=f"{role}@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await client.login(f"{role}@hotel.test", "correct horse")
    return prop, user


async def test_the_secret_is_shown_once_and_kept_encrypted(client, container):
    await _hotel(client, container)
    created = await client.post(
        "/api/v1/webhook-subscriptions", json={"url": URL, "event_types": ["message.received"], "description": "CRM"}
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    listed = (await client.get("/api/v1/webhook-subscriptions")).json()
    assert listed[0]["description"] == "CRM" and "secret" not in listed[0]
    async with container.sessions() as session:
        stored = (await session.execute(select(outgoing_webhook_subscriptions.c.secret))).scalar_one()
    assert secret.encode() not in stored and container.secret_box.open(stored) == {"secret": secret}


async def test_bad_subscriptions_are_refused_with_codes(client, container):
    await _hotel(client, container)
    plain = await client.post(
        "/api/v1/webhook-subscriptions", json={"url": "http://crm.example.com/in", "event_types": ["message.status"]}
    )
    assert plain.status_code == 422 and plain.json()["errors"][0]["code"] == "https_required"
    unknown = await client.post("/api/v1/webhook-subscriptions", json={"url": URL, "event_types": ["message.gone"]})
    assert unknown.status_code == 422


async def test_agents_cannot_manage_subscriptions(client, container):
    await _hotel(client, container, role="agent")
    response = await client.post("/api/v1/webhook-subscriptions", json={"url": URL, "event_types": ["message.status"]})
    assert response.status_code == 403


async def test_events_are_captured_with_the_change_and_fanned_out_by_type(client, container):
    prop, user = await _hotel(client, container)
    wanted = (
        await client.post("/api/v1/webhook-subscriptions", json={"url": URL, "event_types": ["conversation.assigned"]})
    ).json()
    result = await guest_writes(container, prop, "+33612345678", "Hello")
    await client.post(f"/api/v1/conversations/{result.conversation.id}/assign", json={"user_id": str(user.id)})
    async with container.sessions() as session:
        events = (await session.execute(select(outgoing_webhook_events))).mappings().all()
        assert [e["event_type"] for e in events] == ["message.received", "conversation.assigned"]
        assert events[0]["payload"]["body"] == "Hello"
        assert events[1]["payload"]["assignee_id"] == str(user.id)
        assert await fan_out(session, container.clock.now()) == 1  # only the subscribed type
        await session.commit()
    async with container.sessions() as session:
        assert (await session.execute(select(outgoing_webhook_events))).first() is None
        [delivery] = (await session.execute(select(outgoing_webhook_deliveries))).mappings().all()
    assert delivery["subscription_id"].hex == wanted["id"].replace("-", "")
    assert delivery["payload"]["type"] == "conversation.assigned" and delivery["state"] == "pending"

    log = (await client.get(f"/api/v1/webhook-subscriptions/{wanted['id']}/deliveries")).json()
    assert log[0]["event_type"] == "conversation.assigned" and log[0]["attempt_log"] == []
    again = await client.post(f"/api/v1/webhook-subscriptions/{wanted['id']}/deliveries/{log[0]['id']}/redeliver")
    assert again.status_code == 202
    log = (await client.get(f"/api/v1/webhook-subscriptions/{wanted['id']}/deliveries")).json()
    assert len(log) == 2 and log[0]["redelivery_of"] == log[1]["id"] and log[0]["event_id"] == log[1]["event_id"]


async def test_a_rolled_back_change_announces_nothing(container):
    prop = await make_property(container)
    async with container.uow() as uow:
        from domain.services.inbound import InboundMessage, record_inbound

        await record_inbound(
            uow, prop.id, InboundMessage(Channel.SMS, "SM1", container.clock.now(), "Hi", phone="+33612345678")
        )
        await uow.flush()
        await uow.rollback()
    async with container.sessions() as session:
        assert (await session.execute(select(outgoing_webhook_events))).first() is None


async def test_another_property_s_subscription_is_not_found(client, container):
    await _hotel(client, container)
    other = await make_property(container, "Other")
    await make_user(container, other, email="other@hotel.test")
    async with client.__class__(transport=client._transport, base_url="http://testserver") as second:
        await second.login("other@hotel.test", "correct horse")
        theirs = (
            await second.post("/api/v1/webhook-subscriptions", json={"url": URL, "event_types": ["message.status"]})
        ).json()
    assert (await client.get(f"/api/v1/webhook-subscriptions/{theirs['id']}/deliveries")).status_code == 404
    assert (
        await client.patch(f"/api/v1/webhook-subscriptions/{theirs['id']}", json={"active": False})
    ).status_code == 404
    assert (await client.delete(f"/api/v1/webhook-subscriptions/{theirs['id']}")).status_code == 404


def test_openapi_documents_the_webhooks_with_their_payloads(app):
    spec = app.openapi()
    assert set(spec["webhooks"]) == {
        "message.received",
        "message.status",
        "conversation.assigned",
        "scheduled_send.done",
    }
    received = spec["webhooks"]["message.received"]["post"]
    assert "X-GMC-Signature" in received["description"]
    schema_ref = received["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert {"id", "type", "created_at", "property_id", "data"} <= set(schema["properties"])


async def test_status_changes_and_settled_planned_sends_are_captured(container):
    from datetime import timedelta

    from domain.model import Message
    from domain.scheduling.model import PlannedSend, ScheduledRule
    from tests.factories import make_booking

    prop = await make_property(container)
    await _subscribe(container, prop)
    booking = await make_booking(container, prop)
    written = await guest_writes(container, prop, "+33612345678", "Hello")
    now = container.clock.now()
    async with container.uow() as uow:
        message = Message(prop.id, written.conversation.id, "sms", "outbound", "text", "Hi", "queued", "user", now)
        uow.messages.add(message)
        rule = ScheduledRule(prop.id, "Welcome", "before_check_in", ["sms"], {}, created_at=now, updated_at=now)
        uow.rules.add(rule)
        await uow.flush()
        planned = PlannedSend(
            prop.id, rule.id, booking.booking.id, now + timedelta(days=1), created_at=now, updated_at=now
        )
        uow.planned.add(planned)
        await uow.commit()
    async with container.uow() as uow:
        sent = await uow.messages.get(prop.id, message.id, lock=True)
        sent.status, sent.status_changed_at = "sent", now
        again = await uow.planned.get(prop.id, planned.id, lock=True)
        again.state, again.reason, again.message_id = "sent", None, message.id
        await uow.commit()
    async with container.sessions() as session:
        events = (await session.execute(select(outgoing_webhook_events))).mappings().all()
    by_type = {e["event_type"]: e["payload"] for e in events}
    assert set(by_type) == {"message.received", "message.status", "scheduled_send.done"}  # a new queued send: none
    assert by_type["message.status"] == {**by_type["message.status"], "status": "sent", "previous_status": "queued"}
    assert by_type["scheduled_send.done"]["state"] == "sent"
    assert by_type["scheduled_send.done"]["message_id"] == str(message.id)


async def _subscribe(container, prop) -> None:
    now = container.clock.now()
    async with container.sessions() as session:
        await session.execute(
            outgoing_webhook_subscriptions.insert().values(
                id=uuid.uuid4(),
                property_id=prop.id,
                url=URL,
                event_types=["message.status"],
                secret=b"x",
                created_at=now,
                updated_at=now,
            )
        )
        await session.commit()


async def test_a_property_without_subscriptions_writes_no_event_rows(container):
    quiet, subscribed = await make_property(container, "Quiet"), await make_property(container, "Subscribed")
    await _subscribe(container, subscribed)
    await guest_writes(container, quiet, "+33612345678", "Hello")
    await guest_writes(container, subscribed, "+33612345679", "Hello")
    async with container.sessions() as session:
        events = (await session.execute(select(outgoing_webhook_events))).mappings().all()
    assert [(e["property_id"], e["event_type"]) for e in events] == [(subscribed.id, "message.received")]


async def test_only_subscribed_properties_get_events_even_within_one_transaction(client, container):
    subscribed, _ = await _hotel(client, container)
    quiet = await make_property(container, "No subscriptions")
    assert (
        await client.post("/api/v1/webhook-subscriptions", json={"url": URL, "event_types": ["message.received"]})
    ).status_code == 201
    from domain.services.inbound import InboundMessage, record_inbound

    async with container.uow() as uow:  # one transaction with both properties' changes
        for prop, sid in ((quiet, "SMq"), (subscribed, "SMs"), (quiet, "SMq2")):
            await record_inbound(
                uow, prop.id, InboundMessage(Channel.SMS, sid, container.clock.now(), sid, phone="+33612345670")
            )
        await uow.commit()
    async with container.sessions() as session:
        events = (await session.execute(select(outgoing_webhook_events))).mappings().all()
    assert [(e["property_id"], e["payload"]["body"]) for e in events] == [(subscribed.id, "SMs")]
