from __future__ import annotations

from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user


async def _setup(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="staff@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP)
    await client.login("staff@hotel.test", "correct horse")
    return prop


async def test_catalogue_crud_and_duplicate_names_refused(client, container):
    await _setup(client, container)
    vip = await client.post("/api/v1/labels", json={"name": " VIP ", "colour": "#D97706"})
    assert vip.status_code == 201 and vip.json()["name"] == "VIP" and vip.json()["colour"] == "#d97706"
    again = await client.post("/api/v1/labels", json={"name": "vip"})
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "label_exists"
    bad = await client.post("/api/v1/labels", json={"name": "Late", "colour": "red"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "colour"
    late = (await client.post("/api/v1/labels", json={"name": "Late arrival"})).json()
    assert [label["name"] for label in (await client.get("/api/v1/labels")).json()] == ["Late arrival", "VIP"]
    renamed = await client.put(f"/api/v1/labels/{late['id']}", json={"name": "Arrives late", "colour": "#2563eb"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Arrives late"
    assert (await client.delete(f"/api/v1/labels/{late['id']}")).status_code == 204
    assert [label["name"] for label in (await client.get("/api/v1/labels")).json()] == ["VIP"]


async def test_labels_on_conversations_show_in_rows_and_filter_the_list(client, container):
    prop = await _setup(client, container)
    await make_booking(container, prop, ref="PMS-9", phone="+33611111111")
    first = (await guest_writes(container, prop, "+33611111111", "first")).conversation.id
    container.clock.advance(minutes=1)
    second = (await guest_writes(container, prop, "+33622222222", "second")).conversation.id
    vip = (await client.post("/api/v1/labels", json={"name": "VIP", "colour": "#d97706"})).json()
    late = (await client.post("/api/v1/labels", json={"name": "Late arrival"})).json()

    added = await client.put(f"/api/v1/conversations/{first}/labels/{vip['id']}")
    assert added.status_code == 200 and [label["name"] for label in added.json()] == ["VIP"]
    assert (await client.put(f"/api/v1/conversations/{first}/labels/{vip['id']}")).status_code == 200  # idempotent
    await client.put(f"/api/v1/conversations/{first}/labels/{late['id']}")

    rows = {r["id"]: r for r in (await client.get("/api/v1/conversations")).json()["items"]}
    assert [label["name"] for label in rows[str(first)]["labels"]] == ["Late arrival", "VIP"]
    assert rows[str(second)]["labels"] == []
    header = (await client.get(f"/api/v1/conversations/{first}")).json()
    assert {"id": vip["id"], "name": "VIP", "colour": "#d97706"} in header["labels"]

    filtered = (await client.get("/api/v1/conversations", params={"label": vip["id"]})).json()["items"]
    assert [r["id"] for r in filtered] == [str(first)]
    searched = (await client.get("/api/v1/conversations", params={"q": "late arr"})).json()["items"]
    assert [r["id"] for r in searched] == [str(first)]
    # the filter keeps the cursor pages of the unfiltered list
    await client.put(f"/api/v1/conversations/{second}/labels/{vip['id']}")
    page1 = (await client.get("/api/v1/conversations", params={"label": vip["id"], "limit": 1})).json()
    page2 = (
        await client.get(
            "/api/v1/conversations", params={"label": vip["id"], "limit": 1, "cursor": page1["next_cursor"]}
        )
    ).json()
    assert [r["id"] for r in page1["items"] + page2["items"]] == [str(second), str(first)]
    assert page2["next_cursor"] is None

    removed = await client.delete(f"/api/v1/conversations/{first}/labels/{vip['id']}")
    assert [label["name"] for label in removed.json()] == ["Late arrival"]
    filtered = (await client.get("/api/v1/conversations", params={"label": vip["id"]})).json()["items"]
    assert [r["id"] for r in filtered] == [str(second)]


async def test_labels_of_another_property_are_not_found(client, container):
    prop = await _setup(client, container)
    cid = (await guest_writes(container, prop, "+33611111111")).conversation.id
    other = await make_property(container, name="Other")
    from adapters.db.label_store import SqlaLabelStore
    from domain.services.labels import create_label

    theirs = await create_label(
        SqlaLabelStore(container.sessions), other.id, "Theirs", "#000000", container.clock.now()
    )
    assert (await client.put(f"/api/v1/conversations/{cid}/labels/{theirs.id}")).status_code == 404
    assert (await client.delete(f"/api/v1/labels/{theirs.id}")).status_code == 404
    assert (await client.get("/api/v1/labels")).json() == []
