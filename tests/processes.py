"""Reading the process table (/proc) in tests that start and stop whole processes."""

from __future__ import annotations

from pathlib import Path


def alive(pid: int) -> bool:
    """Running: a zombie has ended, only its parent's bookkeeping is left (and a process whose parent died is
    adopted by an init that may never collect it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
