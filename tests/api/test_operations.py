"""Errors as problem+json, the OpenAPI document, health, readiness and metrics."""

from __future__ import annotations

import logging

import httpx

from domain.channels import Channel
from tests.factories import connect_channel, guest_writes, make_property, make_user


async def test_unknown_routes_and_methods_are_problem_json(client):
    missing = await client.get("/api/v1/nope")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found"
    wrong = await client.delete("/api/v1/conversations")
    assert wrong.status_code == 405 and wrong.json()["code"] == "method_not_allowed"


async def test_unauthenticated_requests_get_401_with_a_code(client):
    response = await client.get("/api/v1/conversations")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


async def test_an_unexpected_error_is_500_with_request_id_and_no_trace(app, caplog):
    async def boom():
        raise RuntimeError("database password is hunter2")

    app.add_api_route("/api/v1/test-boom", boom)
    app.router.routes.insert(0, app.router.routes.pop())  # before the SPA catch-all
    # Starlette re-raises after answering (for servers to log); the transport must not turn that into a test error
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    with caplog.at_level(logging.ERROR):
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
            response = await raw.get("/api/v1/test-boom", headers={"X-Request-ID": "req-12345678"})
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "internal_error" and body["request_id"] == "req-12345678"
    assert "hunter2" not in response.text and "Traceback" not in response.text
    logged = [
        r for r in caplog.records if getattr(r, "request_id", None) == "req-12345678" or "unhandled" in r.getMessage()
    ]
    assert logged, "the failure is logged with its request id"


async def test_openapi_is_complete_for_integrators(client):
    spec = (await client.get("/openapi.json")).json()
    assert {t["name"] for t in spec["tags"]} >= {"auth", "bookings", "guests", "conversations", "realtime"}
    schemes = spec["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"apiKey", "http"}
    assert "Problem" in spec["components"]["schemas"]
    put = spec["paths"]["/api/v1/bookings/{external_ref}"]["put"]
    assert (
        put["summary"] and "examples" in str(put) or "example" in str(spec["components"]["schemas"]["BookingUpsertIn"])
    )
    assert "application/problem+json" in put["responses"]["422"]["content"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op.get("summary"), f"{method.upper()} {path} has no summary"
    assert (await client.get("/docs")).status_code == 200


async def test_health_and_readiness(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_readiness_reports_a_missing_database(client, container):
    await container.engine.dispose()
    from adapters.db.engine import make_engine

    container.engine = make_engine("postgresql://postgres@127.0.0.1:1/nothing")
    ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["database"].startswith("error")


async def test_metrics_expose_latency_queue_depth_and_sends(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="m@hotel.test")
    await connect_channel(container, prop, Channel.SMS)
    await client.login("m@hotel.test", "correct horse")
    cid = (await guest_writes(container, prop, "+33612345678")).conversation.id
    await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": "hi"})
    text = (await client.get("/metrics")).text
    assert "http_request_duration_seconds_bucket" in text
    assert "outbox_pending 1.0" in text
    assert 'messages_by_channel_status{channel="sms",status="queued"} 1.0' in text


async def test_the_spa_is_served_with_client_side_routes(client):
    index = await client.get("/")
    assert index.status_code == 200 and '<div id="root"' in index.text
    deep = await client.get("/conversations/123")
    assert deep.status_code == 200 and deep.text == index.text
