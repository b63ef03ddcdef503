"""A new user's first minutes, in a real browser: sign in with the demo login, see the seeded
conversations, reply, watch the status move, switch to French."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


async def test_sign_in_see_seeded_conversations_reply_and_switch_language(product, browser):
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    await page.goto(product.url)
    await page.get_by_label("Email").fill(product.email)
    await page.get_by_label("Password").fill(product.password)
    await page.get_by_role("button", name="Sign in").click()

    rows = page.get_by_test_id("conversation-row")
    await expect(rows.first).to_be_visible(timeout=15_000)
    await expect(rows).to_have_count(4)  # the demo's four guests who wrote
    await expect(rows.first).to_contain_text("James Miller")  # newest activity first
    await page.screenshot(path=str(ARTIFACTS / "inbox.png"))

    await rows.filter(has_text="James Miller").click()
    view = page.get_by_test_id("conversation-view")
    await expect(view).to_contain_text("Hi, is there parking near the hotel?")
    await expect(view.get_by_test_id("booking-summary")).to_contain_text("DEMO-1002")

    await page.get_by_test_id("composer-input").fill("Yes, free parking behind the hotel.")
    await page.get_by_role("button", name="Send").click()
    reply = page.get_by_test_id("message").filter(has_text="free parking behind the hotel")
    await expect(reply).to_be_visible()
    # the worker hands it to the sandbox WhatsApp API; the status arrives live over SSE
    await expect(reply.get_by_test_id("message-status")).to_have_text(
        re.compile("sent|delivered|read", re.I), timeout=15_000
    )
    await page.screenshot(path=str(ARTIFACTS / "conversation.png"))

    await page.get_by_test_id("language-switcher").select_option("fr")
    await expect(page.get_by_role("button", name="Envoyer")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await page.screenshot(path=str(ARTIFACTS / "conversation-fr.png"))

    seen = await (await page.request.get(f"{product.url}/sandbox/requests")).json()
    requests = [r for r in seen if r["provider"] == "whatsapp"]
    assert [r["body"]["text"]["body"] for r in requests] == ["Yes, free parking behind the hotel."]


async def test_wrong_password_shows_the_error_and_stays_on_the_login_page(product, browser):
    page = await browser.new_page()
    await page.goto(product.url)
    await page.get_by_label("Email").fill(product.email)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text(re.compile("wrong", re.I))
    await expect(page.get_by_test_id("conversation-row")).to_have_count(0)
