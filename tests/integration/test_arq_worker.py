"""The worker's poll skips jobs already running, here or elsewhere, and still starts every other due job once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import in_progress_key_prefix
from arq.worker import func

from workers.arq_worker import LeanPollWorker

ran: list[str] = []


async def note(ctx: dict[str, Any], name: str) -> str:
    ran.append(name)
    return name


def _worker(arq_pool: ArqRedis, queue: str) -> LeanPollWorker:
    return LeanPollWorker(
        functions=[note], redis_pool=arq_pool, queue_name=queue, handle_signals=False, burst=True, poll_delay=0
    )


class CountingPipelines:
    """Counts the pipelines a worker opens, and whether they were transactions (arq's checked start)."""

    def __init__(self, pool: ArqRedis) -> None:
        self.pool, self.opened = pool, []

    def __call__(self, transaction: bool = True, **kwargs: Any) -> Any:
        self.opened.append(transaction)
        return self.pool.__class__.pipeline(self.pool, transaction=transaction, **kwargs)


async def test_a_job_running_elsewhere_is_left_and_the_others_start_once(arq_pool):
    queue = f"test-queue:{uuid.uuid4().hex[:8]}"
    ran.clear()
    for name in ("a", "b", "c"):
        await arq_pool.enqueue_job("note", name, _job_id=f"job-{name}-{queue}", _queue_name=queue)
    await arq_pool.psetex(in_progress_key_prefix + f"job-b-{queue}", 60_000, b"1")  # another worker runs it
    worker = _worker(arq_pool, queue)
    try:
        await worker.start_jobs([f"job-{n}-{queue}".encode() for n in ("a", "b", "c")])
        await asyncio.gather(*worker.tasks.values())
    finally:
        await worker.close()
    assert sorted(ran) == ["a", "c"]
    assert set(worker.tasks) == {f"job-a-{queue}", f"job-c-{queue}"}
    assert await arq_pool.zscore(queue, f"job-b-{queue}") is not None  # still queued, for whoever runs it


async def test_jobs_running_here_cost_no_round_trip_and_others_one_before_arqs_own_check(arq_pool, monkeypatch):
    queue = f"test-queue:{uuid.uuid4().hex[:8]}"
    worker = _worker(arq_pool, queue)
    pipelines = CountingPipelines(arq_pool)
    monkeypatch.setattr(worker.pool, "pipeline", pipelines)
    running = asyncio.get_running_loop().create_future()
    try:
        worker.tasks = {f"long-{i}": asyncio.ensure_future(running) for i in range(5)}
        assert await worker._not_running([f"long-{i}".encode() for i in range(5)]) == []
        assert pipelines.opened == []  # nothing asked of Redis
        for i in range(3):
            await arq_pool.psetex(in_progress_key_prefix + f"elsewhere-{i}", 60_000, b"1")
        due = [f"elsewhere-{i}".encode() for i in range(3)] + [b"free-1", b"long-0"]
        assert await worker._not_running(due) == [b"free-1"]
        assert pipelines.opened == [False]  # one pipelined round trip, not a transaction per id
    finally:
        running.cancel()
        worker.tasks = {}
        await worker.close()


async def test_a_finished_job_whose_id_is_queued_again_is_started(arq_pool):
    queue = f"test-queue:{uuid.uuid4().hex[:8]}"
    ran.clear()
    worker = _worker(arq_pool, queue)
    finished = asyncio.get_running_loop().create_future()
    finished.set_result(None)
    try:
        worker.tasks = {f"again-{queue}": asyncio.ensure_future(finished)}  # done, not yet cleared by the poll
        await asyncio.sleep(0)
        await arq_pool.enqueue_job("note", "again", _job_id=f"again-{queue}", _queue_name=queue)
        await worker.start_jobs([f"again-{queue}".encode()])
        await asyncio.gather(*worker.tasks.values())
    finally:
        await worker.close()
    assert ran == ["again"]


async def quick(ctx: dict[str, Any]) -> str:
    return "done"


async def test_closing_while_a_job_is_being_filed_still_shuts_down_whole(settings):
    """Stopping a worker cancels its running jobs; one cancelled while arq files its result raised
    CancelledError out of arq's own close, which then skipped on_shutdown (the relay and the database pool
    stayed open) and its Redis pool. Ours returns, runs on_shutdown once and closes the pool."""
    queue = f"test-queue:{uuid.uuid4().hex[:8]}"
    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    shut_down: list[str] = []
    filing, release = asyncio.Event(), asyncio.Event()

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        shut_down.append("relay stopped, engine disposed")

    async def slow_filing(*args: Any, **kwargs: Any) -> None:
        filing.set()
        await release.wait()

    worker = LeanPollWorker(
        functions=[func(quick, name="quick")],
        redis_pool=pool,
        queue_name=queue,
        handle_signals=False,
        poll_delay=0.01,
        on_shutdown=on_shutdown,
    )
    worker.finish_job = slow_filing  # type: ignore[method-assign]
    await pool.enqueue_job("quick", _job_id=f"quick-{queue}", _queue_name=queue)
    main = asyncio.create_task(worker.main())
    await asyncio.wait_for(filing.wait(), 10)
    main.cancel()
    await asyncio.gather(main, return_exceptions=True)
    try:
        await worker.close()  # arq's raised CancelledError here
    finally:
        release.set()

    assert shut_down == ["relay stopped, engine disposed"]
    assert worker._pool is None  # set once its Redis pool is closed
