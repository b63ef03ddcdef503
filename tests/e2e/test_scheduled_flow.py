"""Scheduled pre-arrival messages end to end through the sandbox: the worker's deferred jobs and sweep,
the channel order with fallback, and the sent messages in the guests' conversations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, make_property, make_user

pytestmark = pytest.mark.e2e

TEMPLATE = {
    "name": "pre_arrival",
    "language": "en",
    "category": "UTILITY",
    "body": "Hello {{1}}, we look forward to welcoming you on {{2}}, safe travels.",
    "body_variables": [
        {"index": 1, "placeholder": "guest.first_name", "example": "Ann"},
        {"index": 2, "placeholder": "booking.check_in", "example": "Monday 14 December 2026"},
    ],
}


async def test_pre_arrival_by_whatsapp_template_and_by_sms_when_whatsapp_cannot_reach(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="owner@hotel.test")
    base = sandbox_product.url
    async with StaffClient(base_url=base) as staff:
        await staff.login("owner@hotel.test", "correct horse")
        await staff.put(
            "/api/v1/channels/whatsapp",
            json={
                "waba_id": "SBX-W",
                "phone_number_id": "100000000000020",
                "access_token": "sandbox-token-1",
                "verify_token": "verify-token-1",
                "api_base_url": f"{base}/sandbox/whatsapp",
            },
        )
        await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": "AC" + "7" * 32,
                "auth_token": "sandbox-token-7",
                "from_number": "+33757000020",
                "api_base_url": f"{base}/sandbox/twilio",
            },
        )
        tid = (await staff.post("/api/v1/whatsapp/templates", json=TEMPLATE)).json()["id"]
        await staff.post(f"/api/v1/whatsapp/templates/{tid}/submit")

        async def approved():
            return (await staff.get(f"/api/v1/whatsapp/templates/{tid}")).json()["status"] == "approved"

        await _eventually(approved)
        rule = await staff.post(
            "/api/v1/scheduled-messages",
            json={
                "name": "Pre-arrival",
                "trigger": "before_check_in",
                "offset_days": 2,
                "send_time": "10:00",
                "channel_order": ["whatsapp", "sms"],
                "content": {
                    "whatsapp_template_id": tid,
                    "default": {"sms_text": "Hello {{ guest.first_name }}, see you on {{ booking.check_in }}!"},
                },
            },
        )
        assert rule.status_code == 201, rule.text
        await staff.put(
            "/api/v1/bookings/WA-1",
            json={
                "guest": {"first_name": "Ann", "phone": "+447911123456", "language": "en"},
                "check_in": "2026-07-10",
                "check_out": "2026-07-12",
            },
        )
        # this guest told us not to use WhatsApp: the rule falls back to SMS
        await staff.put(
            "/api/v1/bookings/SMS-1",
            json={
                "guest": {"first_name": "Bo", "phone": "+33612345678", "language": "en"},
                "check_in": "2026-07-10",
                "check_out": "2026-07-12",
            },
        )
        async with container.uow() as uow:
            bo = await uow.guests.by_phone(prop.id, "+33612345678")
            bo.opt_outs = {"whatsapp": {"at": "2026-06-15T09:00:00+00:00", "source": "staff"}}
            await uow.commit()

        planned = (await staff.get("/api/v1/planned-sends")).json()["items"]
        assert {p["booking_ref"]: p["due_at"] for p in planned} == {
            "WA-1": "2026-07-08T08:00:00Z",
            "SMS-1": "2026-07-08T08:00:00Z",
        }

        container.clock.set(datetime(2026, 7, 8, 8, 0, 5, tzinfo=UTC))  # the due minute has come
        await staff.login("owner@hotel.test", "correct horse")

        async def all_sent():
            items = (await staff.get("/api/v1/planned-sends")).json()["items"]
            return items if all(p["state"] == "sent" for p in items) else None

        sent = {p["booking_ref"]: p for p in await _eventually(all_sent, timeout=30)}
        assert sent["WA-1"]["attempts"] == [{"channel": "whatsapp", "outcome": "used", "reason": None}]
        assert sent["SMS-1"]["attempts"] == [
            {"channel": "whatsapp", "outcome": "skipped", "reason": "The guest opted out of whatsapp."},
            {"channel": "sms", "outcome": "used", "reason": None},
        ]

        async def delivered():
            rows = (await staff.get("/api/v1/conversations")).json()["items"]
            threads = {
                r["guest"]["first_name"]: (await staff.get(f"/api/v1/conversations/{r['id']}/messages")).json()["items"]
                for r in rows
            }
            done = all(t and t[-1]["status"] in ("delivered", "read") for t in threads.values())
            return threads if done and len(threads) == 2 else None

        threads = await _eventually(delivered, timeout=30)
        ann, bo_thread = threads["Ann"][-1], threads["Bo"][-1]
        assert (ann["channel"], ann["kind"], ann["rule_name"]) == ("whatsapp", "scheduled", "Pre-arrival")
        assert ann["body"] == "Hello Ann, we look forward to welcoming you on Friday 10 July 2026, safe travels."
        assert (bo_thread["channel"], bo_thread["rule_name"], bo_thread["body"]) == (
            "sms",
            "Pre-arrival",
            "Hello Bo, see you on Friday 10 July 2026!",
        )
        sandbox = sandbox_product.app.state.sandbox
        wa_sends = [r for r in sandbox.requests if r["path"].endswith("/messages") and r["provider"] == "whatsapp"]
        sms_sends = [r for r in sandbox.requests if r["path"].endswith("Messages.json")]
        assert (
            len(wa_sends) == 1 and wa_sends[0]["body"]["type"] == "template" and len(sms_sends) == 1
        )  # exactly once each
