from __future__ import annotations

from tests.factories import make_property, make_user


async def test_login_sets_httponly_session_and_csrf_cookies(client, container):
    prop = await make_property(container)
    user = await make_user(container, prop, email="marie@hotel.test", name="Marie")
    response = await client.login("Marie@Hotel.test ", "correct horse")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == "marie@hotel.test"
    assert body["property"]["id"] == str(prop.id)
    assert body["role"] == "owner"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("gm_session="))
    csrf = next(c for c in cookies if c.startswith("gm_csrf="))
    assert "HttpOnly" in session and "samesite=lax" in session.lower()
    assert "HttpOnly" not in csrf
    me = await client.get("/api/v1/auth/me")
    assert me.json()["user"]["id"] == str(user.id)


async def test_wrong_password_is_401_problem_json(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="a@hotel.test")
    response = await client.login("a@hotel.test", "wrong")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_credentials"
    unknown = await client.login("nobody@hotel.test", "wrong")
    assert unknown.status_code == 401 and unknown.json()["code"] == "invalid_credentials"


async def test_failed_logins_are_rate_limited_per_account(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="b@hotel.test")
    for _ in range(container.settings.login_max_failures):
        assert (await client.login("b@hotel.test", "nope")).status_code == 401
    blocked = await client.login("b@hotel.test", "correct horse")  # even the right password waits
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts"
    assert int(blocked.headers["retry-after"]) > 0


async def test_failed_logins_are_rate_limited_per_client_address(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="c@hotel.test")
    for i in range(container.settings.login_max_failures):
        await client.login(f"guess{i}@hotel.test", "nope")
    assert (await client.login("c@hotel.test", "correct horse")).status_code == 429


async def test_unsafe_request_without_csrf_header_is_refused(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="d@hotel.test")
    await client.login("d@hotel.test", "correct horse")
    del client.headers["X-CSRF-Token"]
    response = await client.post("/api/v1/auth/logout")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    response = await client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "forged"})
    assert response.status_code == 403


async def test_logout_ends_the_session_server_side(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="e@hotel.test")
    await client.login("e@hotel.test", "correct horse")
    token = client.cookies.get("gm_session")
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    client.cookies.set("gm_session", token, domain="testserver.local")  # replaying the old cookie does not work
    assert (await client.get("/api/v1/auth/me")).status_code == 401


async def test_each_login_gets_a_new_session_token(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="f@hotel.test")
    client.cookies.set("gm_session", "planted-by-attacker", domain="testserver.local")
    await client.login("f@hotel.test", "correct horse")
    first = client.cookies.get("gm_session")
    assert first and first != "planted-by-attacker"
    await client.login("f@hotel.test", "correct horse")
    assert client.cookies.get("gm_session") != first


async def test_switch_property_only_to_own_memberships(client, container):
    a = await make_property(container, "A")
    b = await make_property(container, "B")
    other = await make_property(container, "C")
    user = await make_user(container, a, email="g@hotel.test")
    from domain.model import Membership

    async with container.uow() as uow:
        uow.memberships.add(Membership(user.id, b.id, "agent"))
        await uow.commit()
    await client.login("g@hotel.test", "correct horse")
    switched = await client.post("/api/v1/auth/switch-property", json={"property_id": str(b.id)})
    assert switched.status_code == 200 and switched.json()["property"]["id"] == str(b.id)
    assert switched.json()["role"] == "agent"
    assert len(switched.json()["memberships"]) == 2
    refused = await client.post("/api/v1/auth/switch-property", json={"property_id": str(other.id)})
    assert refused.status_code == 404


async def test_api_keys_owner_creates_key_shown_once_and_it_authenticates(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="h@hotel.test")
    await client.login("h@hotel.test", "correct horse")
    created = await client.post("/api/v1/api-keys", json={"name": "PMS"})
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("gmc_")
    listed = (await client.get("/api/v1/api-keys")).json()
    assert listed[0]["prefix"] == key[:10] and "key" not in listed[0]
    async with client.__class__(transport=client._transport, base_url="http://testserver") as integrator:
        ok = await integrator.get("/api/v1/conversations", headers={"Authorization": f"Bearer {key}"})
        assert ok.status_code == 200
        # bearer requests need no CSRF token: they carry no ambient credential
        put = await integrator.put(
            "/api/v1/bookings/R1",
            headers={"Authorization": f"Bearer {key}"},
            json={"guest": {"first_name": "Ann"}, "check_in": "2026-07-01", "check_out": "2026-07-02"},
        )
        assert put.status_code == 201
        assert (await client.delete(f"/api/v1/api-keys/{created.json()['id']}")).status_code == 204
        revoked = await integrator.get("/api/v1/conversations", headers={"Authorization": f"Bearer {key}"})
        assert revoked.status_code == 401


async def test_agents_cannot_manage_api_keys(client, container):
    prop = await make_property(container)
    await make_user(container, prop, role="agent", email="i@hotel.test")
    await client.login("i@hotel.test", "correct horse")
    response = await client.post("/api/v1/api-keys", json={"name": "x"})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
