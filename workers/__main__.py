from __future__ import annotations

import asyncio

from api.gc_tuning import tune_garbage_collector
from api.observability import configure_logging
from api.settings import Settings
from workers.arq_worker import LeanPollWorker
from workers.main import worker_settings
from workers.parent import stop_with_parent


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it exists, as uvicorn picks for the API: arq takes whatever loop is current, and the
    standard one cost the workers a large share of their CPU in a burst of sends (bench/README.md, session 5)."""
    try:
        import uvloop
    except ImportError:  # Windows: uvloop is not built there
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


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
