"""Demo data for the embedded default: a property, staff, guests, bookings and a few conversations.

It goes through the same use cases as real traffic (booking upserts, inbound messages, sends),
so the demo shows what the product really does.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from adapters.db.tables import channel_connections, users
from api.container import Container
from domain.channels import Channel
from domain.model import Membership, Property, User
from domain.services.bookings import BookingUpsert, GuestDetails, upsert_booking
from domain.services.inbound import InboundMessage, record_inbound

DEMO_EMAIL = "owner@demo.hotel"

GUESTS: list[dict[str, Any]] = [
    {
        "ref": "DEMO-1001",
        "first": "Camille",
        "last": "Durand",
        "phone": "+33612345678",
        "email": "camille@example.com",
        "lang": "fr",
        "in": 1,
        "nights": 3,
        "source": "direct",
        "room": "12",
        "say": ["Bonjour ! Nous arriverons vers 22h, est-ce possible ?"],
        "ago": timedelta(hours=2),
    },
    {
        "ref": "DEMO-1002",
        "first": "James",
        "last": "Miller",
        "phone": "+447911123456",
        "email": "james@example.co.uk",
        "lang": "en",
        "in": 0,
        "nights": 2,
        "source": "booking_com",
        "room": "4",
        "say": ["Hi, is there parking near the hotel?", "Also, can we get an extra pillow?"],
        "ago": timedelta(minutes=25),
    },
    {
        "ref": "DEMO-1003",
        "first": "Lucía",
        "last": "García",
        "phone": "+34612345678",
        "email": "lucia@example.es",
        "lang": "es",
        "in": 5,
        "nights": 4,
        "source": "airbnb",
        "room": "Garden suite",
        "code": "HMDABRMKQM",
        "say": ["Hello! Is breakfast included?"],
        "ago": timedelta(hours=30),
    },
    {
        "ref": "DEMO-1004",
        "first": "Hans",
        "last": "Becker",
        "phone": "+4915123456789",
        "email": "hans@example.de",
        "lang": "de",
        "in": -2,
        "nights": 5,
        "source": "direct",
        "room": "7",
        "say": ["The shower in room 7 is cold."],
        "ago": timedelta(hours=5),
    },
    {
        "ref": "DEMO-1005",
        "first": "Aiko",
        "last": "Tanaka",
        "phone": "+819012345678",
        "email": "aiko@example.jp",
        "lang": "en",
        "in": 12,
        "nights": 2,
        "source": "direct",
        "room": "3",
        "say": [],
        "ago": None,
    },
]


async def seed_demo(container: Container) -> str | None:
    """Seeds once; returns the demo password when it created the demo, None when data already exists."""
    async with container.sessions() as session:
        if (await session.scalar(select(func.count()).select_from(users))) or 0:
            return None
    password = secrets.token_urlsafe(9)
    now = container.clock.now()
    prop = Property(
        name="Hôtel des Tilleuls (demo)", timezone="Europe/Paris", locale="fr", country="FR", currency="EUR"
    )
    async with container.uow() as uow:
        uow.properties.add(prop)
        owner = User(email=DEMO_EMAIL, name="Marie (owner)", password_hash=container.hasher.hash(password))
        agent = User(email="agent@demo.hotel", name="Lucas (front desk)", password_hash=container.hasher.hash(password))
        uow.users.add(owner)
        uow.users.add(agent)
        await uow.flush()
        uow.memberships.add(Membership(owner.id, prop.id, "owner"))
        uow.memberships.add(Membership(agent.id, prop.id, "agent"))
        await uow.commit()
    await _connect_sandbox_channels(container, prop.id)
    for g in GUESTS:
        async with container.uow() as uow:
            check_in = now.date() + timedelta(days=g["in"])
            await upsert_booking(
                uow,
                prop.id,
                BookingUpsert(
                    external_ref=g["ref"],
                    guest=GuestDetails(g["first"], g["last"], g["phone"], g["email"], g["lang"]),
                    check_in=check_in,
                    check_out=check_in + timedelta(days=g["nights"]),
                    source=g["source"],
                    confirmation_code=g.get("code"),
                    room=g["room"],
                    party_size=2,
                    custom_fields={"door_code": str(4000 + len(g["ref"]) * 7)},
                ),
                now,
            )
            await uow.commit()
        for i, text in enumerate(g["say"]):
            at: datetime = now - g["ago"] + timedelta(minutes=i)
            async with container.uow() as uow:
                await record_inbound(
                    uow,
                    prop.id,
                    InboundMessage(
                        channel=Channel.WHATSAPP,
                        provider_message_id=f"wamid.DEMO{g['ref']}{i}",
                        received_at=at,
                        body=text,
                        phone=g["phone"],
                        profile_name=f"{g['first']} {g['last']}",
                    ),
                )
                await uow.commit()
    return password


async def _connect_sandbox_channels(container: Container, property_id: Any) -> None:
    base = container.settings.base_url
    rows: list[dict[str, Any]] = [
        {
            "channel": "whatsapp",
            "settings": {
                "waba_id": "SBX-WABA-1",
                "phone_number_id": "100000000000001",
                "display_phone_number": "+33 1 84 88 00 00",
                "api_base_url": f"{base}/sandbox/whatsapp",
            },
            "secrets": {
                "access_token": "sandbox-" + secrets.token_urlsafe(16),
            },
        },
        {
            "channel": "sms",
            "settings": {
                "account_sid": "AC" + secrets.token_hex(16),
                "from_number": "+33757000000",
                "api_base_url": f"{base}/sandbox/twilio",
            },
            "secrets": {"auth_token": secrets.token_hex(16)},
        },
        {
            # the sandbox's SMTP server captures every e-mail; see /sandbox/smtp/messages
            "channel": "email",
            "settings": {
                **_capture_settings(),
                "sender": "reception@tilleuls-demo.example.com",
                "sender_name": "Hôtel des Tilleuls",
            },
            "secrets": {},
        },
    ]
    async with container.sessions() as session:
        for row in rows:
            await session.execute(
                insert(channel_connections).values(
                    id=uuid.uuid4(),
                    property_id=property_id,
                    channel=row["channel"],
                    status="connected",
                    external_id=row["settings"].get("phone_number_id")
                    or row["settings"].get("from_number")
                    or row["settings"].get("sender"),
                    settings=row["settings"],
                    secrets=container.secret_box.seal(row["secrets"]),
                    updated_at=container.clock.now(),
                )
            )
        await session.commit()


def _capture_settings() -> dict[str, Any]:
    from sandbox.smtp import default_capture

    return default_capture().connection_settings()


async def point_demo_at_this_sandbox(container: Container) -> None:
    """The demo's connections talk to the sandbox of this run, whatever port it uses today."""
    base = container.settings.base_url
    async with container.sessions() as session:
        rows = (
            await session.execute(
                select(channel_connections.c.id, channel_connections.c.channel, channel_connections.c.settings)
            )
        ).all()
        for row in rows:
            current = (row.settings or {}).get("api_base_url", "")
            if row.channel == "email" and (row.settings or {}).get("host") == "127.0.0.1":
                await session.execute(
                    update(channel_connections)
                    .where(channel_connections.c.id == row.id)
                    .values(settings={**row.settings, **_capture_settings()})
                )
            elif "/sandbox/" in current:
                wanted = f"{base}/sandbox/{'whatsapp' if row.channel == 'whatsapp' else 'twilio'}"
                await session.execute(
                    update(channel_connections)
                    .where(channel_connections.c.id == row.id)
                    .values(settings={**row.settings, "api_base_url": wanted})
                )
        await session.commit()
