"""The real product for browser tests: API + SPA + sandbox over HTTP, a real arq worker, demo data."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.container import Container, build_container
from api.demo_seed import DEMO_EMAIL, seed_demo
from domain.clock import SystemClock
from tests.live_server import free_port, serve
from workers.arq_worker import LeanPollWorker
from workers.main import worker_settings

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# flags that keep Chromium quiet on a machine with no outside network (see the env notes)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Product:
    url: str
    email: str
    password: str
    container: Container
    app: Any = None


@asynccontextmanager
async def running_product(settings, clock, *, demo: bool) -> AsyncIterator[Product]:
    """API + SPA + sandbox on a real port, and a real arq worker (with its outbox relay) beside it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    live_settings = settings.model_copy(
        update={
            "public_base_url": url,
            "port": port,
            "sandbox": True,
            "airbnb_client_id": "sandbox-client",
            "airbnb_client_secret": "sandbox-client-secret",
            "airbnb_api_base_url": f"{url}/sandbox/airbnb",
            "airbnb_authorize_url": f"{url}/sandbox/airbnb",
            "airbnb_webhook_secret": "airbnb-webhook-secret",
            "email_inbound_secret": "inbound-secret",
            "email_reply_domain": "replies.tilleuls-demo.example.com",
        }
    )
    live = build_container(live_settings, clock=clock)
    from sandbox.smtp import default_capture

    capture = default_capture().start()
    capture.clear()
    password = await seed_demo(live) if demo else ""  # after the SMTP capture: the demo connects e-mail to it
    worker = LeanPollWorker(
        **{
            **worker_settings(live_settings),
            "handle_signals": False,
            "poll_delay": 0.05,
            "ctx": {"settings": live_settings, "clock": clock},
        }
    )
    worker_task = asyncio.create_task(worker.main())
    app = create_app(live_settings, container=live)
    app.state.sandbox.callback_delays = (0.05, 0.05, 0.05)
    app.state.sandbox.review_delay = 0.1
    try:
        async with serve(app, port):
            yield Product(url, DEMO_EMAIL, password or "", live, app)
    finally:
        worker_task.cancel()
        await asyncio.gather(worker_task, return_exceptions=True)
        try:
            await worker.close()
        finally:
            await live.aclose()  # whatever the worker did: a leaked container outlives the test


@pytest.fixture
async def product(settings, container) -> AsyncIterator[Product]:  # `container` empties the tables first
    async with running_product(settings, SystemClock(), demo=True) as running:
        yield running


@pytest.fixture
async def sandbox_product(settings, container, clock) -> AsyncIterator[Product]:
    """An empty product on the test's controllable clock (the sandbox shares it for the 24-hour window)."""
    async with running_product(settings, clock, demo=False) as running:
        yield running


@pytest.fixture
async def browser() -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            await instance.close()
