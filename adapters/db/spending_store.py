"""Spending caps and the per (property, channel, month) spend rows they are checked against."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import conversations, messages, planned_sends, spending_caps, spending_months
from domain.ports.spending import SpendingCap
from domain.spending import SPENDING_CAP_CODE


class SqlaSpendingLedger:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # a batch of sends asks once per property and channel within its unit of work
        self._caps: dict[tuple[uuid.UUID, str], SpendingCap | None] = {}
        self._months_ready: set[tuple[uuid.UUID, str, str]] = set()
        self._uncapped: dict[tuple[uuid.UUID, str, str], tuple[Decimal, int]] = {}

    async def cap_for(self, property_id: uuid.UUID, channel: str) -> SpendingCap | None:
        if (property_id, channel) not in self._caps:
            self._caps[(property_id, channel)] = await self._cap_for(property_id, channel)
        return self._caps[(property_id, channel)]

    async def _cap_for(self, property_id: uuid.UUID, channel: str) -> SpendingCap | None:
        row = (
            await self.session.execute(
                select(spending_caps).where(
                    spending_caps.c.property_id == property_id, spending_caps.c.channel == channel
                )
            )
        ).first()
        if row is None:
            return None
        return SpendingCap(row.property_id, row.channel, row.monthly_cap, row.currency)

    async def reserve(
        self, property_id: uuid.UUID, channel: str, month: str, amount: Decimal, cap: Decimal | None
    ) -> bool:
        # the row exists before anyone increments it, so every sender locks the same row
        if (property_id, channel, month) not in self._months_ready:
            await self.session.execute(
                insert(spending_months)
                .values(property_id=property_id, channel=channel, month=month, spent=0, sends=0, updated_at=func.now())
                .on_conflict_do_nothing()
            )
            self._months_ready.add((property_id, channel, month))
        if cap is None:
            # nothing to check: added up and written once, before the commit (a batch of sends is one UPDATE)
            spent, sends = self._uncapped.get((property_id, channel, month), (Decimal(0), 0))
            self._uncapped[(property_id, channel, month)] = (spent + amount, sends + 1)
            return True
        await self.write_pending()  # a capped check must see every amount this transaction added
        # one statement checks and adds under the row lock: a concurrent send waits, then sees our amount
        stmt = self._add(property_id, channel, month, amount, 1).where(spending_months.c.spent + amount <= cap)
        return (await self.session.execute(stmt)).first() is not None

    async def write_pending(self) -> None:
        """Writes the uncapped amounts added so far; the unit of work calls it before committing."""
        pending, self._uncapped = self._uncapped, {}
        for (property_id, channel, month), (amount, sends) in pending.items():
            await self.session.execute(self._add(property_id, channel, month, amount, sends))

    @staticmethod
    def _add(property_id: uuid.UUID, channel: str, month: str, amount: Decimal, sends: int) -> Any:
        return (
            update(spending_months)
            .where(
                (spending_months.c.property_id == property_id)
                & (spending_months.c.channel == channel)
                & (spending_months.c.month == month)
            )
            .values(
                spent=spending_months.c.spent + amount, sends=spending_months.c.sends + sends, updated_at=func.now()
            )
            .returning(spending_months.c.spent)
        )


async def list_caps(session: AsyncSession, property_id: uuid.UUID, month: str) -> list[dict[str, Any]]:
    """Every channel with a cap or a spend this month."""
    caps = {
        r.channel: r
        for r in (await session.execute(select(spending_caps).where(spending_caps.c.property_id == property_id)))
    }
    spent = {
        r.channel: r
        for r in (
            await session.execute(
                select(spending_months).where(
                    spending_months.c.property_id == property_id, spending_months.c.month == month
                )
            )
        )
    }
    return [
        {
            "channel": channel,
            "monthly_cap": caps[channel].monthly_cap if channel in caps else None,
            "currency": caps[channel].currency if channel in caps else None,
            "month": month,
            "spent": spent[channel].spent if channel in spent else Decimal(0),
            "sends": spent[channel].sends if channel in spent else 0,
        }
        for channel in sorted(set(caps) | set(spent))
    ]


async def save_cap(
    session: AsyncSession, property_id: uuid.UUID, channel: str, amount: Decimal | None, currency: str, now: datetime
) -> None:
    """None removes the cap."""
    key = (spending_caps.c.property_id == property_id) & (spending_caps.c.channel == channel)
    if amount is None:
        await session.execute(delete(spending_caps).where(key))
        return
    await session.execute(
        insert(spending_caps)
        .values(property_id=property_id, channel=channel, monthly_cap=amount, currency=currency, updated_at=now)
        .on_conflict_do_update(
            index_elements=[spending_caps.c.property_id, spending_caps.c.channel],
            set_={"monthly_cap": amount, "currency": currency, "updated_at": now},
        )
    )


async def guest_cost_rows(
    session: AsyncSession, property_id: uuid.UUID, guest_id: uuid.UUID, timezone: str
) -> list[dict[str, Any]]:
    """The guest's outbound messages with a cost, their local day, and the booking a planned send names."""
    local_day = func.date(func.timezone(timezone, messages.c.created_at))
    stmt = (
        select(
            messages.c.id,
            local_day.label("day"),
            messages.c.channel,
            messages.c.cost_amount,
            messages.c.cost_currency,
            planned_sends.c.booking_id,
        )
        .join(conversations, conversations.c.id == messages.c.conversation_id)
        .outerjoin(planned_sends, planned_sends.c.message_id == messages.c.id)
        .where(
            messages.c.property_id == property_id,
            conversations.c.guest_id == guest_id,
            messages.c.direction == "outbound",
            messages.c.kind != "note",
        )
    )
    return [dict(r) for r in (await session.execute(stmt)).mappings()]


async def held_messages(session: AsyncSession, property_id: uuid.UUID) -> list[dict[str, Any]]:
    stmt = (
        select(
            messages.c.id,
            messages.c.conversation_id,
            messages.c.channel,
            messages.c.body,
            messages.c.cost_amount,
            messages.c.error_reason,
            messages.c.status_changed_at,
        )
        .where(
            messages.c.property_id == property_id,
            messages.c.status == "queued",
            messages.c.error_code == SPENDING_CAP_CODE,
        )
        .order_by(messages.c.status_changed_at)
    )
    return [dict(r) for r in (await session.execute(stmt)).mappings()]
