"""A worker started by `make run` stops when `make run` goes, however it goes.

Its own module, so `make run` can name the variable without importing the whole worker."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

# `make run` names itself here in the worker's environment
PARENT_ENV = "GMC_STOP_WITH_PARENT"
_PR_SET_PDEATHSIG = 1


def stop_with_parent() -> None:
    """A worker that `make run` started gets SIGTERM (its clean stop) when `make run` dies, even by kill -9 or a
    crash, which run no clean-up: left running, it would hold the embedded PostgreSQL and Redis open, so the
    next run's stop could not stop them either. Linux only (prctl); elsewhere `make run`'s own stop remains."""
    parent = os.environ.get(PARENT_ENV)
    if not parent or not sys.platform.startswith("linux"):
        return
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != int(parent):  # it died before the line above: nobody would tell us any more
        raise SystemExit(0)
