"""WHAT-IF VARIANT, NOT THE PRODUCT: the product's arq worker (`python -m workers`) with one candidate change,
applied by monkeypatching at start-up so it can be measured before anyone edits workers/main.py:

    python -m bench.sched_variants          # env as for `python -m workers`
    python -m bench.scheduler --worker-variant inline_deliver

inline_deliver: dispatch_planned, once its transaction has committed a "sent" planned send (the message row
and its outbox row are written as before), hands that message to the provider in the same job by calling
deliver_message directly, instead of waiting for the outbox relay to enqueue a deliver_message job. In the
product, those deliver jobs are enqueued after the dispatch jobs of the same minute and arq runs jobs in
score order, so with 10,000 sends due at 10:00:00 no SMS leaves before every dispatch job has run. Safety is
unchanged: the outbox row is still relayed; its deliver job (same deterministic id) then finds the message
already sent and does nothing, and a worker dying mid-send leaves the message "sending" exactly as today.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from adapters.db.tables import planned_sends
from api.observability import configure_logging
from api.settings import Settings
from workers import main as worker_main
from workers.arq_worker import LeanPollWorker

_original_dispatch = worker_main.dispatch_planned


async def dispatch_planned(ctx: dict[str, Any], property_id: str, planned_id: str) -> str:
    outcome = await _original_dispatch(ctx, property_id, planned_id)
    if outcome == "sent":
        async with ctx["sessions"]() as session:
            message_id = await session.scalar(
                select(planned_sends.c.message_id).where(planned_sends.c.id == planned_id)
            )
        if message_id is not None:
            await worker_main.deliver_message(ctx, property_id, str(message_id))
    return outcome


def main() -> None:
    worker_main.dispatch_planned = dispatch_planned  # type: ignore[assignment]  # also used by sweep_planned
    settings = Settings()
    configure_logging(settings.log_level)
    LeanPollWorker(**worker_main.worker_settings(settings)).run()


if __name__ == "__main__":
    main()
