"""Storage ports. Every read takes the property id: a row of another property is simply not there."""

from __future__ import annotations

import uuid
from typing import Protocol

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


class PropertyRepository(Protocol):
    async def get(self, property_id: uuid.UUID) -> Property | None: ...
    def add(self, prop: Property) -> None: ...


class UserRepository(Protocol):
    async def get(self, user_id: uuid.UUID) -> User | None: ...
    async def by_email(self, email: str) -> User | None: ...
    def add(self, user: User) -> None: ...


class MembershipRepository(Protocol):
    async def get(self, user_id: uuid.UUID, property_id: uuid.UUID) -> Membership | None: ...
    async def for_user(self, user_id: uuid.UUID) -> list[Membership]: ...
    def add(self, membership: Membership) -> None: ...


class GuestRepository(Protocol):
    async def get(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> Guest | None: ...
    async def by_phone(self, property_id: uuid.UUID, phone: str) -> Guest | None: ...
    async def by_email(self, property_id: uuid.UUID, email: str) -> Guest | None: ...
    def add(self, guest: Guest) -> None: ...


class BookingRepository(Protocol):
    async def get(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> Booking | None: ...
    async def by_external_ref(self, property_id: uuid.UUID, external_ref: str) -> Booking | None: ...
    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[Booking]: ...
    def add(self, booking: Booking) -> None: ...


class ConversationRepository(Protocol):
    async def get(
        self, property_id: uuid.UUID, conversation_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None:
        """`lock` takes a row lock so concurrent messages update counters one after another."""
        ...

    async def for_guest(
        self, property_id: uuid.UUID, guest_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None: ...
    def add(self, conversation: Conversation) -> None: ...


class ConversationReadRepository(Protocol):
    async def get(
        self, property_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID
    ) -> ConversationRead | None: ...
    def add(self, read: ConversationRead) -> None: ...


class MessageRepository(Protocol):
    async def get(self, property_id: uuid.UUID, message_id: uuid.UUID, *, lock: bool = False) -> Message | None: ...
    async def by_provider_id(
        self, property_id: uuid.UUID, channel: Channel, provider_message_id: str
    ) -> Message | None: ...
    def add(self, message: Message) -> None: ...


class OutboxRepository(Protocol):
    def add(self, event: OutboxEvent) -> None: ...


class ConnectionDirectory(Protocol):
    async def connected_channels(self, property_id: uuid.UUID) -> frozenset[Channel]:
        """Channels the property has connected and that are not in error."""
        ...
