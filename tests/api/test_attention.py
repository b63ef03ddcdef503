from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from adapters.db.tables import outbox_events
from domain.channels import Channel
from domain.message_status import MessageStatus
from domain.scheduling.model import PlannedSend, ScheduledRule, SendState
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user


async def _setup(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="staff@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await connect_channel(container, prop, Channel.SMS)
    await client.login("staff@hotel.test", "correct horse")
    return prop


async def _sent_then(
    container, client, prop, *, status="failed", code="whatsapp_131026", reason="Undeliverable.", failed_at=None
):
    """A staff reply the delivery recorded as failed (or held), as the send pipeline leaves it."""
    cid = (await guest_writes(container, prop, "+33612345678", "Hello")).conversation.id
    container.clock.advance(minutes=1)
    sent = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "Hi!"})
    assert sent.status_code == 202
    async with container.uow() as uow:
        message = await uow.messages.get(prop.id, sent.json()["id"])
        message.status, message.error_code, message.error_reason = status, code, reason
        message.attempts, message.status_changed_at = 3, failed_at or container.clock.now()
        await uow.commit()
    return cid, sent.json()["id"]


async def _queue(client, **params):
    answer = await client.get("/api/v1/attention", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_failed_send_is_listed_with_reason_and_retried_back_to_the_outbox(client, container):
    prop = await _setup(client, container)
    cid, mid = await _sent_then(container, client, prop)
    queue = await _queue(client)
    assert queue["counts"] == {"failed_send": 1, "held_send": 0, "skipped_scheduled": 0, "waiting_reply": 0}
    [item] = queue["items"]
    assert item["kind"] == "failed_send" and item["id"] == mid and item["conversation_id"] == str(cid)
    assert item["reason"] == "Undeliverable." and item["code"] == "whatsapp_131026" and item["channel"] == "whatsapp"
    assert item["guest_name"] == "+33612345678" and item["preview"] == "Hi!"
    assert item["remedies"] == [
        {"action": "retry", "channel": None},
        {"action": "resend", "channel": "sms"},
        {"action": "open", "channel": None},
        {"action": "dismiss", "channel": None},
    ]
    async with container.sessions() as session:
        before = await session.scalar(select(func.count()).select_from(outbox_events))
    retried = await client.post(f"/api/v1/attention/messages/{mid}/retry")
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    assert retried.json()["error_code"] is None
    async with container.uow() as uow:
        message = await uow.messages.get(prop.id, mid)
        assert message.status == MessageStatus.QUEUED and message.attempts == 0
    async with container.sessions() as session:
        events = (
            await session.execute(select(outbox_events.c.topic, outbox_events.c.payload).order_by(outbox_events.c.id))
        ).all()
        assert len(events) == before + 1 and events[-1][0] == "message.send"
        assert events[-1][1]["message_id"] == mid and events[-1][1]["job_suffix"].startswith("retry-")
    assert (await _queue(client))["total"] == 0
    again = await client.post(f"/api/v1/attention/messages/{mid}/retry")
    assert again.status_code == 409 and again.json()["code"] == "message_not_failed"


async def test_window_closed_refuses_retry_and_resend_over_sms_keeps_the_text(client, container):
    prop = await _setup(client, container)
    cid, mid = await _sent_then(container, client, prop, code="whatsapp_131047", reason="Re-engagement message.")
    container.clock.advance(hours=25)
    [item] = (await _queue(client))["items"]
    assert [r["action"] for r in item["remedies"]] == ["resend", "open", "dismiss"]
    assert "24-hour window" in item["retry_refused"]
    refused = await client.post(f"/api/v1/attention/messages/{mid}/retry")
    assert refused.status_code == 409 and refused.json()["code"] == "whatsapp_window_closed"
    by_email = await client.post(f"/api/v1/attention/messages/{mid}/resend", json={"channel": "email"})
    assert by_email.status_code == 409 and by_email.json()["code"] == "channel_not_connected"
    same = await client.post(f"/api/v1/attention/messages/{mid}/resend", json={"channel": "whatsapp"})
    assert same.status_code == 422 and same.json()["errors"][0]["code"] == "same_channel"

    resent = await client.post(f"/api/v1/attention/messages/{mid}/resend", json={"channel": "sms"})
    assert resent.status_code == 202, resent.text
    assert resent.json()["channel"] == "sms" and resent.json()["body"] == "Hi!" and resent.json()["status"] == "queued"
    assert (await _queue(client))["total"] == 0
    thread = (await client.get(f"/api/v1/conversations/{cid}/messages")).json()["items"]
    assert [(m["channel"], m["status"]) for m in thread] == [
        ("whatsapp", "received"),
        ("whatsapp", "failed"),
        ("sms", "queued"),
    ]


async def test_held_send_offers_reconnect_and_a_resend_replaces_it(client, container):
    prop = await _setup(client, container)
    _, mid = await _sent_then(
        container, client, prop, status="queued", code="channel_paused", reason="Reconnect WhatsApp."
    )
    [item] = (await _queue(client))["items"]
    assert item["kind"] == "held_send" and item["reason"] == "Reconnect WhatsApp."
    assert [(r["action"], r["channel"]) for r in item["remedies"]] == [
        ("resend", "sms"),
        ("reconnect", "whatsapp"),
        ("open", None),
    ]
    assert (await client.post(f"/api/v1/attention/held_send/{mid}/dismiss")).status_code == 409
    assert (await client.post(f"/api/v1/attention/messages/{mid}/resend", json={"channel": "sms"})).status_code == 202
    async with container.uow() as uow:
        original = await uow.messages.get(prop.id, mid)
        assert original.status == MessageStatus.FAILED and original.error_code == "replaced"
    assert (await _queue(client))["total"] == 0  # the replaced original does not come back as a failure


async def test_guest_waiting_past_the_property_threshold(client, container):
    prop = await _setup(client, container)
    cid = (await guest_writes(container, prop, "+33612345678", "Is breakfast included?")).conversation.id
    assert (await client.get("/api/v1/attention/settings")).json() == {"reply_after_minutes": 120}
    container.clock.advance(minutes=119)
    assert (await _queue(client))["total"] == 0
    container.clock.advance(minutes=2)
    [item] = (await _queue(client))["items"]
    assert item["kind"] == "waiting_reply" and item["id"] == str(cid) and item["preview"] == "Is breakfast included?"
    assert item["remedies"] == [{"action": "open", "channel": None}]

    bad = await client.put("/api/v1/attention/settings", json={"reply_after_minutes": 1})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "reply_after_minutes"
    assert (await client.put("/api/v1/attention/settings", json={"reply_after_minutes": 240})).status_code == 200
    assert (await _queue(client))["total"] == 0
    await client.put("/api/v1/attention/settings", json={"reply_after_minutes": 60})
    assert (await _queue(client))["counts"]["waiting_reply"] == 1
    await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "Yes it is."})
    assert (await _queue(client))["total"] == 0


async def test_skipped_scheduled_message_is_listed_and_dismissed(client, container):
    prop = await _setup(client, container)
    booking = (await make_booking(container, prop, ref="PMS-3", phone="+33612345678")).booking
    now = container.clock.now()
    rule = ScheduledRule(prop.id, "Door code", "before_check_in", ["sms"], {"default": {"sms_text": "x"}})
    rule.created_at = rule.updated_at = now
    skipped = PlannedSend(prop.id, rule.id, booking.id, now, SendState.SKIPPED, "No channel could reach the guest")
    by_staff = PlannedSend(prop.id, rule.id, booking.id, now, SendState.SKIPPED, "Skipped by staff.")
    async with container.uow() as uow:
        uow.rules.add(rule)
        await uow.flush()
        uow.planned.add(skipped)
        skipped.created_at = skipped.updated_at = now
        await uow.commit()
    assert by_staff.reason  # a staff skip never joins the queue (not stored: one per rule and booking)
    [item] = (await _queue(client))["items"]
    assert item["kind"] == "skipped_scheduled" and item["preview"] == "Door code"
    assert item["reason"] == "No channel could reach the guest" and item["conversation_id"] is None
    assert [r["action"] for r in item["remedies"]] == ["dismiss"]
    assert (await client.post(f"/api/v1/attention/skipped_scheduled/{skipped.id}/dismiss")).status_code == 204
    assert (await _queue(client))["total"] == 0


async def test_keyset_pages_filter_by_kind_and_property_scope(client, container):
    prop = await _setup(client, container)
    ids = []
    for _ in range(3):
        ids.append((await _sent_then(container, client, prop))[1])
        container.clock.advance(minutes=1)
    await guest_writes(container, prop, "+33698765432", "Anyone there?")
    container.clock.advance(hours=3)  # this other guest now waits for a reply
    page1 = await _queue(client, limit=2, kind="failed_send")
    page2 = await _queue(client, limit=2, kind="failed_send", cursor=page1["next_cursor"])
    assert [i["id"] for i in page1["items"] + page2["items"]] == list(reversed(ids))
    assert page2["next_cursor"] is None and page1["counts"]["failed_send"] == 3
    assert page1["counts"]["waiting_reply"] == 1 and page1["total"] == 4
    assert (await client.get("/api/v1/attention", params={"cursor": "nonsense"})).status_code == 422

    other = await make_property(container, name="Other")
    await make_user(container, other, email="other@hotel.test")
    await client.post("/api/v1/auth/logout")
    await client.login("other@hotel.test", "correct horse")
    assert (await _queue(client))["total"] == 0
    assert (await client.post(f"/api/v1/attention/messages/{ids[0]}/retry")).status_code == 404
    assert (await client.post(f"/api/v1/attention/failed_send/{ids[0]}/dismiss")).status_code == 404


async def test_dismissed_failure_leaves_the_queue(client, container):
    prop = await _setup(client, container)
    _, mid = await _sent_then(container, client, prop)
    assert (await client.post(f"/api/v1/attention/failed_send/{mid}/dismiss")).status_code == 204
    assert (await _queue(client))["counts"]["failed_send"] == 0
    assert (await client.post("/api/v1/attention/waiting_reply/" + mid + "/dismiss")).status_code == 409
    # failures older than the horizon are no longer listed
    _, old = await _sent_then(container, client, prop, failed_at=container.clock.now() - timedelta(days=15))
    assert old not in {i["id"] for i in (await _queue(client, kind="failed_send"))["items"]}
