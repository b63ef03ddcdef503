from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool

from domain.retry_policy import RetryPolicy
from workers.arq_worker import LeanPollWorker
from workers.main import shutdown, startup, worker_settings


@pytest.fixture
async def arq_pool(settings) -> AsyncIterator[ArqRedis]:
    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    try:
        yield pool
    finally:
        await pool.aclose()


@pytest.fixture
async def worker_ctx(settings, container, arq_pool) -> AsyncIterator[dict[str, Any]]:
    """A worker's context as arq builds it, sharing the test clock; the relay is driven by hand."""
    ctx: dict[str, Any] = {
        "redis": arq_pool,
        "settings": settings,
        "clock": container.clock,
        "policy": RetryPolicy(max_attempts=3, base_seconds=0.01),
        "run_relay": False,
    }
    await startup(ctx)
    try:
        yield ctx
    finally:
        await shutdown(ctx)


async def run_worker_burst(settings, ctx: dict[str, Any]) -> LeanPollWorker:
    """Runs every queued job once, in this process, like a real arq worker would."""
    options = worker_settings(settings)
    options.update(
        on_startup=None, on_shutdown=None, ctx=ctx, burst=True, poll_delay=0, handle_signals=False, cron_jobs=[]
    )
    worker = LeanPollWorker(**options)
    try:
        await worker.main()
    finally:
        await worker.close()
    return worker
