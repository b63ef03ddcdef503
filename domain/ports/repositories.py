"""Storage ports. Every read takes the property id: a row of another property is simply not there."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
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
from domain.scheduling.facts import StayFacts
from domain.scheduling.model import PlannedSend, ScheduledRule
from domain.scheduling.planning import PlanCancel, PlanRow


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
    async def languages(self, property_id: uuid.UUID, guest_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str | None]:
        """Each existing guest's language (None when unknown)."""
        ...

    def add(self, guest: Guest) -> None: ...


class BookingRepository(Protocol):
    async def get(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> Booking | None: ...
    async def by_external_ref(self, property_id: uuid.UUID, external_ref: str) -> Booking | None: ...
    async def by_confirmation_code(self, property_id: uuid.UUID, code: str) -> Booking | None: ...
    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[Booking]: ...
    async def ending_after(self, property_id: uuid.UUID, day: date) -> list[Booking]:
        """Bookings whose stay ends on or after `day`: the ones a new or edited rule can still reach."""
        ...

    async def stays_ending_after(self, property_id: uuid.UUID, day: date) -> list[StayFacts]:
        """The same bookings, as the facts planning reads (much lighter than whole bookings)."""
        ...

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
    async def waiting_with(self, property_id: uuid.UUID, channel: Channel, error_code: str) -> list[Message]:
        """Queued messages held back for a reason (e.g. a paused connection), locked for update."""
        ...

    async def by_provider_id(
        self, property_id: uuid.UUID, channel: Channel, provider_message_id: str
    ) -> Message | None: ...
    async def guest_of_thread(self, property_id: uuid.UUID, channel: Channel, thread_id: str) -> uuid.UUID | None:
        """The guest whose earlier messages came in this provider thread (an Airbnb thread), if any."""
        ...

    def add(self, message: Message) -> None: ...


class OutboxRepository(Protocol):
    def add(self, event: OutboxEvent) -> None: ...


class ConnectionDirectory(Protocol):
    async def connected_channels(self, property_id: uuid.UUID) -> frozenset[Channel]:
        """Channels the property has connected and that are not in error (a paused one counts: sends wait)."""
        ...


class ScheduledRuleRepository(Protocol):
    async def get(self, property_id: uuid.UUID, rule_id: uuid.UUID) -> ScheduledRule | None: ...
    async def all_for(self, property_id: uuid.UUID) -> list[ScheduledRule]: ...
    def add(self, rule: ScheduledRule) -> None: ...
    async def delete(self, rule: ScheduledRule) -> None: ...


class PlannedSendRepository(Protocol):
    async def get(self, property_id: uuid.UUID, planned_id: uuid.UUID, *, lock: bool = False) -> PlannedSend | None:
        """`lock` skips a row another worker holds (returns None), so a send is claimed once."""
        ...

    async def for_booking(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> list[PlannedSend]: ...
    async def for_rule(self, property_id: uuid.UUID, rule_id: uuid.UUID, state: str) -> list[PlannedSend]: ...
    def add(self, planned: PlannedSend) -> None: ...
    async def upsert_many(
        self,
        property_id: uuid.UUID,
        rows: list[PlanRow],
        cancels: list[PlanCancel],
        now: datetime,
        announce_before: datetime,
    ) -> int:
        """Writes planned sends in bulk: a (rule, booking) still planned or cancelled takes the row's time and
        state, any other state keeps its history; `cancels` cancel those still planned. Sends now planned
        and due before `announce_before` are announced to the queue. Returns how many rows were written."""
        ...
