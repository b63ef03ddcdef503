"""Factories for real rows, going through the same code paths as the product where it matters."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import insert

from adapters.db.tables import channel_connections
from api.container import Container
from domain.channels import Channel
from domain.model import Membership, Property, User
from domain.services.bookings import BookingUpsert, GuestDetails, upsert_booking
from domain.services.inbound import InboundMessage, InboundResult, record_inbound

_HASHES: dict[str, str] = {}


class StaffClient(httpx.AsyncClient):
    """An HTTP client that signs in like the SPA and echoes the CSRF cookie on writes."""

    async def login(self, email: str, password: str) -> httpx.Response:
        response = await self.post("/api/v1/auth/login", json={"email": email, "password": password})
        if response.status_code == 200:
            self.headers["X-CSRF-Token"] = self.cookies.get("gm_csrf") or ""
        return response


def _hash(container: Container, password: str) -> str:
    # argon2 is deliberately slow; the same test password is hashed once per run
    if password not in _HASHES:
        _HASHES[password] = container.hasher.hash(password)
    return _HASHES[password]


async def make_property(
    container: Container, name: str = "Hotel Test", country: str = "FR", timezone: str = "Europe/Paris"
) -> Property:
    prop = Property(name=name, timezone=timezone, locale="en", country=country, currency="EUR")
    async with container.uow() as uow:
        uow.properties.add(prop)
        await uow.commit()
    return prop


async def make_user(
    container: Container,
    prop: Property,
    role: str = "owner",
    password: str = "correct horse",
    email: str | None = None,
    name: str = "Staff",
) -> User:
    user = User(
        email=email or f"{uuid.uuid4().hex[:10]}@staff.test", name=name, password_hash=_hash(container, password)
    )
    async with container.uow() as uow:
        uow.users.add(user)
        await uow.flush()
        uow.memberships.add(Membership(user.id, prop.id, role))
        await uow.commit()
    return user


async def connect_channel(
    container: Container,
    prop: Property,
    channel: Channel,
    settings: dict[str, Any] | None = None,
    secrets_: dict[str, Any] | None = None,
    status: str = "connected",
) -> None:
    defaults: dict[Channel, tuple[dict[str, Any], dict[str, Any]]] = {
        Channel.WHATSAPP: (
            {"phone_number_id": "106540352242922", "waba_id": "WABA1", "api_base_url": "https://graph.test/v21.0"},
            {"access_token": "EAAG-test-token-" + secrets.token_hex(4), "app_secret": "app_secret"},
        ),
        Channel.SMS: (
            # one Twilio account may serve several properties, each with its own sender number
            {
                "account_sid": "AC" + "1" * 32,
                "from_number": f"+1501712{secrets.randbelow(10_000):04d}",
                "api_base_url": "https://twilio.test",
            },
            {"auth_token": "12345"},
        ),
    }
    base_settings, base_secrets = defaults.get(channel, ({}, {}))
    merged = {**base_settings, **(settings or {})}
    async with container.sessions() as session:
        await session.execute(
            insert(channel_connections).values(
                id=uuid.uuid4(),
                property_id=prop.id,
                channel=channel.value,
                status=status,
                external_id=merged.get("phone_number_id")
                or merged.get("from_number")
                or merged.get("messaging_service_sid"),
                settings=merged,
                secrets=container.secret_box.seal({**base_secrets, **(secrets_ or {})}),
                updated_at=container.clock.now(),
            )
        )
        await session.commit()


async def make_booking(
    container: Container,
    prop: Property,
    ref: str = "B-1",
    first: str = "Camille",
    last: str = "Durand",
    phone: str | None = "+33612345678",
    email: str | None = None,
    check_in: date | None = None,
    nights: int = 3,
    **extra: Any,
) -> Any:
    start = check_in or container.clock.now().date() + timedelta(days=2)
    async with container.uow() as uow:
        result = await upsert_booking(
            uow,
            prop.id,
            BookingUpsert(
                external_ref=ref,
                guest=GuestDetails(first, last, phone, email),
                check_in=start,
                check_out=start + timedelta(days=nights),
                **extra,
            ),
            container.clock.now(),
        )
        await uow.commit()
    return result


async def guest_writes(
    container: Container,
    prop: Property,
    phone: str,
    body: str = "Hello!",
    at: datetime | None = None,
    channel: Channel = Channel.WHATSAPP,
    name: str | None = None,
) -> InboundResult:
    async with container.uow() as uow:
        result = await record_inbound(
            uow,
            prop.id,
            InboundMessage(
                channel=channel,
                provider_message_id=f"wamid.{uuid.uuid4().hex}",
                received_at=at or container.clock.now(),
                body=body,
                phone=phone,
                profile_name=name,
            ),
        )
        await uow.commit()
    return result
