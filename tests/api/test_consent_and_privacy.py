"""Consent register, marketing refusal, export and erasure over the API, on real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.db.tables import guest_consents, guests, media_files, messages
from adapters.db.template_store import SqlaTemplateStore
from domain.channels import Channel
from domain.templates.model import TemplateCategory, TemplateStatus, WhatsAppTemplate
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user


async def _hotel(client, container, role="owner"):
    prop = await make_property(container)
    await make_user(container, prop, role=role, email=f"{role}@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await connect_channel(container, prop, Channel.SMS)
    await client.login(f"{role}@hotel.test", "correct horse")
    return prop


async def _marketing_template(container, prop) -> WhatsAppTemplate:
    template = WhatsAppTemplate(
        property_id=prop.id,
        name="summer_offer",
        language="en",
        category=TemplateCategory.MARKETING,
        body="Our summer offer is back: 10% off your next stay.",
        status=TemplateStatus.APPROVED,
        provider_template_id="555",
        created_at=container.clock.now(),
        updated_at=container.clock.now(),
    )
    await SqlaTemplateStore(container.sessions).save(template)
    return template


async def test_sms_stop_shows_in_the_register_and_staff_cannot_lift_it(client, container):
    prop = await _hotel(client, container)
    booking = await make_booking(container, prop)
    gid = booking.guest.id
    await guest_writes(container, prop, "+33612345678", "STOP", channel=Channel.SMS)
    register = (await client.get(f"/api/v1/guests/{gid}/consents")).json()
    sms = next(c for c in register["channels"] if c["channel"] == "sms")
    assert sms == {**sms, "marketing": "opt_out", "blocked": True, "source": "sms_stop"}
    assert [(e["state"], e["source"]) for e in register["history"]] == [("opt_out", "sms_stop")]
    refused = await client.post(f"/api/v1/guests/{gid}/consents", json={"channel": "sms", "state": "opt_in"})
    assert refused.status_code == 409 and refused.json()["code"] == "guest_must_lift_opt_out"
    container.clock.advance(minutes=5)
    await guest_writes(container, prop, "+33612345678", "START", channel=Channel.SMS)
    register = (await client.get(f"/api/v1/guests/{gid}/consents")).json()
    assert [e["source"] for e in register["history"]] == ["sms_start", "sms_stop"]  # newest first
    assert not next(c for c in register["channels"] if c["channel"] == "sms")["blocked"]


async def test_marketing_template_needs_an_opt_in_recorded_by_staff(client, container):
    prop = await _hotel(client, container)
    result = await guest_writes(container, prop, "+33612345678", "Hello")
    gid = result.guest.id
    template = await _marketing_template(container, prop)
    send = {"template_id": str(template.id)}
    refused = await client.post(f"/api/v1/guests/{gid}/template-messages", json=send)
    assert refused.status_code == 409 and refused.json()["code"] == "marketing_consent_missing"
    recorded = await client.post(
        f"/api/v1/guests/{gid}/consents", json={"channel": "whatsapp", "state": "opt_in", "note": "asked at desk"}
    )
    assert recorded.status_code == 201
    entry = recorded.json()["history"][0]
    assert entry["source"] == "staff" and entry["note"] == "asked at desk" and entry["recorded_by"]
    sent = await client.post(f"/api/v1/guests/{gid}/template-messages", json=send)
    assert sent.status_code == 202, sent.text
    container.clock.advance(minutes=1)
    await client.post(f"/api/v1/guests/{gid}/consents", json={"channel": "whatsapp", "state": "opt_out"})
    again = await client.post(f"/api/v1/guests/{gid}/template-messages", json=send)
    assert again.json()["code"] == "marketing_consent_missing"


async def test_consents_of_another_property_are_not_found(client, container):
    await _hotel(client, container)
    other = await make_property(container, "Other")
    stranger = await make_booking(container, other, ref="X-1", phone="+33600000001")
    assert (await client.get(f"/api/v1/guests/{stranger.guest.id}/consents")).status_code == 404
    response = await client.post(
        f"/api/v1/guests/{stranger.guest.id}/consents", json={"channel": "sms", "state": "opt_in"}
    )
    assert response.status_code == 404
    async with container.sessions() as session:
        assert (await session.execute(select(guest_consents))).first() is None


async def test_export_holds_everything_and_erasure_removes_personal_data(client, container):
    prop = await _hotel(client, container)
    booking = await make_booking(
        container, prop, email="camille@example.com", custom_fields={"door_code": "4821"}, confirmation_code="HMABC"
    )
    gid = booking.guest.id
    inbound = await guest_writes(container, prop, "+33612345678", "My passport number is 12AB34567")
    async with container.sessions() as session:
        await session.execute(
            media_files.insert().values(
                id=inbound.message.id,
                property_id=prop.id,
                message_id=inbound.message.id,
                content_type="image/jpeg",
                size=3,
                data=b"abc",
                fetched_at=container.clock.now(),
            )
        )
        await session.commit()
    await client.post(f"/api/v1/guests/{gid}/consents", json={"channel": "email", "state": "opt_in"})
    export = await client.get(f"/api/v1/guests/{gid}/export")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    data = export.json()
    assert data["profile"]["email"] == "camille@example.com" and data["bookings"][0]["custom_fields"]
    assert "passport" in data["messages"][0]["body"] and data["attachments"][0]["size"] == 3
    assert data["consents"][0]["state"] == "opt_in" and data["erased"] is False

    unconfirmed = await client.post(f"/api/v1/guests/{gid}/erase", json={"confirmation": "yes"})
    assert unconfirmed.status_code == 422
    erased = await client.post(f"/api/v1/guests/{gid}/erase", json={"confirmation": "ERASE"})
    assert erased.status_code == 200, erased.text
    assert erased.json()["messages_redacted"] == 1 and erased.json()["attachments_deleted"] == 1

    after = (await client.get(f"/api/v1/guests/{gid}/export")).json()
    text = str(after)
    for personal in ("Camille", "Durand", "+33612345678", "camille@example.com", "passport", "4821", "HMABC"):
        assert personal not in text
    assert after["erased"] is True and after["messages"][0]["body"] == "[redacted]" and after["attachments"] == []
    async with container.sessions() as session:
        row = (await session.execute(select(messages.c.provider_message_id))).scalar_one()
        assert row.startswith("sha256:")
        assert (await session.execute(select(guests.c.phone))).scalar_one() is None
    twice = await client.post(f"/api/v1/guests/{gid}/erase", json={"confirmation": "ERASE"})
    assert twice.status_code == 409 and twice.json()["code"] == "guest_already_erased"


async def test_only_an_owner_may_erase(client, container):
    prop = await _hotel(client, container, role="manager")
    booking = await make_booking(container, prop)
    response = await client.post(f"/api/v1/guests/{booking.guest.id}/erase", json={"confirmation": "ERASE"})
    assert response.status_code == 403
    assert (await client.get(f"/api/v1/guests/{booking.guest.id}/export")).status_code == 200


@pytest.mark.parametrize("opted_in", [False, True])
async def test_marketing_rule_is_skipped_without_opt_in(client, container, opted_in):
    from domain.scheduling.model import PlannedSend, ScheduledRule, SendState
    from domain.services.scheduling import DispatchContext, dispatch

    prop = await _hotel(client, container)
    booking = await make_booking(container, prop, check_in=container.clock.now().date() + timedelta(days=1))
    async with container.uow() as uow:
        rule = ScheduledRule(
            property_id=prop.id,
            name="Spa offer",
            trigger="before_check_in",
            channel_order=["sms"],
            content={"default": {"sms_text": "Book our spa!"}},
            marketing=True,
            created_at=container.clock.now(),
            updated_at=container.clock.now(),
        )
        uow.rules.add(rule)
        await uow.flush()
        planned = PlannedSend(
            prop.id,
            rule.id,
            booking.booking.id,
            container.clock.now(),
            created_at=container.clock.now(),
            updated_at=container.clock.now(),
        )
        uow.planned.add(planned)
        await uow.commit()
    if opted_in:
        await client.post(f"/api/v1/guests/{booking.guest.id}/consents", json={"channel": "sms", "state": "opt_in"})
    ctx = DispatchContext(SqlaTemplateStore(container.sessions), container.rates, None)
    async with container.uow() as uow:
        state = await dispatch(uow, prop.id, planned.id, container.clock.now(), ctx)
        await uow.commit()
    async with container.uow() as uow:
        again = await uow.planned.get(prop.id, planned.id)
    if opted_in:
        assert state == SendState.SENT and again.message_id is not None
    else:
        assert state == SendState.SKIPPED and again.reason.startswith("marketing_consent_missing")
