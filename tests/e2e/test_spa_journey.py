"""A front-desk manager's journey through the whole SPA, in a real browser against the real product
(API + worker + sandbox providers, demo data, the system clock): reply on WhatsApp and watch the status,
see a guest's reply arrive live, create and submit a WhatsApp template until Meta (the sandbox) approves
it, send it from the composer, schedule a pre-arrival message and see its planned sends, then French.
A screenshot of each main screen goes to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from sandbox.smtp import default_capture
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

TEMPLATE = "arrival_welcome"
TEMPLATE_BODY = "Hello {{1}}, we look forward to welcoming you at the hotel. Reply here with any question."
SMS_TEXT = "Hi {{ guest.first_name }}, see you tomorrow at {{ property.name }}! Check-in from 15:00."
WIDE = {"width": 1280, "height": 800}


async def shoot(page: Page, name: str, height: int | None = None) -> None:
    """Screens scroll inside their main area: a taller window shows a long screen whole."""
    if height:
        await page.set_viewport_size({"width": WIDE["width"], "height": height})
    await page.screenshot(path=str(ARTIFACTS / f"spa-{name}.png"))
    if height:
        await page.set_viewport_size(WIDE)


async def open_conversation(page: Page, guest: str):
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    await page.get_by_test_id("conversation-row").filter(has_text=guest).click()
    view = page.get_by_test_id("conversation-view")
    await expect(view).to_contain_text(guest)
    return view


async def test_the_front_desk_journey_through_the_spa(product, browser):
    page = await browser.new_page(viewport=WIDE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # --- sign in, the inbox ---
    await page.goto(product.url)
    await page.get_by_label("Email").fill(product.email)
    await page.get_by_label("Password").fill(product.password)
    await page.get_by_role("button", name="Sign in").click()
    rows = page.get_by_test_id("conversation-row")
    await expect(rows.first).to_contain_text("James Miller", timeout=15_000)
    await shoot(page, "inbox")

    # --- James Miller: reply on WhatsApp, the sandbox reports it delivered (signed callbacks, live over SSE) ---
    view = await open_conversation(page, "James Miller")
    await expect(view).to_contain_text("Hi, is there parking near the hotel?")
    await expect(page.get_by_test_id("composer-channel")).to_have_value("whatsapp")
    await page.get_by_test_id("composer-input").fill("Yes, free parking behind the hotel.")
    await page.get_by_role("button", name="Send", exact=True).click()
    reply = page.get_by_test_id("message").filter(has_text="free parking behind the hotel")
    await expect(reply.get_by_test_id("message-status")).to_have_text(re.compile("sent|delivered|read", re.I))
    await expect(reply.get_by_test_id("message-status")).to_have_text(
        re.compile("delivered|read", re.I), timeout=15_000
    )

    # --- the guest answers (demo action): it shows up without a reload ---
    await page.get_by_role("button", name="Simulate guest reply").click()
    await page.get_by_label("What the guest writes").fill("Great, we arrive around 6 pm.")
    await page.get_by_role("button", name="Make the guest write").click()
    incoming = page.get_by_test_id("message").filter(has_text="we arrive around 6 pm")
    await expect(incoming).to_have_attribute("data-direction", "inbound", timeout=15_000)
    await shoot(page, "conversation")

    # --- a WhatsApp template: write it, submit it, Meta (the sandbox) approves it ---
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Templates").click()
    await page.get_by_role("link", name="New template").click()
    form = page.get_by_role("form", name="Template")
    await form.get_by_label("Name", exact=True).fill(TEMPLATE)
    await form.get_by_label("Message", exact=True).fill("Hello ")
    await form.get_by_label("Variable to insert", exact=True).select_option("guest.first_name")
    await form.get_by_role("button", name="Insert variable").click()
    await expect(form.get_by_label("Message", exact=True)).to_have_value("Hello {{1}}")
    await form.get_by_label("Message", exact=True).fill(TEMPLATE_BODY)
    await expect(form.get_by_label("What {{1}} shows")).to_have_value("guest.first_name")
    await form.get_by_role("button", name="Submit for approval").click()
    await expect(page).to_have_url(re.compile(r"/templates/[0-9a-f-]{36}$"))
    # the page looks again every few seconds while the template is in review
    await expect(page.get_by_test_id("template-status")).to_have_text("Approved", timeout=20_000)
    await shoot(page, "template-editor", height=1300)
    await page.get_by_role("link", name="← WhatsApp templates").click()
    template_row = page.get_by_test_id("template-row").filter(has_text=TEMPLATE)
    await expect(template_row.get_by_test_id("template-status")).to_have_text("Approved")
    await shoot(page, "templates")

    # --- send it from the composer's template picker ---
    view = await open_conversation(page, "James Miller")
    await page.get_by_role("button", name="Template", exact=True).click()
    await page.get_by_label(re.compile(TEMPLATE)).check()
    await expect(page.get_by_test_id("template-value-1")).to_have_value("James")
    await page.get_by_role("button", name="Send template").click()
    sent_template = page.get_by_test_id("message").filter(has_text="we look forward to welcoming you")
    await expect(sent_template.first).to_have_attribute("data-kind", "template")
    await expect(sent_template.first).to_contain_text("Hello James")
    await expect(sent_template.first.get_by_test_id("message-status")).to_have_text(
        re.compile("sent|delivered|read", re.I), timeout=15_000
    )

    # on SMS, the composer counts what the text will cost
    await page.get_by_test_id("composer-channel").select_option("sms")
    await page.get_by_test_id("composer-input").fill("See you tomorrow, James!")
    await expect(page.get_by_test_id("sms-segments")).to_have_text("24 characters · GSM-7 · 1 SMS")
    await page.get_by_test_id("composer-input").fill("")

    # --- a scheduled message: 1 day before check-in at 10:00, WhatsApp then SMS ---
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Scheduled").click()
    await expect(page.get_by_role("heading", name="Scheduled messages")).to_be_visible()
    await page.get_by_role("link", name="New scheduled message").click()
    rule = page.get_by_role("form", name="Scheduled message")
    await rule.get_by_label("Name").fill("Pre-arrival")
    await rule.get_by_label("Moment").select_option("before_check_in")
    await rule.get_by_label("Days").fill("1")
    await rule.get_by_label("Hours").fill("0")
    await rule.get_by_label("Send time (optional)").fill("10:00")
    order = rule.get_by_test_id("channel-order-item")
    # whatever the form starts with, end with exactly WhatsApp then SMS
    for channel in ("Email", "Airbnb"):
        remove = rule.get_by_role("button", name=f"Remove {channel}")
        if await remove.count():
            await remove.click()
    if await order.count() == 0 or await order.first.get_attribute("data-channel") != "whatsapp":
        await rule.get_by_role("button", name="Move WhatsApp up").click()
    await expect(order).to_have_count(2)
    await expect(order.nth(0)).to_have_attribute("data-channel", "whatsapp")
    await expect(order.nth(1)).to_have_attribute("data-channel", "sms")
    await rule.get_by_label("WhatsApp template").select_option(label=f"{TEMPLATE} (English)")
    await rule.get_by_label("SMS text").fill(SMS_TEXT)
    await expect(rule.get_by_test_id("sms-segments")).to_contain_text("GSM-7 · 1 SMS")
    await expect(rule.get_by_test_id("rule-summary")).to_have_text("Sends: 1 day before check-in at 10:00")
    await rule.get_by_role("button", name="Create").click()
    await expect(page).to_have_url(re.compile(r"/scheduled-messages/[0-9a-f-]{36}$"))
    await expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()

    # its sends are planned at once, for every booking still ahead
    planned = page.get_by_test_id("planned-send")
    await expect(planned.filter(has_text="Lucía García")).to_contain_text("Planned")
    await expect(planned.filter(has_text="Aiko Tanaka")).to_contain_text("Planned")
    assert await planned.count() >= 4
    # the preview, for a booking whose guest writes French
    await page.get_by_test_id("preview-booking").filter(has_text="DEMO-1001").click()
    sms_preview = page.get_by_test_id("preview-sms")
    await expect(sms_preview).to_contain_text("Hi Camille, see you tomorrow at Hôtel des Tilleuls")
    await expect(page.get_by_test_id("preview-whatsapp")).to_contain_text(TEMPLATE)
    await shoot(page, "scheduled-message-editor", height=2300)

    await page.get_by_role("link", name="← Scheduled messages").click()
    rule_row = page.get_by_test_id("rule-row").filter(has_text="Pre-arrival")
    await expect(rule_row.get_by_test_id("rule-trigger")).to_have_text("1 day before check-in at 10:00")
    await expect(rule_row.get_by_test_id("rule-channels")).to_have_text(re.compile(r"WhatsApp\s*→\s*SMS"))
    await shoot(page, "scheduled-messages")

    await page.get_by_role("link", name="Planned sends").click()
    await expect(page.get_by_test_id("planned-send").filter(has_text="Aiko Tanaka")).to_contain_text("Pre-arrival")
    # James's check-in is today: his send was due already and went out on WhatsApp
    james = page.get_by_test_id("planned-send").filter(has_text="James Miller")
    await expect(james.get_by_test_id("planned-state")).to_have_text("Sent", timeout=15_000)
    await expect(james.get_by_test_id("planned-attempt").first).to_contain_text("WhatsApp used")
    await shoot(page, "planned-sends")

    # --- Settings › Channels: every channel, its form; a test e-mail through the sandbox's SMTP ---
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    await expect(page.get_by_test_id("channel-whatsapp")).to_contain_text("Connected")
    await expect(page.get_by_test_id("channel-email")).to_contain_text("Connected")
    # point e-mail at the sandbox's SMTP capture server through the form (checked by the server), then test it
    capture = default_capture().start()
    email = page.get_by_test_id("email-form")
    await email.get_by_label("SMTP server").fill("127.0.0.1")
    await email.get_by_label("Security").select_option("none")
    await email.get_by_label("Port").fill(str(capture.port))
    await email.get_by_role("button", name="Check and save").click()
    await expect(email.get_by_role("status").filter(has_text="E-mail is connected.")).to_be_visible()
    await email.get_by_role("button", name="Send test e-mail").click()
    await expect(email.get_by_test_id("email-test-result")).to_contain_text("250")
    assert any(product.email in m.envelope_to for m in capture.messages)
    await expect(page.get_by_role("button", name="Connect Airbnb")).to_be_visible()
    await shoot(page, "settings-channels", height=2600)

    # --- French ---
    await page.get_by_test_id("language-switcher").select_option("fr")
    await (
        page.get_by_role("navigation", name="Navigation principale")
        .get_by_role("link", name="Boîte de réception")
        .click()
    )
    await expect(page.get_by_role("link", name="Programmés")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await expect(page.get_by_placeholder("Rechercher clients, messages, réservations")).to_be_visible()
    await page.get_by_test_id("conversation-row").filter(has_text="James Miller").click()
    await expect(page.get_by_role("button", name="Envoyer", exact=True)).to_be_visible()
    await shoot(page, "inbox-fr")

    assert errors == []
    sent = await (await page.request.get(f"{product.url}/sandbox/requests")).json()
    whatsapp = [
        r["body"] for r in sent if r["provider"] == "whatsapp" and r["body"].get("type") in ("text", "template")
    ]
    assert any(b.get("text", {}).get("body") == "Yes, free parking behind the hotel." for b in whatsapp)
    assert any(b.get("template", {}).get("name") == TEMPLATE for b in whatsapp)
