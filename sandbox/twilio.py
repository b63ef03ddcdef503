"""A fake Twilio Messages API: 201 JSON, form bodies, basic auth, signed status callbacks, guest SMS on demand.

Like Twilio, it signs every callback with the account's auth token: the one the send authenticated
with, or for a guest's message the one the product stored for the account.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import random
import secrets
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from adapters.db.tables import channel_connections
from adapters.twilio.signature import compute
from api.lean_routes import lean
from sandbox.state import SandboxState

log = logging.getLogger("sandbox.twilio")
UNDELIVERABLE_SUFFIX = "0007"  # numbers ending like this get "undelivered" with carrier error 30007


def _error(code: int, message: str, status: int) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status},
        status_code=status,
    )


async def auth_token_of(request: Request, account_sid: str) -> str | None:
    container = request.app.state.container
    async with container.sessions() as session:
        sealed = await session.scalar(
            select(channel_connections.c.secrets)
            .where(
                channel_connections.c.channel == "sms",
                channel_connections.c.settings["account_sid"].astext == account_sid,
            )
            .limit(1)
        )
    return container.secret_box.open(sealed).get("auth_token") if sealed else None


def basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme != "Basic":
        return None
    try:
        user, _, password = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


async def post_signed(state: SandboxState, url: str, form: dict[str, str], token: str) -> int:
    signature = compute(url, list(form.items()), token)
    return await state.callback_poster.post_form(url, form, {"X-Twilio-Signature": signature})


async def _callbacks(state: SandboxState, url: str, token: str, base: dict[str, str], to: str) -> None:
    steps: list[dict[str, str]] = [{"MessageStatus": "sent"}]
    steps.append(
        {"MessageStatus": "undelivered", "ErrorCode": "30007"}
        if to.endswith(UNDELIVERABLE_SUFFIX)
        else {"MessageStatus": "delivered", "Price": "-0.07900", "PriceUnit": "USD"}
    )
    try:
        for delay, step in zip(state.callback_delays, steps, strict=False):
            await asyncio.sleep(delay)
            form = {**base, **step, "SmsStatus": step["MessageStatus"]}
            # a few callbacks in flight at once, like a provider's own sender pool: thousands of concurrent
            # requests would make the HTTP client's pool the busiest thing on the machine
            async with state.callback_senders:
                await post_signed(state, url, form, token)
    except Exception:  # the product may be shutting down; a fake provider just gives up
        log.warning("sandbox twilio callback failed", exc_info=True)


def twilio_router(state: SandboxState) -> APIRouter:
    router = APIRouter(prefix="/twilio")

    @router.get("/2010-04-01/Accounts/{account_sid}.json")
    async def account(account_sid: str, request: Request) -> JSONResponse:
        token = await auth_token_of(request, account_sid)
        state.record("twilio", request.url.path, {})
        given = basic_credentials(request)
        if given is None or given[0] != account_sid or (token is not None and given[1] != token) or given[1] == "wrong":
            return _error(20003, "Authenticate", 401)
        return JSONResponse(
            {"sid": account_sid, "friendly_name": "Sandbox hotel account", "status": "active", "type": "Full"}
        )

    @router.post("/2010-04-01/Accounts/{account_sid}/Messages.json")
    @lean  # the fake's cost comes out of the product's on a shared machine (api/lean_routes.py)
    async def send(request: Request) -> JSONResponse:
        account_sid = str(request.path_params["account_sid"])
        # the product posts url-encoded forms; parsed directly, as the fake's cost is taken from the product's
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        state.record("twilio", request.url.path, form)
        if state.fail_next:
            status, answer, headers = state.fail_next.pop(0)
            return JSONResponse(answer, status_code=status, headers=headers)
        credentials = basic_credentials(request)
        if credentials is None:
            return _error(20003, "Authenticate", 401)
        to = str(form.get("To", ""))
        if not to.startswith("+") or not to[1:].isdigit():
            return _error(21211, f"The 'To' number {to} is not a valid phone number.", 400)
        if to in state.unsubscribed:
            return _error(21610, "Attempt to send to unsubscribed recipient", 400)
        if state.twilio_latency[1] > 0:
            await asyncio.sleep(random.uniform(*state.twilio_latency))  # noqa: S311 - a simulated delay
        sid = "SM" + secrets.token_hex(16)
        callback = form.get("StatusCallback")
        # Twilio signs with the account's auth token, the one this request authenticated with
        token = credentials[1] if credentials[0] == account_sid else await auth_token_of(request, account_sid)
        if callback and token:
            base = {
                "AccountSid": account_sid,
                "ApiVersion": "2010-04-01",
                "From": str(form.get("From", "")),
                "MessageSid": sid,
                "SmsSid": sid,
                "To": to,
            }
            state.spawn(_callbacks(state, str(callback), token, base, to))
        return JSONResponse(
            {
                "sid": sid,
                "account_sid": account_sid,
                "to": to,
                "from": form.get("From"),
                "body": form.get("Body"),
                "status": "queued",
                "num_segments": "1",
                "num_media": "0",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "price": None,
                "price_unit": "USD",
                "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
            },
            status_code=201,
        )

    @router.post("/inject")
    async def inject(request: Request) -> JSONResponse:
        """A guest texts the hotel: {account_sid, from, to, body}. Signed like Twilio's inbound webhook."""
        data: dict[str, Any] = await request.json()
        account_sid = str(data["account_sid"])
        token = await auth_token_of(request, account_sid)
        if token is None:
            return _error(20404, "Unknown account", 404)
        sid = "SM" + secrets.token_hex(16)
        body = str(data.get("body", ""))
        if body.strip().upper() in {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}:
            state.unsubscribed.add(str(data["from"]))  # Twilio itself blocks further sends (21610)
        elif body.strip().upper() in {"START", "YES", "UNSTOP"}:
            state.unsubscribed.discard(str(data["from"]))
        form = {
            "AccountSid": account_sid,
            "ApiVersion": "2010-04-01",
            "Body": body,
            "From": str(data["from"]),
            "To": str(data["to"]),
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "NumMedia": "0",
            "NumSegments": "1",
            "FromCountry": "FR",
        }
        url = f"{request.app.state.container.settings.base_url}/webhooks/twilio/inbound"
        status = await post_signed(state, url, form, token)
        return JSONResponse({"sid": sid, "webhook_status": status})

    return router
