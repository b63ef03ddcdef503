"""Every route that names an object, called by a user of another property, answers 404 — like a missing one."""

from __future__ import annotations

from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user

TEMPLATE = {
    "name": "welcome",
    "language": "en",
    "category": "UTILITY",
    "body": "Welcome {{1}}, see you soon at the hotel.",
    "body_variables": [{"index": 1, "placeholder": "guest.first_name", "example": "Ann"}],
}
RULE = {
    "name": "Welcome",
    "trigger": "before_check_in",
    "offset_days": 1,
    "send_time": "10:00",
    "channel_order": ["sms"],
    "content": {"default": {"sms_text": "Hello {{ guest.first_name }}"}},
}
BODIES = {
    "/api/v1/scheduled-messages/{rule_id}": RULE,
    "/api/v1/scheduled-messages/{rule_id}/preview": {"booking_ref": "A-REF"},
    "/api/v1/planned-sends/{planned_id}/reschedule": {"due_at": "2030-01-01T10:00:00Z"},
    "/api/v1/whatsapp/templates/{template_id}": TEMPLATE,
    "/api/v1/conversations/{conversation_id}/messages": {"channel": "sms", "body": "hi"},
    "/api/v1/conversations/{conversation_id}/notes": {"body": "note"},
    "/api/v1/conversations/{conversation_id}/assign": {"user_id": None},
    "/api/v1/conversations/{conversation_id}/link-booking": {"booking_id": None},
    "/api/v1/demo/conversations/{conversation_id}/simulate-guest-message": {"text": "hi"},
    "/api/v1/users/{user_id}": {"role": "agent"},
    "/api/v1/invitations/{token}/accept": {"name": "Intruder", "password": "long enough"},
    "/api/v1/saved-replies/{reply_id}": {"name": "Wi-Fi", "shortcut": "wifi", "bodies": {"en": "Code 1"}},
    "/api/v1/labels/{label_id}": {"name": "VIP", "colour": "#d97706"},
    "/api/v1/attention/messages/{message_id}/resend": {"channel": "sms"},
    "/api/v1/guests/{guest_id}/consents": {"channel": "sms", "state": "opt_in"},
    "/api/v1/guests/{guest_id}/erase": {"confirmation": "ERASE"},
    "/api/v1/webhook-subscriptions/{subscription_id}": {"active": False},
}


async def test_every_object_route_hides_other_properties(client, container, app):
    a = await make_property(container, "A")
    b = await make_property(container, "B")
    a_owner = await make_user(container, a, email="owner-a@hotel.test")
    await make_user(container, b, email="owner-b@hotel.test")
    await connect_channel(container, b, Channel.SMS)
    await connect_channel(container, a, Channel.SMS)
    booking = await make_booking(container, a, ref="A-REF")
    written = await guest_writes(container, a, "+33612345678", "secret of A")
    conv = written.conversation

    await client.login("owner-a@hotel.test", "correct horse")
    key = (await client.post("/api/v1/api-keys", json={"name": "A key"})).json()
    a_template = (await client.post("/api/v1/whatsapp/templates", json=TEMPLATE)).json()
    a_rule = (await client.post("/api/v1/scheduled-messages", json=RULE)).json()
    [a_planned] = (await client.get("/api/v1/planned-sends")).json()["items"]
    a_invitation = (
        await client.post("/api/v1/users/invitations", json={"email": "new@hotel-a.fr", "role": "agent"})
    ).json()
    a_reply = (
        await client.post("/api/v1/saved-replies", json={"name": "Wi-Fi", "shortcut": "wifi", "bodies": {"en": "1"}})
    ).json()
    a_label = (await client.post("/api/v1/labels", json={"name": "VIP"})).json()
    a_hook = (
        await client.post(
            "/api/v1/webhook-subscriptions", json={"url": "https://a.example.com/in", "event_types": ["message.status"]}
        )
    ).json()
    await client.post("/api/v1/auth/logout")

    ids = {
        "conversation_id": str(conv.id),
        "external_ref": "A-REF",
        "guest_id": str(booking.guest.id),
        "key_id": key["id"],
        "template_id": a_template["id"],
        "message_id": str(written.message.id),
        "rule_id": a_rule["id"],
        "planned_id": a_planned["id"],
        "user_id": str(a_owner.id),
        "invitation_id": a_invitation["id"],
        "token": "not-an-invitation-token",
        "reply_id": a_reply["id"],
        "label_id": a_label["id"],
        "subscription_id": a_hook["id"],
        "delivery_id": a_hook["id"],  # any id: the subscription is checked first
        "kind": "failed_send",
        "item_id": str(written.message.id),  # links are public bearer secrets; an unknown one must be 404
    }
    await client.login("owner-b@hotel.test", "correct horse")
    # B's own template: a 404 on A's conversation or guest must come from the conversation or guest itself
    b_template = (await client.post("/api/v1/whatsapp/templates", json=TEMPLATE)).json()
    for path in (
        "/api/v1/conversations/{conversation_id}/template-preview",
        "/api/v1/conversations/{conversation_id}/template-messages",
        "/api/v1/guests/{guest_id}/template-preview",
        "/api/v1/guests/{guest_id}/template-messages",
    ):
        BODIES[path] = {"template_id": b_template["id"]}
    checked = []
    # the OpenAPI document lists every route, so a new route is covered without editing this test
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path, operations in paths.items():
        if not path.startswith("/api/v1") or "{" not in path:
            continue
        url = path.format(**ids)
        for method in operations:
            if method == "put" and "external_ref" in path:
                continue  # an upsert by reference creates B's own booking; checked below
            response = await client.request(method.upper(), url, json=BODIES.get(path))
            assert response.status_code == 404, (method, url, response.status_code, response.text)
            assert response.json()["code"] == "not_found"
            checked.append((method, path))
    assert len(checked) >= 11, checked

    # B's upsert with A's reference makes a separate booking of B; A's stays as it was
    created = await client.put(
        "/api/v1/bookings/A-REF",
        json={"guest": {"first_name": "Zed"}, "check_in": "2026-08-01", "check_out": "2026-08-02"},
    )
    assert created.status_code == 201 and created.json()["id"] != str(booking.booking.id)
    # lists and searches of B never show A's rows
    assert (await client.get("/api/v1/conversations")).json()["items"] == []
    assert [g["first_name"] for g in (await client.get("/api/v1/guests")).json()["items"]] == ["Zed"]
    assert (await client.get("/api/v1/bookings", params={"q": "Durand"})).json()["items"] == []
    assert (await client.get("/api/v1/api-keys")).json() == []


async def test_an_api_key_only_sees_its_own_property(client, container):
    a = await make_property(container, "A")
    b = await make_property(container, "B")
    await make_user(container, b, email="owner-b@hotel.test")
    conv = (await guest_writes(container, a, "+33612345678", "A only")).conversation
    await client.login("owner-b@hotel.test", "correct horse")
    key = (await client.post("/api/v1/api-keys", json={"name": "B"})).json()["key"]
    headers = {"Authorization": f"Bearer {key}"}
    assert (await client.get(f"/api/v1/conversations/{conv.id}", headers=headers)).status_code == 404
    assert (await client.get("/api/v1/conversations", headers=headers)).json()["items"] == []
