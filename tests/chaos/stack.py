"""Pieces of the real stack for chaos tests: worker processes, a sandbox served on a real port, slow providers."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def process_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "GMC_ENCRYPTION_KEY": settings.encryption_key or "",
        "PUBLIC_BASE_URL": settings.base_url,
        "SANDBOX": "false",
        "DEMO_SEED": "false",
        "META_APP_SECRET": settings.meta_app_secret or "",
        "OUTBOX_POLL_SECONDS": "0.05",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    return env


def start_worker(settings: Settings, log: Path, **extra: str) -> subprocess.Popen[bytes]:
    """`python -m workers`, exactly as deployed."""
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "workers"],
            cwd=ROOT,
            env=process_env(settings, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(*procs: subprocess.Popen[bytes] | None) -> None:
    for proc in procs:
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


async def wait_for(
    predicate: Callable[[], Awaitable[bool]],
    timeout: float,
    what: str,
    describe: Callable[[], Awaitable[object]] | None = None,
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            seen = f"; last seen: {await describe()}" if describe else ""
            raise AssertionError(f"timed out waiting for {what}{seen}")
        await asyncio.sleep(0.1)


class SlowAnswers:
    """ASGI wrapper: the provider records the request at once but answers only after `delay` seconds,
    so a worker killed meanwhile dies between the provider's receipt and its own record of it."""

    def __init__(self, app: Any, path_pattern: str, delay: float) -> None:
        self.app, self.pattern, self.delay = app, re.compile(path_pattern), delay
        self.sandbox = app.state.sandbox  # what the fake providers recorded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.pattern.search(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def delayed(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                await asyncio.sleep(self.delay)
            await send(message)

        await self.app(scope, receive, delayed)


def start_api(settings: Settings, port: int, log: Path, **extra: str) -> subprocess.Popen[bytes]:
    """`uvicorn api.asgi:app`, exactly as deployed (one process of several behind a load balancer)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.asgi:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=process_env(settings, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def wait_until_up(url: str, timeout: float = 60) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=2) as client:

        async def up() -> bool:
            try:
                return (await client.get("/readyz")).status_code == 200
            except httpx.HTTPError:
                return False

        await wait_for(up, timeout, f"{url} to answer /readyz")
