"""Outgoing webhooks in the worker: fan captured events out to subscriptions, then deliver each, signed.

`pump_outgoing_webhooks` (cron, every 2 seconds) turns the events committed with their changes into
deliveries and queues a `deliver_outgoing_webhook` job per due delivery; the job makes one attempt and
records it. Retries are just deliveries due again later (backoff in domain/outgoing_webhooks.py), so a
worker restart or a Redis flush loses nothing: the next pump finds them in the table.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx

from adapters.db.webhook_subscriptions_store import claim, due_deliveries, fan_out, record_attempt
from domain.outgoing_webhooks import (
    DELIVERY_ID_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    sign,
)
from domain.services.outgoing_webhooks import after_attempt, body_bytes

log = logging.getLogger("workers.outgoing_webhooks")

OUTGOING_WEBHOOK_JOB = "deliver_outgoing_webhook"
LEASE = timedelta(seconds=60)  # longer than the request timeout: an attempt in flight is never doubled
REQUEST_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "GuestMessagingCentre-Webhooks/1.0"


async def pump_outgoing_webhooks(ctx: dict[str, Any]) -> int:
    now = ctx["clock"].now()
    async with ctx["sessions"]() as session:
        await fan_out(session, now)
        await session.commit()
    async with ctx["sessions"]() as session:
        due = await due_deliveries(session, now)
    for delivery_id, due_at in due:
        # the id names the due time: a lease that ran out (worker died) makes a new job, a repeat does not
        await ctx["redis"].enqueue_job(
            OUTGOING_WEBHOOK_JOB, str(delivery_id), _job_id=f"owh:{delivery_id}:{due_at.timestamp():.3f}"
        )
    return len(due)


async def deliver_outgoing_webhook(ctx: dict[str, Any], delivery_id: str) -> str:
    clock = ctx["clock"]
    async with ctx["sessions"]() as session:
        claimed = await claim(session, uuid.UUID(delivery_id), clock.now(), LEASE)
        await session.commit()
    if claimed is None:
        return "not_due"
    secret = str(ctx["box"].open(claimed.sealed_secret).get("secret", ""))
    body = body_bytes(claimed.payload)
    attempted_at = clock.now()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(secret, int(attempted_at.timestamp()), body),
        EVENT_ID_HEADER: str(claimed.event_id),
        EVENT_TYPE_HEADER: claimed.event_type,
        DELIVERY_ID_HEADER: str(claimed.id),
    }
    status_code: int | None = None
    error: str | None = None
    started = time.monotonic()
    try:
        response = await ctx["http"].post(
            claimed.url, content=body, headers=headers, timeout=REQUEST_TIMEOUT, follow_redirects=False
        )
        status_code = response.status_code
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    latency_ms = int((time.monotonic() - started) * 1000)
    outcome = after_attempt(claimed.created_at, claimed.attempts, status_code, error, clock.now())
    async with ctx["sessions"]() as session:
        await record_attempt(session, claimed, attempted_at, status_code, latency_ms, error, outcome)
        await session.commit()
    if outcome.state != "succeeded":
        log.info(
            "outgoing webhook attempt failed",
            extra={"delivery_id": delivery_id, "status_code": status_code, "attempt": claimed.attempts},
        )
    return str(outcome.state)
