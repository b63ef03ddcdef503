"""The real product for browser tests: API + SPA + sandbox over HTTP, a real arq worker, demo data."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from arq.worker import Worker

from api.app import create_app
from api.container import Container, build_container
from api.demo_seed import DEMO_EMAIL, seed_demo
from domain.clock import SystemClock
from tests.live_server import free_port, serve
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


@pytest.fixture
async def product(settings, container) -> AsyncIterator[Product]:  # `container` empties the tables first
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    live_settings = settings.model_copy(update={"public_base_url": url, "port": port, "sandbox": True})
    live = build_container(live_settings, clock=SystemClock())
    password = await seed_demo(live)
    assert password
    worker = Worker(**{**worker_settings(live_settings), "handle_signals": False, "poll_delay": 0.05})
    worker_task = asyncio.create_task(worker.main())
    try:
        async with serve(create_app(live_settings, container=live), port):
            yield Product(url, DEMO_EMAIL, password, live)
    finally:
        worker_task.cancel()
        await asyncio.gather(worker_task, return_exceptions=True)
        await worker.close()
        await live.aclose()


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
