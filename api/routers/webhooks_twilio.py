"""Twilio's callbacks (status and inbound SMS), checked with X-Twilio-Signature before anything is kept."""

from __future__ import annotations

import json
import logging
from functools import partial
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from adapters.db import webhook_store
from adapters.db.tables import channel_connections
from adapters.twilio import signature
from api.deps import ContainerDep, container_of
from api.errors import problem_response
from api.lean_routes import lean
from api.webhook_body import BodyTooLarge, read_limited, too_large

log = logging.getLogger("webhooks.twilio")
router = APIRouter(prefix="/webhooks/twilio", tags=["webhooks"])
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def _verified_connections(
    container: ContainerDep, request: Request, params: list[tuple[str, str]], body: bytes
) -> list[dict]:  # type: ignore[type-arg]
    """Connections of the calling account whose auth token validates the signature (empty: refuse)."""
    account_sid = dict(params).get("AccountSid", "")
    if not account_sid.startswith("AC"):
        return []
    # the URL Twilio called, as the deployment is reached from outside (behind a proxy too)
    url = container.settings.base_url + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    header = request.headers.get("x-twilio-signature")

    def verified(rows: list[dict]) -> list[dict]:  # type: ignore[type-arg]
        return [
            r
            for r in rows
            if signature.is_valid(
                url, params, str(container.secret_box.open(r["secrets"]).get("auth_token", "")), header, body
            )
        ]

    # every status callback of a burst names the same account: its connections are remembered briefly,
    # and read afresh when none of them validates (the hotel may just have changed its auth token)
    lookup = partial(_account_connections, container)
    found = verified(await container.routes.connections("sms-account", [account_sid], lookup, key="account_sid"))
    return found or verified(await lookup([account_sid]))


async def _account_connections(container: ContainerDep, account_sids: list[str]) -> list[dict]:  # type: ignore[type-arg]
    async with container.sessions() as session:
        rows = (
            await session.execute(
                select(channel_connections).where(
                    channel_connections.c.channel == "sms",
                    channel_connections.c.settings["account_sid"].astext.in_(account_sids),
                )
            )
        ).mappings()
        return [{**r, "account_sid": r["settings"].get("account_sid")} for r in rows]


async def _receive(
    request: Request, container: ContainerDep, kind: str
) -> Response | tuple[list[tuple[str, str]], list[dict], bytes]:  # type: ignore[type-arg]
    limit = container.settings.max_webhook_bytes
    try:
        body = await read_limited(request, limit)
    except BodyTooLarge:
        return too_large(request, limit)
    try:
        params = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        params = []
    connections = await _verified_connections(container, request, params, body)
    if not connections:
        request.app.state.metrics.webhooks.labels("twilio", "bad_signature").inc()
        return problem_response(
            request, 403, "invalid_signature", "The Twilio signature does not match, or the account is unknown."
        )
    return params, connections, body


def _owner(form: dict[str, str], connections: list[dict], kind: str):  # type: ignore[no-untyped-def,type-arg]
    """The property of this callback: by the number or service it reached (inbound), else the account's only one."""
    if kind == "inbound":
        targets = {form.get("To"), form.get("MessagingServiceSid")}
        matching = [c for c in connections if c["external_id"] in targets]
        if matching:
            return matching[0]["property_id"]
    owners = {c["property_id"] for c in connections}
    return owners.pop() if len(owners) == 1 else None


async def _store(request: Request, container: ContainerDep, kind: str) -> Response:
    received = await _receive(request, container, kind)
    if isinstance(received, Response):
        return received
    params, connections, _ = received
    form = dict(params)
    needed = ("MessageSid", "From") if kind == "inbound" else ("MessageSid", "MessageStatus")
    missing = [name for name in needed if not form.get(name)]
    if missing:
        # signed but unusable: say so, and keep nothing that would later fail to process
        return problem_response(request, 400, "malformed_payload", f"The callback lacks {', '.join(missing)}.")
    key = f"{kind}:{form.get('MessageSid', '')}:{form.get('MessageStatus', '')}:{form.get('ErrorCode', '')}"
    payload = json.dumps({"kind": kind, "form": params}).encode()
    stored = await container.events.store(
        "twilio",
        payload,
        webhook_store.kept_headers(request.headers.items()),
        _owner(form, connections, kind),
        container.clock.now(),
        key=key,
    )
    request.app.state.metrics.webhooks.labels("twilio", "stored" if stored else "duplicate").inc()
    if kind == "inbound":
        return Response(EMPTY_TWIML, media_type="text/xml")
    return Response(status_code=200)


@router.post("/status", summary="Twilio status callbacks (signed)", responses={403: {"description": "Bad signature"}})
@lean  # two per SMS sent: served without the framework's routing (api/lean_routes.py)
async def status_callback(request: Request) -> Response:
    return await _store(request, container_of(request), "status")


@router.post(
    "/inbound",
    summary="Inbound SMS from guests (signed); answers empty TwiML",
    responses={403: {"description": "Bad signature"}},
)
@lean
async def inbound_sms(request: Request) -> Response:
    return await _store(request, container_of(request), "inbound")
