"""Local stand-ins for the providers, speaking their wire formats. Demo and tests only; production
code never imports this package (import-linter checks it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.settings import Settings
from sandbox.airbnb import airbnb_router
from sandbox.demo import demo_router
from sandbox.smtp import default_capture, smtp_router
from sandbox.state import SandboxState
from sandbox.twilio import twilio_router
from sandbox.whatsapp import whatsapp_router
from sandbox.whatsapp_templates import templates_router


def sandbox_router(settings: Settings, state: SandboxState | None = None, prefix: str = "/sandbox") -> APIRouter:
    state = state or SandboxState()
    router = APIRouter(prefix=prefix, include_in_schema=False)
    router.include_router(whatsapp_router(state))  # first: its POST /inject must win over POST /{template_id}
    router.include_router(templates_router(state))
    router.include_router(twilio_router(state))
    router.include_router(airbnb_router(state))
    router.include_router(smtp_router(default_capture()))

    @router.get("/requests")
    async def requests_seen() -> list[dict[str, Any]]:
        return state.requests

    router.state = state  # type: ignore[attr-defined]  # tests reach the fake providers' memory here
    return router


def demo_actions_router() -> APIRouter:
    return demo_router()
