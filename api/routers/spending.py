"""Monthly spending caps per channel, the sends they hold, and what each guest and booking cost."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from adapters.db.spending_store import guest_cost_rows, held_messages, list_caps, save_cap
from api.auth import CurrentPrincipal
from api.deps import ContainerDep, UowDep
from api.errors import ERROR_RESPONSES
from domain.costs import CostedMessage, CostTotal, guest_costs
from domain.errors import NotFound
from domain.model import Role
from domain.services.spending import release_held, send_anyway
from domain.spending import CAP_CURRENCY, CAPPED_CHANNELS, month_of, validate_cap

router = APIRouter(prefix="/api/v1", tags=["insights"], responses=ERROR_RESPONSES)


class ChannelSpend(BaseModel):
    channel: str
    monthly_cap: Decimal | None = Field(description="null: no cap")
    spent: Decimal = Field(description="Reserved by this month's paid sends (estimates until the provider bills)")
    sends: int
    remaining: Decimal | None
    held: int = Field(description="Sends waiting because the cap is reached")


class SpendingOut(BaseModel):
    month: str = Field(description="The property's local month")
    currency: str
    channels: list[ChannelSpend]


class CapIn(BaseModel):
    channel: Literal["whatsapp", "sms"] = Field(description="A paid channel")
    monthly_cap: Decimal | None = Field(description="null removes the cap", ge=0, le=1_000_000)


class HeldMessage(BaseModel):
    id: uuid.UUID
    conversation_id: uuid.UUID
    channel: str
    preview: str
    estimated_cost: Decimal | None
    reason: str | None
    held_since: datetime | None


class CostBreakdown(BaseModel):
    messages: int
    amount: Decimal
    by_channel: dict[str, Decimal]


class BookingCost(CostBreakdown):
    booking_id: uuid.UUID
    external_ref: str
    check_in: date
    check_out: date


class GuestCostsOut(BaseModel):
    currency: str
    total: CostBreakdown
    bookings: list[BookingCost]
    unattributed: CostBreakdown = Field(description="Messages sent when the guest had no booking")


async def _spending(uow: UowDep, property_id: uuid.UUID, now: datetime) -> SpendingOut:
    prop = await uow.properties.get(property_id)
    month = month_of(now, prop.timezone if prop else "UTC")
    rows = {r["channel"]: r for r in await list_caps(uow.session, property_id, month)}
    held = await held_messages(uow.session, property_id)
    channels = []
    for channel in CAPPED_CHANNELS:
        row = rows.get(channel.value, {})
        cap, spent = row.get("monthly_cap"), row.get("spent", Decimal(0))
        channels.append(
            ChannelSpend(
                channel=channel.value,
                monthly_cap=cap,
                spent=spent,
                sends=row.get("sends", 0),
                remaining=max(cap - spent, Decimal(0)) if cap is not None else None,
                held=sum(1 for h in held if h["channel"] == channel.value),
            )
        )
    return SpendingOut(month=month, currency=CAP_CURRENCY, channels=channels)


@router.get("/spending", response_model=SpendingOut, summary="This month's spend and cap per paid channel")
async def get_spending(principal: CurrentPrincipal, uow: UowDep, container: ContainerDep) -> SpendingOut:
    return await _spending(uow, principal.property_id, container.clock.now())


@router.put(
    "/spending/caps",
    response_model=SpendingOut,
    summary="Set or remove a channel's monthly cap; held sends are checked again at once",
)
async def put_cap(body: CapIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep) -> SpendingOut:
    principal.require(Role.OWNER, Role.MANAGER)
    validate_cap(body.channel, body.monthly_cap)
    now = container.clock.now()
    await save_cap(uow.session, principal.property_id, body.channel, body.monthly_cap, CAP_CURRENCY, now)
    # every held send goes through the cap check again: what fits now goes out, the rest is held again
    await release_held(uow, principal.property_id, now)
    await uow.commit()
    return await _spending(uow, principal.property_id, now)


@router.get("/spending/held", response_model=list[HeldMessage], summary="Sends held by a spending cap")
async def get_held(principal: CurrentPrincipal, uow: UowDep) -> list[HeldMessage]:
    return [
        HeldMessage(
            id=r["id"],
            conversation_id=r["conversation_id"],
            channel=r["channel"],
            preview=r["body"][:140],
            estimated_cost=r["cost_amount"],
            reason=r["error_reason"],
            held_since=r["status_changed_at"],
        )
        for r in await held_messages(uow.session, principal.property_id)
    ]


@router.post(
    "/spending/held/{message_id}/send-anyway",
    status_code=202,
    summary="Send one held message even though the cap is reached (its cost still counts)",
)
async def post_send_anyway(
    message_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> dict[str, str]:
    principal.require(Role.OWNER, Role.MANAGER)
    await send_anyway(uow, principal.property_id, message_id, container.clock.now())
    await uow.commit()
    return {"status": "queued"}


def _breakdown(total: CostTotal) -> CostBreakdown:
    return CostBreakdown(messages=total.messages, amount=total.amount, by_channel=total.by_channel)


@router.get(
    "/guests/{guest_id}/costs",
    response_model=GuestCostsOut,
    tags=["guests"],
    summary="What the guest's messages cost, in total and per booking",
)
async def get_guest_costs(guest_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep) -> GuestCostsOut:
    guest = await uow.guests.get(principal.property_id, guest_id)
    prop = await uow.properties.get(principal.property_id)
    if guest is None or prop is None:
        raise NotFound("Guest not found.")
    bookings = await uow.bookings.for_guest(prop.id, guest_id)
    rows = await guest_cost_rows(uow.session, prop.id, guest_id, prop.timezone)
    costs = guest_costs(
        bookings,
        [
            CostedMessage(
                r["id"],
                r["day"],
                r["channel"],
                r["cost_amount"] or Decimal(0),
                r["cost_currency"] or CAP_CURRENCY,
                r["booking_id"],
            )
            for r in rows
        ],
        CAP_CURRENCY,
    )
    return GuestCostsOut(
        currency=costs.currency,
        total=_breakdown(costs.total),
        bookings=[
            BookingCost(
                booking_id=b.id,
                external_ref=b.external_ref,
                check_in=b.check_in,
                check_out=b.check_out,
                **_breakdown(costs.per_booking[b.id]).model_dump(),
            )
            for b in sorted(bookings, key=lambda b: b.check_in, reverse=True)
        ],
        unattributed=_breakdown(costs.unattributed),
    )
