"""Erasure end to end: after it, the export holds no personal data, bodies are redacted, totals unchanged."""

from __future__ import annotations

import pytest

from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, make_booking, make_property, make_user

pytestmark = pytest.mark.e2e
ACCOUNT = "AC" + "7" * 32


async def test_an_erased_guest_leaves_only_counts_and_costs(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="owner@hotel.test")
    booking = await make_booking(
        container, prop, ref="PMS-9", first="Léa", last="Martin", phone="+33612345678", email="lea@example.com"
    )
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("owner@hotel.test", "correct horse")
        await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": ACCOUNT,
                "auth_token": "sandbox-token-erase",
                "from_number": "+33757000021",
                "api_base_url": f"{sandbox_product.url}/sandbox/twilio",
            },
        )
        inject = {"account_sid": ACCOUNT, "from": "+33612345678", "to": "+33757000021"}
        await staff.post("/sandbox/twilio/inject", json={**inject, "body": "Room 12 for Léa Martin please"})

        async def first():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        row = await _eventually(first)
        container.clock.advance(minutes=1)
        sent = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "sms", "body": "Done, Léa!"}
        )

        async def delivered():
            items = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            mine = next(m for m in items if m["id"] == sent.json()["id"])
            return mine if mine["status"] == "delivered" else None

        await _eventually(delivered)
        totals_before = (await staff.get("/api/v1/insights/costs")).json()
        assert totals_before["rows"] and float(totals_before["total"]["amount"]) > 0

        gid = booking.guest.id
        erased = await staff.post(f"/api/v1/guests/{gid}/erase", json={"confirmation": "ERASE"})
        assert erased.status_code == 200, erased.text

        export = (await staff.get(f"/api/v1/guests/{gid}/export")).json()
        dumped = str(export)
        for personal in ("Léa", "Martin", "+33612345678", "lea@example.com", "Room 12"):
            assert personal not in dumped
        assert export["erased"] and {m["body"] for m in export["messages"]} == {"[redacted]"}
        assert len(export["messages"]) == 2 and export["bookings"][0]["external_ref"] == "PMS-9"

        thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
        assert [m["body"] for m in thread] == ["[redacted]", "[redacted]"]
        assert (await staff.get("/api/v1/insights/costs")).json() == totals_before
        conversation = (await staff.get(f"/api/v1/conversations/{row['id']}")).json()
        assert "Léa" not in str(conversation) and "+33612345678" not in str(conversation)
