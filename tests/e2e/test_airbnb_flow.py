"""Airbnb end to end through the sandbox: connect, a scheduled message converted into the thread,
the guest's reply, a staff reply, then a broken authorisation that pauses sends until re-authorised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, make_property, make_user
from workers.airbnb import refresh_airbnb_tokens

pytestmark = pytest.mark.e2e
DESIGN = (
    "<h1>Bienvenue {{ guest.first_name }} !</h1><p>Votre code de porte : <b>{{ booking.door_code }}</b></p>"
    "<ul><li>Arrivée dès 15 h</li><li>Parking gratuit</li></ul><img src='https://cdn.test/logo.png'>"
)


async def _authorise(staff) -> None:
    url = (await staff.get("/api/v1/channels/airbnb/authorize")).json()["url"]
    landed = await staff.get(url, follow_redirects=True)
    assert "airbnb=connected" in str(landed.url), landed.url
    mapping = (await staff.get("/api/v1/channels/airbnb/listings")).json()
    if mapping["status"] == "needs_mapping":  # the first time: which listings are this property's
        assert [item["name"] for item in mapping["listings_available"]] == ["Garden suite", "Loft"]
        mapped = await staff.put("/api/v1/channels/airbnb/listings", json={"listing_ids": ["51234567"]})
        assert mapped.json()["status"] == "connected"


async def test_airbnb_connect_schedule_reply_pause_and_resume(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="owner@hotel.test")
    sandbox = sandbox_product.app.state.sandbox
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("owner@hotel.test", "correct horse")
        await _authorise(staff)
        channels = {c["channel"]: c for c in (await staff.get("/api/v1/channels")).json()}
        assert channels["airbnb"]["status"] == "connected"

        thread = (
            await staff.post(
                "/sandbox/airbnb/reservations",
                json={"confirmation_code": "HMDABRMKQM", "status": "accepted", "guest_first_name": "Lucía"},
            )
        ).json()["thread_id"]
        await staff.post(
            "/api/v1/scheduled-messages",
            json={
                "name": "Pre-arrival",
                "trigger": "before_check_in",
                "offset_days": 1,
                "send_time": "10:00",
                "channel_order": ["airbnb", "email"],
                "content": {"default": {"email_subject": "Votre séjour", "email_body": DESIGN}},
            },
        )
        await staff.put(
            "/api/v1/bookings/AIR-1",
            json={
                "guest": {"first_name": "Lucía", "last_name": "García", "language": "fr"},
                "source": "airbnb",
                "confirmation_code": "HMDABRMKQM",
                "check_in": "2026-06-20",
                "check_out": "2026-06-23",
                "custom_fields": {"door_code": "4821"},
            },
        )
        container.clock.set(datetime(2026, 6, 19, 8, 0, 5, tzinfo=UTC))
        await staff.login("owner@hotel.test", "correct horse")
        # days went by: the renewal cron has kept the 24-hour token alive, as it does every 10 minutes
        ctx = {
            "sessions": container.sessions,
            "box": container.secret_box,
            "airbnb": container.airbnb,
            "clock": container.clock,
        }
        assert await refresh_airbnb_tokens(ctx) == {"refreshed": 1}

        async def host_messages():
            sent = [m for m in sandbox.airbnb_threads[thread] if m["sender_role"] == "host"]
            return sent or None

        [scheduled] = await _eventually(host_messages, timeout=30)
        assert (
            scheduled["body"]
            == "Votre séjour\nBienvenue Lucía !\nVotre code de porte : 4821\n- Arrivée dès 15 h\n- Parking gratuit"
        )

        await staff.post(
            "/sandbox/airbnb/inject",
            json={"confirmation_code": "HMDABRMKQM", "text": "Merci ! Y a-t-il un ascenseur ?"},
        )

        async def conversation():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items and items[0]["last_message"]["direction"] == "inbound" else None

        row = await _eventually(conversation)
        assert row["booking"]["confirmation_code"] == "HMDABRMKQM" and row["reply_state"]["airbnb"]["state"] == "open"
        thread_view = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
        assert [(m["channel"], m["rule_name"]) for m in thread_view] == [("airbnb", "Pre-arrival"), ("airbnb", None)]

        reply = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "airbnb", "body": "Oui, au fond du hall."}
        )
        assert reply.status_code == 202
        await _eventually(lambda: _has_host_message(sandbox, thread, "Oui, au fond du hall."))

        # the host revokes access: the renewal fails, the connection waits for a new authorisation
        sandbox.airbnb_fail_refresh = True
        container.clock.advance(hours=23)
        await staff.login("owner@hotel.test", "correct horse")
        assert await refresh_airbnb_tokens(ctx) == {"needs_reauthorization": 1}
        status = {c["channel"]: c for c in (await staff.get("/api/v1/channels")).json()}["airbnb"]
        assert status["status"] == "needs_reauthorization" and "re-authorise" in status["last_error"]

        paused = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages", json={"channel": "airbnb", "body": "À demain !"}
        )

        async def waiting():
            thread_view = (await staff.get(f"/api/v1/conversations/{row['id']}/messages")).json()["items"]
            message = next(m for m in thread_view if m["id"] == paused.json()["id"])
            return message if message["error_code"] == "channel_paused" else None

        message = await _eventually(waiting)
        assert message["status"] == "queued" and "authorised again" in message["error_reason"]

        sandbox.airbnb_fail_refresh = False
        await _authorise(staff)
        await _eventually(lambda: _has_host_message(sandbox, thread, "À demain !"))
        container.clock.advance(minutes=5)
        assert [m["body"] for m in sandbox.airbnb_threads[thread] if m["body"] == "À demain !"] == [
            "À demain !"
        ]  # exactly once


async def _has_host_message(sandbox, thread, body):
    return any(m["sender_role"] == "host" and m["body"] == body for m in sandbox.airbnb_threads[thread])


async def test_before_confirmation_contact_details_are_refused_with_the_parts(sandbox_product):
    container = sandbox_product.container
    prop = await make_property(container)
    await make_user(container, prop, email="owner@hotel.test")
    async with StaffClient(base_url=sandbox_product.url) as staff:
        await staff.login("owner@hotel.test", "correct horse")
        await _authorise(staff)
        await staff.post(
            "/sandbox/airbnb/reservations",
            json={"confirmation_code": "HMH4SPRYKF", "status": "inquiry", "guest_first_name": "Tom"},
        )
        await staff.put(
            "/api/v1/bookings/AIR-2",
            json={
                "guest": {"first_name": "Tom"},
                "source": "airbnb",
                "confirmation_code": "HMH4SPRYKF",
                "check_in": "2026-08-01",
                "check_out": "2026-08-04",
            },
        )
        before = await staff.get("/api/v1/conversations")
        assert before.json()["items"] == []
        await staff.post(
            "/sandbox/airbnb/inject", json={"confirmation_code": "HMH4SPRYKF", "text": "Is the flat quiet?"}
        )

        async def first():
            items = (await staff.get("/api/v1/conversations")).json()["items"]
            return items[0] if items else None

        row = await _eventually(first)
        refused = await staff.post(
            f"/api/v1/conversations/{row['id']}/messages",
            json={"channel": "airbnb", "body": "Yes! Text me on WhatsApp +33 6 12 34 56 78"},
        )
        assert refused.status_code == 409 and refused.json()["code"] == "airbnb_content_blocked"
        assert "WhatsApp" in refused.json()["detail"] and "+33 6 12 34 56 78" in refused.json()["detail"]
