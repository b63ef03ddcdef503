"""Scheduled messages on the real stack: planning, re-planning, cancellation, exactly-once dispatch."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from adapters.db.tables import messages, planned_sends
from domain.channels import Channel
from tests.factories import connect_channel, make_property, make_user
from workers.main import dispatch_planned, sweep_planned

RULE = {
    "name": "Pre-arrival",
    "trigger": "before_check_in",
    "offset_days": 2,
    "send_time": "10:00",
    "channel_order": ["sms"],
    "content": {"default": {"sms_text": "Hello {{ guest.first_name }}, see you on {{ booking.check_in }}."}},
}
BOOKING = {
    "guest": {"first_name": "Ann", "phone": "+33612345678", "language": "en"},
    "check_in": "2026-07-10",
    "check_out": "2026-07-13",
}


async def _hotel(client, container):
    prop = await make_property(container)  # Europe/Paris
    await make_user(container, prop, email="o@hotel.test")
    await connect_channel(container, prop, Channel.SMS)
    await client.login("o@hotel.test", "correct horse")
    return prop


async def _planned(client, **params):
    return (await client.get("/api/v1/planned-sends", params=params)).json()["items"]


async def test_a_booking_is_planned_replanned_when_dates_move_and_cancelled(client, container):
    await _hotel(client, container)
    rule = (await client.post("/api/v1/scheduled-messages", json=RULE)).json()
    await client.put("/api/v1/bookings/B1", json=BOOKING)
    [planned] = await _planned(client)
    assert planned["rule_name"] == "Pre-arrival" and planned["booking_ref"] == "B1" and planned["guest_name"] == "Ann"
    assert planned["due_at"] == "2026-07-08T08:00:00Z" and planned["state"] == "planned"
    await client.put("/api/v1/bookings/B1", json={**BOOKING, "check_in": "2026-07-20", "check_out": "2026-07-22"})
    [moved] = await _planned(client)
    assert moved["id"] == planned["id"] and moved["due_at"] == "2026-07-18T08:00:00Z"
    await client.put("/api/v1/bookings/B1", json={**BOOKING, "status": "cancelled"})
    [cancelled] = await _planned(client, rule_id=rule["id"])
    assert cancelled["state"] == "cancelled" and cancelled["reason"] == "The booking is cancelled."


async def test_the_cancellation_rule_is_planned_when_a_booking_is_cancelled(client, container):
    await _hotel(client, container)
    await client.post(
        "/api/v1/scheduled-messages",
        json={
            **RULE,
            "name": "Sorry to see you go",
            "trigger": "booking_cancelled",
            "offset_days": 0,
            "send_time": None,
        },
    )
    await client.put("/api/v1/bookings/B1", json=BOOKING)
    assert await _planned(client) == []
    await client.put("/api/v1/bookings/B1", json={**BOOKING, "status": "cancelled"})
    [planned] = await _planned(client)
    assert planned["state"] == "planned" and planned["rule_name"] == "Sorry to see you go"


async def test_a_new_or_deactivated_rule_plans_or_cancels_future_sends(client, container):
    await _hotel(client, container)
    await client.put("/api/v1/bookings/B1", json=BOOKING)
    await client.put(
        "/api/v1/bookings/B0", json={**BOOKING, "check_in": "2026-01-01", "check_out": "2026-01-03"}
    )  # long gone
    rule = (await client.post("/api/v1/scheduled-messages", json=RULE)).json()
    assert [p["booking_ref"] for p in await _planned(client)] == ["B1"]
    await client.put(f"/api/v1/scheduled-messages/{rule['id']}", json={**RULE, "active": False})
    assert [p["state"] for p in await _planned(client)] == ["cancelled"]
    await client.put(f"/api/v1/scheduled-messages/{rule['id']}", json={**RULE, "send_time": "11:00"})
    [again] = await _planned(client)
    assert again["state"] == "planned" and again["due_at"] == "2026-07-08T09:00:00Z"


async def test_a_due_time_already_past_is_sent_at_once_only_while_meaningful(client, container):
    await _hotel(client, container)  # the test clock says 15 June 2026, 09:00 UTC
    await client.post("/api/v1/scheduled-messages", json=RULE)
    await client.put("/api/v1/bookings/SOON", json={**BOOKING, "check_in": "2026-06-16", "check_out": "2026-06-18"})
    await client.put(
        "/api/v1/bookings/OVER",
        json={
            **BOOKING,
            "guest": {"first_name": "Bo", "phone": "+33611111111"},
            "check_in": "2026-06-10",
            "check_out": "2026-06-12",
        },
    )
    states = {p["booking_ref"]: p for p in await _planned(client)}
    assert states["SOON"]["state"] == "planned" and states["SOON"]["due_at"] == "2026-06-15T09:00:00Z"
    assert states["OVER"]["state"] == "skipped" and "stay is over" in states["OVER"]["reason"]


async def test_invalid_placeholders_are_422_when_saved(client, container):
    await _hotel(client, container)
    bad = {**RULE, "content": {"default": {"sms_text": "Hi {{ guest.nickname }}"}}}
    response = await client.post("/api/v1/scheduled-messages", json=bad)
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "unknown_placeholder"


async def test_preview_renders_each_channel_for_a_booking(client, container):
    await _hotel(client, container)
    rule = (
        await client.post(
            "/api/v1/scheduled-messages",
            json={
                **RULE,
                "channel_order": ["sms", "email"],
                "content": {
                    "default": {
                        "email_subject": "See you soon, {{ guest.first_name }}",
                        "email_body": "<p>Hello {{ guest.first_name }}</p><p>Room {{ booking.room }}</p>",
                    },
                    "translations": {"fr": {"email_subject": "À bientôt, {{ guest.first_name }}"}},
                },
            },
        )
    ).json()
    await client.put(
        "/api/v1/bookings/B1", json={**BOOKING, "guest": {**BOOKING["guest"], "language": "fr"}, "room": "12"}
    )
    preview = (await client.post(f"/api/v1/scheduled-messages/{rule['id']}/preview", json={"booking_ref": "B1"})).json()
    assert preview["language"] == "fr"
    assert preview["channels"]["email"]["subject"] == "À bientôt, Ann"
    assert preview["channels"]["sms"]["text"] == "Hello Ann\nRoom 12"
    await client.put("/api/v1/bookings/B1", json=BOOKING)  # no room any more
    missing = (await client.post(f"/api/v1/scheduled-messages/{rule['id']}/preview", json={"booking_ref": "B1"})).json()
    assert missing["channels"]["sms"]["ok"] is False and "booking.room" in missing["channels"]["sms"]["problem"]


async def _travel(client, container, to: datetime) -> None:
    """Move the test clock weeks ahead; the staff session would have expired by then, so sign in again."""
    container.clock.set(to)
    await client.login("o@hotel.test", "correct horse")


async def _due_send(client, container):
    prop = await _hotel(client, container)
    await client.post("/api/v1/scheduled-messages", json=RULE)
    await client.put("/api/v1/bookings/B1", json=BOOKING)
    [planned] = await _planned(client)
    await _travel(client, container, datetime(2026, 7, 8, 8, 0, tzinfo=UTC))
    return prop, planned


async def test_dispatch_sends_once_even_when_jobs_race(client, container, worker_ctx):
    prop, planned = await _due_send(client, container)
    prop_id = str(prop.id)
    outcomes = await asyncio.gather(
        *(dispatch_planned(worker_ctx, prop_id, planned["id"]) for _ in range(8)), sweep_planned(worker_ctx)
    )
    # whichever won (a job or the sweep), exactly one claimed and sent it; the others found it busy or sent
    assert outcomes[:-1].count("sent") + outcomes[-1] == 1
    async with container.sessions() as session:
        sent = await session.scalar(
            select(func.count()).select_from(messages).where(messages.c.rule_name == "Pre-arrival")
        )
        row = (await session.execute(select(planned_sends))).mappings().one()
    assert sent == 1 and row["state"] == "sent" and row["message_id"] is not None
    assert row["attempts"] == [{"channel": "sms", "outcome": "used", "reason": None}]
    thread = (await client.get("/api/v1/conversations")).json()["items"]
    assert thread[0]["last_message"]["preview"] == "Hello Ann, see you on Friday 10 July 2026."


async def test_a_job_that_comes_early_does_nothing(client, container, worker_ctx):
    prop, planned = await _due_send(client, container)
    container.clock.set(datetime(2026, 7, 8, 7, 59, tzinfo=UTC))
    assert await dispatch_planned(worker_ctx, str(prop.id), planned["id"]) == "not_due"


async def test_no_usable_channel_skips_with_every_reason(client, container, worker_ctx):
    await _hotel(client, container)
    await client.post(
        "/api/v1/scheduled-messages",
        json={
            **RULE,
            "channel_order": ["whatsapp", "email"],
            "content": {**RULE["content"], "whatsapp_template_id": str(uuid.uuid4())},
        },
    )
    await client.put("/api/v1/bookings/B1", json=BOOKING)
    await _travel(client, container, datetime(2026, 7, 8, 8, 0, tzinfo=UTC))
    assert await sweep_planned(worker_ctx) == 0
    [skipped] = await _planned(client)
    assert skipped["state"] == "skipped"
    assert skipped["attempts"] == [
        {"channel": "whatsapp", "outcome": "skipped", "reason": "whatsapp is not connected."},
        {"channel": "email", "outcome": "skipped", "reason": "email is not connected."},
    ]


async def test_staff_send_now_skip_and_reschedule(client, container, worker_ctx):
    await _hotel(client, container)
    await client.post("/api/v1/scheduled-messages", json=RULE)
    await client.put("/api/v1/bookings/B1", json=BOOKING)
    await client.put("/api/v1/bookings/B2", json={**BOOKING, "guest": {"first_name": "Bo", "phone": "+33611111111"}})
    await client.put("/api/v1/bookings/B3", json={**BOOKING, "guest": {"first_name": "Cy", "phone": "+33622222222"}})
    by_ref = {p["booking_ref"]: p["id"] for p in await _planned(client)}
    assert (await client.post(f"/api/v1/planned-sends/{by_ref['B1']}/send-now")).status_code == 204
    assert await sweep_planned(worker_ctx) == 1
    assert (await client.post(f"/api/v1/planned-sends/{by_ref['B2']}/skip")).status_code == 204
    later = (container.clock.now() + timedelta(days=1)).isoformat()
    assert (
        await client.post(f"/api/v1/planned-sends/{by_ref['B3']}/reschedule", json={"due_at": later})
    ).status_code == 204
    states = {p["booking_ref"]: (p["state"], p["reason"]) for p in await _planned(client)}
    assert states == {"B1": ("sent", None), "B2": ("skipped", "Skipped by staff."), "B3": ("planned", None)}
    again = await client.post(f"/api/v1/planned-sends/{by_ref['B2']}/send-now")
    assert again.status_code == 409 and again.json()["code"] == "planned_send_settled"


async def test_preview_fills_the_whatsapp_template_for_the_booking(client, container):
    prop = await _hotel(client, container)
    from adapters.db.template_store import SqlaTemplateStore
    from domain.templates.model import TemplateStatus

    template = (
        await client.post(
            "/api/v1/whatsapp/templates",
            json={
                "name": "welcome",
                "language": "en",
                "category": "UTILITY",
                "body": "Hello {{1}}, see you on {{2}} at the hotel.",
                "body_variables": [
                    {"index": 1, "placeholder": "guest.first_name", "example": "Ann"},
                    {"index": 2, "placeholder": "booking.check_in", "example": "Monday 14 December 2026"},
                ],
            },
        )
    ).json()
    rule = (
        await client.post(
            "/api/v1/scheduled-messages",
            json={
                **RULE,
                "channel_order": ["whatsapp", "sms"],
                "content": {**RULE["content"], "whatsapp_template_id": template["id"]},
            },
        )
    ).json()
    await client.put("/api/v1/bookings/B1", json=BOOKING)
    draft = (await client.post(f"/api/v1/scheduled-messages/{rule['id']}/preview", json={"booking_ref": "B1"})).json()
    assert draft["channels"]["whatsapp"] == {
        "ok": False,
        "subject": None,
        "text": "Hello Ann, see you on Friday 10 July 2026 at the hotel.",
        "html": None,
        "problem": "The template is draft, not approved.",
    }
    store = SqlaTemplateStore(container.sessions)
    saved = await store.get(prop.id, __import__("uuid").UUID(template["id"]))
    saved.status = TemplateStatus.APPROVED
    await store.save(saved)
    approved = (
        await client.post(f"/api/v1/scheduled-messages/{rule['id']}/preview", json={"booking_ref": "B1"})
    ).json()
    assert approved["channels"]["whatsapp"]["ok"] is True
