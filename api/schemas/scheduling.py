from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

TriggerName = Literal[
    "booking_confirmed", "before_check_in", "after_check_in", "before_check_out", "after_check_out", "booking_cancelled"
]


class Conditions(BaseModel):
    sources: list[str] | None = Field(default=None, examples=[["airbnb", "direct"]])
    min_nights: int | None = Field(default=None, ge=1, le=365)
    languages: list[str] | None = Field(default=None, examples=[["fr"]])


class ContentVersion(BaseModel):
    email_subject: str | None = Field(default=None, max_length=300, examples=["Your stay at {{ property.name }}"])
    email_body: str | None = Field(
        default=None,
        max_length=50_000,
        examples=["<p>Hello {{ guest.first_name }}, your door code is {{ booking.door_code }}.</p>"],
    )
    sms_text: str | None = Field(default=None, max_length=1600)


class Content(BaseModel):
    default: ContentVersion
    whatsapp_template_id: uuid.UUID | None = None
    translations: dict[str, ContentVersion] = Field(
        default_factory=dict, description="Per guest language, e.g. {'fr': {...}}"
    )


class RuleIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Pre-arrival instructions"])
    active: bool = True
    trigger: TriggerName = Field(examples=["before_check_in"])
    offset_days: int = Field(default=0, ge=0, le=365)
    offset_hours: int = Field(default=0, ge=0, le=23 * 365)
    send_time: str | None = Field(default=None, examples=["10:00"], description="Local time in the property's timezone")
    conditions: Conditions = Field(default_factory=Conditions)
    channel_order: list[Literal["whatsapp", "sms", "airbnb", "email"]] = Field(
        min_length=1, examples=[["whatsapp", "sms", "email"]]
    )
    content: Content
    marketing: bool = False


class RuleOut(RuleIn):
    id: uuid.UUID
    created_at: datetime | None
    updated_at: datetime | None


class PreviewIn(BaseModel):
    booking_ref: str = Field(min_length=1, max_length=120, description="The booking's external reference")


class ChannelPreview(BaseModel):
    ok: bool
    subject: str | None = None
    text: str | None = None
    html: str | None = None
    problem: str | None = None


class RulePreview(BaseModel):
    booking_ref: str
    language: str
    channels: dict[str, ChannelPreview]


class PlannedSendOut(BaseModel):
    id: uuid.UUID
    rule_id: uuid.UUID
    rule_name: str
    booking_id: uuid.UUID
    booking_ref: str
    guest_name: str
    due_at: datetime
    state: str
    reason: str | None
    attempts: list[dict[str, Any]]
    message_id: uuid.UUID | None
    sent_at: datetime | None


class RescheduleIn(BaseModel):
    due_at: datetime
