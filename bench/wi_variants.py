"""WHAT-IF VARIANTS, NOT THE PRODUCT: the product's API with candidate changes applied by monkeypatching at
start-up, so a recommendation can be measured before anyone edits the product (nothing outside bench/ is
changed, and the product never imports this module).

    BENCH_VARIANTS=no_pre_ping,asgi_middleware uvicorn bench.wi_variants:app
    python -m bench.webhook_ingest --variants no_pre_ping,asgi_middleware,cached_routing,single_statement

- no_pre_ping: the engine's pool does not ping each connection on checkout (adapters/db/engine.make_engine
  pool_pre_ping=True costs one round trip per checkout; the webhook endpoint checks out twice).
- asgi_middleware: api/observability.RequestContextMiddleware as a pure ASGI middleware (same request id,
  metrics and log line) instead of starlette's BaseHTTPMiddleware.
- cached_routing: api/routers/webhooks_whatsapp.receive looks up the connections of a phone-number id in a
  30-second in-process cache (hits only) instead of a database transaction of its own on every event.
- single_statement: adapters/db/webhook_store.store_event writes the event and its outbox row with one
  statement (INSERT ... ON CONFLICT DO NOTHING RETURNING id chained to the outbox INSERT) instead of two.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import api.app
import api.container
from adapters.db import engine as engine_module
from adapters.db import webhook_store
from api.observability import Metrics, configure_logging
from api.routers import webhooks_whatsapp
from api.settings import Settings

KNOWN = ("no_pre_ping", "asgi_middleware", "cached_routing", "single_statement")
access_log = logging.getLogger("api.access")


def _no_pre_ping() -> None:
    original = engine_module.make_engine

    def make_engine(url: str, **kwargs: Any) -> Any:
        engine = original(url, **kwargs)
        engine.sync_engine.pool._pre_ping = False  # noqa: SLF001 - the what-if itself
        return engine

    api.container.make_engine = make_engine  # type: ignore[assignment]


class AsgiRequestContext:
    """RequestContextMiddleware's behaviour without BaseHTTPMiddleware's extra task and streams."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = ""
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
        request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            path = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.latency.labels(scope["method"], path, str(status)).observe(elapsed)
            if not path.startswith("/assets"):
                access_log.info(
                    "request",
                    extra={
                        "request_id": request_id,
                        "method": scope["method"],
                        "path": path,
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    },
                )


def _asgi_middleware() -> None:
    api.app.RequestContextMiddleware = AsgiRequestContext  # type: ignore[assignment,misc]


def _cached_routing(ttl: float = 30.0) -> None:
    cache: dict[tuple[str, frozenset[str]], tuple[float, list[dict[str, Any]]]] = {}

    async def connections_by_external_id(session: AsyncSession, channel: str, external_ids: Any) -> Any:
        key = (channel, frozenset(i for i in external_ids if i))
        hit = cache.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        found = await webhook_store.connections_by_external_id(session, channel, key[1])
        if found:  # never cache "unknown": a number connected a moment ago must not be dropped as unrouted
            cache[key] = (time.monotonic() + ttl, found)
        return found

    webhooks_whatsapp.webhook_store = SimpleNamespace(  # type: ignore[assignment]
        **{name: getattr(webhook_store, name) for name in dir(webhook_store) if not name.startswith("__")}
        | {"connections_by_external_id": connections_by_external_id}
    )


STORE_AND_ANNOUNCE = text(
    """
    WITH stored AS (
        INSERT INTO webhook_events (provider, dedupe_key, property_id, body, headers, received_at)
        VALUES (:provider, :key, :property_id, :body, CAST(:headers AS jsonb), :now)
        ON CONFLICT (provider, dedupe_key) DO NOTHING
        RETURNING id
    )
    INSERT INTO outbox_events (property_id, topic, payload, created_at)
    SELECT :property_id, :topic, jsonb_build_object('event_id', id), :now FROM stored
    RETURNING (payload ->> 'event_id')::bigint
    """
)


def _single_statement() -> None:
    async def store_event(
        sessions: async_sessionmaker[AsyncSession],
        provider: str,
        body: bytes,
        headers: dict[str, str],
        property_id: uuid.UUID | None,
        now: datetime,
        key: str | None = None,
    ) -> int | None:
        async with sessions() as session:
            event_id = await session.scalar(
                STORE_AND_ANNOUNCE,
                {
                    "provider": provider,
                    "key": key or webhook_store.dedupe_key(body),
                    "property_id": property_id,
                    "body": body,
                    "headers": json.dumps(headers),
                    "now": now,
                    "topic": webhook_store.PROCESS_TOPIC,
                },
            )
            await session.commit()
            return int(event_id) if event_id is not None else None

    current = webhooks_whatsapp.webhook_store
    if isinstance(current, SimpleNamespace):
        current.store_event = store_event
    else:
        webhooks_whatsapp.webhook_store = SimpleNamespace(  # type: ignore[assignment]
            **{name: getattr(webhook_store, name) for name in dir(webhook_store) if not name.startswith("__")}
            | {"store_event": store_event}
        )


def build() -> Any:
    chosen = [v for v in os.environ.get("BENCH_VARIANTS", "").split(",") if v]
    unknown = set(chosen) - set(KNOWN)
    if unknown:
        raise SystemExit(f"unknown variants: {sorted(unknown)}; known: {KNOWN}")
    for name in KNOWN:  # a fixed order: cached_routing before single_statement
        if name in chosen:
            globals()["_" + name]()
    settings = Settings()
    configure_logging(settings.log_level)
    return api.app.create_app(settings)


app = build()
