"""The spending cap end to end: paid sends held at the cap, released when it is raised, each sent once."""

from __future__ import annotations

import asyncio

import pytest

from domain.spending import SMS_SEGMENT_ESTIMATE
from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, make_property, make_user

pytestmark = pytest.mark.e2e
ACCOUNT = "AC" + "6" * 32


async def test_sends_past_the_cap_wait_and_go_out_once_when_the_cap_is_raised(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="owner@hotel.test")
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("owner@hotel.test", "correct horse")
        connected = await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": ACCOUNT,
                "auth_token": "sandbox-token-cap",
                "from_number": "+33757000011",
                "api_base_url": f"{sandbox_product.url}/sandbox/twilio",
            },
        )
        assert connected.status_code == 200, connected.text
        cap = await staff.put(
            "/api/v1/spending/caps", json={"channel": "sms", "monthly_cap": str(SMS_SEGMENT_ESTIMATE * 2)}
        )
        assert cap.status_code == 200
        await staff.post(
            "/sandbox/twilio/inject",
            json={"account_sid": ACCOUNT, "from": "+33612345678", "to": "+33757000011", "body": "Hello"},
        )

        async def first():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        row = await _eventually(first)
        container.clock.advance(minutes=1)
        sent_ids = []
        for body in ("one", "two", "three"):
            response = await staff.post(
                f"/api/v1/conversations/{row['id']}/messages", json={"channel": "sms", "body": body}
            )
            assert response.status_code == 202
            sent_ids.append(response.json()["id"])

        async def thread():
            items = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            return {m["id"]: m for m in items if m["id"] in sent_ids}

        async def two_sent_one_held():
            messages = await thread()
            done = [m for m in messages.values() if m["status"] in ("sent", "delivered")]
            held = [m for m in messages.values() if m["error_code"] == "spending_cap_reached"]
            return (done, held) if len(done) == 2 and len(held) == 1 else None

        done, [held] = await _eventually(two_sent_one_held)
        assert held["status"] == "queued" and "cap" in held["error_reason"]
        listed = (await staff.get("/api/v1/spending/held")).json()
        assert [h["id"] for h in listed] == [held["id"]]
        spending = (await staff.get("/api/v1/spending")).json()
        sms = next(c for c in spending["channels"] if c["channel"] == "sms")
        assert sms["held"] == 1 and sms["sends"] == 2

        await asyncio.sleep(1.0)  # the held one stays held: nothing retries it behind our back
        assert (await thread())[held["id"]]["status"] == "queued"

        raised = await staff.put("/api/v1/spending/caps", json={"channel": "sms", "monthly_cap": "1"})
        assert raised.status_code == 200

        async def released():
            message = (await thread())[held["id"]]
            return message if message["status"] in ("sent", "delivered") else None

        await _eventually(released)
        await asyncio.sleep(1.0)  # give a duplicate every chance to show up
        sends = [
            r["body"]["Body"]
            for r in sandbox_product.app.state.sandbox.requests
            if r["provider"] == "twilio" and r["path"].endswith("Messages.json")
        ]
        assert sorted(sends) == ["one", "three", "two"]
        assert (await staff.get("/api/v1/spending/held")).json() == []
