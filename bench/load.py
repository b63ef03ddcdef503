"""Mixed load on the product: inbox reads, staff sends and inbound webhooks across many properties (bench/load.md).

    python -m bench.load                       # 50 properties, 60 s, 8 virtual users
    python -m bench.load --seconds 20 --properties 10 --users 4    # a quick look

1. PostgreSQL and Redis: BENCH_DATABASE_URL / BENCH_REDIS_URL (a dedicated database gmc_bench_load is created on
   that server), else embedded servers under .data/bench-load. Migrates, empties the product tables.
2. A fake WhatsApp Graph API in this process (keep-alive HTTP on loopback) that answers every send at once and
   records when each message (by its tracker, our message id) arrived.
3. The product as deployed: one `uvicorn api.asgi:app` and one `python -m workers` (environment only).
4. N properties, each with a WhatsApp connection (its own phone-number id, pointing at the fake Graph API) and an
   owner API key; 10 guests per property write in by signed webhook (warm-up, which also opens their window).
5. Closed loop for `--seconds`: each virtual user picks a property at random and one of
   inbox list (40 %), thread read (25 %), send a reply (15 %), signed inbound webhook (20 %).
   Latency per endpoint (p50/p99), errors (any non-2xx or transport error), the API's and the worker's peak RSS
   (VmHWM), the arq queue length (sampled every 0.5 s), and queue lag:
   - send lag: the 202 answer to the provider receiving the message;
   - webhook lag: the event stored to the event processed (webhook_events.received_at -> processed_at).
6. Drain, then checks: every accepted send reached the provider exactly once, every webhook made one message.
7. Writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import func, insert, select

from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.engine import make_engine
from adapters.db.tables import (
    api_keys,
    channel_connections,
    memberships,
    messages,
    outbox_events,
    properties,
    users,
    webhook_events,
)
from adapters.security.argon2_password_hasher import Argon2PasswordHasher
from adapters.whatsapp.signature import sign
from api.auth import new_api_key
from api.migrate import upgrade_to_head
from bench import wi_infra as infra
from bench.wi_infra import log, summary

DATA_DIR = infra.ROOT / ".data" / "bench-load"
DATABASE = "gmc_bench_load"
RESULTS = infra.ROOT / "bench" / "results" / "load.json"
GUESTS_PER_PROPERTY = 10
MIX = (("inbox_list", 40), ("thread_read", 25), ("send", 15), ("webhook", 20))
PASSWORD = "load-bench-password"  # noqa: S105 - a throwaway user of the benchmark's own database


# --------------------------------------------------------------------------------------------- fake provider


class FakeGraph:
    """Answers `POST /v21.0/{phone_number_id}/messages` at once (keep-alive), recording each tracker's arrival."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = defaultdict(list)
        self.server: asyncio.base_events.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                tracker = str(json.loads(body).get("biz_opaque_callback_data", ""))
                self.arrivals[tracker].append(time.time())
                answer = json.dumps({"messages": [{"id": f"wamid.LOAD{uuid.uuid4().hex}"}]}).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(answer), answer)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])


# --------------------------------------------------------------------------------------------- setup


async def setup_properties(stack: infra.Stack, count: int, provider_port: int) -> list[dict[str, Any]]:
    engine = make_engine(stack.database_url, pool_size=1)
    box = FernetSecretBox(stack.encryption_key)
    now = datetime.now(UTC)
    password_hash = Argon2PasswordHasher().hash(PASSWORD)  # one hash for every user: argon2 is slow on purpose
    hotels = []
    try:
        async with engine.begin() as conn:
            for i in range(count):
                prop_id, number = uuid.uuid4(), f"1065{i:08d}"
                key, prefix, digest = new_api_key()
                await conn.execute(
                    insert(properties).values(
                        id=prop_id,
                        name=f"Hotel {i}",
                        timezone="Europe/Paris",
                        locale="en",
                        country="FR",
                        currency="EUR",
                    )
                )
                await conn.execute(
                    insert(channel_connections).values(
                        id=uuid.uuid4(),
                        property_id=prop_id,
                        channel="whatsapp",
                        status="connected",
                        external_id=number,
                        settings={
                            "phone_number_id": number,
                            "waba_id": f"WABA-LOAD-{i}",
                            "api_base_url": f"http://127.0.0.1:{provider_port}/v21.0",
                        },
                        secrets=box.seal({"access_token": f"EAAG-load-{i}"}),
                        updated_at=now,
                    )
                )
                await conn.execute(
                    insert(api_keys).values(
                        id=uuid.uuid4(),
                        property_id=prop_id,
                        name="load",
                        prefix=prefix,
                        key_hash=digest,
                        role="owner",
                        created_at=now,
                    )
                )
                # sends need a staff user (an API key may read but not write to guests)
                user_id, email = uuid.uuid4(), f"staff{i}@load.bench"
                await conn.execute(
                    insert(users).values(id=user_id, email=email, name=f"Staff {i}", password_hash=password_hash)
                )
                await conn.execute(insert(memberships).values(user_id=user_id, property_id=prop_id, role="owner"))
                hotels.append({"id": prop_id, "number": number, "key": key, "email": email, "conversations": []})
    finally:
        await engine.dispose()
    return hotels


def inbound_webhook(secret: str, number: str, wa_id: str, wamid: str, body: str) -> tuple[bytes, dict[str, str]]:
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA-LOAD",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550783881", "phone_number_id": number},
                            "contacts": [{"profile": {"name": f"Guest {wa_id[-4:]}"}, "wa_id": wa_id}],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": wamid,
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": body},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    raw = json.dumps(payload).encode()
    return raw, {"content-type": "application/json", "x-hub-signature-256": sign(secret, raw)}


# --------------------------------------------------------------------------------------------- load


class Recorder:
    def __init__(self) -> None:
        self.latency_ms: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.error_samples: list[str] = []
        self.sends: dict[str, float] = {}  # message id -> when the 202 came back
        self.webhooks = 0

    def record(self, name: str, started: float, response: httpx.Response | None, detail: str = "") -> bool:
        self.latency_ms[name].append((time.perf_counter() - started) * 1000)
        if response is None or response.status_code >= 300:
            self.errors[name] += 1
            if len(self.error_samples) < 20:
                status = response.status_code if response is not None else "transport"
                text = response.text[:200] if response is not None else detail
                self.error_samples.append(f"{name}: {status} {text}")
            return False
        return True


async def _call(client: httpx.AsyncClient, rec: Recorder, name: str, method: str, url: str, **kw: Any) -> Any:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kw)
    except httpx.HTTPError as exc:
        rec.record(name, started, None, repr(exc))
        return None
    return response if rec.record(name, started, response) else None


async def virtual_user(
    client: httpx.AsyncClient, hotels: list[dict[str, Any]], secret: str, rec: Recorder, stop_at: float, seed: int
) -> None:
    rng = random.Random(seed)
    names, weights = zip(*MIX, strict=True)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        hotel = rng.choice(hotels)
        auth = {"Authorization": f"Bearer {hotel['key']}"}
        op = rng.choices(names, weights)[0]
        if op == "inbox_list":
            await _call(client, rec, op, "GET", "/api/v1/conversations", params={"limit": 25}, headers=auth)
        elif op == "thread_read":
            cid = rng.choice(hotel["conversations"])
            await _call(client, rec, op, "GET", f"/api/v1/conversations/{cid}/messages", headers=auth)
        elif op == "send":
            cid = rng.choice(hotel["conversations"])
            body = {"channel": "whatsapp", "body": f"Reply {seed}-{n}: your room is ready."}
            response = await _call(
                client, rec, op, "POST", f"/api/v1/conversations/{cid}/messages", json=body, headers=hotel["staff"]
            )
            if response is not None:
                rec.sends[response.json()["id"]] = time.time()
        else:
            guest = rng.randrange(GUESTS_PER_PROPERTY)
            raw, headers = inbound_webhook(
                secret, hotel["number"], f"3361{hotel['number'][-4:]}{guest:04d}", f"wamid.L{seed}x{n}", "Any news?"
            )
            if await _call(client, rec, op, "POST", "/webhooks/whatsapp", content=raw, headers=headers):
                rec.webhooks += 1


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def sample_queue(redis_url: str, samples: list[int], stop: asyncio.Event) -> None:
    client = Redis.from_url(redis_url)
    try:
        while not stop.is_set():
            samples.append(int(await client.zcard("arq:queue")))
            await asyncio.sleep(0.5)
    finally:
        await client.aclose()


async def drain(database_url: str, limit_seconds: float) -> float:
    engine = make_engine(database_url, pool_size=1)
    started = time.monotonic()
    try:
        while time.monotonic() - started < limit_seconds:
            async with engine.connect() as conn:
                waiting = await conn.scalar(
                    select(func.count())
                    .select_from(messages)
                    .where(messages.c.direction == "outbound", messages.c.status.in_(("queued", "sending")))
                )
                pending = await conn.scalar(
                    select(func.count()).select_from(outbox_events).where(outbox_events.c.relayed_at.is_(None))
                )
                unprocessed = await conn.scalar(
                    select(func.count()).select_from(webhook_events).where(webhook_events.c.processed_at.is_(None))
                )
            if not (waiting or pending or unprocessed):
                return time.monotonic() - started
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()
    raise RuntimeError(f"not drained after {limit_seconds:.0f} s")


async def webhook_lag_ms(database_url: str, since: datetime) -> dict[str, float]:
    engine = make_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(
                    func.extract("epoch", webhook_events.c.processed_at - webhook_events.c.received_at) * 1000
                ).where(webhook_events.c.received_at >= since)
            )
            return summary([float(r[0]) for r in rows], 1)
    finally:
        await engine.dispose()


async def inbound_count(database_url: str) -> int:
    engine = make_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            made = await conn.scalar(
                select(func.count()).select_from(messages).where(messages.c.direction == "inbound")
            )
            return int(made or 0)
    finally:
        await engine.dispose()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    stack = infra.start_stack(DATA_DIR, DATABASE)
    api = worker = None
    try:
        await asyncio.to_thread(upgrade_to_head, stack.database_url)
        await infra.truncate_product_tables(stack.database_url)
        await infra.clear_arq_keys(stack.redis_url)
        graph = FakeGraph()
        provider_port = await graph.start()
        hotels = await setup_properties(stack, args.properties, provider_port)
        port = infra.free_port()
        env = infra.product_env(stack, f"http://127.0.0.1:{port}", sandbox=False)
        api = infra.spawn_uvicorn("api", "api.asgi:app", env, DATA_DIR / "logs", port)
        worker = infra.spawn_worker(0, env, DATA_DIR / "logs")
        await asyncio.to_thread(api.wait_ready)
        log(f"product up: API pid {api.pid}, worker pid {worker.pid}; {len(hotels)} properties")

        limits = httpx.Limits(max_connections=args.users * 2, max_keepalive_connections=args.users * 2)
        async with httpx.AsyncClient(base_url=api.url or "", timeout=30, limits=limits) as client:
            warm = Recorder()
            for hotel in hotels:  # warm-up: each property's guests write in, which opens their 24-hour window
                for g in range(GUESTS_PER_PROPERTY):
                    raw, headers = inbound_webhook(
                        stack.meta_app_secret,
                        hotel["number"],
                        f"3361{hotel['number'][-4:]}{g:04d}",
                        f"wamid.W{hotel['number']}{g}",
                        "Hello!",
                    )
                    await _call(client, warm, "warmup", "POST", "/webhooks/whatsapp", content=raw, headers=headers)
            if warm.errors:
                raise RuntimeError(f"warm-up failed: {warm.error_samples}")
            await drain(stack.database_url, 300)
            async with httpx.AsyncClient(base_url=api.url or "", timeout=30) as login:
                for hotel in hotels:  # one staff session per property, sent as the SPA sends it
                    signed_in = await login.post(
                        "/api/v1/auth/login", json={"email": hotel["email"], "password": PASSWORD}
                    )
                    signed_in.raise_for_status()
                    session, csrf = signed_in.cookies["gm_session"], signed_in.cookies["gm_csrf"]
                    hotel["staff"] = {"Cookie": f"gm_session={session}; gm_csrf={csrf}", "X-CSRF-Token": csrf}
                    login.cookies.clear()
            for hotel in hotels:
                page = await client.get(
                    "/api/v1/conversations",
                    params={"limit": 50},
                    headers={"Authorization": f"Bearer {hotel['key']}"},
                )
                hotel["conversations"] = [c["id"] for c in page.json()["items"]]
                assert len(hotel["conversations"]) == GUESTS_PER_PROPERTY, page.text[:300]
            inbound_before = await inbound_count(stack.database_url)
            log(f"warm-up done; {args.seconds} s of mixed load with {args.users} virtual users")

            rec, queue_samples, stop = Recorder(), [], asyncio.Event()
            since = datetime.now(UTC)
            # other work on this machine skews every figure: measure it (cores busy outside the benchmark)
            foreign = infra.Foreign(stack.server_pids())
            foreign.start()
            sampler = asyncio.create_task(sample_queue(stack.redis_url, queue_samples, stop))
            started = time.monotonic()
            await asyncio.gather(
                *(
                    virtual_user(client, hotels, stack.meta_app_secret, rec, started + args.seconds, seed)
                    for seed in range(args.users)
                )
            )
            elapsed = time.monotonic() - started
            foreign_cores = foreign.stop()
            load_average = os.getloadavg()[0]
            drained_in = await drain(stack.database_url, 300)
            stop.set()
            await sampler

        api_rss, worker_rss = peak_rss_mb(api.pid), peak_rss_mb(worker.pid)
        provider_counts = Counter({t: len(a) for t, a in graph.arrivals.items() if t in rec.sends})
        send_lag = [(graph.arrivals[m][0] - at) * 1000 for m, at in rec.sends.items() if graph.arrivals.get(m)]
        inbound_made = await inbound_count(stack.database_url) - inbound_before
        requests = sum(len(v) for v in rec.latency_ms.values())
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": infra.machine(),
            "servers": stack.describe(),
            "config": {"properties": args.properties, "seconds": args.seconds, "users": args.users, "mix": dict(MIX)},
            "elapsed_s": round(elapsed, 1),
            "foreign_cpu_cores": foreign_cores,
            "load_average_1min": round(load_average, 2),
            "throughput_rps": round(requests / elapsed, 1),
            "requests": requests,
            "endpoints": {
                name: {**summary(samples, 1), "rps": round(len(samples) / elapsed, 1)}
                for name, samples in sorted(rec.latency_ms.items())
            },
            "errors": dict(rec.errors),
            "error_samples": rec.error_samples,
            "peak_rss_mb": {"api": api_rss, "worker": worker_rss},
            "queue": {
                "arq_queue_len_max": max(queue_samples, default=0),
                "arq_queue_len_mean": round(sum(queue_samples) / max(1, len(queue_samples)), 1),
                "send_lag_ms": summary(send_lag, 1),
                "webhook_lag_ms": await webhook_lag_ms(stack.database_url, since),
                "drained_after_load_s": round(drained_in, 1),
            },
            "checks": {
                "sends_accepted": len(rec.sends),
                "sends_at_provider_once": sum(1 for c in provider_counts.values() if c == 1),
                "sends_at_provider_twice_or_more": sum(1 for c in provider_counts.values() if c > 1),
                "sends_never_at_provider": len(rec.sends) - len(provider_counts),
                "webhooks_acknowledged": rec.webhooks,
                "inbound_messages_made": inbound_made,
            },
        }
        return result
    finally:
        for proc in (api, worker):
            if proc is not None:
                proc.stop()
        stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--properties", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=8, help="concurrent virtual users (closed loop)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2) + "\n")
    print(
        json.dumps(
            {
                k: result[k]
                for k in (
                    "foreign_cpu_cores",
                    "load_average_1min",
                    "throughput_rps",
                    "endpoints",
                    "errors",
                    "peak_rss_mb",
                    "queue",
                    "checks",
                )
            },
            indent=2,
        )
    )
    checks = result["checks"]
    ok = (
        not result["errors"]
        and checks["sends_at_provider_once"] == checks["sends_accepted"]
        and checks["inbound_messages_made"] == checks["webhooks_acknowledged"]
    )
    log("all checks hold" if ok else "CHECKS FAILED")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
