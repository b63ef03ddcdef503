from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from domain.channels import Channel
from domain.model import Message
from domain.sharing import wa_me_link
from tests.factories import connect_channel, guest_writes, make_property, make_user


def test_wa_me_link_keeps_digits_and_encodes_the_text():
    assert wa_me_link("+33 1 84 88 00 00") == "https://wa.me/33184880000"
    assert wa_me_link("+33 1 84 88 00 00", "Bonjour, chambre 12 & parking?") == (
        "https://wa.me/33184880000?text=Bonjour%2C%20chambre%2012%20%26%20parking%3F"
    )


async def _owner(client, container, connected=True):
    prop = await make_property(container)
    await make_user(container, prop, email="o@hotel.test")
    if connected:
        await connect_channel(container, prop, Channel.WHATSAPP, settings={"display_phone_number": "+33 1 84 88 00 00"})
    await client.login("o@hotel.test", "correct horse")
    return prop


async def test_link_and_printable_qr_codes(client, container):
    await _owner(client, container)
    link = (await client.get("/api/v1/whatsapp/link", params={"text": "Hello"})).json()
    assert link == {"url": "https://wa.me/33184880000?text=Hello", "display_phone_number": "+33 1 84 88 00 00"}
    svg = await client.get("/api/v1/whatsapp/qr.svg", params={"text": "Hello"})
    assert (
        svg.headers["content-type"] == "image/svg+xml" and svg.text.lstrip().startswith("<?xml") and "<svg" in svg.text
    )
    png = await client.get("/api/v1/whatsapp/qr.png")
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    import segno  # the QR decodes back to the link: segno can't decode, so compare with a fresh encoding

    assert segno.make("https://wa.me/33184880000", error="m").symbol_size(scale=10, border=4)[0] == _png_width(
        png.content
    )


def _png_width(data: bytes) -> int:
    return int.from_bytes(data[16:20], "big")


async def test_link_needs_a_connected_number(client, container):
    await _owner(client, container, connected=False)
    response = await client.get("/api/v1/whatsapp/link")
    assert response.status_code == 409 and response.json()["code"] == "channel_not_connected"


async def test_costs_by_month_channel_and_category(client, container):
    prop = await _owner(client, container)
    conv = (await guest_writes(container, prop, "+33612345678")).conversation
    rows = [
        (datetime(2026, 5, 31, 23, 30, tzinfo=UTC), "whatsapp", "utility", "0.0340"),  # June 1st in Paris
        (datetime(2026, 6, 10, tzinfo=UTC), "whatsapp", "utility", "0.0340"),
        (datetime(2026, 6, 11, tzinfo=UTC), "whatsapp", "marketing", "0.0620"),
        (datetime(2026, 6, 12, tzinfo=UTC), "sms", None, "0.0790"),
        (datetime(2026, 4, 1, tzinfo=UTC), "whatsapp", "service", "0"),
    ]
    async with container.uow() as uow:
        for at, channel, category, amount in rows:
            uow.messages.add(
                Message(
                    property_id=prop.id,
                    conversation_id=conv.id,
                    channel=channel,
                    direction="outbound",
                    kind="text",
                    body="x",
                    status="delivered",
                    author_type="user",
                    created_at=at,
                    cost_amount=Decimal(amount),
                    cost_currency="USD",
                    pricing_category=category,
                )
            )
        await uow.commit()
    report = (await client.get("/api/v1/insights/costs", params={"from": "2026-05-01", "to": "2026-06-30"})).json()
    assert [(r["month"], r["channel"], r["category"], r["messages"], Decimal(r["amount"])) for r in report["rows"]] == [
        ("2026-06", "sms", "none", 1, Decimal("0.0790")),
        ("2026-06", "whatsapp", "marketing", 1, Decimal("0.0620")),
        ("2026-06", "whatsapp", "utility", 2, Decimal("0.0680")),
    ]
    assert Decimal(report["total"]["amount"]) == Decimal("0.2090") and report["total"]["currency"] == "USD"
    bad = await client.get("/api/v1/insights/costs", params={"from": "2026-07-01", "to": "2026-06-01"})
    assert bad.status_code == 422
