"""Auth under attack: fixation, CSRF on every write, the login brake, API-key scope, hashing, leaked secrets."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from adapters.db.tables import users, web_sessions
from api.auth import token_hash
from domain.channels import Channel
from domain.model import Membership
from tests.factories import StaffClient, connect_channel, guest_writes, make_booking, make_property, make_user

PASSWORD = "correct horse"
RULE = {
    "name": "Welcome",
    "trigger": "before_check_in",
    "offset_days": 1,
    "send_time": "10:00",
    "channel_order": ["sms"],
    "content": {"default": {"sms_text": "Hello {{ guest.first_name }}"}},
}
# signing in creates the session; accepting an invitation is authorised by the invitation's token
PUBLIC_WRITES = {"/api/v1/auth/login", "/api/v1/invitations/{token}/accept"}
BOOKING = {"guest": {"first_name": "Ann"}, "check_in": "2026-07-01", "check_out": "2026-07-02"}


def _other_client(client: StaffClient) -> StaffClient:
    return StaffClient(transport=client._transport, base_url="http://testserver")


async def _session_count(container) -> int:
    async with container.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(web_sessions)) or 0)


# --- session fixation and logout -------------------------------------------------------------


async def test_a_planted_valid_session_is_replaced_at_login_and_keeps_its_own_user(client, container):
    prop = await make_property(container)
    attacker = await make_user(container, prop, email="attacker@hotel.test")
    victim = await make_user(container, prop, email="victim@hotel.test")
    async with _other_client(client) as attacker_browser:
        await attacker_browser.login("attacker@hotel.test", PASSWORD)
        planted = attacker_browser.cookies["gm_session"]
    # the attacker's own valid token is planted in the victim's browser, who then signs in
    client.cookies.set("gm_session", planted, domain="testserver.local")
    assert (await client.login("victim@hotel.test", PASSWORD)).status_code == 200
    issued = client.cookies.get("gm_session", domain="testserver.local")
    assert issued and issued != planted
    me = await client.get("/api/v1/auth/me")
    assert me.json()["user"]["id"] == str(victim.id)
    # the planted token was not upgraded to the victim: it still belongs to the attacker alone
    async with _other_client(client) as attacker_browser:
        attacker_browser.cookies.set("gm_session", planted, domain="testserver.local")
        assert (await attacker_browser.get("/api/v1/auth/me")).json()["user"]["id"] == str(attacker.id)
    async with container.sessions() as session:
        owner_of_issued = await session.scalar(
            select(web_sessions.c.user_id).where(web_sessions.c.token_hash == token_hash(issued))
        )
    assert owner_of_issued == victim.id


async def test_logout_deletes_the_session_row_and_a_replayed_cookie_is_401(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="leaving@hotel.test")
    await client.login("leaving@hotel.test", PASSWORD)
    token = client.cookies["gm_session"]
    csrf = client.headers["X-CSRF-Token"]
    assert await _session_count(container) == 1
    logout = await client.post("/api/v1/auth/logout")
    assert logout.status_code == 204
    assert await _session_count(container) == 0
    cleared = " ".join(logout.headers.get_list("set-cookie"))
    assert 'gm_session=""' in cleared and 'gm_csrf=""' in cleared
    async with _other_client(client) as replay:
        replay.cookies.set("gm_session", token, domain="testserver.local")
        for method, url in (("GET", "/api/v1/auth/me"), ("POST", "/api/v1/auth/logout")):
            refused = await replay.request(method, url, headers={"X-CSRF-Token": csrf})
            assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"


async def test_an_expired_session_is_refused(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="late@hotel.test")
    await client.login("late@hotel.test", PASSWORD)
    async with container.sessions() as session:
        await session.execute(update(web_sessions).values(expires_at=container.clock.now() - timedelta(seconds=1)))
        await session.commit()
    response = await client.get("/api/v1/auth/me")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


# --- CSRF on every cookie-authenticated write ------------------------------------------------


class _AnyId(dict):
    """Seeded ids by parameter name; a route added later gets a well-formed id of nothing."""

    def __missing__(self, key: str) -> str:
        return "00000000-0000-4000-8000-000000000001"


async def _ids(client: StaffClient, container, prop) -> dict[str, str]:
    booking = await make_booking(container, prop, ref="CSRF-1")
    written = await guest_writes(container, prop, "+33612345678", "Hi")
    key = (await client.post("/api/v1/api-keys", json={"name": "csrf"})).json()
    rule = (await client.post("/api/v1/scheduled-messages", json=RULE)).json()
    planned = (await client.get("/api/v1/planned-sends")).json()["items"]
    return _AnyId(
        conversation_id=str(written.conversation.id),
        message_id=str(written.message.id),
        guest_id=str(booking.guest.id),
        external_ref="CSRF-1",
        key_id=key["id"],
        rule_id=rule["id"],
        planned_id=planned[0]["id"],
    )


async def test_every_cookie_authenticated_write_needs_the_csrf_token(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="csrf@hotel.test")
    await connect_channel(container, prop, Channel.SMS)
    await client.login("csrf@hotel.test", PASSWORD)
    ids = await _ids(client, container, prop)
    rules_before = (await client.get("/api/v1/scheduled-messages")).json()
    paths = (await client.get("/openapi.json")).json()["paths"]
    good = client.headers.pop("X-CSRF-Token")
    walked = []
    for path, operations in paths.items():
        if not path.startswith("/api/v1"):
            continue  # webhooks carry no cookie credential; each checks its provider's signature
        for method, operation in operations.items():
            if method.upper() in ("GET", "HEAD", "OPTIONS"):
                continue
            if not operation.get("security"):
                # a write anyone may call must be one of the known ones, whose own secret is the credential
                assert path in PUBLIC_WRITES, f"{method} {path} takes no credential"
                continue
            url = path.format_map(ids)
            for header in ({}, {"X-CSRF-Token": "forged"}, {"X-CSRF-Token": good[:-1]}):
                # a well-formed body, so the refusal cannot come from validation
                refused = await client.request(method.upper(), url, headers=header, json={})
                assert refused.status_code == 403, (method, path, header, refused.status_code, refused.text)
                assert refused.headers["content-type"].startswith("application/problem+json")
                assert refused.json()["code"] == "forbidden", (method, path)
            walked.append((method, path))
    assert len(walked) >= 25, walked
    # nothing was done by any refused request: the session, the rule and the key are all still there
    client.headers["X-CSRF-Token"] = good
    assert (await client.get("/api/v1/auth/me")).status_code == 200
    assert (await client.get("/api/v1/scheduled-messages")).json() == rules_before
    assert [k["revoked_at"] for k in (await client.get("/api/v1/api-keys")).json()] == [None]


async def test_api_key_writes_need_no_csrf_token_even_with_a_stray_cookie(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="keys@hotel.test")
    await client.login("keys@hotel.test", PASSWORD)
    key = (await client.post("/api/v1/api-keys", json={"name": "PMS"})).json()["key"]
    client.headers.pop("X-CSRF-Token")
    # the bearer decides who calls; the session cookie the client also holds plays no part
    put = await client.put("/api/v1/bookings/K-1", json=BOOKING, headers={"Authorization": f"Bearer {key}"})
    assert put.status_code == 201
    assert (await client.put("/api/v1/bookings/K-2", json=BOOKING)).status_code == 403


# --- the login brake ---------------------------------------------------------------------------


async def test_the_login_brake_trips_on_exactly_the_configured_failure(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="brake@hotel.test")
    limit = container.settings.login_max_failures
    assert limit == 5 and container.settings.login_block_seconds == 300
    # failures below the limit, then the right password: admitted, and the account's count starts again
    for _ in range(limit - 1):
        assert (await client.login("brake@hotel.test", "nope")).status_code == 401
    assert (await client.login("brake@hotel.test", PASSWORD)).status_code == 200
    assert await container.redis.get("gmc:login-failures:account:brake@hotel.test") is None
    await container.redis.delete("gmc:login-failures:address:127.0.0.1")
    for attempt in range(1, limit + 1):
        response = await client.login("brake@hotel.test", "nope")
        assert response.status_code == 401, attempt  # the limit-th failure is still an ordinary 401
    for email, password in (("brake@hotel.test", PASSWORD), ("BRAKE@hotel.test ", "nope")):
        blocked = await client.login(email, password)
        assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_attempts"
        assert 0 < int(blocked.headers["retry-after"]) <= 300
        assert blocked.headers["retry-after"] in blocked.json()["detail"]
    # a blocked attempt does not lengthen the count past the window's start
    assert int(await container.redis.get("gmc:login-failures:account:brake@hotel.test")) == limit
    # when the window ends the right password works again
    await container.redis.delete(*[k async for k in container.redis.scan_iter("gmc:login-failures:*")])
    assert (await client.login("brake@hotel.test", PASSWORD)).status_code == 200


# --- API keys: their property, their role, revocation ----------------------------------------


async def test_an_api_key_acts_only_within_its_property_and_role(client, container):
    a = await make_property(container, "A")
    b = await make_property(container, "B")
    await make_user(container, a, email="owner-a@hotel.test")
    b_conv = (await guest_writes(container, b, "+33600000001", "B's guest")).conversation
    await client.login("owner-a@hotel.test", PASSWORD)
    manager = (await client.post("/api/v1/api-keys", json={"name": "m", "role": "manager"})).json()
    agent = (await client.post("/api/v1/api-keys", json={"name": "a", "role": "agent"})).json()
    assert manager["role"] == "manager" and agent["role"] == "agent"
    # an owner cannot mint an owner key: keys are capped below the owner
    assert (await client.post("/api/v1/api-keys", json={"name": "o", "role": "owner"})).status_code == 422

    async with _other_client(client) as integrator:

        def bearer(key: dict) -> dict[str, str]:
            return {"Authorization": f"Bearer {key['key']}"}

        # keys never manage keys, whatever their role
        for key in (manager, agent):
            assert (await integrator.get("/api/v1/api-keys", headers=bearer(key))).status_code == 403
            created = await integrator.post("/api/v1/api-keys", headers=bearer(key), json={"name": "x"})
            assert created.status_code == 403 and created.json()["code"] == "forbidden"
            other_prop = await integrator.get(f"/api/v1/conversations/{b_conv.id}", headers=bearer(key))
            assert other_prop.status_code == 404
            # a key has no user, so it cannot hop to another property either
            hop = await integrator.post(
                "/api/v1/auth/switch-property", headers=bearer(key), json={"property_id": str(b.id)}
            )
            assert hop.status_code == 403
        # an agent key cannot connect channels (owner and manager only); the manager key can try
        sms = {"account_sid": "AC" + "1" * 32, "auth_token": "t", "from_number": "+15017122661"}
        refused = await integrator.put("/api/v1/channels/sms", headers=bearer(agent), json=sms)
        assert refused.status_code == 403
        # revoked: 401 at once, for reads and writes alike
        assert (await client.delete(f"/api/v1/api-keys/{manager['id']}")).status_code == 204
        for method, url in (("GET", "/api/v1/conversations"), ("PUT", "/api/v1/bookings/R-1")):
            gone = await integrator.request(method, url, headers=bearer(manager), json=BOOKING)
            assert gone.status_code == 401 and gone.json()["code"] == "unauthenticated"
        forged = await integrator.get("/api/v1/conversations", headers={"Authorization": "Bearer gmc_" + "x" * 43})
        assert forged.status_code == 401
        assert (await integrator.get("/api/v1/conversations", headers=bearer(agent))).status_code == 200


# --- password hashing parameters ----------------------------------------------------------------

ARGON2 = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$")


async def test_stored_password_hashes_meet_owasp_argon2id_minimums(client, container):
    prop = await make_property(container)
    user = await make_user(container, prop, email="hash@hotel.test", password="a fresh passphrase")
    async with container.sessions() as session:
        stored = await session.scalar(select(users.c.password_hash).where(users.c.id == user.id))
    match = ARGON2.match(stored)
    assert match, stored[:20]
    memory_kib, time_cost, parallelism = (int(g) for g in match.groups())
    # OWASP Password Storage Cheat Sheet: argon2id with m >= 19 MiB and t >= 2 (or m >= 46 MiB with t = 1)
    assert memory_kib >= 19 * 1024 and time_cost >= 2 and parallelism >= 1
    # the hash is salted: the same password never gives the same hash twice
    assert container.hasher.hash("a fresh passphrase") != stored
    assert "a fresh passphrase" not in stored
    assert (await client.login("hash@hotel.test", "a fresh passphrase")).status_code == 200


# --- secrets never in API responses ------------------------------------------------------------


async def test_no_api_response_ever_contains_a_secret(client, container):
    prop = await make_property(container)
    user = await make_user(container, prop, email="secrets@hotel.test")
    await make_user(container, prop, role="agent", email="agent@hotel.test", password="agent passphrase 1")
    second = await make_property(container, "Second")
    async with container.uow() as uow:
        uow.memberships.add(Membership(user.id, second.id, "owner"))
        await uow.commit()
    secret_values = {
        "whatsapp access token": "EAAG-leak-canary-whatsapp-token-000111",
        "whatsapp app secret": "leak-canary-app-secret-222333",
        "twilio auth token": "leak-canary-twilio-token-444555",
        "smtp password": "leak-canary-smtp-password-666777",
    }
    await connect_channel(
        container,
        prop,
        Channel.WHATSAPP,
        secrets_={
            "access_token": secret_values["whatsapp access token"],
            "app_secret": secret_values["whatsapp app secret"],
        },
    )
    await connect_channel(container, prop, Channel.SMS, secrets_={"auth_token": secret_values["twilio auth token"]})
    await connect_channel(
        container,
        prop,
        Channel.EMAIL,
        settings={"host": "smtp.hotel.test", "port": 587, "tls": "starttls", "username": "frontdesk"},
        secrets_={"password": secret_values["smtp password"]},
    )
    booking = await make_booking(container, prop, ref="S-1")
    written = await guest_writes(container, prop, "+33612345678", "Hello")
    login = await client.login("secrets@hotel.test", PASSWORD)
    created = (await client.post("/api/v1/api-keys", json={"name": "leak check"})).json()
    session_token = client.cookies["gm_session"]
    secret_values.update(
        {
            "fernet key": container.settings.encryption_key,
            "meta app secret": container.settings.meta_app_secret,
            "meta verify token": container.settings.meta_verify_token,
            "api key": created["key"],
            "api key hash": token_hash(created["key"]),
            "session token": session_token,
            "session token hash": token_hash(session_token),
            "password": PASSWORD,
            "agent password": "agent passphrase 1",
        }
    )
    async with container.sessions() as session:
        for stored in (await session.execute(select(users.c.password_hash))).scalars():
            secret_values[f"password hash {stored[-12:]}"] = stored
    ids = {
        "conversation_id": str(written.conversation.id),
        "message_id": str(written.message.id),
        "guest_id": str(booking.guest.id),
        "external_ref": "S-1",
        "key_id": created["id"],
    }
    bodies: list[tuple[str, httpx.Response]] = [("login", login)]
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path, operations in paths.items():
        if "get" not in operations or path == "/api/v1/events":
            continue  # the event stream never ends; its events are the same presenters as these reads
        try:
            url = path.format_map(ids)
        except KeyError:
            continue  # an object this test did not create
        bodies.append((path, await client.get(url)))
    bodies.append(("switch", await client.post("/api/v1/auth/switch-property", json={"property_id": str(prop.id)})))
    assert len(bodies) >= 20
    assert any(path == "/api/v1/channels" and r.status_code == 200 for path, r in bodies)
    for path, response in bodies:
        # the login answer legitimately sets the session cookie; every other header and body must be clean
        seen = response.text + ("" if path == "login" else " ".join(response.headers.get_list("set-cookie")))
        for name, value in secret_values.items():
            assert value and value not in seen, f"{name} leaked by {path}"
    # the one exception: the key itself, shown once at creation
    assert created["key"].startswith("gmc_") and "key" not in (await client.get("/api/v1/api-keys")).json()[0]


# --- secrets never in logs: the canary that checks the whole suite ---------------------------


def test_the_log_canary_finds_a_secret_in_messages_extras_and_exceptions():
    import logging

    from tests.secret_canary import SecretCanary

    canary = SecretCanary()
    logger = logging.getLogger("tests.canary-self-check")
    logger.addHandler(canary)
    logger.propagate = False  # kept out of the suite-wide canary: these leaks are on purpose
    try:
        canary.register("tok_" + "A1b2" * 8, "session token")
        canary.register("smtp pass phrase 9", "smtp password")
        canary.register({"auth_token": "twilio-" + "9" * 20, "name": "app_secret"}, "sealed")
        logger.warning("nothing secret here, only app_secret and %s", "tok_")
        assert canary.leaks() == []
        logger.warning("calling with Bearer %s", "tok_" + "A1b2" * 8)
        logger.info("connected", extra={"config": {"password": "smtp pass phrase 9"}})
        try:
            raise RuntimeError("twilio said no to " + "twilio-" + "9" * 20)
        except RuntimeError:
            logger.exception("send failed")
    finally:
        logger.removeHandler(canary)
    found = {kind for kind, _, _ in canary.leaks()}
    assert found == {"session token", "smtp password", "sealed.auth_token"}
    assert all("A1b2A1b2" not in text for _, _, text in canary.leaks())  # the report masks what it found


async def test_the_suite_canary_knows_the_secrets_this_test_creates(client, container):
    from tests.secret_canary import CANARY

    prop = await make_property(container)
    await make_user(container, prop, email="canary@hotel.test", password="canary passphrase 7")
    await connect_channel(container, prop, Channel.SMS, secrets_={"auth_token": "canary-twilio-token-31337"})
    await client.login("canary@hotel.test", "canary passphrase 7")
    key = (await client.post("/api/v1/api-keys", json={"name": "canary"})).json()["key"]
    for value in (
        "canary passphrase 7",
        "canary-twilio-token-31337",
        client.cookies["gm_session"],
        client.cookies["gm_csrf"],
        key,
        container.settings.encryption_key,
        container.settings.meta_app_secret,
    ):
        assert value in CANARY.secrets, CANARY.secrets.get(value)
