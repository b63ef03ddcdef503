from __future__ import annotations

from arq.worker import Worker

from api.observability import configure_logging
from api.settings import Settings
from workers.main import worker_settings


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    Worker(**worker_settings(settings)).run()


if __name__ == "__main__":
    main()
