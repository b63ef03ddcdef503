from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select

from adapters.db.insights_queries import costs
from adapters.db.tables import properties
from api.auth import CurrentPrincipal
from api.deps import ContainerDep, ReadSession
from api.errors import ERROR_RESPONSES
from domain.errors import FieldProblem, InvalidInput

router = APIRouter(prefix="/api/v1/insights", tags=["insights"], responses=ERROR_RESPONSES)


class CostRow(BaseModel):
    month: str
    channel: str
    category: str
    messages: int
    amount: Decimal
    currency: str


class Total(BaseModel):
    amount: Decimal
    currency: str


class CostReport(BaseModel):
    rows: list[CostRow]
    total: Total


@router.get(
    "/costs", response_model=CostReport, summary="Outbound messages and their cost by month, channel and category"
)
async def cost_report(
    principal: CurrentPrincipal,
    session: ReadSession,
    container: ContainerDep,
    from_: Annotated[date | None, Query(alias="from")] = None,
    to: Annotated[date | None, Query()] = None,
) -> CostReport:
    end = to or container.clock.now().date()
    start = from_ or (end - timedelta(days=365))
    if start > end:
        raise InvalidInput([FieldProblem("from", "after_to", "`from` must not be after `to`.")])
    timezone = await session.scalar(select(properties.c.timezone).where(properties.c.id == principal.property_id))
    rows = [CostRow(**r) for r in await costs(session, principal.property_id, timezone or "UTC", start, end)]
    currencies = {r.currency for r in rows if r.amount}
    return CostReport(
        rows=rows,
        total=Total(
            amount=sum((r.amount for r in rows), Decimal(0)),
            currency=currencies.pop() if len(currencies) == 1 else "USD",
        ),
    )
