"""Held sends whose month is over go out again: a new month is a new budget (the cap check runs again)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from adapters.db.tables import messages
from adapters.db.unit_of_work import SqlaUnitOfWork
from domain.services.spending import release_held
from domain.spending import SPENDING_CAP_CODE


async def release_spending_holds(ctx: dict[str, Any]) -> int:
    async with ctx["sessions"]() as session:
        property_ids = (
            (
                await session.execute(
                    select(messages.c.property_id)
                    .where(messages.c.status == "queued", messages.c.error_code == SPENDING_CAP_CODE)
                    .distinct()
                )
            )
            .scalars()
            .all()
        )
    released = 0
    for property_id in property_ids:
        async with SqlaUnitOfWork(ctx["sessions"], ctx.get("publisher")) as uow:
            released += await release_held(uow, property_id, ctx["clock"].now(), only_other_months=True)
            await uow.commit()
    return released
