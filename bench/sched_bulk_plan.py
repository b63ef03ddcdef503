"""PROTOTYPE, NOT THE PRODUCT: bulk planning of scheduled messages, to show the figure a set-based planning
use case could reach. The product plans one booking at a time (domain.services.scheduling.plan_booking /
replan_rule through the ORM unit of work); nothing in the product calls this module.

Per batch of bookings, in one transaction:
1. one SELECT of the bookings with their guest's language;
2. in Python, for every (rule, booking): the product's own pure functions decide —
   domain.scheduling.conditions.why_not (does the rule apply) and domain.scheduling.timing.due_at (when,
   in the property's timezone, pushed out of quiet hours), with the same "late but still meaningful -> now,
   else skipped" rule as domain.services.scheduling._plan_one;
3. one statement: INSERT ... SELECT FROM unnest(arrays) ON CONFLICT (rule_id, booking_id) DO UPDATE (only rows
   still planned or cancelled, and only when the time or state changes — sent/skipped/failed history is
   kept, as in the product), RETURNING the rows written, chained in the same statement to the INSERT of
   their outbox announcements (topic planned.schedule, the same payload as _announce_schedule);
4. when some rules no longer apply, one UPDATE cancelling those still planned.

`announce_before`: only sends due before this instant get an outbox row (the "horizon" variant: far-future
sends would then be enqueued by a periodic job a few minutes ahead instead of sitting in arq for months).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from domain.scheduling.conditions import why_not
from domain.scheduling.model import ScheduledRule, SendState, Trigger
from domain.scheduling.timing import CHECK_OUT_TIME, QuietHours, due_at, local_to_utc

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)

UPSERT_AND_ANNOUNCE = """
WITH up AS (
    INSERT INTO planned_sends AS p
        (id, property_id, rule_id, booking_id, due_at, state, reason, attempts, created_at, updated_at)
    SELECT r.id, $7, r.rule_id, r.booking_id, r.due_at, r.state, r.reason, '[]'::jsonb, $8, $8
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[])
        AS r(id, rule_id, booking_id, due_at, state, reason)
    ON CONFLICT (rule_id, booking_id) DO UPDATE
        SET due_at = EXCLUDED.due_at, state = EXCLUDED.state, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at
        WHERE p.state IN ('planned', 'cancelled')
          AND (p.due_at IS DISTINCT FROM EXCLUDED.due_at OR p.state IS DISTINCT FROM EXCLUDED.state)
    RETURNING p.id, p.property_id, p.due_at, p.state
), announced AS (
    INSERT INTO outbox_events (property_id, topic, payload, created_at)
    SELECT property_id, 'planned.schedule',
           jsonb_build_object(
               'planned_id', id::text,
               'property_id', property_id::text,
               'due_at', to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'
           ),
           $8
    FROM up WHERE state = 'planned' AND due_at < $9
    RETURNING 1
)
SELECT (SELECT count(*) FROM up) AS written, (SELECT count(*) FROM announced) AS announced
"""

CANCEL = """
UPDATE planned_sends AS p SET state = 'cancelled', reason = c.reason, updated_at = $4
FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS c(rule_id, booking_id, reason)
WHERE p.rule_id = c.rule_id AND p.booking_id = c.booking_id AND p.state = 'planned'
"""

LOAD = """
SELECT b.id, b.status, b.source, b.check_in, b.check_out, b.created_at, b.updated_at, g.language
FROM bookings b JOIN guests g ON g.id = b.guest_id
WHERE b.property_id = $1 AND b.id = ANY($2::uuid[])
"""


class _Booking:
    """The attributes the pure planning functions read (duck-typed domain.model.Booking)."""

    __slots__ = ("id", "status", "source", "check_in", "check_out", "created_at", "updated_at")

    def __init__(self, row: asyncpg.Record) -> None:
        for name in self.__slots__:
            setattr(self, name, row[name])

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


class _Guest:
    __slots__ = ("language",)

    def __init__(self, language: str | None) -> None:
        self.language = language


def _decide(
    rule: ScheduledRule, booking: _Booking, guest: _Guest, tz: str, now: datetime, quiet: QuietHours
) -> tuple[datetime | None, str, str | None]:
    """(due, state, reason) as domain.services.scheduling._plan_one decides for a new planned send."""
    reason = why_not(rule, booking, guest)  # type: ignore[arg-type]
    if reason is not None:
        return None, SendState.CANCELLED, reason
    event_at = booking.updated_at if rule.trigger == Trigger.BOOKING_CANCELLED else (booking.created_at or now)
    due = due_at(rule, booking, event_at or now, tz, quiet)  # type: ignore[arg-type]
    if due < now:
        if now < local_to_utc(booking.check_out, CHECK_OUT_TIME, ZoneInfo(tz)):
            return now, SendState.PLANNED, None
        return due, SendState.SKIPPED, "Its time had passed when the booking was planned, and the stay is over."
    return due, SendState.PLANNED, None


async def plan_batch(
    conn: asyncpg.Connection,
    property_id: uuid.UUID,
    tz: str,
    rules: list[ScheduledRule],
    booking_ids: list[uuid.UUID],
    now: datetime,
    announce_before: datetime = FAR_FUTURE,
    quiet: QuietHours = QuietHours(),
) -> dict[str, int]:
    ids, rule_ids, booking_col, dues, states, reasons = [], [], [], [], [], []
    cancel: tuple[list[uuid.UUID], list[uuid.UUID], list[str]] = ([], [], [])
    async with conn.transaction():
        rows = await conn.fetch(LOAD, property_id, booking_ids)
        for row in rows:
            booking, guest = _Booking(row), _Guest(row["language"])
            for rule in rules:
                due, state, reason = _decide(rule, booking, guest, tz, now, quiet)
                if due is None:
                    cancel[0].append(rule.id)
                    cancel[1].append(booking.id)
                    cancel[2].append(reason or "")
                    continue
                ids.append(uuid.uuid4())
                rule_ids.append(rule.id)
                booking_col.append(booking.id)
                dues.append(due)
                states.append(str(state))
                reasons.append(reason)
        result = await conn.fetchrow(
            UPSERT_AND_ANNOUNCE, ids, rule_ids, booking_col, dues, states, reasons, property_id, now, announce_before
        )
        if cancel[0]:
            await conn.execute(CANCEL, cancel[0], cancel[1], cancel[2], now)
    assert result is not None
    return {"bookings": len(rows), "written": int(result["written"]), "announced": int(result["announced"])}


async def plan_all(
    dsn: str,
    property_id: uuid.UUID,
    tz: str,
    rules: list[ScheduledRule],
    booking_ids: list[uuid.UUID],
    batch: int = 5_000,
    announce_before: datetime = FAR_FUTURE,
) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    totals = {"bookings": 0, "written": 0, "announced": 0, "batches": 0}
    began = time.perf_counter()
    try:
        for start in range(0, len(booking_ids), batch):
            now = datetime.now(UTC)
            counts = await plan_batch(
                conn, property_id, tz, rules, booking_ids[start : start + batch], now, announce_before
            )
            for key, value in counts.items():
                totals[key] += value
            totals["batches"] += 1
    finally:
        await conn.close()
    seconds = time.perf_counter() - began
    return totals | {
        "seconds": round(seconds, 2),
        "bookings_per_s": round(totals["bookings"] / seconds, 1),
        "planned_sends_per_s": round(totals["written"] / seconds, 1),
    }


def today_utc() -> date:
    return datetime.now(UTC).date()
