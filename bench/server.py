"""The API served like `make run` serves it (uvicorn, uvloop, httptools, JSON request logs), for the benchmark.

python -m bench.server   # reads BENCH_SERVER_SETTINGS (JSON: Settings fields) and BENCH_SERVER_PORT
"""

from __future__ import annotations

import json
import os

import uvicorn

from api.app import create_app
from api.observability import configure_logging
from api.settings import Settings


def bench_settings(database_url: str, redis_url: str, encryption_key: str, port: int) -> dict[str, object]:
    return {
        "environment": "development",
        "database_url": database_url,
        "redis_url": redis_url,
        "GMC_ENCRYPTION_KEY": encryption_key,
        "host": "127.0.0.1",
        "port": port,
        "sandbox": False,
        "demo_seed": False,
        "log_level": "INFO",
    }


def main() -> None:
    settings = Settings(**json.loads(os.environ["BENCH_SERVER_SETTINGS"]))
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_config=None, timeout_graceful_shutdown=5
    )


if __name__ == "__main__":
    main()
