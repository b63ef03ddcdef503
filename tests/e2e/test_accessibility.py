"""Accessibility of the main screens, checked by axe-core in a real browser against the real product, and the
issue's keyboard and 360 px qualities. No violation of impact "serious" or "critical" is allowed; every
screen's axe results are saved under test-artifacts/ (axe-<screen>.json) with a summary (axe-summary.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from sandbox.smtp import default_capture
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 360, "height": 740}


async def audit(page: Page, name: str) -> list[dict[str, object]]:
    """Runs axe on the page as it is now; returns the blocking violations (saved whole to test-artifacts)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` in frontend/")
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(AXE))
    results = await page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    violations = results["violations"]
    (ARTIFACTS / f"axe-{name}.json").write_text(
        json.dumps({"url": results["url"], "violations": violations, "passes": len(results["passes"])}, indent=2)
    )
    return [
        {
            "screen": name,
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in violations
        if v["impact"] in BLOCKING
    ]


async def sign_in(page: Page, product) -> None:  # type: ignore[no-untyped-def]
    await page.goto(product.url)
    await page.get_by_label("Email").fill(product.email)
    await page.get_by_label("Password").fill(product.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_test_id("conversation-row").first).to_be_visible(timeout=15_000)


async def test_main_screens_have_no_serious_accessibility_violations(product, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = await browser.new_page(viewport=WIDE)
    blocking: list[dict[str, object]] = []
    audited: list[str] = []

    async def check(name: str) -> None:
        blocking.extend(await audit(page, name))
        audited.append(name)

    await page.goto(product.url + "/login")
    await expect(page.get_by_label("Email")).to_be_visible()
    await check("login")

    await sign_in(page, product)
    await page.get_by_test_id("conversation-row").first.click()
    await expect(page.get_by_test_id("conversation-view")).to_be_visible()
    await expect(page.get_by_test_id("message").first).to_be_visible()
    await check("inbox-conversation")

    screens = [
        ("templates", "/templates", page.get_by_role("heading", name="WhatsApp templates")),
        ("scheduled-messages", "/scheduled-messages", page.get_by_role("heading", level=1)),
        ("settings-channels", "/settings/channels", page.get_by_role("heading", level=1)),
        ("settings-users", "/settings/users", page.get_by_test_id("member-row").first),
        ("insights", "/insights", page.get_by_role("heading", name="Insights")),
    ]
    for name, path, ready in screens:
        await page.goto(product.url + path)
        await expect(ready).to_be_visible(timeout=10_000)
        await page.wait_for_load_state("networkidle")
        await check(name)

    await page.get_by_role("link", name="Settings").click()
    await page.goto(product.url + "/settings/users")
    await page.get_by_role("button", name="Invite someone").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    await check("settings-users-invite-dialog")

    # the invited person's page, from the link the owner just got, in a browser of their own
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("E-mail").fill("lea.martin@tilleuls-demo.fr")
    await dialog.get_by_label("Role").select_option("agent")
    await dialog.get_by_role("button", name="Send invitation").click()
    link = (await page.get_by_test_id("invitation-link").text_content() or "").strip()
    assert link.startswith(product.url + "/invitations/"), link
    await expect(page.get_by_test_id("invitation-row")).to_contain_text("lea.martin@tilleuls-demo.fr")
    # the demo's e-mail connection goes to the sandbox's SMTP capture: the link left by e-mail too
    mails = [m for m in default_capture().messages if "lea.martin@tilleuls-demo.fr" in m.envelope_to]
    assert mails and link in mails[-1].text
    await page.screenshot(path=str(ARTIFACTS / "spa-settings-users.png"), full_page=True)
    newcomer = await browser.new_page(viewport=WIDE)
    await newcomer.goto(link)
    await expect(newcomer.get_by_test_id("invitation-summary")).to_contain_text("lea.martin@tilleuls-demo.fr")
    blocking.extend(await audit(newcomer, "accept-invitation"))
    audited.append("accept-invitation")
    await newcomer.get_by_label("Your name").fill("Léa Martin")
    await newcomer.get_by_label("Choose a password").fill("a long password")
    await newcomer.get_by_role("button", name="Accept and sign in").click()
    await expect(newcomer.get_by_test_id("conversation-row").first).to_be_visible(timeout=15_000)
    await newcomer.close()

    (ARTIFACTS / "axe-summary.json").write_text(json.dumps({"screens": audited, "blocking": blocking}, indent=2))
    assert blocking == [], json.dumps(blocking, indent=2)


async def test_keyboard_use_and_a_360_px_screen(product, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = await browser.new_page(viewport=WIDE)
    await sign_in(page, product)

    # j/k walk the list, Enter opens: the first row's conversation opens from the keyboard alone
    rows = page.get_by_test_id("conversation-row")
    first = (await rows.first.inner_text()).splitlines()[0]
    await page.keyboard.press("j")  # the first row is the active one to start with: j moves to the second
    await expect(rows.nth(1).get_by_role("link")).to_be_focused()
    await page.keyboard.press("k")
    await expect(rows.first.get_by_role("link")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("conversation-view")).to_contain_text(first)
    assert "/conversations/" in page.url
    # Ctrl+Enter sends from the composer (on a conversation whose WhatsApp window is open)
    await page.get_by_test_id("conversation-row").filter(has_text="James Miller").click()
    await expect(page.get_by_test_id("conversation-view")).to_contain_text("James Miller")
    await page.get_by_test_id("composer-input").fill("Sent from the keyboard only.")
    await page.get_by_test_id("composer-input").press("Control+Enter")
    await expect(page.get_by_test_id("message").filter(has_text="Sent from the keyboard only.")).to_be_visible()
    await expect(page.get_by_test_id("composer-input")).to_have_value("")
    # a visible focus ring on a focused control
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").focus()
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline

    # 360 px: nothing wider than the screen, the list and then a conversation usable
    await page.set_viewport_size(NARROW)
    await page.goto(product.url + "/")
    await expect(page.get_by_test_id("conversation-row").first).to_be_visible()
    await page.screenshot(path=str(ARTIFACTS / "narrow-360-inbox.png"))
    assert await page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    await page.get_by_test_id("conversation-row").first.click()
    await expect(page.get_by_test_id("conversation-view")).to_be_visible()
    await expect(page.get_by_test_id("composer-input")).to_be_visible()
    await page.screenshot(path=str(ARTIFACTS / "narrow-360-conversation.png"))
    assert await page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    narrow = await audit(page, "narrow-360-conversation")
    assert narrow == [], json.dumps(narrow, indent=2)
