"""arq's Worker, minus the Redis round trips it spends re-asking about jobs that are already running.

A job stays in arq's queue (a sorted set) while it runs; it leaves only when it finishes. Each poll (every
`poll_delay`) arq reads up to `max_jobs` due job ids and, for each one, opens a transaction to ask whether it
is running (WATCH, EXISTS, ZSCORE, UNWATCH) before taking it. During a burst the due ids are mostly jobs that
run for many seconds (a delivery job draining a property's sends, webhook batches): every worker re-asked
about each of them ten times a second, about a tenth of the workers' time in a burst (bench/README.md,
session 6). Here the ids of jobs running in this worker are dropped without asking, and the others' "running"
marks are read in one pipelined round trip; only the ids left go through arq's own checked start, so whether a
job starts, and that it starts once, is still decided by arq's transaction.

It also closes whole when jobs are still running at shutdown (see `close`).
"""

from __future__ import annotations

import asyncio
import signal

from arq.constants import in_progress_key_prefix
from arq.worker import Worker


class LeanPollWorker(Worker):
    async def close(self) -> None:
        """arq's close, except that the jobs it cancels do not abort it.

        arq cancels the running jobs, then gathers them without `return_exceptions`: a job cancelled while arq
        was filing its result raised CancelledError out of `close`, so `on_shutdown` (which stops the outbox
        relay and closes the database pool) never ran and the Redis pool stayed open; `python -m workers` could
        exit 1. In the test harness the escaped CancelledError broke pytest's fixture teardown, and the next
        tests ran on the previous test's rows (CI, session 6). A cancelled job is left to arq's usual retry.
        """
        if not self._handle_signals:
            self.handle_sig(signal.SIGUSR1)
        if not self._pool:
            return
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        await self.pool.delete(self.health_check_key)
        if self.on_shutdown:
            await self.on_shutdown(self.ctx)
        await self.pool.aclose(close_connection_pool=True)
        self._pool = None

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        await super().start_jobs(await self._not_running(job_ids))

    async def _not_running(self, job_ids: list[bytes]) -> list[bytes]:
        """The ids that neither run here nor carry another worker's "running" mark (read in one round trip)."""
        candidates = [job_id for job_id in job_ids if not self._runs_here(job_id.decode())]
        if len(candidates) < 2:
            return candidates  # one id costs arq's own check anyway: asking first would add a round trip
        async with self.pool.pipeline(transaction=False) as pipe:
            for job_id in candidates:
                pipe.exists(in_progress_key_prefix + job_id.decode())
            running = await pipe.execute()
        return [job_id for job_id, elsewhere in zip(candidates, running, strict=True) if not elsewhere]

    def _runs_here(self, job_id: str) -> bool:
        task = self.tasks.get(job_id)
        # a finished task stays listed until the end of the poll; its id may be queued again (a retry)
        return task is not None and not task.done()
