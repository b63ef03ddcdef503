from __future__ import annotations

from sqlalchemy import func, select

from adapters.db.tables import bookings, guests
from tests.factories import make_property, make_user

BODY = {
    "guest": {
        "first_name": "Camille",
        "last_name": "Durand",
        "phone": "06 12 34 56 78",
        "email": "Camille@Example.com",
        "language": "fr",
    },
    "check_in": "2026-07-01",
    "check_out": "2026-07-04",
    "source": "direct",
    "room": "12",
    "party_size": 2,
    "custom_fields": {"door_code": "4821"},
}


async def _signed_in(client, container, country="FR"):
    prop = await make_property(container, country=country)
    await make_user(container, prop, email="pms@hotel.test")
    await client.login("pms@hotel.test", "correct horse")
    return prop


async def _count(container, table):
    async with container.sessions() as session:
        return await session.scalar(select(func.count()).select_from(table))


async def test_put_creates_then_is_idempotent(client, container):
    await _signed_in(client, container)
    created = await client.put("/api/v1/bookings/PMS-1", json=BODY)
    assert created.status_code == 201
    data = created.json()
    assert data["guest"]["phone"] == "+33612345678" and data["guest"]["email"] == "camille@example.com"
    assert data["custom_fields"] == {"door_code": "4821"} and data["created"] is True
    again = await client.put("/api/v1/bookings/PMS-1", json=BODY)
    assert again.status_code == 200 and again.json()["id"] == data["id"] and again.json()["created"] is False
    assert await _count(container, bookings) == 1 and await _count(container, guests) == 1


async def test_update_changes_the_booking_in_place(client, container):
    await _signed_in(client, container)
    first = (await client.put("/api/v1/bookings/PMS-1", json=BODY)).json()
    moved = await client.put("/api/v1/bookings/PMS-1", json={**BODY, "check_in": "2026-07-02", "status": "cancelled"})
    assert moved.status_code == 200
    read = (await client.get("/api/v1/bookings/PMS-1")).json()
    assert read["id"] == first["id"] and read["check_in"] == "2026-07-02" and read["status"] == "cancelled"


async def test_guests_are_deduplicated_across_bookings(client, container):
    await _signed_in(client, container)
    a = (await client.put("/api/v1/bookings/PMS-1", json=BODY)).json()
    b = (
        await client.put(
            "/api/v1/bookings/PMS-2", json={**BODY, "guest": {**BODY["guest"], "phone": "+33612345678", "email": None}}
        )
    ).json()
    c = (
        await client.put(
            "/api/v1/bookings/PMS-3", json={**BODY, "guest": {"first_name": "C", "email": "camille@example.COM"}}
        )
    ).json()
    assert a["guest"]["id"] == b["guest"]["id"] == c["guest"]["id"]
    assert await _count(container, guests) == 1


async def test_invalid_phone_and_email_answer_422_naming_the_field(client, container):
    await _signed_in(client, container)
    response = await client.put(
        "/api/v1/bookings/PMS-1", json={**BODY, "guest": {**BODY["guest"], "phone": "12", "email": "x@"}}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert {e["field"] for e in problem["errors"]} == {"guest.phone", "guest.email"}
    assert await _count(container, bookings) == 0


async def test_schema_errors_are_problem_json_too(client, container):
    await _signed_in(client, container)
    response = await client.put("/api/v1/bookings/PMS-1", json={"guest": {}, "check_in": "tomorrow"})
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"guest.first_name", "check_in", "check_out"} <= fields


async def test_check_out_before_check_in_is_refused(client, container):
    await _signed_in(client, container)
    response = await client.put("/api/v1/bookings/PMS-1", json={**BODY, "check_out": "2026-06-30"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "check_out"


async def test_national_numbers_use_the_property_country(client, container):
    await _signed_in(client, container, country="US")
    response = await client.put(
        "/api/v1/bookings/PMS-1", json={**BODY, "guest": {"first_name": "Al", "phone": "(415) 555-2671"}}
    )
    assert response.json()["guest"]["phone"] == "+14155552671"


async def test_search_bookings_and_guests(client, container):
    await _signed_in(client, container)
    await client.put("/api/v1/bookings/PMS-1", json=BODY)
    await client.put(
        "/api/v1/bookings/AIR-7",
        json={
            **BODY,
            "source": "airbnb",
            "confirmation_code": "hmdabrmkqm",
            "guest": {"first_name": "Lucía", "last_name": "García", "phone": "+34612345678"},
        },
    )
    by_code = (await client.get("/api/v1/bookings", params={"q": "HMDABRMKQM"})).json()["items"]
    assert [b["external_ref"] for b in by_code] == ["AIR-7"] and by_code[0]["confirmation_code"] == "HMDABRMKQM"
    assert [
        b["external_ref"] for b in (await client.get("/api/v1/bookings", params={"q": "durand"})).json()["items"]
    ] == ["PMS-1"]
    assert [
        b["external_ref"] for b in (await client.get("/api/v1/bookings", params={"q": "PMS-1"})).json()["items"]
    ] == ["PMS-1"]
    by_phone = (await client.get("/api/v1/guests", params={"q": "612345678"})).json()["items"]
    assert {g["first_name"] for g in by_phone} == {"Camille", "Lucía"}
    assert [g["first_name"] for g in (await client.get("/api/v1/guests", params={"q": "garc"})).json()["items"]] == [
        "Lucía"
    ]
    assert (await client.get("/api/v1/guests", params={"q": "camille@example"})).json()["items"][0][
        "last_name"
    ] == "Durand"


async def test_lists_page_by_cursor(client, container):
    await _signed_in(client, container)
    for i in range(5):
        await client.put(
            f"/api/v1/bookings/R{i}", json={**BODY, "guest": {"first_name": f"G{i}", "phone": f"+3361234560{i}"}}
        )
    seen, cursor = [], None
    while True:
        page = (
            await client.get("/api/v1/bookings", params={"limit": 2, **({"cursor": cursor} if cursor else {})})
        ).json()
        seen += [b["external_ref"] for b in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == [f"R{i}" for i in range(5)] and len(seen) == 5
    bad = await client.get("/api/v1/bookings", params={"cursor": "garbage"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "invalid_cursor"
