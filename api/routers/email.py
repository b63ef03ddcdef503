"""E-mail: connecting the property's SMTP server, a test send, and guests' replies from the inbound MTA."""

from __future__ import annotations

import hmac
from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from adapters.db import webhook_store
from adapters.db.connection_store import SqlaConnectionStore
from adapters.email.inbound_parser import key_of
from adapters.email.smtp_check import AiosmtplibSmtpCheck
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES, problem_response
from api.routers.channels import ChannelOut
from api.webhook_body import BodyTooLarge, read_limited, too_large
from domain.email.connection import connect_email, send_test_email
from domain.email.ports import SmtpCredentials
from domain.model import Role
from domain.ports.connections import ConnectionRecord

router = APIRouter(prefix="/api/v1/channels", tags=["channels"], responses=ERROR_RESPONSES)
webhook_router = APIRouter(prefix="/webhooks/email", tags=["webhooks"])

# settings safe to show; the password never leaves the server
VISIBLE = ("host", "port", "tls", "username", "sender", "sender_name", "reply_to")
RAW_TYPES = ("message/rfc822", "text/plain", "application/octet-stream", "")


class EmailConnectIn(BaseModel):
    host: str = Field(min_length=1, max_length=253, examples=["smtp.example.com"])
    port: int = Field(ge=1, le=65535, examples=[587])
    tls: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="starttls (usually port 587), tls (implicit, usually 465) or none"
    )
    username: str | None = Field(default=None, max_length=320)
    password: str | None = Field(default=None, max_length=1024, description="Write-only; stored encrypted")
    sender_address: str = Field(min_length=3, max_length=320, examples=["contact@hotel-tilleuls.fr"])
    sender_name: str = Field(min_length=1, max_length=100, examples=["Hôtel des Tilleuls"])
    reply_to: str | None = Field(
        default=None,
        max_length=320,
        description="Where guests' replies go: a domain routed to this product (reply+token@domain) or an address",
        examples=["reply.hotel-tilleuls.fr"],
    )


class EmailTestIn(BaseModel):
    to: str = Field(min_length=3, max_length=320, examples=["me@example.com"])


class EmailTestOut(BaseModel):
    ok: bool
    server_reply: str = Field(examples=["250 2.0.0 Ok: queued as 4Xk2"])


def _out(record: ConnectionRecord) -> ChannelOut:
    details = {k: record.settings[k] for k in VISIBLE if record.settings.get(k) is not None}
    return ChannelOut(channel="email", status=record.status, last_error=record.last_error, details=details)  # type: ignore[arg-type]


def _check(container: ContainerDep) -> AiosmtplibSmtpCheck:
    # only the sandbox's capture server lives on this machine; elsewhere that would be request forgery
    return AiosmtplibSmtpCheck(allow_local=container.settings.sandbox)


@router.put(
    "/email",
    response_model=ChannelOut,
    summary="Connect e-mail through the property's SMTP server (checked: connect, TLS, login, before it is saved)",
)
async def put_email(body: EmailConnectIn, principal: CurrentPrincipal, container: ContainerDep) -> ChannelOut:
    principal.require(Role.OWNER, Role.MANAGER)
    form = SmtpCredentials(
        host=body.host,
        port=body.port,
        tls=body.tls,
        sender_address=body.sender_address,
        sender_name=body.sender_name,
        username=body.username or None,
        password=body.password or None,
        reply_to=body.reply_to,
    )
    store = SqlaConnectionStore(container.sessions, container.secret_box)
    record = await connect_email(store, _check(container), principal.property_id, form, container.clock.now())
    return _out(record)


@router.post(
    "/email/test",
    response_model=EmailTestOut,
    summary="Send a short test e-mail through the saved connection; answers the server's reply",
)
async def post_email_test(body: EmailTestIn, principal: CurrentPrincipal, container: ContainerDep) -> EmailTestOut:
    principal.require(Role.OWNER, Role.MANAGER)
    store = SqlaConnectionStore(container.sessions, container.secret_box)
    reply = await send_test_email(store, _check(container), principal.property_id, body.to)
    return EmailTestOut(ok=True, server_reply=reply)


def _secret_matches(container: ContainerDep, request: Request) -> bool:
    expected = getattr(container.settings, "email_inbound_secret", None)
    given = request.headers.get("x-inbound-secret")
    if not expected or not given:
        return False  # unset: every delivery is refused until the deployment configures one
    return hmac.compare_digest(given.encode(), str(expected).encode())


@webhook_router.post(
    "/inbound",
    summary="A raw e-mail (RFC 5322) from the inbound MTA or parse service, with X-Inbound-Secret",
    responses={403: {"description": "Missing or wrong secret"}, 413: {"description": "Too large"}},
)
async def inbound_email(request: Request, container: ContainerDep) -> Response:
    metrics = request.app.state.metrics.webhooks
    if not _secret_matches(container, request):
        metrics.labels("email", "bad_secret").inc()
        return problem_response(request, 403, "invalid_secret", "The X-Inbound-Secret header is missing or wrong.")
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind not in RAW_TYPES:
        return problem_response(request, 415, "unsupported_media_type", "Send the raw message as message/rfc822.")
    limit = getattr(container.settings, "email_inbound_max_bytes", None) or container.settings.max_webhook_bytes
    try:
        raw = await read_limited(request, limit)
    except BodyTooLarge:
        return too_large(request, limit)
    key = key_of(raw)
    if key is None:
        return problem_response(request, 400, "malformed_payload", "The body is not an e-mail (it has no From header).")
    stored = await container.events.store(
        "email",
        raw,
        webhook_store.kept_headers(request.headers.items()),
        None,  # routed by the worker: reply token, recipient or the message it answers
        container.clock.now(),
        key=key,
    )
    metrics.labels("email", "stored" if stored else "duplicate").inc()
    return JSONResponse({"stored": stored is not None})
