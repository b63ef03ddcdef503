from __future__ import annotations

import respx
from sqlalchemy import select

from adapters.db.tables import channel_connections
from tests.factories import make_property, make_user

FORM = {
    "waba_id": "102290129340398",
    "phone_number_id": "106540352242922",
    "access_token": "EAAG-secret-token-123",
    "verify_token": "my-verify-token-1",
    "app_secret": "own-app-secret",
}
GRAPH_NUMBER = "https://graph.facebook.com/v21.0/106540352242922"


async def _owner(client, container, email="o@hotel.test", role="owner"):
    prop = await make_property(container)
    await make_user(container, prop, email=email, role=role)
    await client.login(email, "correct horse")
    return prop


async def test_connecting_whatsapp_checks_the_number_with_meta_and_never_returns_secrets(client, container):
    prop = await _owner(client, container)
    with respx.mock:
        route = respx.get(GRAPH_NUMBER).respond(
            200,
            json={
                "display_phone_number": "+33 1 84 88 00 00",
                "verified_name": "Hôtel des Tilleuls",
                "quality_rating": "GREEN",
                "id": "106540352242922",
            },
        )
        response = await client.put("/api/v1/channels/whatsapp", json=FORM)
    assert response.status_code == 200
    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer EAAG-secret-token-123"
    assert request.url.params["fields"] == "display_phone_number,verified_name,quality_rating"
    body = response.json()
    assert body["status"] == "connected" and body["details"]["verified_name"] == "Hôtel des Tilleuls"
    assert "EAAG-secret-token-123" not in response.text and "own-app-secret" not in response.text
    assert "my-verify-token-1" not in response.text
    async with container.sessions() as session:
        row = (await session.execute(select(channel_connections))).mappings().one()
    assert b"EAAG-secret-token-123" not in row["secrets"]  # encrypted at rest
    assert container.secret_box.open(row["secrets"])["access_token"] == "EAAG-secret-token-123"
    assert row["property_id"] == prop.id and row["external_id"] == "106540352242922"
    listed = (await client.get("/api/v1/channels")).json()
    assert [c["channel"] for c in listed] == ["whatsapp", "sms", "airbnb", "email"]
    assert listed[0]["status"] == "connected" and listed[1]["status"] == "disconnected"
    # Meta's handshake now answers with this property's verify token
    ok = await client.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": "my-verify-token-1", "hub.challenge": "42"},
    )
    assert ok.text == "42"


async def test_an_expired_token_is_refused_in_plain_words_and_nothing_is_saved(client, container):
    await _owner(client, container)
    expired = {
        "error": {
            "message": "Error validating access token: Session has expired on Tuesday.",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
            "fbtrace_id": "ACEyrTeh",
        }
    }
    with respx.mock:
        respx.get(GRAPH_NUMBER).respond(401, json=expired)
        response = await client.put("/api/v1/channels/whatsapp", json=FORM)
    assert response.status_code == 409 and response.json()["code"] == "provider_rejected"
    assert "expired" in response.json()["detail"] and "reconnect" in response.json()["detail"].lower()
    assert (await client.get("/api/v1/channels")).json()[0]["status"] == "disconnected"


async def test_a_number_of_another_property_cannot_be_taken(client, container):
    other = await make_property(container, "Other")
    from domain.channels import Channel
    from tests.factories import connect_channel

    await connect_channel(container, other, Channel.WHATSAPP)
    await _owner(client, container)
    response = await client.put("/api/v1/channels/whatsapp", json=FORM)
    assert response.status_code == 409 and response.json()["code"] == "conflict"


async def test_bad_shapes_are_422_and_agents_may_not_connect(client, container):
    await _owner(client, container)
    bad = await client.put(
        "/api/v1/channels/whatsapp", json={**FORM, "phone_number_id": "abc", "verify_token": "short"}
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"phone_number_id", "verify_token"}
    await client.post("/api/v1/auth/logout")
    prop = await make_property(container, "Agents")
    await make_user(container, prop, email="agent@hotel.test", role="agent")
    await client.login("agent@hotel.test", "correct horse")
    assert (await client.put("/api/v1/channels/whatsapp", json=FORM)).status_code == 403


SMS_FORM = {"account_sid": "AC" + "2" * 32, "auth_token": "twilio-secret-token", "from_number": "07 57 00 00 00"}


async def test_connecting_sms_fetches_the_account_and_normalises_the_sender(client, container):
    await _owner(client, container)
    with respx.mock:
        route = respx.get(f"https://api.twilio.com/2010-04-01/Accounts/{SMS_FORM['account_sid']}.json").respond(
            200, json={"sid": SMS_FORM["account_sid"], "friendly_name": "Hôtel des Tilleuls", "status": "active"}
        )
        response = await client.put("/api/v1/channels/sms", json=SMS_FORM)
    assert response.status_code == 200, response.text
    import base64

    assert (
        route.calls.last.request.headers["authorization"]
        == "Basic " + base64.b64encode(f"{SMS_FORM['account_sid']}:twilio-secret-token".encode()).decode()
    )
    body = response.json()
    assert body["details"]["from_number"] == "+33757000000" and body["details"]["friendly_name"] == "Hôtel des Tilleuls"
    assert "twilio-secret-token" not in response.text


async def test_bad_twilio_credentials_are_explained(client, container):
    await _owner(client, container)
    with respx.mock:
        respx.get(f"https://api.twilio.com/2010-04-01/Accounts/{SMS_FORM['account_sid']}.json").respond(
            401,
            json={
                "code": 20003,
                "message": "Authenticate",
                "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401,
            },
        )
        response = await client.put("/api/v1/channels/sms", json=SMS_FORM)
    assert response.status_code == 409 and "Account SID and auth token" in response.json()["detail"]
    both = await client.put("/api/v1/channels/sms", json={**SMS_FORM, "messaging_service_sid": "MG" + "1" * 32})
    assert both.status_code == 422 and both.json()["errors"][0]["code"] == "one_sender"


async def test_sms_segments_endpoint(client, container):
    await _owner(client, container)
    answer = (await client.post("/api/v1/sms/segments", json={"text": "Merci 🙂"})).json()
    assert answer == {"characters": 7, "encoding": "UCS-2", "units": 8, "segments": 1, "remaining_in_segment": 62}
