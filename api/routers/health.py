from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import generate_latest
from sqlalchemy import func, select, text

from adapters.db.tables import messages, outbox_events
from api.deps import ContainerDep
from api.observability import Metrics

log = logging.getLogger(__name__)
router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database and Redis answer", responses={503: {"description": "Not ready"}})
async def readyz(container: ContainerDep) -> JSONResponse:
    checks: dict[str, str] = {}

    async def db() -> None:
        async with container.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    for name, probe in (("database", db), ("redis", container.redis.ping)):
        try:
            await asyncio.wait_for(probe(), timeout=2)
            checks[name] = "ok"
        except Exception as exc:  # any failure means "not ready"; the type is enough to diagnose
            checks[name] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks}, status_code=200 if ready else 503
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
async def metrics(request: Request, container: ContainerDep) -> PlainTextResponse:
    registry: Metrics = request.app.state.metrics
    try:
        async with container.sessions() as session:
            pending = await session.scalar(
                select(func.count()).select_from(outbox_events).where(outbox_events.c.relayed_at.is_(None))
            )
            registry.queue_depth.set(pending or 0)
            rows = await session.execute(
                select(messages.c.channel, messages.c.status, func.count())
                .where(messages.c.direction == "outbound", messages.c.kind != "note")
                .group_by(messages.c.channel, messages.c.status)
            )
            registry.sends.clear()
            waiting = 0
            for channel, status, count in rows:
                registry.sends.labels(channel, status).set(count)
                if status in ("queued", "sending"):
                    waiting += count
            registry.messages_queued.set(waiting)
    except Exception:  # metrics must still answer while the database is down
        log.warning("metrics: database figures unavailable", exc_info=True)
    return PlainTextResponse(generate_latest(registry.registry).decode(), media_type="text/plain; version=0.0.4")
