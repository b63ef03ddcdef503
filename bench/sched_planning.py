"""Planning through the product: 100,000 bookings already imported, then five rules created through the API.

    python -m bench.sched_planning                     # about 1-3 minutes on 2 cores
    python -m bench.sched_planning --bookings 20000

Each `POST /api/v1/scheduled-messages` plans its rule for every booking still ahead, in the request
(`domain.services.scheduling.replan_rule` → `plan_bookings`: one decision per booking in Python, then one
`INSERT … ON CONFLICT … RETURNING` chained to the outbox announcements per 5,000 bookings). Measured: the
wall time of the five requests (= the planning time of 100,000 bookings × 5 rules), the planned sends
written, the announcements made (only sends due within the 15-minute horizon are announced; the worker's
minute job queues the others as their time nears), then one rule edit (`PUT`, which moves every planned
send of that rule) and the CPU of the API and of PostgreSQL. Same stack set-up as bench.scheduler.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from api.migrate import upgrade_to_head
from bench import sched_data as data
from bench import wi_infra as infra
from bench.scheduler import DATA_DIR, DATABASE, connect_sms_and_rules, dsn, make_property, scalar
from bench.wi_infra import CpuMeter, log

RESULTS = infra.ROOT / "bench" / "results" / "sched_planning.json"
AIM_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    logs = Path(".data/bench-sched-planning-logs")
    logs.mkdir(parents=True, exist_ok=True)
    stack = infra.start_stack(DATA_DIR, DATABASE)
    procs = []
    results: dict[str, object] = {
        "benchmark": "sched_planning",
        "command": "python -m bench.sched_planning " + " ".join(sys.argv[1:]),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": infra.machine(),
        "servers": stack.describe(),
    }
    noise = infra.Foreign(stack.server_pids())
    try:
        upgrade_to_head(stack.database_url)
        asyncio.run(infra.truncate_product_tables(stack.database_url))
        prop_id, key = asyncio.run(make_property(stack))
        port = infra.free_port()
        env = infra.product_env(stack, f"http://127.0.0.1:{port}", sandbox=True)
        api = infra.spawn_uvicorn("api", "api.asgi:app", env, logs, port)
        procs.append(api)
        api.wait_ready("/readyz")
        t0 = time.perf_counter()
        today = datetime.now(UTC).date()
        asyncio.run(data.copy_bookings(dsn(stack), prop_id, data.booking_specs(0, args.bookings, today)))
        results["import_seconds"] = round(time.perf_counter() - t0, 2)
        log(f"{args.bookings} bookings imported in {results['import_seconds']} s (set-up)")

        client = httpx.Client(base_url=api.url or "", headers={"Authorization": f"Bearer {key}"}, timeout=600)
        meter = CpuMeter({"api": [api.pid], "postgres+redis": stack.server_pids()})
        noise.start()
        before = meter.snapshot()
        t0 = time.perf_counter()
        rule_ids = connect_sms_and_rules(client, api.url or "")  # the SMS connection, then the five rules
        planning = time.perf_counter() - t0
        cpu = CpuMeter.between(before, meter.snapshot())
        planned = scalar(stack, "SELECT count(*) FROM planned_sends")
        announced = scalar(stack, "SELECT count(*) FROM outbox_events WHERE topic = 'planned.schedule'")
        log(f"planning: {planned} planned sends in {planning:.1f} s, {announced} announced")

        body = data.rule_bodies()[0] | {"send_time": "11:00"}
        t0 = time.perf_counter()
        edited = client.put(f"/api/v1/scheduled-messages/{rule_ids[0]}", json=body)
        edit_seconds = time.perf_counter() - t0
        moved = scalar(
            stack,
            "SELECT count(*) FROM planned_sends WHERE rule_id = $1 AND to_char(due_at AT TIME ZONE 'Europe/Paris',"
            " 'HH24:MI') = '11:00'",
            __import__("uuid").UUID(rule_ids[0]),
        )
        results.update(
            bookings=args.bookings,
            rules=len(rule_ids),
            planned_sends=planned,
            announced=announced,
            planning_seconds=round(planning, 2),
            planned_sends_per_second=round(planned / planning, 1),
            cpu_seconds=cpu,
            rule_edit={"status": edited.status_code, "seconds": round(edit_seconds, 2), "moved_to_11h": moved},
            foreign_cores=noise.stop(),
            aim={
                "planning_seconds_under": AIM_SECONDS,
                "pass": planning < AIM_SECONDS and planned == 5 * args.bookings,
            },
        )
        log(json.dumps(results, default=str))
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2, default=str))
    finally:
        for proc in procs:
            proc.stop()
        stack.stop()


if __name__ == "__main__":
    main()
