"""SQLAlchemy implementations of the storage ports. Every query filters on property_id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import DateTime, String, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.any_of import any_of
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
    new_id,
)
from domain.scheduling.facts import StayFacts
from domain.scheduling.model import PlannedSend, ScheduledRule
from domain.scheduling.planning import PlanCancel, PlanRow
from domain.services.scheduling import SCHEDULE_TOPIC

E = TypeVar("E")
UUID_ARRAY = ARRAY(PG_UUID(as_uuid=True))

# One statement for a whole batch of planned sends: insert or update (only sends still planned or
# cancelled, and only when their time or state changes: sent, skipped and failed history is kept), and
# announce to the queue those now planned and due soon, with the payload the relay expects.
UPSERT_AND_ANNOUNCE = text(
    """
WITH up AS (
    INSERT INTO planned_sends AS p
        (id, property_id, rule_id, booking_id, due_at, state, reason, attempts, created_at, updated_at)
    SELECT r.id, :property_id, r.rule_id, r.booking_id, r.due_at, r.state, r.reason, '[]'::jsonb, :now, :now
    FROM unnest(:ids, :rule_ids, :booking_ids, :dues, :states, :reasons)
        AS r(id, rule_id, booking_id, due_at, state, reason)
    ON CONFLICT (rule_id, booking_id) DO UPDATE
        SET due_at = EXCLUDED.due_at, state = EXCLUDED.state, reason = EXCLUDED.reason,
            updated_at = EXCLUDED.updated_at
        WHERE p.state IN ('planned', 'cancelled')
          AND (p.due_at IS DISTINCT FROM EXCLUDED.due_at OR p.state IS DISTINCT FROM EXCLUDED.state)
    RETURNING p.id, p.property_id, p.due_at, p.state
), announced AS (
    INSERT INTO outbox_events (property_id, topic, payload, created_at)
    SELECT property_id, :topic,
           jsonb_build_object(
               'planned_id', id::text,
               'property_id', property_id::text,
               'due_at', to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'
           ),
           :now
    FROM up WHERE state = 'planned' AND due_at < :announce_before
    RETURNING 1
)
SELECT count(*) FROM up
"""
).bindparams(
    bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("rule_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("booking_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("dues", type_=ARRAY(DateTime(timezone=True))),
    bindparam("states", type_=ARRAY(String())),
    bindparam("reasons", type_=ARRAY(String())),
    bindparam("property_id", type_=PG_UUID(as_uuid=True)),
    bindparam("now", type_=DateTime(timezone=True)),
    bindparam("announce_before", type_=DateTime(timezone=True)),
)

CANCEL_PLANNED = text(
    """
UPDATE planned_sends AS p SET state = 'cancelled', reason = c.reason, updated_at = :now
FROM unnest(:rule_ids, :booking_ids, :reasons) AS c(rule_id, booking_id, reason)
WHERE p.property_id = :property_id AND p.rule_id = c.rule_id AND p.booking_id = c.booking_id
  AND p.state = 'planned'
"""
).bindparams(
    bindparam("rule_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("booking_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("reasons", type_=ARRAY(String())),
    bindparam("now", type_=DateTime(timezone=True)),
    bindparam("property_id", type_=PG_UUID(as_uuid=True)),
)


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # rows looked up ahead for a batch (see the prefetch_* methods), keyed with their property
        self._ahead: dict[tuple[Any, ...], Any] = {}

    def add(self, entity: Any) -> None:
        self.session.add(entity)

    async def _one(self, entity: type[E], stmt: Any) -> E | None:
        """The first `entity` a SELECT returns, or None."""
        return cast(E | None, (await self.session.execute(stmt)).scalars().first())


class SqlaPropertyRepository(_Repo):
    def add(self, entity: Any) -> None:
        super().add(entity)
        self._ahead[("id", entity.id)] = entity

    async def get(self, property_id: uuid.UUID) -> Property | None:
        # held here for the unit of work: the session's identity map keeps objects only while something
        # references them, so a batch asking for its property per send would load it (and autoflush) each time
        if ("id", property_id) not in self._ahead:
            self._ahead[("id", property_id)] = await self.session.get(Property, property_id)
        return cast(Property | None, self._ahead[("id", property_id)])


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
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        # filled by prefetch_phones (a batch of inbound webhooks); None = known to have no guest yet
        self._by_phone: dict[tuple[uuid.UUID, str], Guest | None] | None = None

    def add(self, entity: Any) -> None:
        super().add(entity)
        if self._by_phone is not None and entity.phone:
            self._by_phone[(entity.property_id, entity.phone)] = entity

    async def prefetch_phones(self, property_id: uuid.UUID, phones: Iterable[str]) -> list[Guest]:
        """Looks up many guests in one statement; later by_phone calls in this transaction are answered
        from it (and from the guests added since)."""
        wanted = {p for p in phones if p}
        known = self._by_phone if self._by_phone is not None else {}
        self._by_phone = known
        if not wanted:
            return []
        rows = await self.session.execute(
            select(Guest).where(guests.c.property_id == property_id, any_of(guests.c.phone, sorted(wanted)))
        )
        found = list(rows.scalars())
        for guest in found:
            known.setdefault((property_id, guest.phone or ""), guest)
        for phone in wanted:
            known.setdefault((property_id, phone), None)
        return found

    async def prefetch_ids(self, guest_ids: Iterable[uuid.UUID]) -> list[Guest]:
        """Many guests in one statement; later get() calls in this transaction are answered from it."""
        found = await self._fetch(select(Guest).where(any_of(guests.c.id, sorted(set(guest_ids)))))
        self._ahead.update({("id", g.property_id, g.id): g for g in found})
        return found

    async def _fetch(self, stmt: Any) -> list[Any]:
        return list((await self.session.execute(stmt)).scalars())

    async def get(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> Guest | None:
        if ("id", property_id, guest_id) in self._ahead:
            return cast(Guest, self._ahead[("id", property_id, guest_id)])
        return await self._one(Guest, select(Guest).where(guests.c.property_id == property_id, guests.c.id == guest_id))

    async def languages(self, property_id: uuid.UUID, guest_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str | None]:
        wanted = list(set(guest_ids))
        if not wanted:
            return {}
        stmt = select(guests.c.id, guests.c.language).where(
            guests.c.property_id == property_id, guests.c.id == func.any(bindparam("ids", wanted, type_=UUID_ARRAY))
        )
        return dict((await self.session.execute(stmt)).all())

    async def by_phone(self, property_id: uuid.UUID, phone: str) -> Guest | None:
        if self._by_phone is not None and (property_id, phone) in self._by_phone:
            return self._by_phone[(property_id, phone)]
        return await self._one(Guest, select(Guest).where(guests.c.property_id == property_id, guests.c.phone == phone))

    async def by_email(self, property_id: uuid.UUID, email: str) -> Guest | None:
        return await self._one(Guest, select(Guest).where(guests.c.property_id == property_id, guests.c.email == email))


class SqlaBookingRepository(_Repo):
    async def by_confirmation_code(self, property_id: uuid.UUID, code: str) -> Booking | None:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.confirmation_code == code)
        return await self._one(Booking, stmt.with_for_update())

    async def stays_ending_after(self, property_id: uuid.UUID, day: date) -> list[StayFacts]:
        stmt = select(
            bookings.c.id,
            bookings.c.guest_id,
            bookings.c.status,
            bookings.c.source,
            bookings.c.check_in,
            bookings.c.check_out,
            bookings.c.created_at,
            bookings.c.updated_at,
        ).where(bookings.c.property_id == property_id, bookings.c.check_out >= day)
        return [StayFacts(*row) for row in await self.session.execute(stmt)]

    async def ending_after(self, property_id: uuid.UUID, day: date) -> list[Booking]:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.check_out >= day)
        return list((await self.session.execute(stmt)).scalars())

    async def prefetch_ids(self, booking_ids: Iterable[uuid.UUID]) -> list[Booking]:
        """Many bookings in one statement; later get() calls in this transaction are answered from it."""
        stmt = select(Booking).where(any_of(bookings.c.id, sorted(set(booking_ids))))
        found = list((await self.session.execute(stmt)).scalars())
        self._ahead.update({("id", b.property_id, b.id): b for b in found})
        return found

    async def prefetch_for_guests(self, property_id: uuid.UUID, guest_ids: Iterable[uuid.UUID]) -> None:
        """Every booking of these guests in one statement, for later for_guest() calls."""
        wanted = sorted(set(guest_ids))
        if not wanted:
            return
        stmt = select(Booking).where(bookings.c.property_id == property_id, any_of(bookings.c.guest_id, wanted))
        by_guest: dict[uuid.UUID, list[Booking]] = {g: [] for g in wanted}
        for booking in (await self.session.execute(stmt)).scalars():
            by_guest[booking.guest_id].append(booking)
        self._ahead.update({("guest", property_id, g): found for g, found in by_guest.items()})

    async def get(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> Booking | None:
        if ("id", property_id, booking_id) in self._ahead:
            return cast(Booking, self._ahead[("id", property_id, booking_id)])
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.id == booking_id)
        return await self._one(Booking, stmt)

    async def by_external_ref(self, property_id: uuid.UUID, external_ref: str) -> Booking | None:
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.external_ref == external_ref)
        return await self._one(Booking, stmt)

    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[Booking]:
        if ("guest", property_id, guest_id) in self._ahead:
            return list(self._ahead[("guest", property_id, guest_id)])
        stmt = select(Booking).where(bookings.c.property_id == property_id, bookings.c.guest_id == guest_id)
        return list((await self.session.execute(stmt)).scalars())


class SqlaConversationRepository(_Repo):
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        # filled by prefetch_for_guests: each guest's conversation, already locked (None = none yet)
        self._locked_by_guest: dict[tuple[uuid.UUID, uuid.UUID], Conversation | None] | None = None

    def add(self, entity: Any) -> None:
        super().add(entity)
        if self._locked_by_guest is not None:
            self._locked_by_guest[(entity.property_id, entity.guest_id)] = entity

    async def prefetch_for_guests(self, property_id: uuid.UUID, guest_ids: Iterable[uuid.UUID]) -> None:
        """Locks many guests' conversations in one statement (in id order, so two batches never wait on
        each other in a cycle); later for_guest calls in this transaction are answered from it."""
        wanted = set(guest_ids)
        known = self._locked_by_guest if self._locked_by_guest is not None else {}
        self._locked_by_guest = known
        if not wanted:
            return
        stmt = (
            select(Conversation)
            .where(conversations.c.property_id == property_id, any_of(conversations.c.guest_id, sorted(wanted)))
            .order_by(conversations.c.id)
            .with_for_update()
        )
        for conversation in (await self.session.execute(stmt)).scalars():
            known.setdefault((property_id, conversation.guest_id), conversation)
        for guest_id in wanted:
            known.setdefault((property_id, guest_id), None)

    async def prefetch_ids(self, property_id: uuid.UUID, conversation_ids: Iterable[uuid.UUID]) -> list[Conversation]:
        """Many conversations in one statement (not locked); later get() calls without a lock are answered
        from it."""
        wanted = sorted(set(conversation_ids))
        if not wanted:
            return []
        stmt = select(Conversation).where(
            conversations.c.property_id == property_id, any_of(conversations.c.id, wanted)
        )
        found = list((await self.session.execute(stmt)).scalars())
        self._ahead.update({(property_id, c.id): c for c in found})
        return found

    async def get(
        self, property_id: uuid.UUID, conversation_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None:
        if not lock and (property_id, conversation_id) in self._ahead:
            return cast(Conversation, self._ahead[(property_id, conversation_id)])
        stmt = select(Conversation).where(
            conversations.c.property_id == property_id, conversations.c.id == conversation_id
        )
        return await self._one(Conversation, stmt.with_for_update() if lock else stmt)

    async def for_guest(
        self, property_id: uuid.UUID, guest_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None:
        if self._locked_by_guest is not None and (property_id, guest_id) in self._locked_by_guest:
            return self._locked_by_guest[(property_id, guest_id)]
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
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        # filled by prefetch_provider_ids: None = no message with that provider id yet
        self._by_provider_id: dict[tuple[uuid.UUID, str, str], Message | None] | None = None

    def add(self, entity: Any) -> None:
        super().add(entity)
        if self._by_provider_id is not None and entity.provider_message_id:
            self._by_provider_id[(entity.property_id, str(entity.channel), entity.provider_message_id)] = entity

    async def prefetch_provider_ids(
        self, property_id: uuid.UUID, channel: Channel, ids: Iterable[str], *, lock: bool = False
    ) -> None:
        """Which of these provider message ids are already filed, in one statement; later by_provider_id
        calls in this transaction are answered from it (and from the messages added since). With `lock`, the
        messages found are also locked as `prefetch_ids` locks them (in id order, read as committed), and
        later get(lock=True) calls are answered from it: one statement instead of two for a batch of status
        callbacks."""
        wanted = {i for i in ids if i}
        known = self._by_provider_id if self._by_provider_id is not None else {}
        self._by_provider_id = known
        if not wanted:
            return
        stmt = select(Message).where(
            messages.c.property_id == property_id,
            messages.c.channel == channel.value,
            any_of(messages.c.provider_message_id, sorted(wanted)),
        )
        if lock:
            stmt = stmt.order_by(messages.c.id).with_for_update().execution_options(populate_existing=True)
        for message in (await self.session.execute(stmt)).scalars():
            known.setdefault((property_id, channel.value, message.provider_message_id or ""), message)
            if lock:
                self._ahead[(property_id, message.id)] = message
        for provider_id in wanted:
            known.setdefault((property_id, channel.value, provider_id), None)

    async def waiting_with(self, property_id: uuid.UUID, channel: Channel, error_code: str) -> list[Message]:
        stmt = select(Message).where(
            messages.c.property_id == property_id,
            messages.c.channel == channel.value,
            messages.c.status == "queued",
            messages.c.error_code == error_code,
        )
        return list((await self.session.execute(stmt.with_for_update())).scalars())

    async def prefetch_ids(self, property_id: uuid.UUID, message_ids: Iterable[uuid.UUID]) -> list[Message]:
        """Locks many messages in one statement (in id order, so two batches never wait on each other in a
        cycle), read as committed; later get(lock=True) calls in this transaction are answered from it."""
        wanted = sorted(set(message_ids))
        if not wanted:
            return []
        stmt = (
            select(Message)
            .where(messages.c.property_id == property_id, any_of(messages.c.id, wanted))
            .order_by(messages.c.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        found = list((await self.session.execute(stmt)).scalars())
        self._ahead.update({(property_id, m.id): m for m in found})
        self._ahead.update({(property_id, m): None for m in wanted if (property_id, m) not in self._ahead})
        return found

    async def get(self, property_id: uuid.UUID, message_id: uuid.UUID, *, lock: bool = False) -> Message | None:
        if (property_id, message_id) in self._ahead:
            return cast(Message | None, self._ahead[(property_id, message_id)])
        stmt = select(Message).where(messages.c.property_id == property_id, messages.c.id == message_id)
        if lock:
            # populate_existing: a locked re-read must see the row as committed by others, not a stale copy
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return await self._one(Message, stmt)

    async def guest_of_thread(self, property_id: uuid.UUID, channel: Channel, thread_id: str) -> uuid.UUID | None:
        stmt = (
            select(conversations.c.guest_id)
            .join(messages, messages.c.conversation_id == conversations.c.id)
            .where(
                messages.c.property_id == property_id,
                messages.c.channel == channel.value,
                messages.c.details["thread_id"].astext == thread_id,
            )
            .limit(1)
        )
        return cast(uuid.UUID | None, await self.session.scalar(stmt))

    async def by_provider_id(
        self, property_id: uuid.UUID, channel: Channel, provider_message_id: str
    ) -> Message | None:
        key = (property_id, channel.value, provider_message_id)
        if self._by_provider_id is not None and key in self._by_provider_id:
            return self._by_provider_id[key]
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
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        # a batch of scheduled sends asks once per property, not once per send (see remember_answers)
        self._answers: dict[uuid.UUID, frozenset[Channel]] | None = None

    def remember_answers(self) -> None:
        """For the rest of this unit of work, each property's connected channels are read once."""
        self._answers = {}

    async def connected_channels(self, property_id: uuid.UUID) -> frozenset[Channel]:
        if self._answers is not None and property_id in self._answers:
            return self._answers[property_id]
        found = await self._connected_channels(property_id)
        if self._answers is not None:
            self._answers[property_id] = found
        return found

    async def _connected_channels(self, property_id: uuid.UUID) -> frozenset[Channel]:
        rows = await self.session.execute(
            select(channel_connections.c.channel).where(
                channel_connections.c.property_id == property_id,
                # a connection waiting for re-authorisation still takes messages: they wait, paused, saying why
                channel_connections.c.status.in_(("connected", "needs_reauthorization")),
            )
        )
        return frozenset(Channel(value) for value in rows.scalars())


class SqlaScheduledRuleRepository(_Repo):
    async def prefetch_ids(self, rule_ids: Iterable[uuid.UUID]) -> None:
        stmt = select(ScheduledRule).where(any_of(scheduled_rules.c.id, sorted(set(rule_ids))))
        self._ahead.update({(r.property_id, r.id): r for r in (await self.session.execute(stmt)).scalars()})

    async def get(self, property_id: uuid.UUID, rule_id: uuid.UUID) -> ScheduledRule | None:
        if (property_id, rule_id) in self._ahead:
            return cast(ScheduledRule, self._ahead[(property_id, rule_id)])
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
    async def claim_due(self, now: datetime, limit: int) -> list[PlannedSend]:
        """Up to `limit` sends due by `now` that no other transaction holds, locked for this one; later
        get(lock=True) calls for them are answered without asking again."""
        stmt = (
            select(PlannedSend)
            .where(planned_sends.c.state == "planned", planned_sends.c.due_at <= now)
            .order_by(planned_sends.c.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        claimed = list((await self.session.execute(stmt)).scalars())
        self._ahead.update({(p.property_id, p.id): p for p in claimed})
        return claimed

    async def get(self, property_id: uuid.UUID, planned_id: uuid.UUID, *, lock: bool = False) -> PlannedSend | None:
        if (property_id, planned_id) in self._ahead:
            return cast(PlannedSend, self._ahead[(property_id, planned_id)])
        stmt = select(PlannedSend).where(planned_sends.c.property_id == property_id, planned_sends.c.id == planned_id)
        if lock:
            stmt = stmt.with_for_update(skip_locked=True).execution_options(populate_existing=True)
        return await self._one(PlannedSend, stmt)

    async def for_booking(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> list[PlannedSend]:
        stmt = select(PlannedSend).where(
            planned_sends.c.property_id == property_id, planned_sends.c.booking_id == booking_id
        )
        return list((await self.session.execute(stmt.with_for_update())).scalars())

    async def upsert_many(
        self,
        property_id: uuid.UUID,
        rows: list[PlanRow],
        cancels: list[PlanCancel],
        now: datetime,
        announce_before: datetime,
    ) -> int:
        await self.session.flush()  # rules and bookings new in this unit of work first
        written = 0
        if rows:
            result = await self.session.execute(
                UPSERT_AND_ANNOUNCE,
                {
                    "ids": [new_id() for _ in rows],
                    "rule_ids": [r.rule_id for r in rows],
                    "booking_ids": [r.booking_id for r in rows],
                    "dues": [r.due for r in rows],
                    "states": [str(r.state) for r in rows],
                    "reasons": [r.reason for r in rows],
                    "property_id": property_id,
                    "now": now,
                    "announce_before": announce_before,
                    "topic": SCHEDULE_TOPIC,
                },
            )
            written = int(result.scalar_one())
        if cancels:
            await self.session.execute(
                CANCEL_PLANNED,
                {
                    "rule_ids": [c.rule_id for c in cancels],
                    "booking_ids": [c.booking_id for c in cancels],
                    "reasons": [c.reason for c in cancels],
                    "now": now,
                    "property_id": property_id,
                },
            )
        return written

    async def for_rule(self, property_id: uuid.UUID, rule_id: uuid.UUID, state: str) -> list[PlannedSend]:
        stmt = select(PlannedSend).where(
            planned_sends.c.property_id == property_id,
            planned_sends.c.rule_id == rule_id,
            planned_sends.c.state == state,
        )
        return list((await self.session.execute(stmt.with_for_update())).scalars())
