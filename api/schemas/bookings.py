from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

BookingSource = Literal["direct", "airbnb", "booking_com", "expedia", "vrbo", "other"]
BookingStatusIn = Literal["confirmed", "cancelled", "checked_in", "checked_out"]


class GuestIn(BaseModel):
    first_name: str = Field(min_length=1, max_length=200, examples=["Camille"])
    last_name: str = Field(default="", max_length=200, examples=["Durand"])
    phone: str | None = Field(default=None, max_length=40, examples=["+33 6 12 34 56 78"])
    email: str | None = Field(default=None, max_length=320, examples=["camille@example.com"])
    language: str | None = Field(default=None, max_length=16, examples=["fr"])
    airbnb_user_id: str | None = Field(default=None, max_length=64)


class BookingUpsertIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "guest": {
                        "first_name": "Camille",
                        "last_name": "Durand",
                        "phone": "06 12 34 56 78",
                        "email": "camille@example.com",
                        "language": "fr",
                    },
                    "check_in": "2026-12-20",
                    "check_out": "2026-12-23",
                    "source": "direct",
                    "status": "confirmed",
                    "room": "12",
                    "party_size": 2,
                }
            ]
        }
    )

    guest: GuestIn
    check_in: date
    check_out: date
    source: BookingSource = "direct"
    status: BookingStatusIn = "confirmed"
    confirmation_code: str | None = Field(default=None, max_length=32, examples=["HMDABRMKQM"])
    room: str | None = Field(default=None, max_length=64)
    party_size: int | None = Field(default=None, ge=1, le=100)
    custom_fields: dict[str, Any] = Field(default_factory=dict, description="e.g. door_code, parking")


class GuestOut(BaseModel):
    id: uuid.UUID
    first_name: str
    last_name: str
    display_name: str
    phone: str | None
    email: str | None
    language: str | None
    airbnb_user_id: str | None = None


class BookingOut(BaseModel):
    id: uuid.UUID
    external_ref: str
    guest_id: uuid.UUID
    check_in: date
    check_out: date
    source: str
    status: str
    confirmation_code: str | None
    room: str | None
    party_size: int | None = None
    custom_fields: dict[str, Any] = Field(default_factory=dict)


class BookingWithGuest(BookingOut):
    guest: GuestOut
    created: bool | None = None
