from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import sys

from api.gc_tuning import tune_garbage_collector
from api.observability import configure_logging
from api.settings import Settings
from workers.arq_worker import LeanPollWorker
from workers.main import worker_settings


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it exists, as uvicorn picks for the API: arq takes whatever loop is current, and the
    standard one cost the workers a large share of their CPU in a burst of sends (bench/README.md, session 5)."""
    try:
        import uvloop
    except ImportError:  # Windows: uvloop is not built there
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


# `make run` starts the worker beside the API and names itself here: the worker then stops when it goes
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


def main() -> None:
    stop_with_parent()
    settings = Settings()
    configure_logging(settings.log_level)
    asyncio.set_event_loop(_event_loop())
    worker = LeanPollWorker(**worker_settings(settings))
    tune_garbage_collector()
    worker.run()


if __name__ == "__main__":
    main()
