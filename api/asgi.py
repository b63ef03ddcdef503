"""ASGI entry point for production servers: `uvicorn api.asgi:app` (configuration from the environment)."""

from __future__ import annotations

from api.app import create_app
from api.gc_tuning import tune_garbage_collector
from api.observability import configure_logging
from api.settings import Settings

settings = Settings()
configure_logging(settings.log_level)
app = create_app(settings)
tune_garbage_collector()
