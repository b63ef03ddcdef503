"""Message counts and costs by month (in the property's timezone), channel and pricing category."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import messages


async def costs(
    session: AsyncSession, property_id: uuid.UUID, timezone: str, start: date, end: date
) -> list[dict[str, Any]]:
    local = func.timezone(literal(timezone), messages.c.created_at)
    month = func.to_char(local, "YYYY-MM")
    stmt = (
        select(
            month.label("month"),
            messages.c.channel,
            func.coalesce(messages.c.pricing_category, "none").label("category"),
            func.count().label("messages"),
            func.coalesce(func.sum(messages.c.cost_amount), 0).label("amount"),
            func.coalesce(func.max(messages.c.cost_currency), "USD").label("currency"),
        )
        .where(
            messages.c.property_id == property_id,
            messages.c.direction == "outbound",
            messages.c.kind != "note",
            local >= start,
            local < end + timedelta(days=1),
        )
        # by position: the month expression carries bound parameters that PostgreSQL would not match twice
        .group_by(text("1"), text("2"), text("3"))
        .order_by(text("1"), text("2"), text("3"))
    )
    return [dict(r) for r in (await session.execute(stmt)).mappings()]
