"""Processing cost of stored WhatsApp webhooks, without HTTP or arq: worker CPU per event.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.wi_worker_cpu --events 2000

Stores `--events` signed-shape inbound messages (as bench.webhook_ingest builds them) straight into
webhook_events, then processes them the way the worker does (`--mode batch`: the relay's batches of
`--batch` ids through workers.webhooks.process_events; `--mode single`: one process_event per id) and
prints this process's CPU per event and the wall time. A diagnostic for the worker's share of
bench.webhook_ingest; the figure that counts is that benchmark's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from pathlib import Path

from adapters.db import webhook_store
from adapters.db.engine import make_engine, make_session_factory
from adapters.db.routing_cache import RoutingCache
from adapters.db.unit_of_work import SqlaUnitOfWork
from api.migrate import upgrade_to_head
from bench import wi_infra as infra
from bench.webhook_ingest import TEXTS, payload, setup_property
from domain.clock import SystemClock
from workers.webhooks import process_event, process_events


async def run(stack: infra.Stack, events: int, guests: int, mode: str, batch: int) -> dict[str, float]:
    await infra.truncate_product_tables(stack.database_url)
    prop_id, _ = await setup_property(stack)
    engine = make_engine(stack.database_url, pool_size=4)
    sessions = make_session_factory(engine)
    run_id, now = uuid.uuid4().hex[:8], int(time.time())
    ids: list[int] = []
    for i in range(events):
        g = i % guests
        body = json.dumps(payload(str(33600000000 + g), f"Guest {g}", f"wamid.{run_id}.{i}", TEXTS[i % 8], now))
        stored = await webhook_store.store_event(sessions, "whatsapp", body.encode(), {}, prop_id, SystemClock().now())
        assert stored is not None
        ids.append(stored)
    clock, routes = SystemClock(), RoutingCache()

    def new_uow() -> SqlaUnitOfWork:
        return SqlaUnitOfWork(sessions)

    cpu0, wall0 = time.process_time(), time.perf_counter()
    if mode == "single":
        for event_id in ids:
            await process_event(new_uow, event_id, clock, routes=routes)
    else:
        for start in range(0, len(ids), batch):
            await process_events(new_uow, ids[start : start + batch], clock, routes=routes)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    async with engine.connect() as conn:
        from sqlalchemy import text

        messages = (await conn.execute(text("SELECT count(*) FROM messages"))).scalar_one()
    await engine.dispose()
    return {
        "events": events,
        "messages": messages,
        "cpu_ms_per_event": round(cpu * 1000 / events, 3),
        "wall_s": round(wall, 2),
        "events_per_s": round(events / wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--guests", type=int, default=400)
    parser.add_argument("--mode", choices=["single", "batch"], default="batch")
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    stack = infra.start_stack(Path(".data/bench-wcpu"), "gmc_bench_wcpu")
    try:
        upgrade_to_head(stack.database_url)
        print(json.dumps(asyncio.run(run(stack, args.events, args.guests, args.mode, args.batch))))
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
