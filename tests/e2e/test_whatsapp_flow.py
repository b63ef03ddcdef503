"""WhatsApp end to end through the sandbox (real HTTP, signed callbacks, a real worker)."""

from __future__ import annotations

import asyncio

import pytest

from domain.channels import Channel
from tests.factories import StaffClient, connect_channel, make_booking, make_property, make_user

pytestmark = pytest.mark.e2e


async def _eventually(check, timeout=10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def test_guest_writes_staff_reply_is_delivered_and_read_then_window_closes(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="desk@hotel.test")
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        settings={"phone_number_id": "100000000000009", "api_base_url": f"{sandbox_product.url}/sandbox/whatsapp"},
    )
    await make_booking(container, prop, ref="PMS-42", phone="+33612345678")

    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("desk@hotel.test", "correct horse")
        injected = await staff.post(
            "/sandbox/whatsapp/inject",
            json={
                "phone_number_id": "100000000000009",
                "from": "33612345678",
                "name": "Camille Durand",
                "text": "Bonjour !",
            },
        )
        assert injected.status_code == 200

        async def conversation():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        row = await _eventually(conversation)
        assert row["booking"]["external_ref"] == "PMS-42" and row["last_message"]["preview"] == "Bonjour !"
        assert row["reply_state"]["whatsapp"]["state"] == "open"

        sent = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "whatsapp", "body": "Bienvenue !"}
        )
        assert sent.status_code == 202

        async def read_status():
            thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            reply = next(m for m in thread if m["id"] == sent.json()["id"])
            return reply if reply["status"] == "read" else None

        reply = await _eventually(read_status)
        assert reply["pricing_category"] == "service"

        container.clock.advance(hours=24, minutes=1)
        refused = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "whatsapp", "body": "Still there?"}
        )
        assert refused.status_code == 409 and refused.json()["code"] == "whatsapp_window_closed"

        sandbox_requests = [r for r in sandbox_product.app.state.sandbox.requests if r["provider"] == "whatsapp"]
        assert [r["body"]["text"]["body"] for r in sandbox_requests] == ["Bienvenue !"]


async def test_the_sandbox_enforces_the_window_itself(sandbox_product):
    """If a free-form send slips past our check (clock skew, a stale page), Meta's 131047 fails it."""
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="desk@hotel.test")
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        settings={"phone_number_id": "100000000000010", "api_base_url": f"{sandbox_product.url}/sandbox/whatsapp"},
    )
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("desk@hotel.test", "correct horse")
        await staff.post(
            "/sandbox/whatsapp/inject", json={"phone_number_id": "100000000000010", "from": "33612345678", "text": "hi"}
        )
        row = await _eventually(lambda: _first(staff))
        sandbox_product.app.state.sandbox.last_inbound.clear()  # the provider no longer counts that message
        sent = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "whatsapp", "body": "late"}
        )

        async def failed():
            thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            message = next(m for m in thread if m["id"] == sent.json()["id"])
            return message if message["status"] == "failed" else None

        message = await _eventually(failed)
        assert message["error_code"] == "whatsapp_131047" and "template" in message["error_reason"]


async def test_demo_simulate_guest_message_goes_through_the_signed_webhook(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="desk@hotel.test")
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        settings={"phone_number_id": "100000000000011", "api_base_url": f"{sandbox_product.url}/sandbox/whatsapp"},
    )
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("desk@hotel.test", "correct horse")
        await staff.post(
            "/sandbox/whatsapp/inject",
            json={"phone_number_id": "100000000000011", "from": "33612345678", "text": "first"},
        )
        row = await _eventually(lambda: _first(staff))
        answer = await staff.post(
            f"/api/v1/demo/conversations/{row['id']}/simulate-guest-message", json={"text": "second"}
        )
        assert answer.status_code == 202

        async def two():
            thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            return [m["body"] for m in thread] if len(thread) == 2 else None

        assert await _eventually(two) == ["first", "second"]


async def _first(staff):
    items = (await staff.get("/api/v1/conversations")).json()["items"]
    return items[0] if items else None
