"""Hands work to arq. Job ids are deterministic so a repeated enqueue never makes a second job."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from arq.connections import ArqRedis

DELIVER_JOB = "deliver_message"
DELIVER_BATCH_JOB = "deliver_messages"
WEBHOOK_JOB = "process_webhook"
WEBHOOK_BATCH_JOB = "process_webhooks"
PLANNED_JOB = "dispatch_planned"
DUE_JOB = "dispatch_due"
MEDIA_JOB = "fetch_media"


def deliver_job_id(message_id: uuid.UUID | str, attempt: int, suffix: str = "") -> str:
    return f"deliver:{message_id}:{attempt}" + (f":{suffix}" if suffix else "")


class ArqJobQueue:
    def __init__(self, pool: ArqRedis) -> None:
        self._pool = pool

    async def enqueue_delivery(
        self, property_id: str, message_id: str, attempt: int, defer_seconds: float | None = None, suffix: str = ""
    ) -> None:
        await self._pool.enqueue_job(
            DELIVER_JOB,
            property_id,
            message_id,
            _job_id=deliver_job_id(message_id, attempt, suffix),
            _defer_by=defer_seconds,
        )

    async def enqueue_deliveries(
        self, property_id: str, message_ids: list[str], defer_seconds: float | None = None, suffix: str = ""
    ) -> None:
        """Several queued messages of one property for one job; one message goes as a single delivery job."""
        if len(message_ids) == 1:
            await self.enqueue_delivery(property_id, message_ids[0], 0, defer_seconds=defer_seconds, suffix=suffix)
            return
        job_id = f"deliveries:{message_ids[0]}:{message_ids[-1]}:{len(message_ids)}" + (f":{suffix}" if suffix else "")
        await self._pool.enqueue_job(
            DELIVER_BATCH_JOB, property_id, message_ids, _job_id=job_id, _defer_by=defer_seconds
        )

    async def enqueue_webhook(self, event_id: int) -> None:
        await self._pool.enqueue_job(WEBHOOK_JOB, event_id, _job_id=f"webhook:{event_id}")

    async def enqueue_webhooks(self, event_ids: list[int]) -> None:
        """Several stored events for one job (applied in one transaction); one id goes as a single job."""
        if len(event_ids) == 1:
            await self.enqueue_webhook(event_ids[0])
            return
        job_id = f"webhooks:{event_ids[0]}:{event_ids[-1]}:{len(event_ids)}"
        await self._pool.enqueue_job(WEBHOOK_BATCH_JOB, event_ids, _job_id=job_id)

    async def enqueue_planned(self, property_id: str, planned_id: str, due_at: datetime) -> None:
        """Deferred to its due time; a new time gets a new job id, and the old job finds nothing to do."""
        await self._pool.enqueue_job(
            PLANNED_JOB,
            property_id,
            planned_id,
            _job_id=f"planned:{planned_id}:{int(due_at.timestamp())}",
            # arq refuses a time in the past (it computes a negative expiry): due already means run now
            _defer_until=due_at if due_at > datetime.now(UTC) else None,
        )

    async def enqueue_due(self, due_at: datetime, now: datetime) -> None:
        """One job per instant at which sends fall due, whatever their number: at that time it dispatches
        every due send in batches (and brings in helpers when there are many)."""
        if due_at <= now:  # already due (a late plan, "send now"): at once, under an id of its own
            await self._pool.enqueue_job(DUE_JOB, _job_id=f"due:now:{uuid.uuid4().hex}")
            return
        # arq refuses a time in the past (a negative expiry): a job already due runs at once
        defer = due_at if due_at > datetime.now(UTC) else None
        await self._pool.enqueue_job(DUE_JOB, _job_id=f"due:{int(due_at.timestamp())}", _defer_until=defer)

    async def enqueue_due_helpers(self, count: int) -> None:
        for _ in range(count):
            await self._pool.enqueue_job(DUE_JOB, _job_id=f"due:helper:{uuid.uuid4().hex}")

    async def enqueue_media(self, property_id: str, message_id: str) -> None:
        await self._pool.enqueue_job(MEDIA_JOB, property_id, message_id, _job_id=f"media:{message_id}")
