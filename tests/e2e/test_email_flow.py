"""E-mail end to end: a scheduled e-mail falls back from WhatsApp, reaches the local SMTP server, joins the
conversation once the guest writes on WhatsApp, and the guest's e-mail reply is threaded back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.channels import Channel
from sandbox.smtp import default_capture
from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, connect_channel, make_property, make_user

pytestmark = pytest.mark.e2e


async def test_scheduled_email_then_guest_writes_then_replies_by_email(sandbox_product):
    container = sandbox_product.container
    capture = default_capture()
    prop = await make_property(container)
    await make_user(container, prop, email="owner@hotel.test")
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        settings={"phone_number_id": "100000000000040", "api_base_url": f"{sandbox_product.url}/sandbox/whatsapp"},
    )
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("owner@hotel.test", "correct horse")
        connected = await staff.put(
            "/api/v1/channels/email",
            json={
                **capture.connection_settings(),
                "sender_address": "reception@tilleuls-demo.example.com",
                "sender_name": "Hôtel des Tilleuls",
            },
        )
        assert connected.status_code == 200, connected.text
        # the rule prefers WhatsApp, but it has no approved template: e-mail is the fallback
        await staff.post(
            "/api/v1/scheduled-messages",
            json={
                "name": "Welcome letter",
                "trigger": "booking_confirmed",
                "offset_hours": 1,
                "channel_order": ["whatsapp", "email"],
                "content": {
                    "whatsapp_template_id": "00000000-0000-0000-0000-000000000000",
                    "default": {
                        "email_subject": "Bienvenue {{ guest.first_name }}",
                        "email_body": "<p>Bonjour {{ guest.first_name }},</p><p>À bientôt à {{ property.name }} !</p>",
                    },
                },
            },
        )
        await staff.put(
            "/api/v1/bookings/EM-1",
            json={
                "guest": {
                    "first_name": "Camille",
                    "email": "camille@example.com",
                    "phone": "+33612345678",
                    "language": "fr",
                },
                "check_in": "2026-07-01",
                "check_out": "2026-07-03",
            },
        )
        container.clock.set(datetime(2026, 6, 15, 10, 0, 30, tzinfo=UTC))

        async def mailed():
            return [m for m in capture.messages if m.envelope_to == ["camille@example.com"]] or None

        [mail] = await _eventually(mailed, timeout=30)
        assert mail.subject == "Bienvenue Camille" and "À bientôt à Hotel Test !" in mail.text and "<p>" in mail.html
        assert mail.reply_to.startswith('"Hôtel des Tilleuls" <reply+') or "reply+" in mail.reply_to
        # not in the inbox yet: the guest has not started a conversation
        assert (await staff.get("/api/v1/conversations")).json()["items"] == []

        container.clock.advance(minutes=1)  # the test clock stands still otherwise
        await staff.post(
            "/sandbox/whatsapp/inject",
            json={"phone_number_id": "100000000000040", "from": "33612345678", "text": "Merci pour le mail !"},
        )

        async def in_inbox():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        row = await _eventually(in_inbox)
        thread = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
        assert [(m["channel"], m["rule_name"]) for m in thread] == [("email", "Welcome letter"), ("whatsapp", None)]

        container.clock.advance(minutes=5)  # the guest answers the e-mail a little later
        reply_to = mail.reply_to.split("<")[-1].rstrip(">")
        raw = (
            f"From: Camille <camille@example.com>\r\nTo: {reply_to}\r\nSubject: Re: Bienvenue Camille\r\n"
            f"Message-ID: <reply-1@example.com>\r\nIn-Reply-To: {mail.message_id}\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Parfait, nous arriverons vers 18 h.\r\n\r\nLe 15 juin 2026, Hôtel des Tilleuls a écrit :\r\n> Bonjour Camille,\r\n"
        ).encode()
        forbidden = await staff.post("/webhooks/email/inbound", content=raw, headers={"content-type": "message/rfc822"})
        assert forbidden.status_code == 403
        accepted = await staff.post(
            "/webhooks/email/inbound",
            content=raw,
            headers={"content-type": "message/rfc822", "x-inbound-secret": "inbound-secret"},
        )
        assert accepted.status_code in (200, 202), accepted.text

        async def threaded():
            items = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            return items if len(items) == 3 else None

        items = await _eventually(threaded)
        assert (items[-1]["channel"], items[-1]["direction"], items[-1]["body"]) == (
            "email",
            "inbound",
            "Parfait, nous arriverons vers 18 h.",
        )
