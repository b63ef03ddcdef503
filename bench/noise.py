"""How much of the machine's CPU other work used while a scenario ran (Linux /proc).

On a shared 2-core machine a test suite or a build running beside the benchmark moves its
percentiles far more than any change in the code does. So each scenario records the CPU that
processes outside the benchmark used ("foreign cores": 0.0 = quiet, 1.0 = one core busy with
something else), the benchmark can wait for a quiet machine before timing, and a scenario that
was disturbed is run again; every attempt is kept in the results.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _busy_jiffies() -> int:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return user + nice + system + irq + softirq + steal


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, utime + stime) of a process, None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def _all_stats() -> dict[int, tuple[int, int]]:
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(int(entry))
            if found is not None:
                stats[int(entry)] = found
    return stats


class Interference:
    """Foreign CPU between start() and stop(): all busy CPU minus the benchmark's own processes.

    Own processes: this one, its descendants (the API server), and the given roots with their
    children (the embedded PostgreSQL postmaster, whose backends run the queries).
    """

    def __init__(self, roots: Callable[[], list[int]] = list) -> None:
        self._roots = roots
        self._start: tuple[float, int, dict[int, int]] | None = None

    def _own(self) -> dict[int, int]:
        stats = _all_stats()
        own = {os.getpid(), *self._roots()}
        grew = True
        while grew:
            before = len(own)
            own |= {pid for pid, (ppid, _) in stats.items() if ppid in own}
            grew = len(own) != before
        return {pid: stats[pid][1] for pid in own if pid in stats}

    def start(self) -> None:
        self._start = (time.monotonic(), _busy_jiffies(), self._own())

    def stop(self) -> float:
        assert self._start is not None
        began, busy, own = self._start
        wall = time.monotonic() - began
        own_now = self._own()
        own_delta = sum(max(0, ticks - own.get(pid, 0)) for pid, ticks in own_now.items())
        foreign = max(0, _busy_jiffies() - busy - own_delta)
        return round(foreign / CLK_TCK / max(wall, 1e-6), 3)

    def wait_quiet(self, threshold: float, window: float, timeout: float) -> tuple[bool, float]:
        """Wait until a whole `window` of seconds has foreign CPU below `threshold`; (quiet?, seconds waited)."""
        began = time.monotonic()
        while True:
            self.start()
            time.sleep(window)
            if self.stop() < threshold:
                return True, round(time.monotonic() - began, 1)
            if time.monotonic() - began > timeout:
                return False, round(time.monotonic() - began, 1)


def postmaster_pid(pg_dir: Path) -> int | None:
    try:
        return int((pg_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
