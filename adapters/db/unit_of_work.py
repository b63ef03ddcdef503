from __future__ import annotations

import logging
from types import TracebackType
from typing import Self, cast

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db import repositories as repos
from adapters.db.consent_store import SqlaConsentRepository
from adapters.db.spending_store import SqlaSpendingLedger
from domain.ports.consent import ConsentRepository
from domain.ports.realtime import EventPublisher, RealtimeEvent
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

log = logging.getLogger(__name__)


class SqlaUnitOfWork:
    """One AsyncSession, one transaction; rolled back unless committed."""

    # typed as the ports, so this class satisfies the UnitOfWork protocol (its attributes are invariant)
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

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        publisher: EventPublisher | None = None,
        *,
        flush_at_commit: bool = False,
    ) -> None:
        self._factory = session_factory
        self._flush_at_commit = flush_at_commit
        self.sessions_factory = session_factory  # for stores that keep their own short transactions
        self._publisher = publisher
        self._events: list[RealtimeEvent] = []

    async def __aenter__(self) -> Self:
        self.session = self._factory()
        s = self.session
        self.properties = repos.SqlaPropertyRepository(s)
        self.users = repos.SqlaUserRepository(s)
        self.memberships = repos.SqlaMembershipRepository(s)
        self.guests = repos.SqlaGuestRepository(s)
        self.bookings = repos.SqlaBookingRepository(s)
        self.conversations = repos.SqlaConversationRepository(s)
        self.reads = repos.SqlaConversationReadRepository(s)
        self.messages = repos.SqlaMessageRepository(s)
        self.outbox = repos.SqlaOutboxRepository(s)
        self.connections = repos.SqlaConnectionDirectory(s)
        self.rules = repos.SqlaScheduledRuleRepository(s)
        self.planned = repos.SqlaPlannedSendRepository(s)
        self.consents = SqlaConsentRepository(s)
        self.spending = SqlaSpendingLedger(s)
        self._events = []
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # close() rolls back whatever was not committed and detaches the objects without expiring
        # them, so a use case's results stay readable after the block
        await self.session.close()

    async def commit(self) -> None:
        await cast(SqlaSpendingLedger, self.spending).write_pending()
        await self.session.commit()
        events, self._events = self._events, []
        if self._publisher is None or not events:
            return
        try:
            if len(events) == 1:
                await self._publisher.publish(events[0])
            else:
                await self._publisher.publish_many(events)
        except Exception:
            # the data is committed; a missed live event only delays the inbox until it refetches
            log.warning("realtime publish failed", extra={"events": len(events)}, exc_info=True)

    async def rollback(self) -> None:
        self._events = []
        await self.session.rollback()

    async def flush(self) -> None:
        """Use cases flush so the rows they reference are written first. A batch (`flush_at_commit`) skips
        it: the foreign keys between rows created together are checked at commit (migration 0013), so the
        whole batch is written in one flush, its INSERTs grouped per table, instead of one per send."""
        if not self._flush_at_commit:
            await self.session.flush()

    def announce(self, event: RealtimeEvent) -> None:
        self._events.append(event)
