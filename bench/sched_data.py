"""Data of the scheduler benchmark: the five rules and the bookings (with their guests).

Bookings are imported in bulk with COPY, as a PMS import would fill the tables; that is set-up, not
planning, and is timed separately. Every booking has its own guest with a unique French mobile number,
check-in between 10 and 375 days ahead (so each of the five rules is due in the future), 1 to 7 nights.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

FIRST = ["Camille", "Louis", "Emma", "Noah", "Léa", "Hugo", "Chloé", "Arthur", "Inès", "Jules", "Ann", "Bo", "Mia"]
LAST = ["Durand", "Martin", "Bernard", "Petit", "Robert", "Richard", "Moreau", "Simon", "Laurent", "Smith"]
SOURCES = ["direct", "booking_com", "expedia", "direct", "direct"]  # api.schemas.bookings.BookingSource

SMS = "Hello {{ guest.first_name }}, {text} ({{ booking.check_in }} to {{ booking.check_out }})."
RULES: list[dict[str, Any]] = [
    {"name": "Pre-arrival, a week before", "trigger": "before_check_in", "offset_days": 7, "send_time": "10:00"},
    {"name": "Pre-arrival, the day before", "trigger": "before_check_in", "offset_days": 1, "send_time": "16:00"},
    {"name": "Welcome", "trigger": "after_check_in", "offset_hours": 2},
    {"name": "Before departure", "trigger": "before_check_out", "offset_days": 1, "send_time": "18:00"},
    {"name": "Thank you", "trigger": "after_check_out", "offset_days": 1, "send_time": "10:00"},
]


def rule_bodies() -> list[dict[str, Any]]:
    """POST /api/v1/scheduled-messages bodies: SMS only (the sandbox Twilio), a text with placeholders."""
    out = []
    for rule in RULES:
        text = f"this is '{rule['name']}' from Hotel Bench"
        out.append(
            {
                **rule,
                "channel_order": ["sms"],
                "content": {"default": {"sms_text": SMS.replace("{text}", text)}},
            }
        )
    return out


def phone(index: int) -> str:
    return f"+336{10_000_000 + index:08d}"


@dataclass(frozen=True)
class BookingSpec:
    index: int
    ref: str
    first_name: str
    last_name: str
    phone: str
    language: str
    check_in: date
    check_out: date
    source: str

    def api_body(self) -> dict[str, Any]:
        return {
            "guest": {
                "first_name": self.first_name,
                "last_name": self.last_name,
                "phone": self.phone,
                "language": self.language,
            },
            "check_in": self.check_in.isoformat(),
            "check_out": self.check_out.isoformat(),
            "source": self.source,
            "status": "confirmed",
        }


def booking_specs(start: int, count: int, today: date, seed: int = 11) -> list[BookingSpec]:
    rnd = random.Random(seed + start)
    specs = []
    for i in range(start, start + count):
        check_in = today + timedelta(days=rnd.randint(10, 375))
        specs.append(
            BookingSpec(
                index=i,
                ref=f"PMS-{i:06d}",
                first_name=rnd.choice(FIRST),
                last_name=rnd.choice(LAST),
                phone=phone(i),
                language=rnd.choice(["en", "fr", "en", "de"]),
                check_in=check_in,
                check_out=check_in + timedelta(days=rnd.randint(1, 7)),
                source=rnd.choice(SOURCES),
            )
        )
    return specs


async def copy_bookings(dsn: str, property_id: uuid.UUID, specs: list[BookingSpec]) -> list[uuid.UUID]:
    """Guests and bookings with COPY, in one transaction; the booking ids in the order of `specs`."""
    now = datetime.now(UTC)
    guest_rows, booking_rows, ids = [], [], []
    for spec in specs:
        guest_id, booking_id = uuid.uuid4(), uuid.uuid4()
        ids.append(booking_id)
        guest_rows.append(
            (guest_id, property_id, spec.first_name, spec.last_name, spec.phone, spec.language, "{}", now, now)
        )
        booking_rows.append(
            (
                booking_id,
                property_id,
                guest_id,
                spec.ref,
                spec.source,
                "confirmed",
                spec.check_in,
                spec.check_out,
                "{}",
                now,
                now,
            )
        )
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.copy_records_to_table(
                "guests",
                records=guest_rows,
                columns=[
                    "id",
                    "property_id",
                    "first_name",
                    "last_name",
                    "phone",
                    "language",
                    "opt_outs",
                    "created_at",
                    "updated_at",
                ],
            )
            await conn.copy_records_to_table(
                "bookings",
                records=booking_rows,
                columns=[
                    "id",
                    "property_id",
                    "guest_id",
                    "external_ref",
                    "source",
                    "status",
                    "check_in",
                    "check_out",
                    "custom_fields",
                    "created_at",
                    "updated_at",
                ],
            )
        await conn.execute("ANALYZE guests; ANALYZE bookings")
    finally:
        await conn.close()
    return ids
