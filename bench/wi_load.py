"""Load generator of the webhook-ingest benchmark, run as its own process (loopback only):

    python -m bench.wi_load SPEC.json

SPEC: {"url", "bodies" (a JSON-lines file of {"body", "signature"}), "concurrency", "deadline_s", "out",
       optionally "rate"}.
Posts every body once over keep-alive connections (asyncio + httpx) and writes to "out": the wall-clock
time of the first request and of the last answer, and for every request its acknowledgement latency (ms)
and HTTP status, plus this process's own CPU time.

- closed loop (no "rate"): `concurrency` connections, each sending its next request as soon as the previous
  one is answered; latency = request sent to response read. Throughput and latency are then tied by
  Little's law (latency ~ concurrency / throughput).
- open loop ("rate" requests/s): request i is due at start + i/rate whatever the answers, with at most
  `concurrency` in flight; latency counts from the moment the request was due, so time spent waiting for a
  free connection is included (no coordinated omission).
Every connection is opened (one GET, answered 405) before the timed part, in both modes.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx


def load_bodies(path: str) -> list[tuple[bytes, str]]:
    items = [json.loads(line) for line in Path(path).read_text().splitlines() if line]
    return [(i["body"].encode(), i["signature"]) for i in items]


async def run(spec: dict[str, Any], bodies: list[tuple[bytes, str]]) -> dict[str, Any]:
    concurrency = int(spec["concurrency"])
    deadline = time.monotonic() + float(spec.get("deadline_s", 600))
    latencies: list[float] = [0.0] * len(bodies)
    statuses: list[int] = [0] * len(bodies)
    errors: Counter[str] = Counter()
    next_index = 0
    first_sent: float | None = None

    # one client per connection: httpx's pool costs ~2.6 ms of CPU per request with 32 connections in one
    # client, ~1.0 ms with one connection per client (measured on this machine), and the generator shares
    # the cores with the server it measures
    timeout = httpx.Timeout(30.0, connect=5.0)
    rate = float(spec.get("rate") or 0)
    clients = [
        httpx.AsyncClient(limits=httpx.Limits(max_connections=1, max_keepalive_connections=1), timeout=timeout)
        for _ in range(concurrency)
    ]
    # last in, first out: the open loop reuses the connections already warm instead of cycling through all
    idle: asyncio.LifoQueue[httpx.AsyncClient] = asyncio.LifoQueue()
    for c in clients:
        idle.put_nowait(c)
    # open every connection before timing anything (a GET answers 405 without touching the database)
    await asyncio.gather(*(c.get(spec["url"]) for c in clients), return_exceptions=True)
    try:

        async def post(index: int, due: float) -> None:
            body, sig = bodies[index]
            client = await idle.get()
            try:
                response = await client.post(
                    spec["url"], content=body, headers={"content-type": "application/json", "x-hub-signature-256": sig}
                )
                statuses[index] = response.status_code
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] += 1
                statuses[index] = -1
            finally:
                idle.put_nowait(client)
            latencies[index] = (time.perf_counter() - due) * 1000

        async def paced() -> None:
            nonlocal first_sent
            start = time.perf_counter()
            first_sent = time.time()
            tasks = []
            for index in range(len(bodies)):
                due = start + index / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if time.monotonic() > deadline:
                    break

                tasks.append(asyncio.create_task(post(index, due)))
            await asyncio.gather(*tasks)

        async def worker() -> None:
            nonlocal next_index, first_sent
            while next_index < len(bodies) and time.monotonic() < deadline:
                index = next_index
                next_index += 1
                if first_sent is None:
                    first_sent = time.time()
                await post(index, time.perf_counter())

        began_wall = time.time()
        if rate:
            await paced()
        else:
            await asyncio.gather(*(worker() for _ in range(concurrency)))
        ended_wall = time.time()
    finally:
        for c in clients:
            await c.aclose()
    sent = [i for i, s in enumerate(statuses) if s != 0]
    return {
        "requests": len(bodies),
        "sent": len(sent),
        "first_sent_at": first_sent or began_wall,
        "last_answer_at": ended_wall,
        "latencies_ms": [round(latencies[i], 3) for i in sent],
        "statuses": dict(Counter(str(statuses[i]) for i in sent)),
        "errors": dict(errors),
        "timed_out": len(sent) < len(bodies),
        "mode": f"open loop at {rate:g}/s" if rate else f"closed loop, {concurrency} connections",
        "loadgen_cpu_s": round(time.process_time(), 2),
    }


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    if not spec["url"].startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("the load generator only talks to loopback")
    bodies = load_bodies(spec["bodies"])
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(run(spec, bodies))
    Path(spec["out"]).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
