"""Live inbox events: Server-Sent Events fed by Redis pub/sub, so every API process hears every event."""

from __future__ import annotations

import asyncio
import json

import httpx

from api.app import create_app
from api.container import build_container
from domain.channels import Channel
from tests.factories import StaffClient, connect_channel, guest_writes, make_property, make_user
from tests.live_server import serve


async def _next_event(lines, wanted: str, timeout: float = 5.0) -> dict:
    async def read():
        event = None
        async for line in lines:
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: ") and event == wanted:
                return json.loads(line[len("data: ") :])

    return await asyncio.wait_for(read(), timeout)


async def test_events_from_one_api_process_reach_sse_clients_of_another(settings, container):
    prop = await make_property(container)
    other = await make_property(container, "Other")
    await make_user(container, prop, email="a@hotel.test")
    await make_user(container, other, email="o@hotel.test")
    await connect_channel(container, prop, Channel.SMS)
    cid = (await guest_writes(container, prop, "+33612345678", "hi")).conversation.id

    second = build_container(settings, clock=container.clock)  # a second API process: its own pools
    try:
        async with (
            serve(create_app(settings, container=container)) as url_one,
            serve(create_app(settings, container=second)) as url_two,
            StaffClient(base_url=url_one) as writer,
            StaffClient(base_url=url_two) as listener,
            StaffClient(base_url=url_two) as outsider,
        ):
            await writer.login("a@hotel.test", "correct horse")
            await listener.login("a@hotel.test", "correct horse")
            await outsider.login("o@hotel.test", "correct horse")
            async with (
                listener.stream("GET", "/api/v1/events", timeout=10) as stream,
                outsider.stream("GET", "/api/v1/events", timeout=10) as foreign,
            ):
                assert stream.headers["content-type"].startswith("text/event-stream")
                lines = stream.aiter_lines()
                assert (await anext(lines)).startswith("retry:")
                sent = await writer.post(
                    f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "hello"}
                )
                event = await _next_event(lines, "message.created")
                assert event == {
                    "type": "message.created",
                    "conversation_id": str(cid),
                    "message_id": sent.json()["id"],
                }
                await writer.post(f"/api/v1/conversations/{cid}/close")
                assert (await _next_event(lines, "conversation.updated"))["conversation_id"] == str(cid)
                # another property's stream stays silent
                other_lines = foreign.aiter_lines()
                await anext(other_lines)
                try:
                    leaked = await _next_event(other_lines, "message.created", timeout=0.5)
                except TimeoutError:
                    leaked = None
                assert leaked is None
    finally:
        await second.aclose()


async def test_events_need_a_session(settings, container):
    async with serve(create_app(settings, container=container)) as url, httpx.AsyncClient(base_url=url) as anonymous:
        response = await anonymous.get("/api/v1/events")
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
