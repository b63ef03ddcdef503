"""A fake WhatsApp Cloud API: sends, the 24-hour window, signed callbacks, and guest messages on demand."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import func, select

from adapters.db.tables import channel_connections, conversations, guests, messages
from adapters.whatsapp.signature import sign
from sandbox.state import SandboxState
from sandbox.whatsapp_templates import template_send_error

log = logging.getLogger("sandbox.whatsapp")


def _error(code: int, message: str, details: str, status: int = 400) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "message": f"(#{code}) {message}",
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": details},
                "fbtrace_id": "SBX" + secrets.token_hex(6),
            }
        },
        status_code=status,
    )


def _metadata(phone_number_id: str) -> dict[str, str]:
    return {"display_phone_number": "33184880000", "phone_number_id": phone_number_id}


def envelope(phone_number_id: str, value: dict[str, Any]) -> dict[str, Any]:
    value = {"messaging_product": "whatsapp", "metadata": _metadata(phone_number_id), **value}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "SBX-WABA", "changes": [{"field": "messages", "value": value}]}],
    }


async def deliver_webhook(request: Request, payload: dict[str, Any]) -> int:
    """POST a signed callback to the product, as Meta does."""
    container = request.app.state.container
    body = json.dumps(payload).encode()
    secret = container.settings.meta_app_secret or ""
    response = await container.http.post(
        f"{container.settings.base_url}/webhooks/whatsapp",
        content=body,
        headers={"content-type": "application/json", "x-hub-signature-256": sign(secret, body)},
    )
    return int(response.status_code)


def _status(
    wamid: str, status: str, at: int, to: str, tracker: str | None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"id": wamid, "status": status, "timestamp": str(at), "recipient_id": to, **(extra or {})}
    if tracker:
        item["biz_opaque_callback_data"] = tracker
    return item


async def _status_callbacks(
    request: Request,
    state: SandboxState,
    phone_number_id: str,
    wamid: str,
    to: str,
    tracker: str | None,
    template: bool,
    failure: dict[str, Any] | None,
) -> None:
    clock = request.app.state.container.clock
    pricing = {
        "billable": template,
        "pricing_model": "PMP",
        "category": "utility" if template else "service",
        "type": "regular" if template else "free_customer_service",
    }
    steps: list[tuple[str, dict[str, Any]]] = (
        [("failed", {"errors": [failure]})]
        if failure
        else [("sent", {"pricing": pricing}), ("delivered", {"pricing": pricing}), ("read", {})]
    )
    try:
        for delay, (status, extra) in zip(state.callback_delays, steps, strict=False):
            await asyncio.sleep(delay)
            at = int(clock.now().timestamp())
            async with state.callback_senders:  # a few at once (see sandbox/state.py)
                await deliver_webhook(
                    request, envelope(phone_number_id, {"statuses": [_status(wamid, status, at, to, tracker, extra)]})
                )
    except Exception:  # the product may be shutting down; a fake provider just gives up
        log.warning("sandbox status callback failed", exc_info=True)


def whatsapp_router(state: SandboxState) -> APIRouter:
    router = APIRouter(prefix="/whatsapp")

    @router.post("/{phone_number_id}/messages")
    async def send(phone_number_id: str, request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            return _error(100, "Invalid parameter", "The body is not JSON.")
        state.record("whatsapp", request.url.path, body)
        if state.fail_next:
            status, answer, headers = state.fail_next.pop(0)
            return JSONResponse(answer, status_code=status, headers=headers)
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return _error(190, "Invalid OAuth access token.", "Error validating access token.", status=401)
        to, kind = str(body.get("to", "")), body.get("type")
        if body.get("messaging_product") != "whatsapp" or not to.isdigit() or kind not in ("text", "template"):
            return _error(
                100, "Invalid parameter", "messaging_product, a numeric 'to' and a supported type are required."
            )
        if kind == "text" and not (body.get("text") or {}).get("body"):
            return _error(100, "Invalid parameter", "text.body is required.")
        if kind == "template":
            refused = template_send_error(state, body)
            if refused is not None:
                return refused
        wamid = "wamid.SBX" + secrets.token_hex(12).upper()
        failure = None
        last = state.last_inbound.get((phone_number_id, to)) or await remembered_inbound(request, phone_number_id, to)
        now = request.app.state.container.clock.now()
        if kind == "text" and (last is None or now - last >= state.whatsapp_window):
            # like Meta, the window is enforced after accepting the request: the failure comes by webhook
            failure = {
                "code": 131047,
                "title": "Re-engagement message",
                "message": "Re-engagement message",
                "error_data": {
                    "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
                },
            }
        state.spawn(
            _status_callbacks(
                request,
                state,
                phone_number_id,
                wamid,
                to,
                body.get("biz_opaque_callback_data"),
                kind == "template",
                failure,
            )
        )
        return JSONResponse(
            {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [{"id": wamid}]}
        )

    @router.get("/{phone_number_id}")
    async def phone_number(phone_number_id: str, request: Request) -> JSONResponse:
        state.record("whatsapp", request.url.path, dict(request.query_params))
        if phone_number_id in state.media:  # and a media object by its id
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "id": phone_number_id,
                    "url": f"{request.app.state.container.settings.base_url}/sandbox/whatsapp/media/{phone_number_id}/download",
                    "mime_type": state.media[phone_number_id][0],
                    "file_size": len(state.media[phone_number_id][1]),
                }
            )
        if phone_number_id in state.templates:  # the same Graph path reads a template by its id
            template = state.templates[phone_number_id]
            return JSONResponse({"id": phone_number_id, "name": template["name"], "status": template["status"]})
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not token:
            return _error(190, "Invalid OAuth access token.", "Error validating access token.", status=401)
        if token == "expired":
            return JSONResponse(
                {
                    "error": {
                        "message": "Error validating access token: Session has expired on Tuesday.",
                        "type": "OAuthException",
                        "code": 190,
                        "error_subcode": 463,
                        "fbtrace_id": "SBX",
                    }
                },
                status_code=401,
            )
        return JSONResponse(
            {
                "display_phone_number": "+33 1 84 88 00 00",
                "verified_name": "Hôtel des Tilleuls",
                "quality_rating": "GREEN",
                "id": phone_number_id,
            }
        )

    @router.get("/media/{media_id}/download")
    async def download(media_id: str, request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer ") or media_id not in state.media:
            return _error(190, "Invalid OAuth access token.", "Media downloads need the access token.", status=401)
        content_type, data = state.media[media_id]
        return Response(data, media_type=content_type)

    @router.post("/inject")
    async def inject(request: Request) -> JSONResponse:
        """A guest writes: {phone_number_id, from, name?, text}. Used by tests and the demo."""
        data = await request.json()
        media_id = None
        if data.get("image_base64"):  # a guest sends a photo
            media_id = "MEDIA" + secrets.token_hex(8)
            state.media[media_id] = ("image/png", base64.b64decode(data["image_base64"]))
        wamid = await inject_guest_message(
            request,
            str(data["phone_number_id"]),
            str(data["from"]),
            data.get("name"),
            str(data.get("text", "")),
            media_id,
        )
        return JSONResponse({"id": wamid, "media_id": media_id})

    return router


async def remembered_inbound(request: Request, phone_number_id: str, wa_id: str) -> datetime | None:
    """Meta remembers across restarts when a guest last wrote; this in-memory fake recalls it from the
    messages it once delivered (the demo's seeded conversations included)."""
    container = request.app.state.container
    async with container.sessions() as session:
        last: datetime | None = await session.scalar(
            select(func.max(messages.c.created_at))
            .join(conversations, conversations.c.id == messages.c.conversation_id)
            .join(guests, guests.c.id == conversations.c.guest_id)
            .join(
                channel_connections,
                (channel_connections.c.property_id == messages.c.property_id)
                & (channel_connections.c.channel == "whatsapp"),
            )
            .where(
                messages.c.channel == "whatsapp",
                messages.c.direction == "inbound",
                guests.c.phone == "+" + wa_id,
                channel_connections.c.external_id == phone_number_id,
            )
        )
    return last


async def inject_guest_message(
    request: Request, phone_number_id: str, sender: str, name: str | None, text: str, media_id: str | None = None
) -> str:
    state: SandboxState = request.app.state.sandbox
    sender = sender.lstrip("+")
    now = request.app.state.container.clock.now()
    state.last_inbound[(phone_number_id, sender)] = now
    wamid = "wamid.SBXIN" + secrets.token_hex(10).upper()
    message: dict[str, Any] = {"from": sender, "id": wamid, "timestamp": str(int(now.timestamp()))}
    if media_id:
        message.update(type="image", image={"id": media_id, "mime_type": "image/png", "caption": text})
    else:
        message.update(type="text", text={"body": text})
    value = {"contacts": [{"profile": {"name": name or "Guest"}, "wa_id": sender}], "messages": [message]}
    status = await deliver_webhook(request, envelope(phone_number_id, value))
    if status != 200:
        raise RuntimeError(f"the product refused the sandbox's webhook (HTTP {status})")
    return wamid
