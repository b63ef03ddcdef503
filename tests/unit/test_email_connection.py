"""Connecting e-mail against fakes of the store and the SMTP check: what is checked, kept and refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.email.connection import connect_email, send_test_email
from domain.email.ports import SmtpCredentials, SmtpTestEmail
from domain.errors import Conflict, InvalidInput, PolicyViolation, ProviderFailure
from domain.ports.connections import ConnectionRecord

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
PROPERTY = uuid.uuid4()


class FakeStore:
    def __init__(self) -> None:
        self.records: dict[tuple[uuid.UUID, str], ConnectionRecord] = {}

    async def get(self, property_id: uuid.UUID, channel: str) -> ConnectionRecord | None:
        return self.records.get((property_id, channel))

    async def all_for(self, property_id: uuid.UUID) -> list[ConnectionRecord]:
        return [r for (p, _), r in self.records.items() if p == property_id]

    async def owner_of(self, channel: str, external_id: str) -> uuid.UUID | None:
        return next((p for (p, c), r in self.records.items() if c == channel and r.external_id == external_id), None)

    async def save(self, record: ConnectionRecord) -> None:
        self.records[(record.property_id, record.channel)] = record


class FakeCheck:
    def __init__(self, failure: ProviderFailure | None = None) -> None:
        self.failure = failure
        self.verified: list[SmtpCredentials] = []
        self.sent: list[tuple[SmtpCredentials, SmtpTestEmail]] = []

    async def verify(self, server: SmtpCredentials) -> str:
        self.verified.append(server)
        if self.failure:
            raise self.failure
        return "235 2.7.0 Authentication successful"

    async def send_test(self, server: SmtpCredentials, message: SmtpTestEmail) -> str:
        if self.failure:
            raise self.failure
        self.sent.append((server, message))
        return "250 2.0.0 Ok: queued as 4Xk2"


def form(**changes: object) -> SmtpCredentials:
    values: dict[str, object] = {
        "host": " SMTP.Example.com ",
        "port": 587,
        "tls": "starttls",
        "sender_address": "Contact@Hotel-Tilleuls.fr",
        "sender_name": " Hôtel des Tilleuls ",
        "username": "contact@hotel-tilleuls.fr",
        "password": "s3cret-pass",
        "reply_to": "Reply.Hotel-Tilleuls.fr",
    }
    values.update(changes)
    return SmtpCredentials(**values)  # type: ignore[arg-type]


async def test_a_checked_server_is_kept_with_its_password_sealed_apart() -> None:
    store, check = FakeStore(), FakeCheck()
    record = await connect_email(store, check, PROPERTY, form(), NOW)
    assert check.verified[0].host == "smtp.example.com" and check.verified[0].password == "s3cret-pass"
    assert record.status == "connected" and record.external_id == "contact@hotel-tilleuls.fr"
    assert record.settings == {
        "host": "smtp.example.com",
        "port": 587,
        "tls": "starttls",
        "username": "contact@hotel-tilleuls.fr",
        "sender": "contact@hotel-tilleuls.fr",
        "sender_name": "Hôtel des Tilleuls",
        "reply_to": "reply.hotel-tilleuls.fr",
    }
    assert record.secrets == {"password": "s3cret-pass"}
    assert store.records[(PROPERTY, "email")] is record


async def test_every_wrong_field_is_named_and_nothing_is_tried() -> None:
    check = FakeCheck()
    with pytest.raises(InvalidInput) as raised:
        await connect_email(
            FakeStore(),
            check,
            PROPERTY,
            form(host="smtp://x", port=0, sender_address="nope", sender_name="A\nBcc: x@y", reply_to="not a domain"),
            NOW,
        )
    assert sorted(p.field for p in raised.value.problems) == [
        "host",
        "port",
        "reply_to",
        "sender_address",
        "sender_name",
    ]
    assert check.verified == []


async def test_passwords_never_travel_unencrypted_except_to_this_machine() -> None:
    with pytest.raises(InvalidInput) as raised:
        await connect_email(FakeStore(), FakeCheck(), PROPERTY, form(tls="none"), NOW)
    assert [(p.field, p.code) for p in raised.value.problems] == [("tls", "insecure_auth")]
    await connect_email(FakeStore(), FakeCheck(), PROPERTY, form(tls="none", host="127.0.0.1"), NOW)
    with pytest.raises(InvalidInput) as raised:
        await connect_email(FakeStore(), FakeCheck(), PROPERTY, form(password=None), NOW)
    assert [(p.field, p.code) for p in raised.value.problems] == [("password", "required")]


async def test_the_servers_refusal_is_told_in_its_words_and_nothing_is_saved() -> None:
    store = FakeStore()
    refusal = ProviderFailure("smtp_535", "The mail server refused the username or password (…).", False)
    with pytest.raises(PolicyViolation) as raised:
        await connect_email(store, FakeCheck(refusal), PROPERTY, form(), NOW)
    assert raised.value.code == "provider_rejected" and raised.value.message == refusal.reason
    assert store.records == {}


async def test_a_sender_address_belongs_to_one_property() -> None:
    store = FakeStore()
    await connect_email(store, FakeCheck(), uuid.uuid4(), form(), NOW)
    with pytest.raises(Conflict):
        await connect_email(store, FakeCheck(), PROPERTY, form(), NOW)


async def test_the_test_email_goes_through_the_saved_server() -> None:
    store, check = FakeStore(), FakeCheck()
    with pytest.raises(PolicyViolation) as raised:
        await send_test_email(store, check, PROPERTY, "me@example.com")
    assert raised.value.code == "channel_not_connected"
    await connect_email(store, check, PROPERTY, form(), NOW)
    assert await send_test_email(store, check, PROPERTY, " Me@Example.com ") == "250 2.0.0 Ok: queued as 4Xk2"
    server, message = check.sent[0]
    assert server.password == "s3cret-pass" and message.to == "me@example.com"
    with pytest.raises(InvalidInput):
        await send_test_email(store, check, PROPERTY, "not-an-address")
