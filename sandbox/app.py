"""Local stand-ins for the providers, speaking their wire formats. Demo and tests only.

This first cut accepts sends the way the WhatsApp Cloud API and Twilio do and records every
request, so tests can count exactly what reached "the provider". Signed status callbacks and
inbound injection come with the channel issues.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.settings import Settings


class SandboxLedger:
    """Every request the fake providers received, in order."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_next: list[tuple[int, dict[str, Any], dict[str, str]]] = []

    def record(self, provider: str, path: str, body: Any) -> None:
        self.requests.append({"provider": provider, "path": path, "body": body, "at": time.time()})


LEDGER = SandboxLedger()


def _wamid() -> str:
    return "wamid.SBX" + secrets.token_hex(12).upper()


def sandbox_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/sandbox", include_in_schema=False)

    def _injected() -> JSONResponse | None:
        if LEDGER.fail_next:
            status, body, headers = LEDGER.fail_next.pop(0)
            return JSONResponse(body, status_code=status, headers=headers)
        return None

    @router.post("/whatsapp/{phone_number_id}/messages")
    async def whatsapp_send(phone_number_id: str, request: Request) -> JSONResponse:
        body = await request.json()
        LEDGER.record("whatsapp", request.url.path, body)
        injected = _injected()
        if injected is not None:
            return injected
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return JSONResponse(
                {
                    "error": {
                        "message": "Invalid OAuth access token.",
                        "type": "OAuthException",
                        "code": 190,
                        "fbtrace_id": "SBX",
                    }
                },
                status_code=401,
            )
        to = str(body.get("to", ""))
        return JSONResponse(
            {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [{"id": _wamid()}]}
        )

    @router.post("/twilio/2010-04-01/Accounts/{account_sid}/Messages.json")
    async def twilio_send(account_sid: str, request: Request) -> JSONResponse:
        form = dict((await request.form()).items())
        LEDGER.record("twilio", request.url.path, form)
        injected = _injected()
        if injected is not None:
            return injected
        sid = "SM" + secrets.token_hex(16)
        return JSONResponse(
            {
                "sid": sid,
                "account_sid": account_sid,
                "to": form.get("To"),
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

    @router.get("/requests")
    async def requests_seen() -> list[dict[str, Any]]:
        return LEDGER.requests

    return router
