"""The fake Business Management API for templates: Meta's shapes, a review after a short delay by
simple rules, and the status webhook Meta sends."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sandbox.state import SandboxState

log = logging.getLogger("sandbox.whatsapp.templates")
NAME = re.compile(r"^[a-z0-9_]{1,512}$")
VARIABLE = re.compile(r"\{\{(\d+)\}\}")
PROMOTIONAL = re.compile(r"discount|offer|% off|promo|sale|réduction|offre", re.IGNORECASE)


def _error(message: str, subcode: int, user_msg: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": 100,
                "error_subcode": subcode,
                "error_user_title": "Template error",
                "error_user_msg": user_msg,
                "fbtrace_id": "SBX" + secrets.token_hex(6),
            }
        },
        status_code=400,
    )


def _body(template: dict[str, Any]) -> str:
    return next((c.get("text", "") for c in template.get("components", []) if str(c.get("type")).upper() == "BODY"), "")


def _check(body: dict[str, Any]) -> JSONResponse | None:
    if not NAME.match(str(body.get("name", ""))):
        return _error("Invalid parameter", 2388042, "Template names use lower-case letters, digits and underscores.")
    text = _body(body)
    if not text:
        return _error("Invalid parameter", 2388047, "The body component is required.")
    variables = VARIABLE.findall(text)
    body_component = next(c for c in body["components"] if str(c.get("type")).upper() == "BODY")
    examples = (body_component.get("example") or {}).get("body_text") or [[]]
    if variables and len(examples[0]) != len(variables):
        return _error("Invalid parameter", 2388043, "Every variable needs an example.")
    return None


def verdict(template: dict[str, Any]) -> tuple[str, str, dict[str, str] | None]:
    """Simple rules standing in for Meta's review."""
    text = _body(template)
    if re.search(r"\}\}\s*\{\{", text):
        return (
            "REJECTED",
            "INVALID_FORMAT",
            {
                "reason": "Your template has parameters placed next to each other.",
                "recommendation": "Separate parameters with text or punctuation.",
            },
        )
    if template.get("category") == "UTILITY" and PROMOTIONAL.search(text):
        return (
            "REJECTED",
            "INCORRECT_CATEGORY",
            {
                "reason": "This template's content is promotional.",
                "recommendation": "Submit it as a MARKETING template or remove the offer.",
            },
        )
    return "APPROVED", "NONE", None


async def _review(request: Request, state: SandboxState, waba_id: str, template_id: str) -> None:
    from sandbox.whatsapp import deliver_webhook  # one module signs and posts every callback

    try:
        await asyncio.sleep(state.review_delay)
        template = state.templates[template_id]
        status, reason, info = verdict(template)
        template["status"] = status
        value: dict[str, Any] = {
            "event": status,
            "message_template_id": int(template_id),
            "message_template_name": template["name"],
            "message_template_language": template["language"],
            "reason": reason,
            "message_template_category": template["category"],
        }
        if info:
            value["rejection_info"] = info
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": waba_id, "time": 0, "changes": [{"field": "message_template_status_update", "value": value}]}
            ],
        }
        await deliver_webhook(request, payload)
    except Exception:
        log.warning("sandbox template review failed", exc_info=True)


def templates_router(state: SandboxState) -> APIRouter:
    router = APIRouter(prefix="/whatsapp")

    @router.post("/{waba_id}/message_templates")
    async def create(waba_id: str, request: Request) -> JSONResponse:
        body = await request.json()
        state.record("whatsapp", request.url.path, body)
        problem = _check(body)
        if problem is not None:
            return problem
        if any(t["name"] == body["name"] and t["language"] == body.get("language") for t in state.templates.values()):
            return _error("Invalid parameter", 2388024, "A template with this name and language already exists.")
        template_id = str(10**15 + secrets.randbelow(10**15))
        state.templates[template_id] = {**body, "id": template_id, "status": "PENDING", "waba_id": waba_id}
        state.spawn(_review(request, state, waba_id, template_id))
        return JSONResponse({"id": template_id, "status": "PENDING", "category": body.get("category")})

    @router.post("/{template_id}")
    async def edit(template_id: str, request: Request) -> JSONResponse:
        body = await request.json()
        state.record("whatsapp", request.url.path, body)
        template = state.templates.get(template_id)
        if template is None:
            return _error("Unsupported post request", 33, "No such template.")
        template.update({k: v for k, v in body.items() if k in ("components", "category")}, status="PENDING")
        state.spawn(_review(request, state, template["waba_id"], template_id))
        return JSONResponse({"success": True})

    @router.delete("/{waba_id}/message_templates")
    async def delete(waba_id: str, request: Request) -> JSONResponse:
        name, hsm_id = request.query_params.get("name"), request.query_params.get("hsm_id")
        state.record("whatsapp", request.url.path, dict(request.query_params))
        doomed = [tid for tid, t in state.templates.items() if t["name"] == name and (hsm_id is None or tid == hsm_id)]
        for tid in doomed:
            del state.templates[tid]
        return JSONResponse({"success": True})

    return router


def template_send_error(state: SandboxState, body: dict[str, Any]) -> JSONResponse | None:
    """Meta's checks on a template send: it exists in that language, is approved, and the counts match."""
    wanted = body.get("template") or {}
    language = (wanted.get("language") or {}).get("code")
    found = next(
        (t for t in state.templates.values() if t["name"] == wanted.get("name") and t["language"] == language), None
    )
    if found is None or found["status"] != "APPROVED":
        return JSONResponse(
            {
                "error": {
                    "message": "(#132001) Template name does not exist in the translation",
                    "type": "OAuthException",
                    "code": 132001,
                    "fbtrace_id": "SBX",
                }
            },
            status_code=404,
        )
    expected = len(VARIABLE.findall(_body(found)))
    given = sum(len(c.get("parameters", [])) for c in wanted.get("components", []) if c.get("type") == "body")
    if expected != given:
        return JSONResponse(
            {
                "error": {
                    "message": "(#132000) Number of parameters does not match the expected number of params",
                    "type": "OAuthException",
                    "code": 132000,
                    "fbtrace_id": "SBX",
                }
            },
            status_code=400,
        )
    return None
