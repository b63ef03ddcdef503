"""Connecting Airbnb (OAuth authorisation code, CSRF-safe state) and Airbnb's signed message webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from adapters.db import webhook_store
from adapters.db.connection_store import SqlaConnectionStore
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES, problem_response
from api.webhook_body import BodyTooLarge, read_limited, too_large
from domain.channels import Channel
from domain.errors import PolicyViolation
from domain.model import Role
from domain.services.airbnb import complete_authorization, map_listings, resume_paused

log = logging.getLogger("airbnb")
router = APIRouter(tags=["channels"], responses=ERROR_RESPONSES)
STATE_TTL = 600


class AuthorizeOut(BaseModel):
    url: str


def _sign(key: str, payload: bytes) -> str:
    return hmac.new(key.encode(), payload, hashlib.sha256).hexdigest()


def _state(container: ContainerDep, property_id: uuid.UUID, user_id: uuid.UUID | None, nonce: str) -> str:
    payload = json.dumps(
        {"p": str(property_id), "u": str(user_id), "n": nonce, "e": int(time.time()) + STATE_TTL}
    ).encode()
    encoded = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{encoded}.{_sign(container.settings.encryption_key or '', payload)}"


def _read_state(container: ContainerDep, state: str) -> dict[str, str] | None:
    try:
        encoded, signature = state.split(".", 1)
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError:
        return None
    if not hmac.compare_digest(_sign(container.settings.encryption_key or "", payload), signature):
        return None
    data = json.loads(payload)
    return data if int(data["e"]) >= time.time() else None


def _gateway(container: ContainerDep):  # type: ignore[no-untyped-def]
    if container.airbnb is None:
        raise PolicyViolation("channel_not_available", "Airbnb is not configured on this deployment.")
    return container.airbnb


@router.get(
    "/api/v1/channels/airbnb/authorize",
    response_model=AuthorizeOut,
    summary="Start connecting (or re-authorising) Airbnb: the URL to send the user to",
)
async def authorize(principal: CurrentPrincipal, container: ContainerDep) -> AuthorizeOut:
    principal.require(Role.OWNER, Role.MANAGER)
    gateway = _gateway(container)
    nonce = secrets.token_urlsafe(16)
    await container.redis.set(f"gmc:oauth:airbnb:{nonce}", "1", ex=STATE_TTL)  # single use, see the callback
    state = _state(container, principal.property_id, principal.user_id, nonce)
    return AuthorizeOut(url=gateway.authorize_url(state, f"{container.settings.base_url}/oauth/airbnb/callback"))


class ListingsIn(BaseModel):
    listing_ids: list[str]


class ListingsOut(BaseModel):
    status: str
    listing_ids: list[str]
    listings_available: list[dict[str, str]]


@router.get(
    "/api/v1/channels/airbnb/listings",
    response_model=ListingsOut,
    summary="The host's Airbnb listings and the ones mapped",
)
async def listings(principal: CurrentPrincipal, container: ContainerDep) -> ListingsOut:
    record = await SqlaConnectionStore(container.sessions, container.secret_box).get(principal.property_id, "airbnb")
    if record is None:
        raise PolicyViolation("channel_not_connected", "Connect Airbnb first.")
    return ListingsOut(
        status=record.status,
        listing_ids=record.settings.get("listing_ids", []),
        listings_available=record.settings.get("listings_available", []),
    )


@router.put(
    "/api/v1/channels/airbnb/listings",
    response_model=ListingsOut,
    summary="Map the host's Airbnb listings to this property (required before messaging)",
)
async def put_listings(body: ListingsIn, principal: CurrentPrincipal, container: ContainerDep) -> ListingsOut:
    principal.require(Role.OWNER, Role.MANAGER)
    record = await map_listings(
        SqlaConnectionStore(container.sessions, container.secret_box),
        principal.property_id,
        body.listing_ids,
        container.clock.now(),
    )
    return ListingsOut(
        status=record.status,
        listing_ids=record.settings.get("listing_ids", []),
        listings_available=record.settings.get("listings_available", []),
    )


@router.get("/oauth/airbnb/callback", include_in_schema=False)
async def callback(
    container: ContainerDep,
    request: Request,
    code: Annotated[str | None, Query(max_length=500)] = None,
    state: Annotated[str | None, Query(max_length=1000)] = None,
) -> Response:
    data = _read_state(container, state or "")
    if data is None or not code or not await container.redis.delete(f"gmc:oauth:airbnb:{data['n']}"):
        # a person's browser lands here: back to the settings screen, which explains and offers to start again
        return RedirectResponse("/settings/channels?airbnb=error&reason=invalid_oauth_state", status_code=303)
    property_id = uuid.UUID(data["p"])
    store = SqlaConnectionStore(container.sessions, container.secret_box)
    now = container.clock.now()
    try:
        await complete_authorization(store, _gateway(container), property_id, code, now)
    except PolicyViolation as refused:
        return RedirectResponse(f"/settings/channels?airbnb=error&reason={refused.code}", status_code=303)
    async with container.uow() as uow:
        resumed = await resume_paused(uow, property_id, Channel.AIRBNB, now)
        await uow.commit()
    log.info("airbnb authorised", extra={"property_id": str(property_id), "resumed": resumed})
    return RedirectResponse("/settings/channels?airbnb=connected", status_code=303)


@router.post(
    "/webhooks/airbnb",
    tags=["webhooks"],
    summary="Airbnb message events (signed with the shared secret)",
    responses={401: {"description": "Bad signature"}},
)
async def webhook(request: Request, container: ContainerDep) -> Response:
    limit = container.settings.max_webhook_bytes
    try:
        body = await read_limited(request, limit)
    except BodyTooLarge:
        return too_large(request, limit)
    secret = container.settings.airbnb_webhook_secret
    header = request.headers.get("x-airbnb-signature", "")
    if not secret or not hmac.compare_digest(
        f"sha256={hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}", header
    ):
        return problem_response(request, 401, "invalid_signature", "The signature does not match the body.")
    try:
        payload = json.loads(body)
        host_id, message_id = str(payload["host_id"]), str(payload["message"]["id"])
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: absurdly deep nesting
        return problem_response(request, 400, "malformed_payload", "The event lacks host_id or message.id.")
    owner = await SqlaConnectionStore(container.sessions, container.secret_box).owner_of("airbnb", host_id)
    if owner is None:
        log.warning("airbnb webhook for an unknown host")
        return Response(status_code=200)
    await container.events.store(
        "airbnb",
        body,
        webhook_store.kept_headers(request.headers.items()),
        owner,
        container.clock.now(),
        key=f"message:{message_id}",
    )
    return Response(status_code=200)
