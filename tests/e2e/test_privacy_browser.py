"""In a real browser: the guest sidebar's costs and consent panels, erasure behind a typed confirmation,
and the settings screens for spending caps and webhooks."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


async def test_consent_costs_and_erasure_from_the_sidebar_then_settings(product, browser):
    page = await browser.new_page(viewport={"width": 1400, "height": 900})
    await page.goto(product.url)
    await page.get_by_label("Email").fill(product.email)
    await page.get_by_label("Password").fill(product.password)
    await page.get_by_role("button", name="Sign in").click()

    rows = page.get_by_test_id("conversation-row")
    await rows.filter(has_text="James Miller").click(timeout=15_000)
    await expect(page.get_by_test_id("conversation-view")).to_contain_text("Hi, is there parking near the hotel?")
    sidebar = page.get_by_test_id("guest-sidebar")
    if not await sidebar.is_visible():
        await page.get_by_role("button", name="Guest details").click()
    await expect(sidebar.get_by_test_id("guest-costs")).to_contain_text("Total")

    panel = sidebar.get_by_test_id("consent-panel")
    await expect(panel.get_by_test_id("consent-whatsapp")).to_contain_text("No consent")
    await panel.get_by_label("Note").fill("asked at check-in")
    await panel.get_by_role("button", name="Record").click()
    await expect(panel.get_by_test_id("consent-whatsapp")).to_contain_text("Opted in")
    await page.screenshot(path=str(ARTIFACTS / "consent-panel.png"))

    await sidebar.get_by_role("button", name="Erase guest").click()
    dialog = page.get_by_role("dialog")
    confirm = dialog.get_by_role("button", name="Erase for good")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label("Type ERASE to confirm").fill("ERASE")
    await confirm.click()
    await expect(dialog.get_by_test_id("erase-done")).to_be_visible()
    await dialog.get_by_role("button", name="Close").first.click()
    await expect(page.get_by_test_id("conversation-view")).not_to_contain_text("Hi, is there parking near the hotel?")
    await expect(rows.filter(has_text="James Miller")).to_have_count(0)

    await page.goto(f"{product.url}/settings/spending")
    sms = page.get_by_test_id("cap-sms")
    await sms.get_by_label("Monthly cap (USD)").fill("2.5")
    await sms.get_by_role("button", name="Save the cap").click()
    await expect(sms).to_contain_text("left")

    await page.goto(f"{product.url}/settings/webhooks")
    await page.get_by_label("URL (https)").fill("http://localhost:9/hooks")
    await page.get_by_role("button", name="Subscribe").click()
    await expect(page.get_by_test_id("webhook-secret-value")).to_contain_text("whsec_")
    await expect(page.get_by_test_id("webhook-subscription")).to_have_count(1)
    await page.screenshot(path=str(ARTIFACTS / "webhooks-settings.png"))
