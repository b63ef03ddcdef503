"""PostgreSQL crashes under load and comes back: while it is down the API answers 503 problem+json quickly
(never a hang, never a 500), /readyz says not ready, and everything recovers without a restart of the API.

A private PostgreSQL is started for this test (the shared one is never stopped). Run by `make chaos`."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from api.app import create_app
from api.container import build_container
from api.migrate import upgrade_to_head
from domain.channels import Channel
from domain.clock import SystemClock
from tests.chaos.private_postgres import PrivatePostgres
from tests.factories import StaffClient, connect_channel, guest_writes, make_property, make_user
from tests.live_server import serve

pytestmark = pytest.mark.chaos
REQUEST_BUDGET_SECONDS = 8.0  # a request during the outage must be answered well within this


@dataclass
class Observed:
    statuses: Counter[int] = field(default_factory=Counter)
    slowest: float = 0.0
    bad: list[str] = field(default_factory=list)

    def record(self, response: httpx.Response, took: float) -> None:
        self.statuses[response.status_code] += 1
        self.slowest = max(self.slowest, took)
        if response.status_code >= 500:
            kind = response.headers.get("content-type", "")
            body = response.json() if kind.startswith("application/problem+json") else {}
            if (
                response.status_code != 503
                or body.get("code") != "service_unavailable"
                or "Traceback" in response.text
                or not response.headers.get("retry-after")
            ):
                self.bad.append(f"{response.status_code} {response.text[:300]}")


async def _staff_load(staff: StaffClient, conversation_id: str, seen: Observed, stop: asyncio.Event) -> None:
    """One SPA user: reads the inbox and the thread, and sends, without pause."""
    i = 0
    while not stop.is_set():
        i += 1
        for method, path, body in (
            ("GET", "/api/v1/conversations", None),
            ("GET", f"/api/v1/conversations/{conversation_id}/messages", None),
            ("POST", f"/api/v1/conversations/{conversation_id}/messages", {"channel": "sms", "body": f"load {i}"}),
        ):
            started = time.monotonic()
            response = await staff.request(method, path, json=body)
            seen.record(response, time.monotonic() - started)


async def _wait_until(probe, timeout: float, what: str) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not await probe():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)
    return time.monotonic() - started


async def test_postgres_crash_gives_fast_503_then_recovers_by_itself(settings, tmp_path):
    pg = PrivatePostgres(tmp_path / "pg").init()
    pg.start()
    try:
        await asyncio.to_thread(upgrade_to_head, pg.url)  # alembic runs its own event loop
        live_settings = settings.model_copy(update={"database_url": pg.url, "sandbox": False})
        live = build_container(live_settings, clock=SystemClock())
        await live.redis.flushdb()
        prop = await make_property(live)
        await make_user(live, prop, email="pg@hotel.test")
        await connect_channel(live, prop, Channel.SMS)
        conversation_id = str((await guest_writes(live, prop, "+33612345678", channel=Channel.SMS)).conversation.id)
        app = create_app(live_settings, container=live)
        try:
            async with serve(app) as url:
                timeout = httpx.Timeout(REQUEST_BUDGET_SECONDS * 2)
                clients = [StaffClient(base_url=url, timeout=timeout) for _ in range(4)]
                for staff in clients:
                    assert (await staff.login("pg@hotel.test", "correct horse")).status_code == 200
                probe = httpx.AsyncClient(base_url=url, timeout=timeout)

                before, during, after = Observed(), Observed(), Observed()

                async def run_phase(seen: Observed, seconds: float) -> None:
                    stop = asyncio.Event()
                    tasks = [asyncio.create_task(_staff_load(c, conversation_id, seen, stop)) for c in clients]
                    await asyncio.sleep(seconds)
                    stop.set()
                    await asyncio.gather(*tasks)

                await run_phase(before, 2)
                assert set(before.statuses) <= {200, 202}, before.statuses

                pg.crash()  # every pooled connection dies with the server
                await run_phase(during, 6)
                ready = await probe.get("/readyz")
                assert ready.status_code == 503
                assert ready.json()["status"] == "not_ready" and ready.json()["checks"]["redis"] == "ok"
                assert ready.json()["checks"]["database"].startswith("error")
                assert during.bad == [], during.bad[:3]
                assert during.statuses[503] > 0 and set(during.statuses) <= {503}, during.statuses
                assert during.slowest < REQUEST_BUDGET_SECONDS, during.slowest
                print(f"outage: {dict(during.statuses)} slowest {during.slowest:.2f}s")

                pg.start()

                async def ready_again() -> bool:
                    return (await probe.get("/readyz")).status_code == 200

                await _wait_until(ready_again, 30, "/readyz to report ready again")
                await run_phase(after, 2)
                assert after.bad == [] and set(after.statuses) <= {200, 202}, after.statuses
                assert sum(after.statuses.values()) > 10

                sent = await clients[0].get(f"/api/v1/conversations/{conversation_id}/messages")
                assert sent.status_code == 200  # what was accepted before and after the outage is all there
                await probe.aclose()
                for staff in clients:
                    await staff.aclose()
        finally:
            await live.aclose()
    finally:
        pg.remove()
