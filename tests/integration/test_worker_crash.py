"""A worker killed (SIGKILL) in the middle of a send: nothing is lost and the provider never gets it twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import select

from adapters.db.tables import messages
from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_property, make_user

ROOT = Path(__file__).resolve().parents[2]


class HangingProvider:
    """A fake Graph API on loopback that records every request and never answers the first one."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self.server: asyncio.base_events.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0
        )
        self.requests.append(head + await reader.readexactly(length))
        if len(self.requests) == 1:
            await asyncio.sleep(3600)  # the worker dies while waiting for this answer
        body = b'{"messages":[{"id":"wamid.SECOND"}]}'
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        await writer.drain()
        writer.close()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    def close(self) -> None:
        if self.server:
            self.server.close()


def _worker(settings, log: Path, **extra: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "GMC_ENCRYPTION_KEY": settings.encryption_key,
        "OUTBOX_POLL_SECONDS": "0.05",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "workers"], cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


async def _status(container, message_id: uuid.UUID) -> dict:
    async with container.sessions() as session:
        return dict((await session.execute(select(messages).where(messages.c.id == message_id))).mappings().one())


async def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def _staff_sends_hello_through(client, container, port: int) -> uuid.UUID:
    """A property whose WhatsApp goes to the provider on this port, and a reply its staff queued there."""
    prop = await make_property(container)
    await make_user(container, prop, email="k@hotel.test")
    await connect_channel(container, prop, Channel.WHATSAPP, settings={"api_base_url": f"http://127.0.0.1:{port}"})
    await client.login("k@hotel.test", "correct horse")
    cid = (await guest_writes(container, prop, "+33612345678")).conversation.id
    sent = await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "hello"})
    return uuid.UUID(sent.json()["id"])


async def test_sigkill_mid_send_then_restart_sends_nothing_twice(client, container, settings, tmp_path):
    provider = HangingProvider()
    message_id = await _staff_sends_hello_through(client, container, await provider.start())

    log = tmp_path / "workers.log"
    first = _worker(settings, log)
    second = None
    try:

        async def provider_called() -> bool:
            return len(provider.requests) == 1

        await _wait_for(provider_called, 30, "the first worker to call the provider")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert (await _status(container, message_id))["status"] == "sending"

        await asyncio.sleep(1.2)  # older than the stuck threshold below
        second = _worker(settings, log, STUCK_SENDING_SECONDS="1")

        async def settled() -> bool:
            return (await _status(container, message_id))["status"] != "sending"

        await _wait_for(settled, 40, "the restarted worker to settle the message")
        row = await _status(container, message_id)
        assert row["status"] == "failed" and row["error_code"] == "send_interrupted"
        assert "not sent again" in row["error_reason"]
        await asyncio.sleep(1.0)  # give any wrongly repeated send the time to show up
        assert len(provider.requests) == 1, "the provider must receive the message exactly once"
        assert b'"body":"hello"' in provider.requests[0]
    finally:
        for proc in (first, second):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        provider.close()


async def test_sigterm_mid_send_stops_the_worker_cleanly(client, container, settings, tmp_path):
    """A deployment stops workers with SIGTERM: one with a send in flight cancels it and shuts down whole
    (exit 0, nothing raised). The message stays `sending`, for the sweep to settle as outcome unknown, as
    after a kill. (The narrower case where arq's own close raised CancelledError, a job cancelled while its
    result was being filed, is pinned in tests/integration/test_arq_worker.py.)"""
    provider = HangingProvider()
    message_id = await _staff_sends_hello_through(client, container, await provider.start())
    log = tmp_path / "workers.log"
    worker = _worker(settings, log)
    try:

        async def provider_called() -> bool:
            return len(provider.requests) == 1

        await _wait_for(provider_called, 30, "the worker to call the provider")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0, log.read_text()[-3000:]
    finally:
        if worker.poll() is None:
            worker.kill()
        provider.close()
    assert "CancelledError" not in log.read_text()
    assert (await _status(container, message_id))["status"] == "sending"
