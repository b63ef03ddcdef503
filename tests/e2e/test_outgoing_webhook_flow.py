"""A signed outgoing webhook, retried after the receiver failed twice, verified on a real listening socket."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI, Request, Response

from domain.outgoing_webhooks import verify
from tests.e2e.test_whatsapp_flow import _eventually
from tests.factories import StaffClient, make_property, make_user
from tests.live_server import serve

pytestmark = pytest.mark.e2e
ACCOUNT = "AC" + "8" * 32


def _receiver(clock, secret_box: dict[str, str], seen: list[dict[str, object]]) -> FastAPI:
    """An integrator's endpoint: refuses the first two deliveries, then accepts; checks every signature."""
    app = FastAPI()

    @app.post("/hooks/gmc")
    async def hook(request: Request) -> Response:
        body = await request.body()
        valid = verify(secret_box["secret"], request.headers["x-gmc-signature"], body, now=int(clock.now().timestamp()))
        seen.append({"valid": valid, "event_id": request.headers["x-gmc-event-id"], "body": body})
        if not valid:
            return Response(status_code=401)
        return Response(status_code=500 if len(seen) <= 2 else 204)

    return app


async def test_a_signed_delivery_is_retried_with_backoff_until_the_receiver_accepts(sandbox_product):
    container = sandbox_product.container
    clock = container.clock
    prop = await make_property(container)
    await make_user(container, prop, email="owner@hotel.test")
    secret_box: dict[str, str] = {}
    seen: list[dict[str, object]] = []
    async with (
        serve(_receiver(clock, secret_box, seen)) as receiver_url,
        StaffClient(base_url=sandbox_product.url) as staff,
    ):
        await staff.login("owner@hotel.test", "correct horse")
        await staff.put(
            "/api/v1/channels/sms",
            json={
                "account_sid": ACCOUNT,
                "auth_token": "sandbox-token-hooks",
                "from_number": "+33757000031",
                "api_base_url": f"{sandbox_product.url}/sandbox/twilio",
            },
        )
        created = await staff.post(
            "/api/v1/webhook-subscriptions",
            json={"url": f"{receiver_url}/hooks/gmc", "event_types": ["message.received"]},
        )
        assert created.status_code == 201, created.text
        subscription = created.json()
        secret_box["secret"] = subscription["secret"]

        await staff.post(
            "/sandbox/twilio/inject",
            json={"account_sid": ACCOUNT, "from": "+33612345678", "to": "+33757000031", "body": "Late arrival"},
        )
        log_url = f"/api/v1/webhook-subscriptions/{subscription['id']}/deliveries"

        async def attempts(count):
            async def check():
                log = (await staff.get(log_url)).json()
                return log if log and len(log[0]["attempt_log"]) >= count else None

            return await _eventually(check, timeout=15)

        log = await attempts(1)
        assert log[0]["state"] == "pending" and log[0]["last_status_code"] == 500
        await asyncio.sleep(1.5)
        assert len(seen) == 1  # the next try waits its backoff: not before 30 s have passed
        clock.advance(seconds=31)
        log = await attempts(2)
        assert log[0]["state"] == "pending"
        clock.advance(seconds=61)  # the second retry waits twice as long
        log = await attempts(3)

    [delivery] = log
    assert delivery["state"] == "succeeded" and delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 204]
    assert all(a["latency_ms"] >= 0 for a in delivery["attempt_log"])
    assert [s["valid"] for s in seen] == [True, True, True]
    assert len({s["event_id"] for s in seen}) == 1 and seen[0]["event_id"] == delivery["event_id"]
    assert b'"body":"Late arrival"' in seen[-1]["body"] and b'"type":"message.received"' in seen[-1]["body"]
