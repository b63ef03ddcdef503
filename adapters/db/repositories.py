"""SQLAlchemy implementations of the storage ports. Every query filters on property_id."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import channel_connections
from domain.channels import Channel
from domain.model import (
    Booking,
    Conversation,
    ConversationRead,
    Guest,
    Membership,
    Message,
    OutboxEvent,
    Property,
    User,
)


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entity: Any) -> None:
        self.session.add(entity)

    async def _one(self, stmt: Any) -> Any:
        return (await self.session.execute(stmt)).scalars().first()


class SqlaPropertyRepository(_Repo):
    async def get(self, property_id: uuid.UUID) -> Property | None:
        return await self.session.get(Property, property_id)


class SqlaUserRepository(_Repo):
    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def by_email(self, email: str) -> User | None:
        return await self._one(select(User).where(User.email == email))  # type: ignore[arg-type]


class SqlaMembershipRepository(_Repo):
    async def get(self, user_id: uuid.UUID, property_id: uuid.UUID) -> Membership | None:
        return await self.session.get(Membership, (user_id, property_id))

    async def for_user(self, user_id: uuid.UUID) -> list[Membership]:
        rows = await self.session.execute(select(Membership).where(Membership.user_id == user_id))  # type: ignore[arg-type]
        return list(rows.scalars())


class SqlaGuestRepository(_Repo):
    async def get(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> Guest | None:
        return await self._one(select(Guest).where(Guest.property_id == property_id, Guest.id == guest_id))  # type: ignore[arg-type]

    async def by_phone(self, property_id: uuid.UUID, phone: str) -> Guest | None:
        return await self._one(select(Guest).where(Guest.property_id == property_id, Guest.phone == phone))  # type: ignore[arg-type]

    async def by_email(self, property_id: uuid.UUID, email: str) -> Guest | None:
        return await self._one(select(Guest).where(Guest.property_id == property_id, Guest.email == email))  # type: ignore[arg-type]


class SqlaBookingRepository(_Repo):
    async def get(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> Booking | None:
        return await self._one(select(Booking).where(Booking.property_id == property_id, Booking.id == booking_id))  # type: ignore[arg-type]

    async def by_external_ref(self, property_id: uuid.UUID, external_ref: str) -> Booking | None:
        stmt = select(Booking).where(Booking.property_id == property_id, Booking.external_ref == external_ref)  # type: ignore[arg-type]
        return await self._one(stmt)

    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[Booking]:
        stmt = select(Booking).where(Booking.property_id == property_id, Booking.guest_id == guest_id)  # type: ignore[arg-type]
        return list((await self.session.execute(stmt)).scalars())


class SqlaConversationRepository(_Repo):
    async def get(self, property_id: uuid.UUID, conversation_id: uuid.UUID, *, lock: bool = False) -> Conversation | None:
        stmt = select(Conversation).where(Conversation.property_id == property_id, Conversation.id == conversation_id)  # type: ignore[arg-type]
        return await self._one(stmt.with_for_update() if lock else stmt)

    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID, *, lock: bool = False) -> Conversation | None:
        stmt = select(Conversation).where(Conversation.property_id == property_id, Conversation.guest_id == guest_id)  # type: ignore[arg-type]
        return await self._one(stmt.with_for_update() if lock else stmt)


class SqlaConversationReadRepository(_Repo):
    async def get(self, property_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID) -> ConversationRead | None:
        found = await self.session.get(ConversationRead, (conversation_id, user_id))
        return found if found is not None and found.property_id == property_id else None


class SqlaMessageRepository(_Repo):
    async def get(self, property_id: uuid.UUID, message_id: uuid.UUID, *, lock: bool = False) -> Message | None:
        stmt = select(Message).where(Message.property_id == property_id, Message.id == message_id)  # type: ignore[arg-type]
        if lock:
            # populate_existing: a locked re-read must see the row as committed by others, not a stale copy
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return await self._one(stmt)

    async def by_provider_id(self, property_id: uuid.UUID, channel: Channel, provider_message_id: str) -> Message | None:
        stmt = select(Message).where(
            Message.property_id == property_id,  # type: ignore[arg-type]
            Message.channel == channel.value,  # type: ignore[arg-type]
            Message.provider_message_id == provider_message_id,  # type: ignore[arg-type]
        )
        return await self._one(stmt)


class SqlaOutboxRepository(_Repo):
    def add(self, event: OutboxEvent) -> None:
        self.session.add(event)


class SqlaConnectionDirectory(_Repo):
    async def connected_channels(self, property_id: uuid.UUID) -> frozenset[Channel]:
        rows = await self.session.execute(
            select(channel_connections.c.channel).where(
                channel_connections.c.property_id == property_id, channel_connections.c.status == "connected"
            )
        )
        return frozenset(Channel(value) for value in rows.scalars())
