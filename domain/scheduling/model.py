"""Scheduled messages: rules tied to the stay, and one planned send per (rule, booking)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.model import new_id


class Trigger(StrEnum):
    BOOKING_CONFIRMED = "booking_confirmed"
    BEFORE_CHECK_IN = "before_check_in"
    AFTER_CHECK_IN = "after_check_in"
    BEFORE_CHECK_OUT = "before_check_out"
    AFTER_CHECK_OUT = "after_check_out"
    BOOKING_CANCELLED = "booking_cancelled"


class SendState(StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(eq=False)
class ScheduledRule:
    """`content` holds the e-mail design, SMS text and WhatsApp template per language:
    {"default": {"email_subject", "email_body", "sms_text"}, "fr": {...}, "whatsapp_template_id": "…"}.
    `conditions`: {"sources": [...], "min_nights": n, "languages": [...]} — each optional."""

    property_id: uuid.UUID
    name: str
    trigger: str
    channel_order: list[str]
    content: dict[str, Any]
    offset_days: int = 0
    offset_hours: int = 0
    send_time: str | None = None  # "HH:MM" local; None keeps the anchor's own time
    conditions: dict[str, Any] = field(default_factory=dict)
    active: bool = True
    marketing: bool = False
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(eq=False)
class PlannedSend:
    property_id: uuid.UUID
    rule_id: uuid.UUID
    booking_id: uuid.UUID
    due_at: datetime
    state: str = SendState.PLANNED
    reason: str | None = None
    # every channel tried at send time, in order: [{"channel", "outcome": "used"|"skipped", "reason"}]
    attempts: list[dict[str, Any]] = field(default_factory=list)
    message_id: uuid.UUID | None = None
    sent_at: datetime | None = None
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None
