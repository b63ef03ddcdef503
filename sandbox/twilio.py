"""A fake Twilio Messages API (201 JSON, form bodies, basic auth)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sandbox.state import SandboxState


def twilio_router(state: SandboxState) -> APIRouter:
    router = APIRouter(prefix="/twilio")

    @router.post("/2010-04-01/Accounts/{account_sid}/Messages.json")
    async def send(account_sid: str, request: Request) -> JSONResponse:
        form = dict((await request.form()).items())
        state.record("twilio", request.url.path, form)
        if state.fail_next:
            status, answer, headers = state.fail_next.pop(0)
            return JSONResponse(answer, status_code=status, headers=headers)
        if not request.headers.get("authorization", "").startswith("Basic "):
            return JSONResponse(
                {
                    "code": 20003,
                    "message": "Authenticate",
                    "more_info": "https://www.twilio.com/docs/errors/20003",
                    "status": 401,
                },
                status_code=401,
            )
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

    return router
