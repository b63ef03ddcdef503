"""Airbnb upkeep: renew tokens before they lapse, and poll recent threads as a safety net for webhooks."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.tables import channel_connections
from adapters.db.unit_of_work import SqlaUnitOfWork
from domain.channels import Channel
from domain.errors import ProviderFailure
from domain.services.airbnb import refresh_if_due
from domain.services.inbound import InboundMessage, record_inbound

log = logging.getLogger("workers.airbnb")
POLL_WINDOW = timedelta(hours=2)


async def _connections(ctx: dict[str, Any]) -> list[Any]:
    async with ctx["sessions"]() as session:
        ids = (
            await session.execute(
                select(channel_connections.c.property_id).where(channel_connections.c.channel == "airbnb")
            )
        ).scalars()
        store = SqlaConnectionStore(ctx["sessions"], ctx["box"])
        return [r for r in [await store.get(pid, "airbnb") for pid in list(ids)] if r is not None]


async def refresh_airbnb_tokens(ctx: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    if ctx.get("airbnb") is None:
        return counts
    store = SqlaConnectionStore(ctx["sessions"], ctx["box"])
    for record in await _connections(ctx):
        outcome = await refresh_if_due(store, ctx["airbnb"], record, ctx["clock"].now())
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


async def poll_airbnb_threads(ctx: dict[str, Any]) -> int:
    if ctx.get("airbnb") is None:
        return 0
    filed = 0
    now = ctx["clock"].now()
    for record in await _connections(ctx):
        if record.status != "connected":
            continue
        try:
            recent = await ctx["airbnb"].recent_messages(str(record.secrets.get("access_token", "")), now - POLL_WINDOW)
        except ProviderFailure as failure:
            log.warning("airbnb poll failed", extra={"reason": failure.reason})
            continue
        async with SqlaUnitOfWork(ctx["sessions"], ctx["publisher"]) as uow:
            for item in recent:
                if item.sender_role != "guest":
                    continue
                result = await record_inbound(
                    uow,
                    record.property_id,
                    InboundMessage(
                        channel=Channel.AIRBNB,
                        provider_message_id=item.message_id,
                        received_at=item.sent_at,
                        body=item.body,
                        profile_name=item.guest_first_name,
                        confirmation_code=item.confirmation_code,
                        thread_id=item.thread_id,
                    ),
                )
                filed += 0 if result.duplicate else 1
            await uow.commit()
    return filed
