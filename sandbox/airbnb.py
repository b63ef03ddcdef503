"""A fake Airbnb for the demo and tests: OAuth with 24 h tokens (a refresh can be made to fail),
reservations with their status and thread, the pre-booking content filter, and signed message webhooks.
It models the constraints of PROVIDERS.md section C; it makes no claim of wire fidelity."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from domain.airbnb.content_filter import applies, blocked_parts
from sandbox.state import SandboxState

HOST_USER_ID = "1603070"
TOKEN_LIFE = timedelta(hours=24)


def _now(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.container.clock.now()


def _issue(request: Request, state: SandboxState) -> dict[str, Any]:
    access, refresh = "sbx-airbnb-" + secrets.token_hex(12), "sbx-refresh-" + secrets.token_hex(12)
    expires = _now(request) + TOKEN_LIFE
    state.airbnb_tokens[access] = expires
    state.airbnb_refresh_tokens.add(refresh)
    return {
        "access_token": access,
        "expires_at": int(expires.timestamp()),
        "refresh_token": refresh,
        "user_id": int(HOST_USER_ID),
    }


def _authorised(request: Request, state: SandboxState) -> bool:
    token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    expires = state.airbnb_tokens.get(token)
    return expires is not None and _now(request) < expires


def _unauthorised() -> JSONResponse:
    return JSONResponse(
        {"error_code": "invalid_token", "error_message": "The access token is invalid or expired."}, status_code=401
    )


async def post_airbnb_webhook(request: Request, payload: dict[str, Any]) -> int:
    container = request.app.state.container
    body = json.dumps(payload).encode()
    secret = container.settings.airbnb_webhook_secret or ""
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    response = await container.http.post(
        f"{container.settings.base_url}/webhooks/airbnb",
        content=body,
        headers={"content-type": "application/json", "x-airbnb-signature": signature},
    )
    return int(response.status_code)


def airbnb_router(state: SandboxState) -> APIRouter:
    router = APIRouter(prefix="/airbnb")

    @router.get("/oauth2/auth")
    async def authorize(redirect_uri: str, request: Request) -> Response:
        # the host approves at once; the code is exchanged by the product's callback
        code = "sbx-code-" + secrets.token_hex(8)
        state.airbnb_codes.add(code)
        return RedirectResponse(
            f"{redirect_uri}?{urlencode({'code': code, 'state': request.query_params.get('state', '')})}",
            status_code=302,
        )

    @router.post("/v2/oauth2/authorizations")
    async def tokens(request: Request) -> JSONResponse:
        body = await request.json()
        state.record("airbnb", request.url.path, {k: v for k, v in body.items() if k != "refresh_token"})
        if not request.headers.get("authorization", "").startswith("Basic "):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if "code" in body:
            if body["code"] not in state.airbnb_codes:
                return JSONResponse({"error": "invalid_grant", "error_message": "Unknown code."}, status_code=400)
            state.airbnb_codes.discard(body["code"])
            return JSONResponse(_issue(request, state))
        if state.airbnb_fail_refresh or body.get("refresh_token") not in state.airbnb_refresh_tokens:
            return JSONResponse(
                {"error": "invalid_grant", "error_message": "The host revoked access."}, status_code=401
            )
        state.airbnb_refresh_tokens.discard(body["refresh_token"])
        return JSONResponse(_issue(request, state))

    @router.get("/v2/listings")
    async def listings(request: Request) -> JSONResponse:
        if not _authorised(request, state):
            return _unauthorised()
        return JSONResponse(
            {"listings": [{"id": "51234567", "name": "Garden suite"}, {"id": "51234568", "name": "Loft"}]}
        )

    @router.post("/reservations")
    async def create_reservation(request: Request) -> JSONResponse:
        """Test and demo set-up: {confirmation_code, status, guest_first_name}."""
        data = await request.json()
        thread_id = "sbx-thread-" + secrets.token_hex(6)
        state.airbnb_reservations[data["confirmation_code"]] = {
            "status": data.get("status", "accepted"),
            "thread_id": thread_id,
            "guest_first_name": data.get("guest_first_name", "Guest"),
        }
        state.airbnb_threads[thread_id] = []
        return JSONResponse({"thread_id": thread_id})

    @router.get("/v2/reservations/{code}")
    async def reservation(code: str, request: Request) -> JSONResponse:
        if not _authorised(request, state):
            return _unauthorised()
        found = state.airbnb_reservations.get(code)
        if found is None:
            return JSONResponse({"error_code": "404", "error_message": "No such reservation."}, status_code=404)
        return JSONResponse({"confirmation_code": code, "status": found["status"], "thread_id": found["thread_id"]})

    @router.post("/v2/threads/{thread_id}/messages")
    async def send(thread_id: str, request: Request) -> JSONResponse:
        body = await request.json()
        state.record("airbnb", request.url.path, body)
        if not _authorised(request, state):
            return _unauthorised()
        reservation = next((r for r in state.airbnb_reservations.values() if r["thread_id"] == thread_id), None)
        if reservation is None:
            return JSONResponse({"error_code": "thread_not_found", "error_message": "No such thread."}, status_code=404)
        text = str(body.get("message", ""))
        if applies(reservation["status"]) and blocked_parts(text):
            return JSONResponse(
                {
                    "error_code": "content_blocked",
                    "error_message": "Messages before booking cannot contain contact details or links.",
                },
                status_code=400,
            )
        message_id = "sbx-msg-" + secrets.token_hex(8)
        state.airbnb_threads[thread_id].append(
            {"id": message_id, "body": text, "sender_role": "host", "sent_at": int(_now(request).timestamp())}
        )
        return JSONResponse({"id": message_id})

    @router.get("/v2/threads")
    async def threads(request: Request, since: int = 0) -> JSONResponse:
        if not _authorised(request, state):
            return _unauthorised()
        out = []
        for code, reservation in state.airbnb_reservations.items():
            items = [
                {
                    **m,
                    "thread_id": reservation["thread_id"],
                    "confirmation_code": code,
                    "guest_first_name": reservation["guest_first_name"],
                }
                for m in state.airbnb_threads[reservation["thread_id"]]
                if m["sent_at"] >= since
            ]
            out.append({"thread_id": reservation["thread_id"], "messages": items})
        return JSONResponse({"threads": out})

    @router.post("/inject")
    async def inject(request: Request) -> JSONResponse:
        """The guest writes in the reservation's thread: {confirmation_code, text}; Airbnb's webhook follows."""
        data = await request.json()
        reservation = state.airbnb_reservations[data["confirmation_code"]]
        message = {
            "id": "sbx-msg-" + secrets.token_hex(8),
            "body": str(data["text"]),
            "sender_role": "guest",
            "sent_at": int(_now(request).timestamp()),
        }
        state.airbnb_threads[reservation["thread_id"]].append(message)
        status = await post_airbnb_webhook(
            request,
            {
                "event": "message.created",
                "host_id": HOST_USER_ID,
                "thread_id": reservation["thread_id"],
                "reservation": {"confirmation_code": data["confirmation_code"], "status": reservation["status"]},
                "message": {**message, "sender": {"role": "guest", "first_name": reservation["guest_first_name"]}},
            },
        )
        return JSONResponse({"id": message["id"], "webhook_status": status})

    return router
