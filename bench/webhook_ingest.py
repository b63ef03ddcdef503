"""Benchmark of inbound WhatsApp webhooks, end to end over real HTTP (see bench/webhook_ingest.md).

    python -m bench.webhook_ingest                 # defaults below; about 5 minutes on 2 cores
    python -m bench.webhook_ingest --workers 2 --events 20000

1. PostgreSQL and Redis: BENCH_DATABASE_URL / BENCH_REDIS_URL (a dedicated database gmc_bench_wi is created on
   that server), else embedded servers under .data/bench-wi. Migrates, empties the product tables.
2. One property with a WhatsApp connection (external id = its phone-number id) and an API key, inserted directly.
3. Bare endpoint (bench/wi_bare.py: verify the signature, INSERT the raw body; the product's engine factory,
   same pool) served by uvicorn alone: warm-up, then the N signed events from the load generator process.
4. The product: `uvicorn api.asgi:app` and `python -m workers` subprocesses configured by environment like a
   deployment (DATABASE_URL, REDIS_URL, GMC_ENCRYPTION_KEY, META_APP_SECRET, PUBLIC_BASE_URL, SANDBOX=false,
   DEMO_SEED=false, LOG_LEVEL=WARNING).
   a. API alone (workers stopped): warm-up, then an "ack only" pass (diagnostic: the endpoint's own cost).
   b. workers started: the time they take to drain that backlog (diagnostic: processing alone).
   c. main pass: the same N events as the bare endpoint, posted with workers running; acknowledgement latency
      per request, and "fully processed" = the message counted by GET /api/v1/conversations/unread (polled
      every 0.25 s with the API key); processed msgs/s = N / (first POST -> last message visible).
   d. paced pass (diagnostic): an open-loop arrival rate at 80 % of the processed throughput of (c).
   e. replay of every event (same bodies), then a re-encoded replay of a sample (same messages, different
      bytes: the webhook store cannot deduplicate them, the worker must).
   f. checks in the database and through the API: no loss, no duplicate, webhook_events count.
5. Writes bench/results/webhook_ingest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import insert, text

from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.engine import make_engine
from adapters.db.tables import api_keys, channel_connections, properties
from adapters.whatsapp.signature import sign
from api.auth import new_api_key
from api.migrate import upgrade_to_head
from bench import wi_infra as infra
from bench.wi_bare import CREATE_TABLE, TABLE
from bench.wi_infra import CpuMeter, Proc, log, summary

DATA_DIR = infra.ROOT / ".data" / "bench-wi"
DATABASE = "gmc_bench_wi"
RESULTS = infra.ROOT / "bench" / "results" / "webhook_ingest.json"
PHONE_NUMBER_ID = "106540352242922"
WABA_ID = "WABA-BENCH"
AIM_RATIO = 0.5
AIM_P99_MS = 50.0
TEXTS = [
    "Hello, could we check in early tomorrow?",
    "Is breakfast included in our rate?",
    "We will arrive around 23:00, is that ok?",
    "Do you have parking for a small van?",
    "Thank you, see you soon!",
    "Can you book us a table for dinner at 20:00?",
    "The code for the door does not work",
    "Could we get an extra pillow please?",
]


# --------------------------------------------------------------------------------------------- events


def payload(wa_id: str, name: str, wamid: str, body: str, timestamp: int) -> dict[str, Any]:
    """Meta's shape for one inbound text (as tests/whatsapp_payloads.py builds it)."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WABA_ID,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
                            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": wamid,
                                    "timestamp": str(timestamp),
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


class EventSet:
    """Signed events of one phase, each a unique message from one of `guests` guests (round robin)."""

    def __init__(self, name: str, path: Path, items: list[tuple[str, bytes]], secret: str, guests: int) -> None:
        self.name, self.path, self.guests = name, path, guests
        self.wamids = [w for w, _ in items]
        self.bodies = [b for _, b in items]
        path.write_text("\n".join(json.dumps({"body": b.decode(), "signature": sign(secret, b)}) for b in self.bodies))

    def __len__(self) -> int:
        return len(self.bodies)

    @classmethod
    def make(
        cls, name: str, folder: Path, run_id: str, count: int, guests: int, phone_base: int, secret: str
    ) -> EventSet:
        now = int(time.time())
        items = []
        for i in range(count):
            g = i % guests
            wa_id = str(phone_base + g)
            wamid = f"wamid.{run_id}.{name}.{i:06d}"
            body = json.dumps(payload(wa_id, f"Guest {name}{g}", wamid, f"{TEXTS[i % len(TEXTS)]} (#{i})", now))
            items.append((wamid, body.encode()))
        return cls(name, folder / f"events-{name}.jsonl", items, secret, min(guests, count))

    @classmethod
    def combined(cls, name: str, folder: Path, sets: list[EventSet], secret: str) -> EventSet:
        items = [(w, b) for s in sets for w, b in zip(s.wamids, s.bodies, strict=True)]
        return cls(name, folder / f"events-{name}.jsonl", items, secret, sum(s.guests for s in sets))

    @classmethod
    def reencoded(cls, name: str, folder: Path, source: EventSet, count: int, secret: str) -> EventSet:
        """The same messages with different bytes (compact JSON): a new dedupe key for the webhook store."""
        picked = random.Random(7).sample(range(len(source)), min(count, len(source)))
        items = [
            (source.wamids[i], json.dumps(json.loads(source.bodies[i]), separators=(",", ":")).encode()) for i in picked
        ]
        return cls(name, folder / f"events-{name}.jsonl", items, secret, 0)


# --------------------------------------------------------------------------------------------- setup


async def setup_property(stack: infra.Stack) -> tuple[uuid.UUID, str]:
    engine = make_engine(stack.database_url, pool_size=1)
    box = FernetSecretBox(stack.encryption_key)
    prop_id, now = uuid.uuid4(), datetime.now(UTC)
    key, prefix, digest = new_api_key()
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(properties).values(
                    id=prop_id, name="Hotel Bench", timezone="Europe/Paris", locale="en", country="FR", currency="EUR"
                )
            )
            # as tests/factories.connect_channel does: the phone-number id is the connection's external id
            await conn.execute(
                insert(channel_connections).values(
                    id=uuid.uuid4(),
                    property_id=prop_id,
                    channel="whatsapp",
                    status="connected",
                    external_id=PHONE_NUMBER_ID,
                    settings={
                        "phone_number_id": PHONE_NUMBER_ID,
                        "waba_id": WABA_ID,
                        "api_base_url": "http://127.0.0.1:9/unused",
                    },
                    secrets=box.seal({"access_token": "EAAG-bench-token"}),
                    updated_at=now,
                )
            )
            await conn.execute(
                insert(api_keys).values(
                    id=uuid.uuid4(),
                    property_id=prop_id,
                    name="bench",
                    prefix=prefix,
                    key_hash=digest,
                    role="owner",
                    created_at=now,
                )
            )
            await conn.execute(text(CREATE_TABLE))
            await conn.execute(text(f"TRUNCATE {TABLE}"))
    finally:
        await engine.dispose()
    return prop_id, key


# --------------------------------------------------------------------------------------------- load


def start_load(url: str, events: EventSet, concurrency: int, work: Path, rate: float | None = None) -> tuple[Any, Path]:
    out = work / f"load-{events.name}-{int(time.time() * 1000)}.json"
    spec = {
        "url": url + "/webhooks/whatsapp",
        "bodies": str(events.path),
        "concurrency": concurrency,
        "deadline_s": 300,
        "out": str(out),
        "rate": rate,
    }
    spec_path = out.with_suffix(".spec.json")
    spec_path.write_text(json.dumps(spec))
    process = subprocess.Popen([sys.executable, "-m", "bench.wi_load", str(spec_path)], cwd=infra.ROOT)
    return process, out


def finish_load(started: tuple[Any, Path], timeout: float = 330) -> dict[str, Any]:
    process, out = started
    process.wait(timeout=timeout)
    if process.returncode != 0:
        raise RuntimeError(f"the load generator failed ({process.returncode})")
    return json.loads(out.read_text())


def per_event(cpu: dict[str, Any], events: int) -> dict[str, Any]:
    """CPU milliseconds per event for each process group: the figure least moved by a busy machine."""
    cpu["ms_per_event"] = {name: round(sec * 1000 / max(events, 1), 2) for name, sec in cpu["cpu_s"].items()}
    return cpu


def ack_figures(result: dict[str, Any]) -> dict[str, Any]:
    span = max(result["last_answer_at"] - result["first_sent_at"], 1e-6)
    return {
        "mode": result["mode"],
        "requests": result["requests"],
        "sent": result["sent"],
        "statuses": result["statuses"],
        "errors": result["errors"],
        "ack_per_s": round(result["sent"] / span, 1),
        "seconds": round(span, 2),
        "latency_ms": summary(result["latencies_ms"]),
        "loadgen_cpu_s": result["loadgen_cpu_s"],
        "loadgen_cpu_ms_per_request": round(result["loadgen_cpu_s"] * 1000 / max(result["sent"], 1), 2),
    }


def run_load(url: str, events: EventSet, concurrency: int, work: Path, rate: float | None = None) -> dict[str, Any]:
    return finish_load(start_load(url, events, concurrency, work, rate))


# --------------------------------------------------------------------------------------------- observing


class ApiCounter:
    """Messages visible through the API: GET /api/v1/conversations/unread counts every inbound message
    (the API key's viewer has read nothing), from the same row the inbox shows."""

    def __init__(self, base_url: str, key: str) -> None:
        self.client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=10)

    def messages(self) -> int:
        response = self.client.get("/api/v1/conversations/unread")
        response.raise_for_status()
        return int(response.json()["messages"])

    def conversations(self) -> int:
        count, cursor = 0, None
        while True:
            params: dict[str, Any] = {"limit": 200}
            if cursor:
                params["cursor"] = cursor
            page = self.client.get("/api/v1/conversations", params=params)
            page.raise_for_status()
            data = page.json()
            count += len(data["items"])
            cursor = data.get("next_cursor")
            if not cursor:
                return count

    def webhook_metrics(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for line in self.client.get("/metrics").text.splitlines():
            if line.startswith("webhooks_received_total{"):
                labels, value = line.rsplit(" ", 1)
                found[labels[len("webhooks_received_total") :]] = float(value)
        return found

    def close(self) -> None:
        self.client.close()


def wait_visible(
    counter: ApiCounter, target: int, timeout: float, timeline: list[tuple[float, int]] | None = None
) -> float | None:
    """Wall-clock time at which the API first showed `target` messages (None: timed out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = counter.messages()
        now = time.time()
        if timeline is not None:
            timeline.append((round(now, 3), seen))
        if seen >= target:
            return now
        time.sleep(0.25)
    return None


async def _db(database_url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(infra.asyncpg_dsn(database_url))
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()


def db(database_url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    return asyncio.run(_db(database_url, query, *args))


def wait_settled(database_url: str, timeout: float) -> bool:
    """Every stored event processed and every outbox row relayed, for two polls in a row."""
    deadline, calm = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        row = db(
            database_url,
            "SELECT (SELECT count(*) FROM webhook_events WHERE processed_at IS NULL) AS pending,"
            " (SELECT count(*) FROM outbox_events WHERE relayed_at IS NULL) AS unrelayed",
        )[0]
        calm = calm + 1 if row["pending"] == 0 and row["unrelayed"] == 0 else 0
        if calm >= 2:
            return True
        time.sleep(0.5)
    return False


def lag_between(database_url: str, first_id: int, last_id: int) -> dict[str, Any]:
    """Per event: stored (webhook_events.received_at) -> processed (processed_at), seconds."""
    rows = db(
        database_url,
        "SELECT extract(epoch FROM processed_at - received_at)::float8 AS lag, extract(epoch FROM received_at)::float8"
        " AS received, extract(epoch FROM processed_at)::float8 AS processed FROM webhook_events"
        " WHERE id > $1 AND id <= $2 AND processed_at IS NOT NULL",
        first_id,
        last_id,
    )
    return {
        "store_to_processed_s": summary([r["lag"] for r in rows], 3),
        "first_stored_at": min((r["received"] for r in rows), default=None),
        "last_processed_at": max((r["processed"] for r in rows), default=None),
    }


def max_event_id(database_url: str) -> int:
    return int(db(database_url, "SELECT coalesce(max(id), 0) AS m FROM webhook_events")[0]["m"])


# --------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000, help="events of the main pass (bare and product)")
    parser.add_argument("--guests", type=int, default=2_000, help="distinct guests writing in the main pass")
    parser.add_argument("--concurrency", type=int, default=32, help="connections of the closed-loop load generator")
    parser.add_argument("--workers", type=int, default=1, help="`python -m workers` processes")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--ack-only", type=int, default=5_000, help="events posted before the workers start (0: none)")
    parser.add_argument("--paced-seconds", type=float, default=20.0, help="length of the open-loop pass (0: none)")
    parser.add_argument("--reencoded", type=int, default=1_000, help="events replayed with different bytes")
    parser.add_argument("--process-timeout", type=float, default=420.0)
    parser.add_argument(
        "--variants",
        default="",
        help="WHAT-IF runs only: comma-separated bench/wi_variants.py patches applied to the API (not the product)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    began = time.monotonic()
    work = DATA_DIR / "run"
    work.mkdir(parents=True, exist_ok=True)
    logs = DATA_DIR / "logs"
    run_id = uuid.uuid4().hex[:8]

    stack = infra.start_stack(DATA_DIR, DATABASE)
    procs: list[Proc] = []
    results: dict[str, Any] = {
        "benchmark": "webhook_ingest",
        "command": "python -m bench.webhook_ingest " + " ".join(sys.argv[1:]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": infra.machine(),
        "versions": {
            p: version(p) for p in ("fastapi", "starlette", "uvicorn", "sqlalchemy", "asyncpg", "arq", "httpx")
        },
        "servers": stack.describe(),
        "parameters": vars(args) | {"out": str(args.out)},
        "phases": {},
    }
    phases: dict[str, Any] = results["phases"]
    noise = infra.Foreign(stack.server_pids())
    try:
        log(f"servers: {stack.describe()}")
        upgrade_to_head(stack.database_url)
        asyncio.run(infra.truncate_product_tables(stack.database_url, extra=(TABLE,)))
        asyncio.run(infra.clear_arq_keys(stack.redis_url))
        results["postgres_settings"] = asyncio.run(infra.pg_settings(stack.database_url))
        prop_id, api_key = asyncio.run(setup_property(stack))
        secret = stack.meta_app_secret

        warm_bare = EventSet.make("warmbare", work, run_id, args.warmup, 50, 33690000000, secret)
        warm = EventSet.make("warm", work, run_id, args.warmup, 50, 33620000000, secret)
        ack_only = EventSet.make("ackonly", work, run_id, args.ack_only, 1_000, 33630000000, secret)
        main_set = EventSet.make("main", work, run_id, args.events, args.guests, 33610000000, secret)

        meter = CpuMeter({"postgres+redis": stack.server_pids()})

        # ---------------------------------------------------------------- bare endpoint
        port = infra.free_port()
        env = infra.product_env(stack, f"http://127.0.0.1:{port}", sandbox=False)
        bare = infra.spawn_uvicorn("bare", "bench.wi_bare:app", env, logs, port)
        procs.append(bare)
        bare.wait_ready("/readyz")
        meter.groups["server"] = [bare.pid]
        run_load(bare.url or "", warm_bare, args.concurrency, work)
        quiet = noise.wait_quiet(0.25, 3, 45)
        noise.start()
        cpu0 = meter.snapshot()
        bare_result = ack_figures(run_load(bare.url or "", main_set, args.concurrency, work))
        bare_result["cpu"] = per_event(CpuMeter.between(cpu0, meter.snapshot()), len(main_set))
        bare_result["foreign_cores"] = noise.stop()
        bare_result["quiet_before"] = {"quiet": quiet[0], "waited_s": quiet[1]}
        stored = db(stack.database_url, f"SELECT count(*) AS n FROM {TABLE}")[0]["n"]  # noqa: S608 - constant
        bare_result["rows"] = stored
        bare_result["rows_expected"] = len(warm_bare) + len(main_set)
        phases["bare"] = bare_result
        log(
            f"bare: {bare_result['ack_per_s']}/s acknowledged (= stored), p50 {bare_result['latency_ms']['p50']} ms,"
            f" p99 {bare_result['latency_ms']['p99']} ms; rows {stored}"
        )
        bare.stop()

        # ---------------------------------------------------------------- the product: API alone
        port = infra.free_port()
        env = infra.product_env(stack, f"http://127.0.0.1:{port}", sandbox=False)
        if args.variants:
            api_env = env | {"BENCH_VARIANTS": args.variants}
            api = infra.spawn_uvicorn("api", "bench.wi_variants:app", api_env, logs, port)
            results["what_if_variants"] = args.variants.split(",")
        else:
            api = infra.spawn_uvicorn("api", "api.asgi:app", env, logs, port)
        procs.append(api)
        api.wait_ready("/readyz")
        base = api.url or ""
        counter = ApiCounter(base, api_key)
        meter.groups["server"] = [api.pid]
        run_load(base, warm, args.concurrency, work)
        total = len(warm)
        if len(ack_only):
            noise.start()
            cpu0 = meter.snapshot()
            ack = ack_figures(run_load(base, ack_only, args.concurrency, work))
            ack["cpu"] = per_event(CpuMeter.between(cpu0, meter.snapshot()), len(ack_only))
            ack["foreign_cores"] = noise.stop()
            phases["ack_only_no_workers"] = ack
            total += len(ack_only)
            log(f"product, API alone: {ack['ack_per_s']}/s acknowledged, p99 {ack['latency_ms']['p99']} ms")

        # ---------------------------------------------------------------- workers drain the backlog
        meter.groups["workers"] = []
        drain_start_wall = time.time()
        cpu0 = meter.snapshot()
        for i in range(args.workers):
            worker = infra.spawn_worker(i, env, logs)
            procs.append(worker)
            meter.groups["workers"].append(worker.pid)
        cpu0 = (cpu0[0], {**cpu0[1], "workers": 0})
        reached = wait_visible(counter, total, args.process_timeout)
        if reached is None:
            raise RuntimeError(f"the workers did not process the {total} waiting events in {args.process_timeout} s")
        phases["drain_backlog"] = {
            "events": total,
            "seconds_from_worker_start": round(reached - drain_start_wall, 2),
            "processed_per_s": round(total / (reached - drain_start_wall), 1),
            "note": "includes worker start-up (imports, connections) of about a second",
            "cpu": per_event(CpuMeter.between(cpu0, meter.snapshot()), total),
        }
        log(f"workers drained {total} waiting events at {phases['drain_backlog']['processed_per_s']}/s")
        wait_settled(stack.database_url, 30)

        # ---------------------------------------------------------------- main pass
        quiet = noise.wait_quiet(0.25, 3, 45)
        first_id = max_event_id(stack.database_url)
        timeline: list[tuple[float, int]] = []
        noise.start()
        cpu0 = meter.snapshot()
        started = start_load(base, main_set, args.concurrency, work)
        target = total + len(main_set)
        visible_at = wait_visible(counter, target, args.process_timeout, timeline)
        load = finish_load(started)
        cpu = per_event(CpuMeter.between(cpu0, meter.snapshot()), len(main_set))
        foreign = noise.stop()
        main_result = ack_figures(load)
        main_result["cpu"] = cpu
        main_result["foreign_cores"] = foreign
        main_result["quiet_before"] = {"quiet": quiet[0], "waited_s": quiet[1]}
        last_id = max_event_id(stack.database_url)
        lag = lag_between(stack.database_url, first_id, last_id)
        if visible_at is None:
            main_result["processed"] = {"timed_out_after_s": args.process_timeout, "visible": timeline[-1][1] - total}
        else:
            span = visible_at - load["first_sent_at"]
            main_result["processed"] = {
                "events": len(main_set),
                "first_post_to_last_visible_s": round(span, 2),
                "processed_per_s": round(len(main_set) / span, 1),
                "last_processed_in_db_after_first_post_s": round(lag["last_processed_at"] - load["first_sent_at"], 2),
                "store_to_processed_s": lag["store_to_processed_s"],
                "visible_timeline": [(round(t - load["first_sent_at"], 2), n - total) for t, n in timeline[::4]],
            }
        phases["main"] = main_result
        total = target
        log(
            f"product main: {main_result['ack_per_s']}/s acknowledged, p50 {main_result['latency_ms']['p50']} ms,"
            f" p99 {main_result['latency_ms']['p99']} ms; processed {main_result['processed']}"
            if visible_at is None
            else f"product main: {main_result['ack_per_s']}/s acknowledged, p50 {main_result['latency_ms']['p50']} ms,"
            f" p99 {main_result['latency_ms']['p99']} ms; {main_result['processed']['processed_per_s']} processed/s"
        )
        if visible_at is None:
            raise RuntimeError("main pass not fully processed in time")
        wait_settled(stack.database_url, 60)

        # ---------------------------------------------------------------- paced (open loop) pass
        sets = [warm, ack_only, main_set]
        if args.paced_seconds > 0:
            rate = max(5.0, round(0.8 * main_result["processed"]["processed_per_s"]))
            paced = EventSet.make("paced", work, run_id, int(rate * args.paced_seconds), 500, 33640000000, secret)
            first_id = max_event_id(stack.database_url)
            noise.start()
            cpu0 = meter.snapshot()
            started = start_load(base, paced, 64, work, rate=rate)
            target = total + len(paced)
            visible_at = wait_visible(counter, target, args.process_timeout)
            load = finish_load(started)
            paced_result = ack_figures(load)
            paced_result["cpu"] = per_event(CpuMeter.between(cpu0, meter.snapshot()), len(paced))
            paced_result["foreign_cores"] = noise.stop()
            paced_result["offered_per_s"] = rate
            paced_result["processed"] = lag_between(stack.database_url, first_id, max_event_id(stack.database_url))
            paced_result["processed"]["last_visible_after_last_post_s"] = (
                round(visible_at - load["last_answer_at"], 2) if visible_at else None
            )
            phases["paced"] = paced_result
            sets.append(paced)
            total = target
            lag_p99 = paced_result["processed"]["store_to_processed_s"].get("p99")
            log(
                f"paced at {rate}/s: p50 {paced_result['latency_ms']['p50']} ms,"
                f" p99 {paced_result['latency_ms']['p99']} ms; store->processed p99 {lag_p99} s"
            )
            wait_settled(stack.database_url, 60)

        # ---------------------------------------------------------------- replay everything
        stored_before = int(db(stack.database_url, "SELECT count(*) AS n FROM webhook_events")[0]["n"])
        everything = EventSet.combined("replay", work, sets, secret)
        replay = ack_figures(run_load(base, everything, args.concurrency, work))
        settled = wait_settled(stack.database_url, 60)
        stored_after_replay = int(db(stack.database_url, "SELECT count(*) AS n FROM webhook_events")[0]["n"])
        messages_after_replay = counter.messages()
        replay |= {
            "webhook_events_before": stored_before,
            "webhook_events_after": stored_after_replay,
            "messages_visible_after": messages_after_replay,
            "settled": settled,
        }
        phases["replay_exact"] = replay
        log(f"exact replay of {len(everything)}: webhook_events {stored_before} -> {stored_after_replay}")

        reencoded_result: dict[str, Any] = {}
        if args.reencoded:
            again = EventSet.reencoded("reencoded", work, main_set, args.reencoded, secret)
            reencoded_result = ack_figures(run_load(base, again, args.concurrency, work))
            reencoded_result["settled"] = wait_settled(stack.database_url, 120)
            reencoded_result["webhook_events_after"] = int(
                db(stack.database_url, "SELECT count(*) AS n FROM webhook_events")[0]["n"]
            )
            reencoded_result["messages_visible_after"] = counter.messages()
            phases["replay_reencoded"] = reencoded_result

        # ---------------------------------------------------------------- checks
        expected = {w for s in sets for w in s.wamids}
        found = [
            r["provider_message_id"]
            for r in db(
                stack.database_url,
                "SELECT provider_message_id FROM messages WHERE channel = 'whatsapp' AND direction = 'inbound'",
            )
        ]
        events = db(
            stack.database_url,
            "SELECT count(*) AS n, count(*) FILTER (WHERE processed_at IS NULL) AS unprocessed,"
            " count(*) FILTER (WHERE error IS NOT NULL) AS failed FROM webhook_events",
        )[0]
        guests_expected = sum(s.guests for s in sets)
        checks = {
            "events_posted_unique": len(expected),
            "messages": len(found),
            "distinct_provider_message_ids": len(set(found)),
            "duplicates": len(found) - len(set(found)),
            "missing": len(expected - set(found)),
            "unexpected": len(set(found) - expected),
            "webhook_events": int(events["n"]),
            "webhook_events_expected": len(expected) + (args.reencoded if args.reencoded else 0),
            "webhook_events_after_exact_replay": stored_after_replay,
            "webhook_events_after_exact_replay_expected": len(expected),
            "webhook_events_unprocessed": int(events["unprocessed"]),
            "webhook_events_with_error": int(events["failed"]),
            "api_messages_visible": counter.messages(),
            "api_conversations": counter.conversations(),
            "api_conversations_expected": guests_expected,
            "webhook_metrics": counter.webhook_metrics(),
        }
        checks["no_loss_no_duplicates"] = (
            checks["duplicates"] == 0
            and checks["missing"] == 0
            and checks["unexpected"] == 0
            and checks["webhook_events_after_exact_replay"] == len(expected)
            and checks["webhook_events"] == checks["webhook_events_expected"]
            and checks["webhook_events_unprocessed"] == 0
            and checks["api_messages_visible"] == len(expected)
            and checks["api_conversations"] == guests_expected
        )
        results["checks"] = checks
        counter.close()

        processed_rate = main_result["processed"]["processed_per_s"]
        ratio = processed_rate / bare_result["ack_per_s"]
        results["aims"] = {
            "processed_vs_bare": {
                "ours_processed_per_s": processed_rate,
                "bare_stored_per_s": bare_result["ack_per_s"],
                "ratio": round(ratio, 3),
                "aim": f">= {AIM_RATIO}",
                "pass": ratio >= AIM_RATIO,
            },
            "ack_vs_bare_for_information": {
                "ours_ack_per_s_with_workers": main_result["ack_per_s"],
                "ours_ack_per_s_api_alone": phases.get("ack_only_no_workers", {}).get("ack_per_s"),
                "bare_ack_per_s": bare_result["ack_per_s"],
            },
            "p99_ack_ms": {
                "ours": main_result["latency_ms"]["p99"],
                "aim": f"< {AIM_P99_MS}",
                "pass": main_result["latency_ms"]["p99"] < AIM_P99_MS,
                "paced_p99_for_information": phases.get("paced", {}).get("latency_ms", {}).get("p99"),
            },
            "zero_loss_zero_duplicates": {"pass": checks["no_loss_no_duplicates"]},
        }
        results["processes"] = {
            "api": "1 x `uvicorn api.asgi:app` (one process, uvloop + httptools)",
            "workers": f"{args.workers} x `python -m workers` (arq, max_jobs=20, relay in each)",
            "bare": "1 x `uvicorn bench.wi_bare:app` (only during the bare pass)",
            "load_generator": "1 x `python -m bench.wi_load` per pass (asyncio + httpx + uvloop)",
            "postgres": stack.describe()["postgres"],
            "redis": stack.describe()["redis"],
            "cores": infra.machine()["cores"],
        }
        log(f"checks: {json.dumps({k: v for k, v in checks.items() if k != 'webhook_metrics'})}")
        log(f"aims: {json.dumps(results['aims'])}")
    finally:
        for proc in reversed(procs):
            rc = proc.stop()
            if proc.role.startswith(("api", "worker")) and rc not in (0, None, -2, 130):
                log(f"{proc.role} exited with {rc}; see {proc.log_path}")
        stack.stop()
        results["wall_s"] = round(time.monotonic() - began, 1)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        log(f"wrote {args.out} ({results['wall_s']} s)")


if __name__ == "__main__":
    main()
