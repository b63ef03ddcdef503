"""The bare reference endpoint of the webhook-ingest benchmark (not the product):

    uvicorn bench.wi_bare:app   # DATABASE_URL and META_APP_SECRET from the environment

POST /webhooks/whatsapp verifies X-Hub-Signature-256 with the product's own adapters.whatsapp.signature.is_valid
and INSERTs the raw body into bench_raw_webhooks, in one short transaction, with the product's engine factory
(adapters.db.engine.make_engine: same pool size, same pre-ping, same statement timeout). Nothing else: no
routing, no deduplication, no outbox, no middleware. It is the floor the product's acknowledgement is compared to.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from adapters.db.engine import make_engine
from adapters.whatsapp import signature

TABLE = "bench_raw_webhooks"
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    body bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
)
"""
INSERT = text(f"INSERT INTO {TABLE} (body) VALUES (:body)")

SECRET = os.environ.get("META_APP_SECRET", "")
engine = make_engine(os.environ.get("DATABASE_URL", "postgresql://unset/unset"))


async def receive(request: Request) -> Response:
    body = await request.body()
    if not signature.is_valid(SECRET, body, request.headers.get("x-hub-signature-256")):
        return PlainTextResponse("invalid signature", status_code=401)
    async with engine.begin() as conn:
        await conn.execute(INSERT, {"body": body})
    return Response(status_code=200)


async def ready(request: Request) -> Response:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return PlainTextResponse("ok")


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await engine.dispose()


app = Starlette(
    routes=[Route("/webhooks/whatsapp", receive, methods=["POST"]), Route("/readyz", ready)], lifespan=lifespan
)
