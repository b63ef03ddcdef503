"""Spending caps over the API and at the database: atomic reservations, held sends, costs per guest."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import select

from adapters.db.spending_store import SqlaSpendingLedger
from adapters.db.tables import outbox_events, spending_months
from domain.channels import Channel
from domain.message_status import MessageStatus
from domain.model import Message
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user


async def _hotel(client, container, role="owner"):
    prop = await make_property(container)
    await make_user(container, prop, role=role, email=f"{role}@hotel.test")
    await connect_channel(container, prop, Channel.SMS)
    await client.login(f"{role}@hotel.test", "correct horse")
    return prop


async def test_concurrent_reservations_never_pass_the_cap(container):
    prop = await make_property(container)

    async def one() -> bool:
        async with container.sessions() as session:
            ok = await SqlaSpendingLedger(session).reserve(prop.id, "sms", "2026-06", Decimal("1"), Decimal("5"))
            await asyncio.sleep(0.01)  # hold the row lock a moment: the others must wait, not overshoot
            await session.commit()
            return ok

    results = await asyncio.gather(*(one() for _ in range(12)))
    assert results.count(True) == 5
    async with container.sessions() as session:
        row = (await session.execute(select(spending_months))).one()
    assert row.spent == Decimal("5") and row.sends == 5


async def test_caps_are_set_listed_and_validated(client, container):
    await _hotel(client, container)
    spending = (await client.get("/api/v1/spending")).json()
    assert spending["month"] == "2026-06" and [c["channel"] for c in spending["channels"]] == ["whatsapp", "sms"]
    assert all(c["monthly_cap"] is None for c in spending["channels"])
    saved = await client.put("/api/v1/spending/caps", json={"channel": "sms", "monthly_cap": "12.5"})
    assert saved.status_code == 200
    sms = next(c for c in saved.json()["channels"] if c["channel"] == "sms")
    assert Decimal(sms["monthly_cap"]) == Decimal("12.5") and Decimal(sms["remaining"]) == Decimal("12.5")
    assert (await client.put("/api/v1/spending/caps", json={"channel": "email", "monthly_cap": "1"})).status_code == 422
    assert (await client.put("/api/v1/spending/caps", json={"channel": "sms", "monthly_cap": "-1"})).status_code == 422
    removed = await client.put("/api/v1/spending/caps", json={"channel": "sms", "monthly_cap": None})
    assert next(c for c in removed.json()["channels"] if c["channel"] == "sms")["monthly_cap"] is None


async def test_agents_cannot_change_caps(client, container):
    await _hotel(client, container, role="agent")
    assert (await client.put("/api/v1/spending/caps", json={"channel": "sms", "monthly_cap": "1"})).status_code == 403


async def test_raising_the_cap_requeues_held_sends_and_send_anyway(client, container):
    prop = await _hotel(client, container)
    result = await guest_writes(container, prop, "+33612345678", "Hi", channel=Channel.SMS)
    async with container.uow() as uow:
        held = Message(
            prop.id,
            result.conversation.id,
            "sms",
            "outbound",
            "text",
            "Sorry",
            MessageStatus.QUEUED,
            "user",
            container.clock.now(),
            error_code="spending_cap_reached",
            error_reason="cap",
            status_changed_at=container.clock.now(),
        )
        uow.messages.add(held)
        await uow.commit()
    listed = (await client.get("/api/v1/spending/held")).json()
    assert [h["id"] for h in listed] == [str(held.id)] and listed[0]["reason"] == "cap"
    await client.put("/api/v1/spending/caps", json={"channel": "sms", "monthly_cap": "100"})
    assert (await client.get("/api/v1/spending/held")).json() == []
    async with container.sessions() as session:
        topics = (await session.execute(select(outbox_events.c.payload))).scalars().all()
    assert any(p.get("message_id") == str(held.id) and p.get("job_suffix") for p in topics)
    refused = await client.post(f"/api/v1/spending/held/{held.id}/send-anyway")
    assert refused.status_code == 409 and refused.json()["code"] == "not_held_by_cap"


async def test_costs_per_guest_and_booking(client, container):
    prop = await _hotel(client, container)
    booking = await make_booking(container, prop)
    result = await guest_writes(container, prop, "+33612345678", "Hi", channel=Channel.SMS)
    async with container.uow() as uow:
        for amount in ("0.0079", "0.0158"):
            uow.messages.add(
                Message(
                    prop.id,
                    result.conversation.id,
                    "sms",
                    "outbound",
                    "text",
                    "x",
                    "sent",
                    "user",
                    container.clock.now(),
                    cost_amount=Decimal(amount),
                    cost_currency="USD",
                )
            )
        await uow.commit()
    costs = (await client.get(f"/api/v1/guests/{booking.guest.id}/costs")).json()
    assert Decimal(costs["total"]["amount"]) == Decimal("0.0237") and costs["total"]["messages"] == 2
    [stay] = costs["bookings"]
    assert stay["booking_id"] == str(booking.booking.id) and Decimal(stay["by_channel"]["sms"]) == Decimal("0.0237")
    other = await make_property(container, "Other")
    stranger = await make_booking(container, other, ref="X", phone="+33600000009")
    assert (await client.get(f"/api/v1/guests/{stranger.guest.id}/costs")).status_code == 404
