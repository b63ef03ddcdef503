"""Two API processes (uvicorn) and two arq workers on one PostgreSQL and one Redis behave as one system:
realtime events reach SSE clients of both API processes whichever process made them, scheduled sends go out
once, and the outbox relays of both workers share the work without handing anything twice (the sandbox
provider records every request; each is counted). Run by `make chaos`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
from collections import Counter
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from adapters.db.tables import messages, planned_sends
from api.app import create_app
from api.container import build_container
from domain.channels import Channel
from domain.clock import SystemClock
from tests.chaos.stack import start_api, start_worker, stop, wait_for, wait_until_up
from tests.factories import StaffClient, connect_channel, guest_writes, make_property, make_user
from tests.live_server import free_port, serve

pytestmark = pytest.mark.chaos
STAFF_SENDS = 100
PLANNED = 40
RULE = {
    "name": "Pre-arrival",
    "trigger": "before_check_in",
    "offset_days": 2,
    "send_time": "10:00",
    "channel_order": ["sms"],
    "content": {"default": {"sms_text": "Welcome {{ guest.first_name }}!"}},
}


class SseClient:
    """Reads one SSE stream in the background and keeps every event."""

    def __init__(self, staff: StaffClient) -> None:
        self.staff, self.events = staff, []  # type: ignore[var-annotated]
        self.connected = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def _read(self) -> None:
        async with self.staff.stream("GET", "/api/v1/events", timeout=httpx.Timeout(5, read=None)) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                if line.startswith(": connected"):
                    self.connected.set()
                elif line.startswith("data: "):
                    self.events.append(json.loads(line.removeprefix("data: ")))

    async def start(self) -> None:
        self.task = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected.wait(), 10)
        await asyncio.sleep(0.3)  # the Redis subscription is taken right after the first bytes

    def seen(self, kind: str, message_id: str) -> bool:
        return any(e["type"] == kind and e.get("message_id") == message_id for e in self.events)

    async def close(self) -> None:
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await self.task


def _phone(i: int) -> str:
    return f"+336220{i:04d}1"  # never ending in 0007 (the sandbox's undeliverable numbers)


def _provider_sends(sandbox: Any) -> Counter[tuple[str, str]]:
    return Counter(
        (r["body"]["To"], r["body"]["Body"])
        for r in sandbox.requests
        if r["provider"] == "twilio" and r["path"].endswith("Messages.json")
    )


async def test_two_apis_and_two_workers_act_as_one_system(settings, container, tmp_path):
    sandbox_port, api_ports = free_port(), [free_port(), free_port()]
    api_urls = [f"http://127.0.0.1:{p}" for p in api_ports]
    # both API processes sit behind one public address (the first, here): callbacks come back to it
    shared = settings.model_copy(update={"public_base_url": api_urls[0]})
    sandbox_settings = settings.model_copy(
        update={"public_base_url": f"http://127.0.0.1:{sandbox_port}", "sandbox": True}
    )
    live = build_container(sandbox_settings, clock=SystemClock())
    prop = await make_property(live)
    await make_user(live, prop, email="scale@hotel.test")
    await connect_channel(
        live,
        prop,
        Channel.SMS,
        settings={"api_base_url": f"http://127.0.0.1:{sandbox_port}/sandbox/twilio"},
        secrets_={"auth_token": "scale-token"},
    )
    provider_app = create_app(sandbox_settings, container=live)  # only its /sandbox providers are used
    provider_app.state.sandbox.callback_delays = (0.1, 0.1, 0.1)
    procs: list[subprocess.Popen[bytes]] = []
    staff: list[StaffClient] = []
    streams: list[SseClient] = []
    try:
        async with serve(provider_app, sandbox_port):
            for port in api_ports:
                procs.append(start_api(shared, port, tmp_path / f"api-{port}.log"))
            for i in range(2):
                procs.append(start_worker(shared, tmp_path / f"worker-{i}.log"))
            for url in api_urls:
                await wait_until_up(url)
                client = StaffClient(base_url=url, timeout=30)
                assert (await client.login("scale@hotel.test", "correct horse")).status_code == 200
                staff.append(client)
                # each API process has its own SSE client, on its own session
                listener = StaffClient(base_url=url, timeout=30)
                await listener.login("scale@hotel.test", "correct horse")
                streams.append(SseClient(listener))
            for stream in streams:
                await stream.start()

            # realtime: a send made through one process is heard on both, and so are the workers' updates
            cid = str((await guest_writes(live, prop, _phone(9999), channel=Channel.SMS)).conversation.id)
            made = []
            for client in staff:
                sent = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "rt"})
                assert sent.status_code == 202, sent.text
                made.append(sent.json()["id"])

            async def everyone_heard_everything() -> bool:
                return all(s.seen("message.created", m) and s.seen("message.status", m) for s in streams for m in made)

            await wait_for(everyone_heard_everything, 30, "both SSE clients to hear both sends and their statuses")

            # the outbox relays of both workers at once: many sends, accepted by both API processes
            conversations = [
                str((await guest_writes(live, prop, _phone(i), channel=Channel.SMS)).conversation.id) for i in range(10)
            ]

            async def send(i: int) -> str:
                client = staff[i % 2]
                body = {"channel": "sms", "body": f"bulk {i}"}
                response = await client.post(f"/api/v1/conversations/{conversations[i % 10]}/messages", json=body)
                assert response.status_code == 202, response.text
                return str(response.json()["id"])

            bulk = [await send(i) for i in range(STAFF_SENDS)]

            # scheduled sends, planned through both API processes, dispatched by whichever worker
            assert (await staff[0].post("/api/v1/scheduled-messages", json=RULE)).status_code == 201
            tomorrow = (live.clock.now().astimezone(ZoneInfo("Europe/Paris")) + timedelta(days=1)).date()
            for i in range(PLANNED):
                booking = {
                    "guest": {"first_name": f"P{i}", "phone": _phone(100 + i), "language": "en"},
                    "check_in": tomorrow.isoformat(),
                    "check_out": (tomorrow + timedelta(days=2)).isoformat(),
                }
                response = await staff[i % 2].put(f"/api/v1/bookings/S{i}", json=booking)
                assert response.status_code in (200, 201), response.text

            async def all_out() -> bool:
                async with live.sessions() as session:
                    waiting = await session.scalar(
                        select(func.count())
                        .select_from(messages)
                        .where(messages.c.direction == "outbound", messages.c.status.in_(("queued", "sending")))
                    )
                    planned = await session.scalar(
                        select(func.count()).select_from(planned_sends).where(planned_sends.c.state == "planned")
                    )
                return waiting == 0 and planned == 0

            await wait_for(all_out, 120, "every send and planned send to go out")
            await asyncio.sleep(1.5)  # time for a wrongly repeated send to show

            sends = _provider_sends(provider_app.state.sandbox)
            expected = Counter(
                [(_phone(9999), "rt")] * 2
                + [(_phone(i % 10), f"bulk {i}") for i in range(STAFF_SENDS)]
                + [(_phone(100 + i), f"Welcome P{i}!") for i in range(PLANNED)]
            )
            assert sends == expected  # each exactly once: nothing lost, nothing twice
            async with live.sessions() as session:
                states = Counter(
                    (await session.scalars(select(messages.c.status).where(messages.c.id.in_(bulk)))).all()
                )
                plan = Counter((await session.scalars(select(planned_sends.c.state))).all())
            assert set(states) <= {"sent", "delivered"} and sum(states.values()) == STAFF_SENDS, states
            assert plan == {"sent": PLANNED}, plan
            for i, proc in enumerate(procs):
                assert proc.poll() is None, f"process {i} died: {proc.args}"
    finally:
        for stream in streams:
            await stream.close()
            await stream.staff.aclose()
        for client in staff:
            await client.aclose()
        stop(*procs)
        await live.aclose()
