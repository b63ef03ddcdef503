"""Entities of the inbox. Plain dataclasses: the database adapter maps them, the domain owns them."""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.channels import AuthorType, Channel, Direction, MessageKind
from domain.message_status import MessageStatus

_last_id = 0
_ID_VARIANT_BITS = 0x7 << 76 | 0b10 << 62  # version 7, RFC 4122 variant
_LOW_54 = (1 << 54) - 1


def new_id() -> uuid.UUID:
    """A time-ordered UUID (version 7 layout), strictly increasing within the process: rows created in the
    same instant still sort in creation order (threads with equal timestamps read right), and new keys
    land at the end of their indexes."""
    global _last_id
    millis = time.time_ns() // 1_000_000
    random = secrets.randbits(66)  # one read of the system's randomness for both random fields
    value = (millis & ((1 << 48) - 1)) << 80 | _ID_VARIANT_BITS | (random >> 54) << 64 | (random & _LOW_54) << 8
    if value <= _last_id:
        # same millisecond: step the random tail past the last id (stays inside the random fields)
        value = _last_id + (1 << 8)
    _last_id = value
    return uuid.UUID(int=value)


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    AGENT = "agent"


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"


class ConversationStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(eq=False)
class Property:
    name: str
    timezone: str
    locale: str
    country: str
    currency: str
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None


@dataclass(eq=False)
class User:
    email: str
    name: str
    password_hash: str
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None


@dataclass(eq=False)
class Membership:
    user_id: uuid.UUID
    property_id: uuid.UUID
    role: str


@dataclass(eq=False)
class Guest:
    property_id: uuid.UUID
    first_name: str
    last_name: str = ""
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    airbnb_user_id: str | None = None
    opt_outs: dict[str, Any] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def opted_out(self, channel: str) -> bool:
        return channel in self.opt_outs

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or (
            self.phone or self.email or "Guest"
        )


@dataclass(eq=False)
class Booking:
    property_id: uuid.UUID
    guest_id: uuid.UUID
    external_ref: str
    check_in: date
    check_out: date
    source: str = "direct"
    status: str = BookingStatus.CONFIRMED
    confirmation_code: str | None = None
    room: str | None = None
    party_size: int | None = None
    custom_fields: dict[str, Any] = field(default_factory=dict)
    external_status: str | None = None
    airbnb_thread_id: str | None = None
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


@dataclass(eq=False)
class Conversation:
    property_id: uuid.UUID
    guest_id: uuid.UUID
    last_activity_at: datetime
    booking_id: uuid.UUID | None = None
    status: str = ConversationStatus.OPEN
    assignee_id: uuid.UUID | None = None
    last_message_at: datetime | None = None
    last_message_preview: str | None = None
    last_message_direction: str | None = None
    last_message_channel: str | None = None
    # channel -> ISO time of the guest's last message there; drives reply windows
    last_inbound_at: dict[str, str] = field(default_factory=dict)
    inbound_count: int = 0
    started: bool = True
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None


@dataclass(eq=False)
class ConversationRead:
    property_id: uuid.UUID
    conversation_id: uuid.UUID
    user_id: uuid.UUID
    inbound_seen: int
    last_read_at: datetime


@dataclass(eq=False)
class Message:
    property_id: uuid.UUID
    conversation_id: uuid.UUID
    channel: str
    direction: str
    kind: str
    body: str
    status: str
    author_type: str
    created_at: datetime
    author_user_id: uuid.UUID | None = None
    template_name: str | None = None
    template_params: dict[str, Any] | None = None
    provider_message_id: str | None = None
    error_code: str | None = None
    error_reason: str | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    cost_amount: Decimal | None = None
    cost_currency: str | None = None
    pricing_category: str | None = None
    rule_name: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    status_changed_at: datetime | None = None
    id: uuid.UUID = field(default_factory=new_id)

    @property
    def is_outbound(self) -> bool:
        return self.direction == Direction.OUTBOUND


@dataclass(eq=False)
class OutboxEvent:
    """Written in the same transaction as what it announces; a relay hands it to the queue."""

    property_id: uuid.UUID | None
    topic: str
    payload: dict[str, Any]
    created_at: datetime
    relayed_at: datetime | None = None
    id: int | None = None


def preview_of(body: str, limit: int = 140) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


__all__ = [
    "AuthorType",
    "Booking",
    "BookingStatus",
    "Channel",
    "Conversation",
    "ConversationRead",
    "ConversationStatus",
    "Direction",
    "Guest",
    "Membership",
    "Message",
    "MessageKind",
    "MessageStatus",
    "OutboxEvent",
    "Property",
    "Role",
    "User",
    "preview_of",
]
