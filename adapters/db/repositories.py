"""SQLAlchemy implementations of the storage ports. Every query filters on property_id."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import (
    bookings,
    channel_connections,
    conversations,
    guests,
    memberships,
    messages,
    planned_sends,
    scheduled_rules,
    users,
)
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
from domain.scheduling.model import PlannedSend, ScheduledRule

E = TypeVar("E")


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, entity: Any) -> None:
        self.session.add(entity)

    async def _one(self, entity: type[E], stmt: Any) -> E | None:
        """The first `entity` a SELECT returns, or None."""
        return cast(E | None, (await self.session.execute(stmt)).scalars().first())


class SqlaPropertyRepository(_Repo):
    async def get(self, property_id: uuid.UUID) -> Property | None:
        return await self.session.get(Property, property_id)


class SqlaUserRepository(_Repo):
    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def by_email(self, email: str) -> User | None:
        return await self._one(User, select(User).where(users.c.email == email))


class SqlaMembershipRepository(_Repo):
    async def get(self, user_id: uuid.UUID, property_id: uuid.UUID) -> Membership | None:
        return await self.session.get(Membership, (user_id, property_id))

    async def for_user(self, user_id: uuid.UUID) -> list[Membership]:
        rows = await self.session.execute(select(Membership).where(memberships.c.user_id == user_id))
        return list(rows.scalars())


class SqlaGuestRepository(_Repo):
    async def get(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> Guest | None:
        return await self._one(Guest, select(Guest).where(guests.c.property_id == property_id, guests.c.id == guest_id))

    async def by_phone(self, property_id: uuid.UUID, phone: str) -> Guest | None:
        return await self._one(Guest, select(Guest).where(guests.c.property_id == property_id, guests.c.phone == phone))

    async def by_email(self, property_id: uuid.UUID, email: str) -> Guest | None:
        return await self._one(Guest, select(Guest).where(guests.c.property_id == property_id, guests.c.email == email))


class SqlaBookingRepository(_Repo):
    async def by_confirmation_code(self, property_id: uuid.UUID, code: str) -> Booking | None:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.confirmation_code == code)
        return await self._one(Booking, stmt.with_for_update())

    async def ending_after(self, property_id: uuid.UUID, day: date) -> list[Booking]:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.check_out >= day)
        return list((await self.session.execute(stmt)).scalars())

    async def get(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> Booking | None:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.id == booking_id)
        return await self._one(Booking, stmt)

    async def by_external_ref(self, property_id: uuid.UUID, external_ref: str) -> Booking | None:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.external_ref == external_ref)
        return await self._one(Booking, stmt)

    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[Booking]:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.guest_id == guest_id)
        return list((await self.session.execute(stmt)).scalars())


class SqlaConversationRepository(_Repo):
    async def get(
        self, property_id: uuid.UUID, conversation_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None:
        stmt = select(Conversation).where(
            conversations.c.property_id == property_id, conversations.c.id == conversation_id
        )
        return await self._one(Conversation, stmt.with_for_update() if lock else stmt)

    async def for_guest(
        self, property_id: uuid.UUID, guest_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None:
        stmt = select(Conversation).where(
            conversations.c.property_id == property_id, conversations.c.guest_id == guest_id
        )
        return await self._one(Conversation, stmt.with_for_update() if lock else stmt)


class SqlaConversationReadRepository(_Repo):
    async def get(
        self, property_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID
    ) -> ConversationRead | None:
        found = await self.session.get(ConversationRead, (conversation_id, user_id))
        return found if found is not None and found.property_id == property_id else None


class SqlaMessageRepository(_Repo):
    async def waiting_with(self, property_id: uuid.UUID, channel: Channel, error_code: str) -> list[Message]:
        stmt = select(Message).where(
            messages.c.property_id == property_id,
            messages.c.channel == channel.value,
            messages.c.status == "queued",
            messages.c.error_code == error_code,
        )
        return list((await self.session.execute(stmt.with_for_update())).scalars())

    async def get(self, property_id: uuid.UUID, message_id: uuid.UUID, *, lock: bool = False) -> Message | None:
        stmt = select(Message).where(messages.c.property_id == property_id, messages.c.id == message_id)
        if lock:
            # populate_existing: a locked re-read must see the row as committed by others, not a stale copy
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return await self._one(Message, stmt)

    async def by_provider_id(
        self, property_id: uuid.UUID, channel: Channel, provider_message_id: str
    ) -> Message | None:
        stmt = select(Message).where(
            messages.c.property_id == property_id,
            messages.c.channel == channel.value,
            messages.c.provider_message_id == provider_message_id,
        )
        return await self._one(Message, stmt)


class SqlaOutboxRepository(_Repo):
    def add(self, event: OutboxEvent) -> None:
        self.session.add(event)


class SqlaConnectionDirectory(_Repo):
    async def connected_channels(self, property_id: uuid.UUID) -> frozenset[Channel]:
        rows = await self.session.execute(
            select(channel_connections.c.channel).where(
                channel_connections.c.property_id == property_id,
                # a connection waiting for re-authorisation still takes messages: they wait, paused, saying why
                channel_connections.c.status.in_(("connected", "needs_reauthorization")),
            )
        )
        return frozenset(Channel(value) for value in rows.scalars())


class SqlaScheduledRuleRepository(_Repo):
    async def get(self, property_id: uuid.UUID, rule_id: uuid.UUID) -> ScheduledRule | None:
        stmt = select(ScheduledRule).where(
            scheduled_rules.c.property_id == property_id, scheduled_rules.c.id == rule_id
        )
        return await self._one(ScheduledRule, stmt)

    async def all_for(self, property_id: uuid.UUID) -> list[ScheduledRule]:
        stmt = (
            select(ScheduledRule).where(scheduled_rules.c.property_id == property_id).order_by(scheduled_rules.c.name)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def delete(self, rule: ScheduledRule) -> None:
        await self.session.delete(rule)


class SqlaPlannedSendRepository(_Repo):
    async def get(self, property_id: uuid.UUID, planned_id: uuid.UUID, *, lock: bool = False) -> PlannedSend | None:
        stmt = select(PlannedSend).where(planned_sends.c.property_id == property_id, planned_sends.c.id == planned_id)
        if lock:
            stmt = stmt.with_for_update(skip_locked=True).execution_options(populate_existing=True)
        return await self._one(PlannedSend, stmt)

    async def for_booking(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> list[PlannedSend]:
        stmt = select(PlannedSend).where(
            planned_sends.c.property_id == property_id, planned_sends.c.booking_id == booking_id
        )
        return list((await self.session.execute(stmt.with_for_update())).scalars())

    async def for_rule(self, property_id: uuid.UUID, rule_id: uuid.UUID, state: str) -> list[PlannedSend]:
        stmt = select(PlannedSend).where(
            planned_sends.c.property_id == property_id,
            planned_sends.c.rule_id == rule_id,
            planned_sends.c.state == state,
        )
        return list((await self.session.execute(stmt.with_for_update())).scalars())
