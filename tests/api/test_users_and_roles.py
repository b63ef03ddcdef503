"""Users and roles over HTTP on PostgreSQL: invitations, accepting them, role changes and removal."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from adapters.db.tables import memberships, staff_invitations, web_sessions
from domain.staff_rules import invitation_token_hash
from sandbox.smtp import SmtpCapture, start_capture_server
from tests.factories import StaffClient, make_property, make_user


@pytest.fixture
def capture() -> Iterator[SmtpCapture]:
    server = start_capture_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def guest_browser(app) -> object:  # type: ignore[no-untyped-def]
    """A second browser: the invited person, with cookies of their own."""
    async with StaffClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


def token_of(created: dict[str, object]) -> str:
    return str(created["link"]).rsplit("/", 1)[1]


async def owner_signed_in(client, container, email: str = "owner@tilleuls.fr"):  # type: ignore[no-untyped-def]
    prop = await make_property(container, "Hôtel des Tilleuls")
    owner = await make_user(container, prop, email=email, name="Olive Owner")
    await client.login(email, "correct horse")
    return prop, owner


async def test_owner_invites_and_the_new_person_joins_signed_in(client, container, guest_browser):  # type: ignore[no-untyped-def]
    prop, _ = await owner_signed_in(client, container)
    response = await client.post("/api/v1/users/invitations", json={"email": " Lea@Tilleuls.FR", "role": "manager"})
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["email"] == "lea@tilleuls.fr" and created["role"] == "manager"
    assert created["link"].startswith("http://testserver/invitations/") and created["emailed"] is False
    token = token_of(created)
    async with container.sessions() as session:
        stored = (await session.execute(select(staff_invitations))).mappings().one()
    assert stored["token_hash"] == invitation_token_hash(token) and token not in str(dict(stored))
    # listed for the owner, without the link
    [pending] = (await client.get("/api/v1/users/invitations")).json()
    assert pending["email"] == "lea@tilleuls.fr" and "link" not in pending

    preview = await guest_browser.get(f"/api/v1/invitations/{token}")
    assert preview.status_code == 200
    assert preview.json() | {"expires_at": None} == {
        "email": "lea@tilleuls.fr",
        "role": "manager",
        "property_name": "Hôtel des Tilleuls",
        "expires_at": None,
        "existing_account": False,
    }
    accepted = await guest_browser.post(
        f"/api/v1/invitations/{token}/accept", json={"name": "Léa Martin", "password": "a long password"}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["user"]["name"] == "Léa Martin" and accepted.json()["role"] == "manager"
    assert accepted.json()["property"]["id"] == str(prop.id)
    me = await guest_browser.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["user"]["email"] == "lea@tilleuls.fr"
    # the new account signs in with its password, the link is spent, and the list shows her
    assert (await guest_browser.login("lea@tilleuls.fr", "a long password")).status_code == 200
    again = await guest_browser.post(f"/api/v1/invitations/{token}/accept", json={"name": "X", "password": "whatever1"})
    assert again.status_code == 404 and again.json()["code"] == "not_found"
    staff = (await client.get("/api/v1/users")).json()
    assert [(s["email"], s["role"]) for s in staff] == [("lea@tilleuls.fr", "manager"), ("owner@tilleuls.fr", "owner")]
    assert (await client.get("/api/v1/users/invitations")).json() == []


async def test_the_invitation_is_emailed_through_the_property_connection(client, container, capture):  # type: ignore[no-untyped-def]
    await owner_signed_in(client, container)
    connected = await client.put(
        "/api/v1/channels/email",
        json={**capture.connection_settings(), "sender_address": "contact@tilleuls.fr", "sender_name": "Tilleuls"},
    )
    assert connected.status_code == 200, connected.text
    created = (
        await client.post("/api/v1/users/invitations", json={"email": "lea@tilleuls.fr", "role": "agent"})
    ).json()
    assert created["emailed"] is True
    [mail] = capture.messages
    assert mail.envelope_to == ["lea@tilleuls.fr"] and "Hôtel des Tilleuls" in mail.subject
    assert created["link"] in mail.text


async def test_an_existing_account_joins_with_its_own_password_only(client, container, guest_browser):  # type: ignore[no-untyped-def]
    elsewhere = await make_property(container, "Other hotel")
    paul = await make_user(container, elsewhere, email="paul@tilleuls.fr", name="Paul", role="agent")
    prop, _ = await owner_signed_in(client, container)
    token = token_of(
        (await client.post("/api/v1/users/invitations", json={"email": "paul@tilleuls.fr", "role": "agent"})).json()
    )
    assert (await guest_browser.get(f"/api/v1/invitations/{token}")).json()["existing_account"] is True
    # whoever holds the link (the inviting owner too) cannot take over Paul's account
    wrong = await guest_browser.post(f"/api/v1/invitations/{token}/accept", json={"name": "Me", "password": "guess"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    assert "gm_session" not in guest_browser.cookies
    right = await guest_browser.post(f"/api/v1/invitations/{token}/accept", json={"password": "correct horse"})
    assert right.status_code == 200, right.text
    body = right.json()
    assert body["user"]["id"] == str(paul.id) and body["user"]["name"] == "Paul"
    assert {m["property_name"] for m in body["memberships"]} == {"Other hotel", "Hôtel des Tilleuls"}
    assert body["property"]["id"] == str(prop.id)


async def test_problems_are_problem_json_with_stable_codes(client, container):  # type: ignore[no-untyped-def]
    prop, owner = await owner_signed_in(client, container)
    await make_user(container, prop, email="agent@tilleuls.fr", role="agent")
    cases = [
        ({"email": "not-an-address", "role": "agent"}, 422, "validation_error"),
        ({"email": "lea@tilleuls.fr", "role": "admin"}, 422, "validation_error"),
        ({"email": "AGENT@tilleuls.fr", "role": "manager"}, 409, "already_member"),
    ]
    for body, status, code in cases:
        response = await client.post("/api/v1/users/invitations", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code
    bad_email = (await client.post("/api/v1/users/invitations", json={"email": "nope", "role": "agent"})).json()
    assert bad_email["errors"][0]["field"] == "email" and bad_email["errors"][0]["code"] == "invalid_email"
    last = await client.patch(f"/api/v1/users/{owner.id}", json={"role": "agent"})
    assert last.status_code == 409 and last.json()["code"] == "last_owner"
    assert (await client.delete(f"/api/v1/users/{owner.id}")).json()["code"] == "last_owner"


async def test_an_expired_link_is_refused(client, container, clock, guest_browser):  # type: ignore[no-untyped-def]
    await owner_signed_in(client, container)
    token = token_of(
        (await client.post("/api/v1/users/invitations", json={"email": "lea@tilleuls.fr", "role": "agent"})).json()
    )
    clock.advance(days=8)
    response = await guest_browser.post(
        f"/api/v1/invitations/{token}/accept", json={"name": "Léa", "password": "a long password"}
    )
    assert response.status_code == 409 and response.json()["code"] == "invitation_expired"


@pytest.mark.parametrize("role", ["manager", "agent"])
async def test_only_owners_manage_users(client, container, role):  # type: ignore[no-untyped-def]
    prop = await make_property(container)
    owner = await make_user(container, prop, email="owner@tilleuls.fr")
    await make_user(container, prop, email="me@tilleuls.fr", role=role)
    await client.login("me@tilleuls.fr", "correct horse")
    for method, url, body in [
        ("POST", "/api/v1/users/invitations", {"email": "lea@tilleuls.fr", "role": "agent"}),
        ("GET", "/api/v1/users/invitations", None),
        ("PATCH", f"/api/v1/users/{owner.id}", {"role": "agent"}),
        ("DELETE", f"/api/v1/users/{owner.id}", None),
    ]:
        response = await client.request(method, url, json=body)
        assert response.status_code == 403, (method, url, response.text)
        assert response.json()["code"] == "forbidden"
    # everyone still sees the team (for assignment)
    assert len((await client.get("/api/v1/users")).json()) == 2


async def test_role_change_and_removal_end_the_removed_members_sessions(client, container, app):  # type: ignore[no-untyped-def]
    prop, owner = await owner_signed_in(client, container)
    agent = await make_user(container, prop, email="agent@tilleuls.fr", role="agent", name="Agent")
    async with StaffClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as agent_browser:
        await agent_browser.login("agent@tilleuls.fr", "correct horse")
        promoted = await client.patch(f"/api/v1/users/{agent.id}", json={"role": "owner"})
        assert promoted.status_code == 200 and promoted.json()["role"] == "owner"
        assert (await agent_browser.get("/api/v1/auth/me")).json()["role"] == "owner"
        # two owners: the first may now step down
        assert (await client.patch(f"/api/v1/users/{owner.id}", json={"role": "manager"})).status_code == 200
        demoted_write = await client.delete(f"/api/v1/users/{agent.id}")
        assert demoted_write.status_code == 403  # a manager no longer manages users
        assert (await agent_browser.delete(f"/api/v1/users/{owner.id}")).status_code == 204
        async with container.sessions() as session:
            left = await session.scalar(
                select(func.count()).select_from(memberships).where(memberships.c.user_id == owner.id)
            )
            sessions_left = await session.scalar(
                select(func.count()).select_from(web_sessions).where(web_sessions.c.user_id == owner.id)
            )
        assert left == 0 and sessions_left == 0
        signed_out = await client.get("/api/v1/auth/me")
        assert signed_out.status_code == 401
        assert [s["email"] for s in (await agent_browser.get("/api/v1/users")).json()] == ["agent@tilleuls.fr"]


async def test_members_and_invitations_of_another_property_are_not_found(client, container):  # type: ignore[no-untyped-def]
    other = await make_property(container, "Other")
    stranger = await make_user(container, other, email="stranger@tilleuls.fr", role="agent")
    await owner_signed_in(client, container)
    assert (await client.patch(f"/api/v1/users/{stranger.id}", json={"role": "owner"})).status_code == 404
    assert (await client.delete(f"/api/v1/users/{stranger.id}")).status_code == 404
    async with container.sessions() as session:
        role = await session.scalar(select(memberships.c.role).where(memberships.c.user_id == stranger.id))
    assert role == "agent"
    unknown = await client.get("/api/v1/invitations/not-a-real-token")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
