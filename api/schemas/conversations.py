from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

ChannelName = Literal["whatsapp", "sms", "airbnb", "email"]


class GuestSummary(BaseModel):
    id: uuid.UUID
    display_name: str
    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    language: str | None


class BookingSummary(BaseModel):
    id: uuid.UUID
    external_ref: str
    check_in: date
    check_out: date
    status: str
    source: str
    room: str | None
    confirmation_code: str | None


class LastMessage(BaseModel):
    preview: str
    at: datetime
    direction: str
    channel: str


class Assignee(BaseModel):
    id: uuid.UUID
    name: str | None


class ChannelReplyState(BaseModel):
    state: Literal["open", "closed"]
    open_until: datetime | None = Field(default=None, description="WhatsApp: end of the 24-hour window")
    code: str | None = Field(default=None, description="The error code a free-form send would get now")
    reason: str | None = None


class LabelTag(BaseModel):
    id: uuid.UUID
    name: str
    colour: str


class ConversationOut(BaseModel):
    id: uuid.UUID
    status: Literal["open", "closed"]
    guest: GuestSummary
    booking: BookingSummary | None = Field(description="The linked stay; null when not linked to a booking")
    last_message: LastMessage | None
    last_activity_at: datetime
    unread_count: int
    assignee: Assignee | None
    channels: list[str]
    reply_state: dict[str, ChannelReplyState]
    labels: list[LabelTag] = Field(default_factory=list)


class Cost(BaseModel):
    amount: Decimal
    currency: str


class Author(BaseModel):
    type: Literal["guest", "user", "scheduler", "system"]
    id: uuid.UUID | None
    name: str | None


class MessageOut(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    channel: str
    direction: Literal["inbound", "outbound"]
    kind: str
    body: str
    status: str
    error_code: str | None
    error_reason: str | None
    author: Author
    created_at: datetime
    cost: Cost | None
    pricing_category: str | None = None
    rule_name: str | None = None


class SendMessageIn(BaseModel):
    channel: ChannelName = Field(examples=["whatsapp"])
    body: str = Field(min_length=1, max_length=4096, examples=["Your room is ready, see you soon!"])


class NoteIn(BaseModel):
    body: str = Field(min_length=1, max_length=4096, examples=["Guest asked for a late check-out; OK'd by Marie."])


class AssignIn(BaseModel):
    user_id: uuid.UUID | None = Field(description="null unassigns")


class LinkBookingIn(BaseModel):
    booking_id: uuid.UUID | None = Field(description="null unlinks")


class UnreadSummary(BaseModel):
    conversations: int = Field(description="Open conversations with messages I have not read")
    messages: int = Field(description="Guest messages I have not read, in open conversations")
