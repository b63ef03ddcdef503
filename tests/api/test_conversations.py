from __future__ import annotations

from datetime import timedelta

from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user


async def _setup(client, container):
    prop = await make_property(container)
    user = await make_user(container, prop, email="staff@hotel.test", name="Marie")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await connect_channel(container, prop, Channel.SMS)
    await client.login("staff@hotel.test", "correct horse")
    return prop, user


async def test_a_guest_message_makes_a_conversation_linked_to_the_booking(client, container):
    prop, _ = await _setup(client, container)
    booking = await make_booking(container, prop, ref="PMS-1", phone="+33612345678")
    await guest_writes(container, prop, "+33612345678", "Bonjour, à quelle heure est le check-in ?")
    page = (await client.get("/api/v1/conversations")).json()
    [row] = page["items"]
    assert row["guest"]["display_name"] == "Camille Durand"
    assert row["booking"]["external_ref"] == "PMS-1" and row["booking"]["id"] == str(booking.booking.id)
    assert row["last_message"]["preview"].startswith("Bonjour") and row["last_message"]["direction"] == "inbound"
    assert row["unread_count"] == 1 and row["channels"] == ["whatsapp"]
    wa = row["reply_state"]["whatsapp"]
    assert wa["state"] == "open"
    assert wa["open_until"].startswith((container.clock.now() + timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M"))
    assert row["reply_state"]["email"]["state"] == "closed"


async def test_window_closes_after_24_hours_and_free_form_is_refused_with_409(client, container):
    prop, _ = await _setup(client, container)
    result = await guest_writes(container, prop, "+33612345678")
    cid = result.conversation.id
    ok = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "Hi!"})
    assert ok.status_code == 202 and ok.json()["status"] == "queued"
    container.clock.advance(hours=24, seconds=1)
    row = (await client.get(f"/api/v1/conversations/{cid}")).json()
    assert row["reply_state"]["whatsapp"]["state"] == "closed"
    refused = await client.post(
        f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "Hi again"}
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "whatsapp_window_closed" and "template" in refused.json()["detail"]
    sms = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "By SMS then"})
    assert sms.status_code == 202 and sms.json()["channel"] == "sms"


async def test_messages_page_newest_first_each_page_oldest_to_newest(client, container):
    prop, _ = await _setup(client, container)
    cid = None
    for i in range(7):
        cid = (await guest_writes(container, prop, "+33612345678", f"m{i}")).conversation.id
        container.clock.advance(minutes=1)
    first = (await client.get(f"/api/v1/conversations/{cid}/messages", params={"limit": 3})).json()
    assert [m["body"] for m in first["items"]] == ["m4", "m5", "m6"]
    second = (
        await client.get(f"/api/v1/conversations/{cid}/messages", params={"limit": 3, "cursor": first["next_cursor"]})
    ).json()
    assert [m["body"] for m in second["items"]] == ["m1", "m2", "m3"]
    last = (
        await client.get(f"/api/v1/conversations/{cid}/messages", params={"limit": 3, "cursor": second["next_cursor"]})
    ).json()
    assert [m["body"] for m in last["items"]] == ["m0"] and last["next_cursor"] is None


async def test_list_is_newest_activity_first_with_cursor_pages(client, container):
    prop, _ = await _setup(client, container)
    for i in range(5):
        await guest_writes(container, prop, f"+3361234567{i}", f"from {i}")
        container.clock.advance(minutes=1)
    page1 = (await client.get("/api/v1/conversations", params={"limit": 2})).json()
    page2 = (await client.get("/api/v1/conversations", params={"limit": 2, "cursor": page1["next_cursor"]})).json()
    page3 = (await client.get("/api/v1/conversations", params={"limit": 2, "cursor": page2["next_cursor"]})).json()
    previews = [r["last_message"]["preview"] for p in (page1, page2, page3) for r in p["items"]]
    assert previews == ["from 4", "from 3", "from 2", "from 1", "from 0"] and page3["next_cursor"] is None


async def test_filters_status_unread_assigned_channel_and_search(client, container):
    prop, user = await _setup(client, container)
    await make_booking(container, prop, ref="PMS-77", first="Lucía", last="García", phone="+34612345678")
    a = (await guest_writes(container, prop, "+34612345678", "hola")).conversation.id
    b = (
        await guest_writes(container, prop, "+33600000001", "sms here", channel=Channel.SMS, name="Bob Stone")
    ).conversation.id
    c = (await guest_writes(container, prop, "+33600000002", "bye", name="Cleo Park")).conversation.id
    await client.post(f"/api/v1/conversations/{c}/close")
    await client.post(f"/api/v1/conversations/{b}/assign", json={"user_id": str(user.id)})
    await client.post(f"/api/v1/conversations/{a}/read")

    def ids(resp):
        return {r["id"] for r in resp.json()["items"]}

    assert ids(await client.get("/api/v1/conversations", params={"status": "closed"})) == {str(c)}
    assert ids(await client.get("/api/v1/conversations", params={"status": "open"})) == {str(a), str(b)}
    assert ids(await client.get("/api/v1/conversations", params={"unread": "true"})) == {str(b), str(c)}
    assert ids(await client.get("/api/v1/conversations", params={"assigned": "me"})) == {str(b)}
    assert ids(await client.get("/api/v1/conversations", params={"assigned": "unassigned"})) == {str(a), str(c)}
    assert ids(await client.get("/api/v1/conversations", params={"channel": "sms"})) == {str(b)}
    assert ids(await client.get("/api/v1/conversations", params={"q": "garcía"})) == {str(a)}
    assert ids(await client.get("/api/v1/conversations", params={"q": "PMS-77"})) == {str(a)}
    assert ids(await client.get("/api/v1/conversations", params={"q": "600000002"})) == {str(c)}
    assert ids(await client.get("/api/v1/conversations", params={"q": "stone"})) == {str(b)}


async def test_read_assign_close_reopen_and_notes(client, container):
    prop, user = await _setup(client, container)
    cid = (await guest_writes(container, prop, "+33612345678", "hello")).conversation.id
    assert (await client.post(f"/api/v1/conversations/{cid}/read")).status_code == 204
    assert (await client.get(f"/api/v1/conversations/{cid}")).json()["unread_count"] == 0
    await guest_writes(container, prop, "+33612345678", "anyone?")
    assert (await client.get(f"/api/v1/conversations/{cid}")).json()["unread_count"] == 1
    assigned = (await client.post(f"/api/v1/conversations/{cid}/assign", json={"user_id": str(user.id)})).json()
    assert assigned["assignee"] == {"id": str(user.id), "name": "Marie"}
    assert (await client.post(f"/api/v1/conversations/{cid}/assign", json={"user_id": None})).json()["assignee"] is None
    stranger = await client.post(
        f"/api/v1/conversations/{cid}/assign", json={"user_id": "00000000-0000-0000-0000-000000000001"}
    )
    assert stranger.status_code == 422
    assert (await client.post(f"/api/v1/conversations/{cid}/close")).json()["status"] == "closed"
    assert (await client.post(f"/api/v1/conversations/{cid}/reopen")).json()["status"] == "open"
    container.clock.advance(seconds=5)
    note = await client.post(f"/api/v1/conversations/{cid}/notes", json={"body": "Late arrival, keep key at bar"})
    assert note.status_code == 201 and note.json()["kind"] == "note" and note.json()["author"]["type"] == "user"
    thread = (await client.get(f"/api/v1/conversations/{cid}/messages")).json()["items"]
    assert thread[-1]["kind"] == "note"
    assert (await client.get(f"/api/v1/conversations/{cid}")).json()["last_message"]["preview"] == "anyone?"


async def test_sending_on_an_unconnected_channel_is_refused(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="x@hotel.test")
    await client.login("x@hotel.test", "correct horse")
    cid = (await guest_writes(container, prop, "+33612345678")).conversation.id
    refused = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "hi"})
    assert refused.status_code == 409 and refused.json()["code"] == "channel_not_connected"
    unknown = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "telegram", "body": "hi"})
    assert unknown.status_code == 422


async def test_link_booking_unread_summary_and_staff_list(client, container):
    prop, user = await _setup(client, container)
    other_prop = await make_property(container, "Other")
    foreign = await make_booking(container, other_prop, ref="X-1", phone="+33699999999")
    booking = await make_booking(container, prop, ref="PMS-5", phone="+33611111111")
    cid = (await guest_writes(container, prop, "+33700000001", "who am I?", name="Unknown Guest")).conversation.id
    assert (await client.get(f"/api/v1/conversations/{cid}")).json()["booking"] is None
    linked = await client.post(
        f"/api/v1/conversations/{cid}/link-booking", json={"booking_id": str(booking.booking.id)}
    )
    assert linked.status_code == 200 and linked.json()["booking"]["external_ref"] == "PMS-5"
    refused = await client.post(
        f"/api/v1/conversations/{cid}/link-booking", json={"booking_id": str(foreign.booking.id)}
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "unknown_booking"
    await guest_writes(container, prop, "+33700000001", "hello?")
    assert (await client.get("/api/v1/conversations/unread")).json() == {"conversations": 1, "messages": 2}
    await client.post(f"/api/v1/conversations/{cid}/read")
    assert (await client.get("/api/v1/conversations/unread")).json() == {"conversations": 0, "messages": 0}
    staff = (await client.get("/api/v1/users")).json()
    assert staff == [{"id": str(user.id), "name": "Marie", "email": "staff@hotel.test", "role": "owner"}]
    by_guest = (await client.get("/api/v1/bookings", params={"guest_id": str(booking.guest.id)})).json()["items"]
    assert [b["external_ref"] for b in by_guest] == ["PMS-5"]
