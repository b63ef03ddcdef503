"""Safety net: messages whose queue job was lost (Redis flushed, worker killed) are picked up again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.tables import messages, webhook_events
from adapters.queue.arq_job_queue import ArqJobQueue
from domain.clock import Clock

GRACE = timedelta(seconds=60)


async def requeue_stuck(
    sessions: async_sessionmaker[AsyncSession], queue: ArqJobQueue, clock: Clock, stuck_sending: timedelta
) -> int:
    now = clock.now()
    async with sessions() as session:
        rows = (
            await session.execute(
                select(messages.c.id, messages.c.property_id, messages.c.attempts)
                .where(
                    or_(
                        and_(
                            messages.c.status == "queued",
                            # paused sends wait for their connection to be authorised again
                            messages.c.error_code.is_distinct_from("channel_paused"),
                            or_(
                                messages.c.next_attempt_at < now - GRACE,
                                and_(messages.c.next_attempt_at.is_(None), messages.c.status_changed_at < now - GRACE),
                            ),
                        ),
                        # a send that never finished: the job will mark it "outcome unknown", never resend it
                        and_(messages.c.status == "sending", messages.c.status_changed_at < now - stuck_sending),
                    )
                )
                .limit(500)
            )
        ).all()
    for row in rows:
        # Same deterministic id as the lost job would have: if that job still exists this is a no-op.
        # A message stuck in "sending" gets the id of its next attempt, so a job the dead worker still
        # holds in arq does not block it; the job then settles it as "outcome unknown", never resends.
        await queue.enqueue_delivery(str(row.property_id), str(row.id), attempt=row.attempts)
    return len(rows)


async def requeue_unprocessed_webhooks(
    sessions: async_sessionmaker[AsyncSession], queue: ArqJobQueue, clock: Clock, older_than: timedelta = GRACE * 2
) -> int:
    """Stored webhooks whose processing job was lost get one of their own again. An event whose processing
    failed for good carries its error and waits for a person instead of failing every half minute."""
    async with sessions() as session:
        ids = (
            (
                await session.execute(
                    select(webhook_events.c.id)
                    .where(
                        webhook_events.c.processed_at.is_(None),
                        webhook_events.c.error.is_(None),
                        webhook_events.c.received_at < clock.now() - older_than,
                    )
                    .order_by(webhook_events.c.id)
                    .limit(500)
                )
            )
            .scalars()
            .all()
        )
    for event_id in ids:
        await queue.enqueue_webhook(int(event_id))  # the same job id as a lost single job: a no-op if it exists
    return len(ids)
