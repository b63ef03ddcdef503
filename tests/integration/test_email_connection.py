"""Connecting e-mail on the real stack, against the sandbox's real SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from adapters.db.tables import channel_connections
from api.routers import email as email_routes
from domain.email.connection import TEST_SUBJECT
from sandbox.smtp import SmtpCapture, start_capture_server
from tests.factories import make_property, make_user
from tests.integration.test_whatsapp_webhooks import count

SMTP_USER, SMTP_PASSWORD = "hotel", "pass-1234"


def mount_email(app: FastAPI) -> None:
    """The e-mail routers, ahead of the SPA's fallback, until api/app.py includes them itself."""
    before = list(app.router.routes)
    paths = {getattr(route, "path", None) for route in before}
    if "/api/v1/channels/email" not in paths:
        app.include_router(email_routes.router)
    if "/webhooks/email/inbound" not in paths:
        app.include_router(email_routes.webhook_router)
    added = [route for route in app.router.routes if route not in before]
    app.router.routes[:] = added + before


def running_capture() -> Iterator[SmtpCapture]:
    """The sandbox's SMTP server, requiring the test login, for a fixture's lifetime."""
    server = start_capture_server(username=SMTP_USER, password=SMTP_PASSWORD)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def capture() -> Iterator[SmtpCapture]:
    yield from running_capture()


@pytest.fixture
def http(app, client):  # type: ignore[no-untyped-def]
    mount_email(app)
    return client


def form(capture: SmtpCapture, **changes: object) -> dict[str, object]:
    return {
        **capture.connection_settings(),
        "sender_address": "Contact@Hotel-Tilleuls.fr",
        "sender_name": "Hôtel des Tilleuls",
        "reply_to": "reply.hotel-tilleuls.fr",
        **changes,
    }


async def signed_in(http, container, role: str = "owner"):  # type: ignore[no-untyped-def]
    prop = await make_property(container)
    await make_user(container, prop, email=f"{role}@hotel.test", role=role)
    await http.login(f"{role}@hotel.test", "correct horse")
    return prop


async def test_connecting_proves_the_login_and_keeps_the_password_sealed(http, container, capture) -> None:
    prop = await signed_in(http, container)
    response = await http.put("/api/v1/channels/email", json=form(capture))
    assert response.status_code == 200
    assert response.json() == {
        "channel": "email",
        "status": "connected",
        "last_error": None,
        "details": {
            "host": "127.0.0.1",
            "port": capture.port,
            "tls": "none",
            "username": SMTP_USER,
            "sender": "contact@hotel-tilleuls.fr",
            "sender_name": "Hôtel des Tilleuls",
            "reply_to": "reply.hotel-tilleuls.fr",
        },
    }
    assert SMTP_PASSWORD not in response.text
    async with container.sessions() as session:
        row = (await session.execute(select(channel_connections))).mappings().one()
    assert (
        row["property_id"] == prop.id
        and row["channel"] == "email"
        and row["external_id"] == "contact@hotel-tilleuls.fr"
    )
    assert SMTP_PASSWORD.encode() not in row["secrets"]
    assert container.secret_box.open(row["secrets"]) == {"password": SMTP_PASSWORD}
    listed = {c["channel"]: c for c in (await http.get("/api/v1/channels")).json()}
    assert (
        listed["email"]["status"] == "connected" and listed["email"]["details"]["sender"] == "contact@hotel-tilleuls.fr"
    )
    assert capture.messages == []  # checking sends nothing


async def test_a_refused_login_is_told_in_the_servers_words_and_nothing_is_saved(http, container, capture) -> None:
    await signed_in(http, container)
    response = await http.put("/api/v1/channels/email", json=form(capture, password="wrong"))
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "provider_rejected"
    assert problem["detail"] == (
        "The mail server refused the username or password "
        "(the server said: 535 5.7.8 Authentication credentials invalid)."
    )
    assert await count(container, channel_connections) == 0


async def test_an_unreachable_server_and_a_missing_starttls_are_explained(http, container, capture) -> None:
    await signed_in(http, container)
    closed = SmtpCapture()  # a port nobody listens on
    closed_port = closed.start().port
    closed.stop()
    response = await http.put("/api/v1/channels/email", json=form(capture, port=closed_port))
    assert response.status_code == 409 and response.json()["detail"] == (
        f"The mail server at 127.0.0.1:{closed_port} could not be reached: the connection was refused "
        "(is the port right?)."
    )
    response = await http.put("/api/v1/channels/email", json=form(capture, tls="starttls"))
    assert response.status_code == 409 and response.json()["detail"] == (
        f"The mail server at 127.0.0.1:{capture.port} does not offer STARTTLS "
        "(choose TLS for port 465, or check the port)."
    )
    assert await count(container, channel_connections) == 0


async def test_only_owners_and_managers_connect_and_bad_fields_are_named(http, container, capture) -> None:
    await signed_in(http, container, role="agent")
    assert (await http.put("/api/v1/channels/email", json=form(capture))).status_code == 403
    assert (await http.post("/api/v1/channels/email/test", json={"to": "me@example.com"})).status_code == 403
    http.cookies.clear()
    await signed_in(http, container, role="manager")
    response = await http.put(
        "/api/v1/channels/email", json=form(capture, host="smtp.example.com", sender_address="nope")
    )
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("tls", "insecure_auth"),
        ("sender_address", "invalid_email"),
    }


async def test_the_test_email_reports_the_servers_answer(http, container, capture) -> None:
    await signed_in(http, container)
    refused = await http.post("/api/v1/channels/email/test", json={"to": "me@example.com"})
    assert refused.status_code == 409 and refused.json()["code"] == "channel_not_connected"
    assert (await http.put("/api/v1/channels/email", json=form(capture))).status_code == 200
    response = await http.post("/api/v1/channels/email/test", json={"to": "Me@Example.com"})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "server_reply": "250 2.0.0 Ok: queued as SANDBOX0"}
    [sent] = capture.messages
    assert (sent.envelope_from, sent.envelope_to, sent.subject) == (
        "contact@hotel-tilleuls.fr",
        ["me@example.com"],
        TEST_SUBJECT,
    )
    assert sent.from_ == "Hôtel des Tilleuls <contact@hotel-tilleuls.fr>"
    assert sent.text.startswith(
        "This is a test from Hôtel des Tilleuls <contact@hotel-tilleuls.fr>, sent through 127.0.0.1."
    )
    bounced = await http.post("/api/v1/channels/email/test", json={"to": "bounce@example.com"})
    assert bounced.status_code == 409 and bounced.json()["detail"] == (
        "The guest's address does not exist (the server said: 550 5.1.1 <bounce@example.com>: "
        "Recipient address rejected: User unknown in virtual mailbox table)."
    )
