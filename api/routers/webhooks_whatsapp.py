"""Meta's callbacks: the verification handshake, then signed events stored raw and processed later."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from adapters.db import webhook_store
from adapters.db.tables import channel_connections
from adapters.whatsapp import signature
from adapters.whatsapp.webhook_parser import phone_number_ids
from api.deps import ContainerDep, container_of
from api.errors import VALIDATION_RESPONSES, problem_response
from api.lean_routes import lean
from api.webhook_body import BodyTooLarge, read_limited, too_large

log = logging.getLogger("webhooks.whatsapp")
router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def verify_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@router.get(
    "/whatsapp",
    summary="Meta's webhook verification handshake",
    response_class=PlainTextResponse,
    responses={
        403: {"description": "Unknown verify token", "content": {"text/plain": {}}},
        **VALIDATION_RESPONSES,
    },
)
async def verify(
    container: ContainerDep,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token", max_length=256)] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=256)] = None,
) -> Response:
    if mode != "subscribe" or not token or challenge is None:
        return PlainTextResponse("forbidden", status_code=403)
    deployment = container.settings.meta_verify_token
    if deployment and hmac.compare_digest(deployment.encode(), token.encode()):
        return PlainTextResponse(challenge)
    async with container.sessions() as session:
        known = await session.scalar(
            select(channel_connections.c.id).where(
                channel_connections.c.channel == "whatsapp",
                channel_connections.c.settings["verify_token_sha256"].astext == verify_token_digest(token),
            )
        )
    return PlainTextResponse(challenge) if known else PlainTextResponse("forbidden", status_code=403)


async def _lookup(container: ContainerDep, numbers: list[str]) -> list[dict[str, Any]]:
    async with container.sessions() as session:
        return await webhook_store.connections_by_external_id(session, "whatsapp", numbers)


def _secrets_of(container: ContainerDep, connections: list[dict[str, Any]]) -> list[str]:
    found = []
    for connection in connections:
        secret = container.secret_box.open(connection["secrets"]).get("app_secret")
        if secret:
            found.append(str(secret))
    return found


@router.post(
    "/whatsapp",
    summary="Meta's signed webhook events (messages, statuses, template updates)",
    responses={401: {"description": "Signature missing or wrong"}, 413: {"description": "Body too large"}},
)
@lean  # a message sent brings up to three status events (api/lean_routes.py)
async def receive(request: Request) -> Response:
    container = container_of(request)
    limit = container.settings.max_webhook_bytes
    try:
        body = await read_limited(request, limit)
    except BodyTooLarge:
        return too_large(request, limit)
    header = request.headers.get("x-hub-signature-256")
    verified = bool(container.settings.meta_app_secret) and signature.is_valid(
        container.settings.meta_app_secret or "", body, header
    )
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError("not an object")
    except (ValueError, RecursionError):  # RecursionError: nesting deep enough to exhaust the parser
        if not verified:
            return problem_response(request, 401, "invalid_signature", "The signature does not match the body.")
        return problem_response(request, 400, "malformed_payload", "The body is not a JSON object.")
    try:
        numbers = phone_number_ids(payload)  # parses every change: what passes here, the worker can process
    except (AttributeError, TypeError, ValueError, KeyError):
        if not verified:
            return problem_response(request, 401, "invalid_signature", "The signature does not match the body.")
        return problem_response(request, 400, "malformed_payload", "The body is not a WhatsApp webhook event.")
    connections = await container.routes.connections("whatsapp", numbers, partial(_lookup, container))
    if not verified:
        # a property that brings its own Meta app signs with its own secret (read afresh: it may have changed)
        connections = await _lookup(container, list(numbers))
        verified = any(signature.is_valid(secret, body, header) for secret in _secrets_of(container, connections))
    if not verified:
        container_metrics(request).labels("whatsapp", "bad_signature").inc()
        return problem_response(request, 401, "invalid_signature", "The signature does not match the body.")
    is_template_event = '"message_template_status_update"' in body.decode("utf-8", "replace")
    if not connections and not is_template_event:
        log.warning("whatsapp webhook for an unknown phone-number id", extra={"ids": sorted(numbers)})
        container_metrics(request).labels("whatsapp", "unrouted").inc()
        return Response(status_code=200)
    properties = {c["property_id"] for c in connections}
    owner = next(iter(properties)) if len(properties) == 1 else None
    stored = await container.events.store(
        "whatsapp",
        body,
        webhook_store.kept_headers(request.headers.items()),
        owner,
        container.clock.now(),
    )
    container_metrics(request).labels("whatsapp", "stored" if stored else "duplicate").inc()
    return Response(status_code=200)


def container_metrics(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.metrics.webhooks
