from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from domain.ports.consent import ConsentRepository
from domain.ports.realtime import RealtimeEvent
from domain.ports.repositories import (
    BookingRepository,
    ConnectionDirectory,
    ConversationReadRepository,
    ConversationRepository,
    GuestRepository,
    MembershipRepository,
    MessageRepository,
    OutboxRepository,
    PlannedSendRepository,
    PropertyRepository,
    ScheduledRuleRepository,
    UserRepository,
)
from domain.ports.spending import SpendingLedger


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without `commit()` rolls everything back.

    Realtime events are collected with `announce` and published only once the commit succeeded,
    so no client ever hears of a row that was rolled back.
    """

    properties: PropertyRepository
    users: UserRepository
    memberships: MembershipRepository
    guests: GuestRepository
    bookings: BookingRepository
    conversations: ConversationRepository
    reads: ConversationReadRepository
    messages: MessageRepository
    outbox: OutboxRepository
    connections: ConnectionDirectory
    rules: ScheduledRuleRepository
    planned: PlannedSendRepository
    consents: ConsentRepository
    spending: SpendingLedger

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
    async def flush(self) -> None: ...
    def announce(self, event: RealtimeEvent) -> None: ...
