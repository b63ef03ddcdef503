from __future__ import annotations

from datetime import date

from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user

WIFI = {
    "name": "Wi-Fi",
    "shortcut": "/WiFi",
    "bodies": {
        "en": "Hi {{ guest.first_name }}, room {{ booking.room }}: the Wi-Fi code is on your key card.",
        "fr": "Bonjour {{ guest.first_name }}, arrivée le {{ booking.check_in }}, chambre {{ booking.room }}.",
    },
}


async def _setup(client, container, role="owner"):
    prop = await make_property(container)
    await make_user(container, prop, role=role, email="staff@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await client.login("staff@hotel.test", "correct horse")
    return prop


async def test_crud_normalises_the_shortcut_and_lists_by_shortcut(client, container):
    await _setup(client, container)
    created = await client.post("/api/v1/saved-replies", json=WIFI)
    assert created.status_code == 201, created.text
    reply = created.json()
    assert reply["shortcut"] == "wifi" and set(reply["bodies"]) == {"en", "fr"}
    await client.post("/api/v1/saved-replies", json={"name": "Parking", "shortcut": "car", "bodies": {"en": "P2"}})
    listed = (await client.get("/api/v1/saved-replies")).json()
    assert [r["shortcut"] for r in listed] == ["car", "wifi"]
    updated = await client.put(
        f"/api/v1/saved-replies/{reply['id']}", json={**WIFI, "name": "Wi-Fi code", "bodies": {"en": "Code 1234"}}
    )
    assert updated.status_code == 200 and updated.json()["name"] == "Wi-Fi code"
    assert (await client.get(f"/api/v1/saved-replies/{reply['id']}")).json()["bodies"] == {"en": "Code 1234"}
    assert (await client.delete(f"/api/v1/saved-replies/{reply['id']}")).status_code == 204
    assert (await client.get(f"/api/v1/saved-replies/{reply['id']}")).status_code == 404


async def test_unknown_placeholder_and_taken_shortcut_are_refused_with_their_fields(client, container):
    await _setup(client, container)
    bad = await client.post(
        "/api/v1/saved-replies",
        json={"name": "Bad", "shortcut": "bad", "bodies": {"en": "Hi {{ guest.nickname }}", "fr": "{{ oops"}},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    problems = {(e["field"], e["code"]) for e in bad.json()["errors"]}
    assert problems == {("bodies.en", "unknown_placeholder"), ("bodies.fr", "template_syntax")}
    assert (await client.post("/api/v1/saved-replies", json=WIFI)).status_code == 201
    again = await client.post("/api/v1/saved-replies", json={**WIFI, "shortcut": "wifi"})
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": "shortcut", "code": "shortcut_taken", "message": "/wifi is already used."}
    ]


async def test_render_uses_the_guests_language_and_the_booking(client, container):
    prop = await _setup(client, container)
    await make_booking(container, prop, ref="B-7", phone="+33612345678", check_in=date(2026, 7, 1), room="12")
    result = await guest_writes(container, prop, "+33612345678")
    reply = (await client.post("/api/v1/saved-replies", json=WIFI)).json()
    cid = result.conversation.id
    # the guest's language is unknown: the property's default (en) is used
    rendered = await client.post(f"/api/v1/conversations/{cid}/saved-replies/{reply['id']}/render")
    assert rendered.status_code == 200, rendered.text
    assert rendered.json() == {
        "text": "Hi Camille, room 12: the Wi-Fi code is on your key card.",
        "language": "en",
    }
    async with container.uow() as uow:
        guest = await uow.guests.get(prop.id, result.conversation.guest_id)
        guest.language = "fr-FR"
        await uow.commit()
    rendered = (await client.post(f"/api/v1/conversations/{cid}/saved-replies/{reply['id']}/render")).json()
    assert rendered["language"] == "fr"
    assert rendered["text"] == "Bonjour Camille, arrivée le mercredi 1er juillet 2026, chambre 12."


async def test_render_lists_every_missing_value(client, container):
    prop = await _setup(client, container)
    result = await guest_writes(container, prop, "+33699999999")  # no booking: no room, no dates
    reply = (await client.post("/api/v1/saved-replies", json=WIFI)).json()
    refused = await client.post(f"/api/v1/conversations/{result.conversation.id}/saved-replies/{reply['id']}/render")
    assert refused.status_code == 409 and refused.json()["code"] == "placeholder_without_value"
    assert "booking.room" in refused.json()["detail"]


async def test_replies_are_scoped_to_the_property_and_agents_cannot_edit(client, container):
    await _setup(client, container, role="agent")
    refused = await client.post("/api/v1/saved-replies", json=WIFI)
    assert refused.status_code == 403
    other = await make_property(container, name="Other")
    from adapters.db.saved_reply_store import SqlaSavedReplyStore
    from domain.services.saved_replies import create_reply

    theirs = await create_reply(
        SqlaSavedReplyStore(container.sessions), other.id, "X", "x", {"en": "x"}, container.clock.now()
    )
    assert (await client.get("/api/v1/saved-replies")).json() == []
    assert (await client.get(f"/api/v1/saved-replies/{theirs.id}")).status_code == 404
