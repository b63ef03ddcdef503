"""Needs attention end to end: a send fails at the (sandbox) provider, shows in the queue, and each remedy
— re-send over SMS, retry on WhatsApp — reaches the sandbox provider through the real worker."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from domain.channels import Channel
from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, connect_channel, make_booking, make_property, make_user

pytestmark = pytest.mark.e2e
ACCOUNT = "AC" + "7" * 32
PHONE_NUMBER_ID = "100000000000077"


async def _message(staff, cid, mid, *statuses):
    thread = (await staff.get(f"/api/v1/conversations/{cid}/messages")).json()["items"]
    message = next((m for m in thread if m["id"] == mid), None)
    return message if message and message["status"] in statuses else None


async def test_failed_whatsapp_send_is_resent_over_sms_then_another_is_retried(sandbox_product):
    container, sandbox = sandbox_product.container, sandbox_product.app.state.sandbox
    prop = await make_property(container)
    await make_user(container, prop, email="desk@hotel.test")
    await make_booking(container, prop, ref="PMS-77", phone="+33612345678")
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        settings={"phone_number_id": PHONE_NUMBER_ID, "api_base_url": f"{sandbox_product.url}/sandbox/whatsapp"},
    )
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("desk@hotel.test", "correct horse")
        connected = await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": ACCOUNT,
                "auth_token": "sandbox-token-7",
                "from_number": "+33757000077",
                "api_base_url": f"{sandbox_product.url}/sandbox/twilio",
            },
        )
        assert connected.status_code == 200, connected.text
        await staff.post(
            "/sandbox/whatsapp/inject",
            json={"phone_number_id": PHONE_NUMBER_ID, "from": "33612345678", "text": "Wifi?"},
        )

        async def conversation():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        cid = (await _eventually(conversation))["id"]

        # Meta's clock disagrees with ours: the free-form reply fails at the provider (131047, by webhook)
        sandbox.whatsapp_window = timedelta(0)
        container.clock.advance(minutes=1)
        sent = await staff.post(
            f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "The code is 4821."}
        )
        failed = await _eventually(lambda: _message(staff, cid, sent.json()["id"], "failed"))
        assert failed["error_code"] == "whatsapp_131047"

        queue = (await staff.get("/api/v1/attention")).json()
        [item] = queue["items"]
        assert queue["counts"]["failed_send"] == 1 and item["id"] == failed["id"]
        assert item["reason"] == failed["error_reason"] and item["channel"] == "whatsapp"
        assert {"action": "resend", "channel": "sms"} in item["remedies"]

        resent = await staff.post(f"/api/v1/attention/messages/{item['id']}/resend", json={"channel": "sms"})
        assert resent.status_code == 202, resent.text
        await _eventually(lambda: _message(staff, cid, resent.json()["id"], "sent", "delivered"))
        sms = [r for r in sandbox.requests if r["provider"] == "twilio" and r["body"].get("Body")]
        assert [(r["body"]["To"], r["body"]["Body"]) for r in sms] == [("+33612345678", "The code is 4821.")]
        assert (await staff.get("/api/v1/attention")).json()["total"] == 0

        # a second failure, retried once the provider accepts again
        container.clock.advance(minutes=1)
        second = await staff.post(
            f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "Breakfast is at 8."}
        )
        await _eventually(lambda: _message(staff, cid, second.json()["id"], "failed"))
        [item] = (await staff.get("/api/v1/attention")).json()["items"]
        assert item["id"] == second.json()["id"] and item["remedies"][0] == {"action": "retry", "channel": None}
        sandbox.whatsapp_window = timedelta(hours=24)
        retried = await staff.post(f"/api/v1/attention/messages/{item['id']}/retry")
        assert retried.status_code == 202 and retried.json()["status"] == "queued"
        delivered = await _eventually(lambda: _message(staff, cid, item["id"], "delivered", "read"))
        assert delivered["error_code"] is None
        whatsapp_bodies = [
            r["body"]["text"]["body"] for r in sandbox.requests if r["provider"] == "whatsapp" and r["body"].get("text")
        ]
        assert whatsapp_bodies == ["The code is 4821.", "Breakfast is at 8.", "Breakfast is at 8."]
        assert (await staff.get("/api/v1/attention")).json()["total"] == 0


async def test_spa_queue_remedy_saved_reply_shortcut_and_labels(sandbox_product, browser):
    """The same story in a real browser: the nav badge, a remedy clicked, "/wifi" in the composer, a label."""
    from playwright.async_api import expect

    from tests.e2e.conftest import ARTIFACTS

    container, sandbox = sandbox_product.container, sandbox_product.app.state.sandbox
    prop = await make_property(container)
    await make_user(container, prop, email="desk@hotel.test")
    await make_booking(container, prop, ref="PMS-78", phone="+33612345678", room="12")
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        settings={"phone_number_id": "100000000000078", "api_base_url": f"{sandbox_product.url}/sandbox/whatsapp"},
    )
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("desk@hotel.test", "correct horse")
        await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": ACCOUNT,
                "auth_token": "sandbox-token-8",
                "from_number": "+33757000078",
                "api_base_url": f"{sandbox_product.url}/sandbox/twilio",
            },
        )
        await staff.post(
            "/sandbox/whatsapp/inject",
            json={"phone_number_id": "100000000000078", "from": "33612345678", "text": "Wifi?"},
        )

        async def conversation():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0]["id"] if items else None

        cid = await _eventually(conversation)
        created = await staff.post(
            "/api/v1/saved-replies",
            json={
                "name": "Wi-Fi",
                "shortcut": "wifi",
                "bodies": {"en": "Hi {{ guest.first_name }}, room {{ booking.room }}: code 4821."},
            },
        )
        assert created.status_code == 201, created.text
        sandbox.whatsapp_window = timedelta(0)
        container.clock.advance(minutes=1)
        sent = await staff.post(
            f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "See you!"}
        )
        await _eventually(lambda: _message(staff, cid, sent.json()["id"], "failed"))

    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    await page.goto(sandbox_product.url)
    await page.get_by_label("Email").fill("desk@hotel.test")
    await page.get_by_label("Password").fill("correct horse")
    await page.get_by_role("button", name="Sign in").click()

    nav = page.get_by_role("navigation", name="Main")
    await expect(nav.get_by_test_id("attention-badge")).to_contain_text("1", timeout=15_000)
    await nav.get_by_role("link", name=re.compile("Needs attention")).click()
    item = page.get_by_test_id("attention-item")
    await expect(item).to_contain_text("Failed send")
    await expect(item).to_contain_text("See you!")
    await page.screenshot(path=str(ARTIFACTS / "needs-attention.png"))
    await item.get_by_role("button", name="Send by SMS").click()
    await expect(page.get_by_text("Nothing needs attention.")).to_be_visible()

    await nav.get_by_role("link", name="Inbox").click()
    await page.get_by_test_id("conversation-row").first.click()
    composer = page.get_by_test_id("composer-input")
    await composer.fill("")
    await composer.press_sequentially("/wif")
    await expect(page.get_by_role("listbox", name="Saved replies")).to_contain_text("/wifi")
    await composer.press("Enter")
    await expect(composer).to_have_value("Hi Camille, room 12: code 4821.")

    await page.get_by_label("Add a label…").select_option("__new")
    await page.get_by_placeholder("New label").fill("VIP")
    await page.get_by_role("button", name="Create", exact=True).click()
    await expect(page.get_by_test_id("conversation-view").get_by_test_id("label-chip")).to_have_text(re.compile("VIP"))
    await expect(page.get_by_test_id("conversation-row").first.get_by_test_id("row-label")).to_have_text("VIP")
    await page.screenshot(path=str(ARTIFACTS / "saved-reply-and-label.png"))
    sms = [r["body"]["Body"] for r in sandbox.requests if r["provider"] == "twilio" and r["body"].get("Body")]
    assert sms == ["See you!"]
