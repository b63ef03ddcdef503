"""ASGI entry point for production servers: `uvicorn api.asgi:app` (configuration from the environment)."""

from __future__ import annotations

import gc

from api.app import create_app
from api.observability import configure_logging
from api.settings import Settings

settings = Settings()
configure_logging(settings.log_level)
app = create_app(settings)
gc.collect()
gc.freeze()  # start-up objects never die: keep them out of every collection (see bench/README.md)
