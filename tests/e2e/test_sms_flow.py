"""SMS end to end through the sandbox Twilio (real HTTP, signed callbacks, a real worker)."""

from __future__ import annotations

import pytest

from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, make_booking, make_property, make_user

pytestmark = pytest.mark.e2e
ACCOUNT = "AC" + "5" * 32


async def test_sms_sent_delivered_reply_threaded_then_stop(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="desk@hotel.test")
    await make_booking(container, prop, ref="PMS-7", phone="+33612345678")
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("desk@hotel.test", "correct horse")
        connected = await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": ACCOUNT,
                "auth_token": "sandbox-token-1",
                "from_number": "+33757000001",
                "api_base_url": f"{sandbox_product.url}/sandbox/twilio",
            },
        )
        assert connected.status_code == 200, connected.text

        inject = {"account_sid": ACCOUNT, "from": "+33612345678", "to": "+33757000001"}
        assert (
            await staff.post("/sandbox/twilio/inject", json={**inject, "body": "Bonjour, une place de parking ?"})
        ).json()["webhook_status"] == 200

        async def first():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        row = await _eventually(first)
        assert row["booking"]["external_ref"] == "PMS-7" and row["channels"] == ["sms"]

        container.clock.advance(minutes=1)  # the test clock stands still otherwise
        sent = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "sms", "body": "Oui, gratuite."}
        )
        assert sent.status_code == 202

        async def delivered():
            thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            message = next(m for m in thread if m["id"] == sent.json()["id"])
            return message if message["status"] == "delivered" else None

        message = await _eventually(delivered)
        assert message["cost"] == {"amount": "0.07900", "currency": "USD"}

        container.clock.advance(minutes=1)
        await staff.post("/sandbox/twilio/inject", json={**inject, "body": "Merci !"})

        async def threaded():
            thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            return [m["body"] for m in thread] if len(thread) == 3 else None

        assert await _eventually(threaded) == ["Bonjour, une place de parking ?", "Oui, gratuite.", "Merci !"]

        await staff.post("/sandbox/twilio/inject", json={**inject, "body": "STOP"})

        async def opted_out():
            state = (await staff.get(f"/api/v1/conversations/{row['id']}")).json()["reply_state"]["sms"]
            return state if state["code"] == "sms_opted_out" else None

        await _eventually(opted_out)
        refused = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "sms", "body": "Are you sure?"}
        )
        assert refused.status_code == 409 and refused.json()["code"] == "sms_opted_out"
        sends = [
            r
            for r in sandbox_product.app.state.sandbox.requests
            if r["provider"] == "twilio" and r["path"].endswith("Messages.json")
        ]
        assert [r["body"]["Body"] for r in sends] == ["Oui, gratuite."]


async def test_undeliverable_number_fails_with_the_carrier_reason(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="desk@hotel.test")
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("desk@hotel.test", "correct horse")
        await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": ACCOUNT,
                "auth_token": "sandbox-token-2",
                "from_number": "+33757000002",
                "api_base_url": f"{sandbox_product.url}/sandbox/twilio",
            },
        )
        await staff.post(
            "/sandbox/twilio/inject",
            json={"account_sid": ACCOUNT, "from": "+33612340007", "to": "+33757000002", "body": "hi"},
        )

        async def first():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        row = await _eventually(first)
        sent = await staff.post(f"/api/v1/conversations/{row['id']}/messages", json={"channel": "sms", "body": "hello"})

        async def failed():
            thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            message = next(m for m in thread if m["id"] == sent.json()["id"])
            return message if message["status"] == "failed" else None

        message = await _eventually(failed)
        assert message["error_code"] == "twilio_30007" and "spam" in message["error_reason"]
