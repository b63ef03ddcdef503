"""In-memory fakes of the domain's ports, for use-case tests without any I/O."""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any, Self

from domain.channels import Channel
from domain.errors import ProviderFailure
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
from domain.ports.channels import OutboundRequest, SendReceipt
from domain.ports.realtime import RealtimeEvent


class _Store:
    def __init__(self) -> None:
        self.items: dict[Any, Any] = {}

    def add(self, entity: Any) -> None:
        self.items[getattr(entity, "id", id(entity))] = entity

    def where(self, **match: Any) -> list[Any]:
        return [e for e in self.items.values() if all(getattr(e, k) == v for k, v in match.items())]


class FakeProperties(_Store):
    async def get(self, property_id: uuid.UUID) -> Property | None:
        return self.items.get(property_id)


class FakeUsers(_Store):
    async def get(self, user_id: uuid.UUID) -> User | None:
        return self.items.get(user_id)

    async def by_email(self, email: str) -> User | None:
        found = self.where(email=email)
        return found[0] if found else None


class FakeMemberships(_Store):
    def add(self, entity: Membership) -> None:
        self.items[(entity.user_id, entity.property_id)] = entity

    async def get(self, user_id: uuid.UUID, property_id: uuid.UUID) -> Membership | None:
        return self.items.get((user_id, property_id))

    async def for_user(self, user_id: uuid.UUID) -> list[Membership]:
        return self.where(user_id=user_id)


class FakeGuests(_Store):
    async def get(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> Guest | None:
        g = self.items.get(guest_id)
        return g if g and g.property_id == property_id else None

    async def by_phone(self, property_id: uuid.UUID, phone: str) -> Guest | None:
        found = self.where(property_id=property_id, phone=phone)
        return found[0] if found else None

    async def by_email(self, property_id: uuid.UUID, email: str) -> Guest | None:
        found = self.where(property_id=property_id, email=email)
        return found[0] if found else None


class FakeBookings(_Store):
    async def get(self, property_id: uuid.UUID, booking_id: uuid.UUID) -> Booking | None:
        b = self.items.get(booking_id)
        return b if b and b.property_id == property_id else None

    async def by_external_ref(self, property_id: uuid.UUID, external_ref: str) -> Booking | None:
        found = self.where(property_id=property_id, external_ref=external_ref)
        return found[0] if found else None

    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[Booking]:
        return self.where(property_id=property_id, guest_id=guest_id)

    async def by_confirmation_code(self, property_id: uuid.UUID, code: str) -> Booking | None:
        found = self.where(property_id=property_id, confirmation_code=code)
        return found[0] if found else None


class FakeConversations(_Store):
    async def get(
        self, property_id: uuid.UUID, conversation_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None:
        c = self.items.get(conversation_id)
        return c if c and c.property_id == property_id else None

    async def for_guest(
        self, property_id: uuid.UUID, guest_id: uuid.UUID, *, lock: bool = False
    ) -> Conversation | None:
        found = self.where(property_id=property_id, guest_id=guest_id)
        return found[0] if found else None


class FakeReads(_Store):
    def add(self, entity: ConversationRead) -> None:
        self.items[(entity.conversation_id, entity.user_id)] = entity

    async def get(
        self, property_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID
    ) -> ConversationRead | None:
        return self.items.get((conversation_id, user_id))


class FakeMessages(_Store):
    async def waiting_with(self, property_id: uuid.UUID, channel: Channel, error_code: str) -> list[Message]:
        return self.where(property_id=property_id, channel=channel, status="queued", error_code=error_code)

    async def get(self, property_id: uuid.UUID, message_id: uuid.UUID, *, lock: bool = False) -> Message | None:
        m = self.items.get(message_id)
        return m if m and m.property_id == property_id else None

    async def by_provider_id(
        self, property_id: uuid.UUID, channel: Channel, provider_message_id: str
    ) -> Message | None:
        found = self.where(property_id=property_id, channel=channel, provider_message_id=provider_message_id)
        return found[0] if found else None

    async def guest_of_thread(self, property_id: uuid.UUID, channel: Channel, thread_id: str) -> uuid.UUID | None:
        return None  # the fakes keep no conversations to follow a thread back to its guest


class FakeOutbox(_Store):
    def add(self, entity: OutboxEvent) -> None:
        self.items[len(self.items)] = entity


class FakeConnections:
    def __init__(self) -> None:
        self.connected: dict[uuid.UUID, set[Channel]] = {}

    async def connected_channels(self, property_id: uuid.UUID) -> frozenset[Channel]:
        return frozenset(self.connected.get(property_id, set()))


class FakeConsents(_Store):
    async def for_guest(self, property_id: uuid.UUID, guest_id: uuid.UUID) -> list[Any]:
        return sorted(self.where(property_id=property_id, guest_id=guest_id), key=lambda e: (e.recorded_at, e.id))


class FakeSpending:
    """Caps by (property, channel); the month's spend by (property, channel, month). Single-threaded: no locks."""

    def __init__(self) -> None:
        self.caps: dict[tuple[uuid.UUID, str], Any] = {}
        self.spent: dict[tuple[uuid.UUID, str, str], Any] = {}

    async def cap_for(self, property_id: uuid.UUID, channel: str) -> Any:
        return self.caps.get((property_id, channel))

    async def reserve(self, property_id: uuid.UUID, channel: str, month: str, amount: Any, cap: Any) -> bool:
        key = (property_id, channel, month)
        total = self.spent.get(key, 0) + amount
        if cap is not None and total > cap:
            return False
        self.spent[key] = total
        return True


class FakeUnitOfWork:
    """Shares its stores across `async with` blocks, like a database; tracks commits and published events."""

    def __init__(self) -> None:
        self.properties = FakeProperties()
        self.users = FakeUsers()
        self.memberships = FakeMemberships()
        self.guests = FakeGuests()
        self.bookings = FakeBookings()
        self.conversations = FakeConversations()
        self.reads = FakeReads()
        self.messages = FakeMessages()
        self.outbox = FakeOutbox()
        self.connections = FakeConnections()
        self.consents = FakeConsents()
        self.spending = FakeSpending()
        self.commits = 0
        self.pending_events: list[RealtimeEvent] = []
        self.published: list[RealtimeEvent] = []

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.pending_events = []

    async def commit(self) -> None:
        self.commits += 1
        self.published.extend(self.pending_events)
        self.pending_events = []

    async def rollback(self) -> None:
        self.pending_events = []

    async def flush(self) -> None:
        return None

    def announce(self, event: RealtimeEvent) -> None:
        self.pending_events.append(event)


class RecordingSender:
    """A provider that records each request and answers from a script of receipts or failures."""

    def __init__(self, script: list[SendReceipt | ProviderFailure] | None = None) -> None:
        self.requests: list[OutboundRequest] = []
        self.script = list(script or [])

    async def send(self, request: OutboundRequest) -> SendReceipt:
        self.requests.append(request)
        outcome = self.script.pop(0) if self.script else SendReceipt(f"pid-{len(self.requests)}")
        if isinstance(outcome, ProviderFailure):
            raise outcome
        return outcome


class FakeGateway:
    def __init__(self, sender: RecordingSender) -> None:
        self.sender = sender

    async def sender_for(self, property_id: uuid.UUID, channel: Channel) -> RecordingSender:
        return self.sender


class FakeThrottle:
    def __init__(self, max_failures: int = 3) -> None:
        self.failures: dict[str, int] = {}
        self.max = max_failures

    async def seconds_blocked(self, keys: list[str]) -> int:
        return 60 if any(self.failures.get(k, 0) >= self.max for k in keys) else 0

    async def record_failure(self, keys: list[str]) -> None:
        for k in keys:
            self.failures[k] = self.failures.get(k, 0) + 1

    async def reset(self, keys: list[str]) -> None:
        for k in keys:
            self.failures.pop(k, None)


class PlainHasher:
    def hash(self, password: str) -> str:
        return "plain:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain:" + password
