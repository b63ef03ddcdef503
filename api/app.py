"""The FastAPI application: routers, error mapping, lifespan-owned resources."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.routing import Mount

from api.container import Container, build_container
from api.errors import install_error_handlers
from api.lean_routes import LeanRoutes
from api.observability import Metrics, RequestContextMiddleware
from api.routers import (
    airbnb,
    attention,
    auth,
    bookings,
    channels,
    consents,
    conversations,
    email,
    events,
    guests_privacy,
    health,
    insights,
    labels,
    media,
    outgoing_webhooks,
    saved_replies,
    scheduling,
    sharing,
    sms,
    spending,
    staff,
    template_sends,
    templates,
    webhooks_twilio,
    webhooks_whatsapp,
)
from api.settings import Settings
from api.spa import mount_spa

DESCRIPTION = """
One inbox for a small hotel's guest messages over WhatsApp, SMS (the hotel's Twilio account),
Airbnb and e-mail, tied to guests and bookings.

**Authentication.** The web app signs in with `POST /api/v1/auth/login`, which sets an HttpOnly
session cookie and a `gm_csrf` cookie; every unsafe request with the session cookie must echo
the latter in `X-CSRF-Token`. Integrators use an API key (created by an owner) as
`Authorization: Bearer gmc_…`. Everything is scoped to one property: objects of another property
answer 404, exactly like missing ones.

**Errors** are RFC 9457 `application/problem+json` with a stable `code` to branch on
(`validation_error`, `not_found`, `whatsapp_window_closed`, …).

**Pagination** is by opaque cursor: pass `next_cursor` back as `cursor`.
"""

TAGS = [
    {"name": "auth", "description": "Sign-in, session and current property"},
    {"name": "bookings", "description": "Bookings pushed by the PMS, with their guests"},
    {"name": "guests", "description": "Guest profiles, deduplicated by phone and e-mail"},
    {"name": "conversations", "description": "The inbox: conversations, messages, notes, assignment"},
    {"name": "realtime", "description": "Server-Sent Events for live inbox updates"},
    {"name": "api keys", "description": "Keys for integrators (owner only)"},
    {"name": "staff", "description": "The property's users"},
    {"name": "channels", "description": "Connections to WhatsApp, Twilio SMS, Airbnb and e-mail"},
    {"name": "whatsapp", "description": "Templates, and the property's number as a link and QR code"},
    {"name": "insights", "description": "Messages and costs"},
    {"name": "sms", "description": "SMS helpers (segments and encoding)"},
    {"name": "scheduled messages", "description": "Rules tied to the stay, and their planned sends"},
    {"name": "saved replies", "description": "Texts staff insert from the composer by a shortcut"},
    {"name": "labels", "description": "Labels on conversations, and the property's label catalogue"},
    {"name": "needs attention", "description": "Failed or stuck sends and waiting guests, with their remedies"},
    {"name": "operations", "description": "Health, readiness and metrics"},
    {"name": "webhooks", "description": "Callbacks from the providers (signed; not for integrators)"},
    {"name": "outgoing webhooks", "description": "Signed event deliveries to integrators' URLs, with a log"},
]


def create_app(settings: Settings, *, container: Container | None = None) -> FastAPI:
    """`container` lets tests hand in one built around a test clock; otherwise the lifespan builds it."""
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = container is None
        app.state.container = container or build_container(settings)
        capture = _start_sandbox_smtp() if settings.sandbox else None
        try:
            yield
        finally:
            if capture is not None:
                capture.stop()
            if owned:
                await app.state.container.aclose()

    app = FastAPI(
        title="Guest Messaging Centre API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    if container is not None:
        app.state.container = container  # usable without a lifespan run (in-process test transports)
    app.state.settings = settings
    app.add_middleware(LeanRoutes, api=app)  # inside the next one: ids, metrics and logs cover its routes too
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    install_error_handlers(app)
    # Routes are matched in order and FastAPI tries each in turn (~12 µs apiece): the providers' webhooks,
    # the busiest and most latency-sensitive, come first, after the fake providers where a deployment serves
    # them: mounted under one prefix, they cost every other request one test (~5 µs), where included last
    # they paid ~0.3 ms of matching per request, a fifth of the fake Twilio's CPU in bench.scheduler.
    sandbox_routers(app, settings)
    for module in (
        webhooks_whatsapp,
        webhooks_twilio,
        health,
        airbnb,
        auth,
        bookings,
        channels,
        conversations,
        events,
        insights,
        media,
        scheduling,
        sharing,
        sms,
        staff,
        template_sends,
        templates,
    ):
        app.include_router(module.router)
    app.include_router(auth.keys_router)
    app.include_router(saved_replies.router)
    app.include_router(labels.router)
    app.include_router(attention.router)
    for issue_9 in (consents, guests_privacy, outgoing_webhooks, spending):  # consent, privacy, integrators' webhooks
        app.include_router(issue_9.router)
    outgoing_webhooks.document_webhooks(app)
    app.include_router(staff.invitations_router)
    app.include_router(email.router)
    app.include_router(email.webhook_router)
    extra_routers(app, settings)
    mount_spa(app, settings.frontend_dist)
    return app


def _start_sandbox_smtp() -> Any:
    from sandbox.smtp import default_capture  # the sandbox is imported only by deployments that serve it

    return default_capture().start()


def sandbox_routers(app: FastAPI, settings: Settings) -> None:
    """The fake providers, served by sandbox deployments only."""
    if settings.sandbox:
        from sandbox.app import sandbox_router  # the sandbox is imported only by deployments that serve it

        router = sandbox_router(settings, prefix="")
        app.state.sandbox = router.state  # type: ignore[attr-defined]
        app.router.routes.insert(0, Mount("/sandbox", app=router))


def extra_routers(app: FastAPI, settings: Settings) -> None:
    """Routers that only some deployments serve (the demo actions)."""
    if settings.sandbox:
        from sandbox.app import demo_actions_router

        app.include_router(demo_actions_router())
