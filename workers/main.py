"""arq worker: outbound sends, the outbox relay and the safety sweep.

Run with `python -m workers` (DATABASE_URL, REDIS_URL and GMC_ENCRYPTION_KEY from the environment).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any, TypedDict

import httpx
from arq import Retry, cron, func
from arq.connections import ArqRedis, RedisSettings
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.channels.gateway import ConnectionChannelGateway
from adapters.channels.media_fetcher import ConnectionMediaFetcher
from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db import webhook_store
from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.engine import make_engine, make_session_factory
from adapters.db.routing_cache import RoutingCache
from adapters.db.unit_of_work import SqlaUnitOfWork
from adapters.http_client import make_http_client
from adapters.pricing.json_rate_table import load_rate_table
from adapters.queue.arq_job_queue import DELIVER_BATCH_JOB, DELIVER_JOB, ArqJobQueue
from adapters.realtime.redis_events import RedisEventPublisher
from api.container import airbnb_gateway
from api.settings import Settings
from domain.clock import Clock, SystemClock
from domain.email.reply_token import derive_reply_key
from domain.errors import ProviderFailure
from domain.retry_policy import RetryPolicy
from workers.airbnb import poll_airbnb_threads, refresh_airbnb_tokens
from workers.delivery import deliver_message, deliver_messages
from workers.media import fetch_message_media
from workers.outgoing_webhooks import deliver_outgoing_webhook, pump_outgoing_webhooks
from workers.relay import relay_forever
from workers.scheduled import BatchFailed, count_due, dispatch_one, due_before
from workers.scheduled import dispatch_due as dispatch_due_batch
from workers.spending_release import release_spending_holds
from workers.sweep import requeue_stuck, requeue_unprocessed_webhooks
from workers.template_sync import sync_pending_templates
from workers.webhooks import process_event, process_events

log = logging.getLogger("workers")
# longer than the planning announcement horizon (15 min), so no send falls between the two
UPCOMING_WINDOW = timedelta(minutes=30)
DUE_BATCH = 50  # scheduled sends per transaction
# extra jobs at most when many sends fall due at once: dispatching is CPU work, a few jobs per process keep
# it going while the deliveries it produces start at once beside it
DUE_HELPERS = 3


class WorkerContext(TypedDict, total=False):
    redis: ArqRedis
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    http: httpx.AsyncClient
    gateway: ConnectionChannelGateway
    publisher: RedisEventPublisher
    queue: ArqJobQueue
    clock: Clock
    policy: RetryPolicy
    relay_task: asyncio.Task[None]


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or Settings()
    ctx["settings"] = settings
    ctx.setdefault("clock", SystemClock())
    ctx.setdefault("policy", RetryPolicy())
    ctx.setdefault("rates", load_rate_table())
    # room for every job slot (max_jobs) and the relay: a job never waits for a connection another holds
    ctx["engine"] = make_engine(settings.database_url or "", pool_size=12)
    ctx["sessions"] = make_session_factory(ctx["engine"])
    ctx["http"] = ctx.get("http") or make_http_client()
    box = FernetSecretBox(settings.encryption_key or "")
    ctx["box"] = box
    ctx["airbnb"] = airbnb_gateway(settings, ctx["http"])
    ctx["reply_key"] = derive_reply_key(settings.encryption_key or "")
    ctx["routes"] = RoutingCache()
    ctx["gateway"] = ConnectionChannelGateway(
        ctx["sessions"],
        box,
        ctx["http"],
        settings.base_url,
        ctx["airbnb"],
        reply_key=ctx["reply_key"],
        email_reply_domain=settings.email_reply_domain,
        allow_local_smtp=settings.sandbox,
    )
    ctx["publisher"] = RedisEventPublisher(ctx["redis"])
    ctx["queue"] = ArqJobQueue(ctx["redis"])
    if ctx.get("run_relay", True):
        ctx["relay_task"] = asyncio.create_task(
            relay_forever(ctx["sessions"], ctx["queue"], ctx["clock"], settings.outbox_poll_seconds)
        )


async def shutdown(ctx: dict[str, Any]) -> None:
    task = ctx.get("relay_task")
    if task:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    await ctx["http"].aclose()
    await ctx["engine"].dispose()


async def process_webhook(ctx: dict[str, Any], event_id: int) -> dict[str, int] | None:
    try:
        return await process_event(
            lambda: SqlaUnitOfWork(ctx["sessions"], ctx["publisher"]),
            event_id,
            ctx["clock"],
            ctx.get("reply_key", b""),
            ctx.get("routes"),
        )
    except IntegrityError as exc:
        # two events raced to create the same guest or message; the loser runs again and finds it
        raise Retry(defer=0.2) from exc
    except (DBAPIError, OSError, TimeoutError):
        raise  # the database or the network was away: the safety net tries again later
    except Exception as exc:
        # a body our processors cannot apply: kept unprocessed with why, never retried in a loop
        await webhook_store.record_error(ctx["sessions"], event_id, f"{type(exc).__name__}: {exc}")
        raise


async def process_webhooks(ctx: dict[str, Any], event_ids: list[int]) -> dict[str, int]:
    try:
        return await process_events(
            lambda: SqlaUnitOfWork(ctx["sessions"], ctx["publisher"]),
            event_ids,
            ctx["clock"],
            ctx.get("reply_key", b""),
            ctx.get("routes"),
        )
    except Exception:
        # nothing of the batch was kept; each event goes alone, so one bad event is retried by itself
        # (and two first messages racing to create one guest settle on their own retry)
        log.warning("webhook batch failed; its events are processed one by one", exc_info=True)
    for event_id in event_ids:
        await ctx["queue"].enqueue_webhook(event_id)
    return {"split": len(event_ids)}


async def sweep(ctx: dict[str, Any]) -> int:
    stuck = timedelta(seconds=ctx["settings"].stuck_sending_seconds)
    messages = await requeue_stuck(ctx["sessions"], ctx["queue"], ctx["clock"], stuck)
    return messages + await requeue_unprocessed_webhooks(ctx["sessions"], ctx["queue"], ctx["clock"])


async def dispatch_planned(ctx: dict[str, Any], property_id: str, planned_id: str) -> str:
    """Idempotent: the claim inside makes a repeated or racing job a no-op."""
    try:
        return await dispatch_one(
            lambda: SqlaUnitOfWork(ctx["sessions"], ctx["publisher"]),
            ctx["sessions"],
            ctx["box"],
            ctx["rates"],
            ctx["clock"],
            uuid.UUID(property_id),
            uuid.UUID(planned_id),
            ctx.get("airbnb"),
        )
    except IntegrityError as exc:
        raise Retry(defer=0.5) from exc


async def dispatch_due(ctx: dict[str, Any]) -> dict[str, int]:
    """Every send due now, in batches until none is left. Many due at once (a whole hotel's "day before
    arrival" at 10:00) bring in helper jobs, so every worker and job slot takes a share (batches are
    claimed with SKIP LOCKED: never twice)."""
    due = await count_due(ctx["sessions"], ctx["clock"])
    helpers = min(DUE_HELPERS, due // DUE_BATCH) if ctx.get("bring_helpers", True) else 0
    if helpers:
        await ctx["queue"].enqueue_due_helpers(helpers)
    totals: Counter[str] = Counter()
    while True:
        try:
            outcome = await dispatch_due_batch(
                lambda: SqlaUnitOfWork(ctx["sessions"], ctx["publisher"], flush_at_commit=True),
                ctx["sessions"],
                ctx["box"],
                ctx["rates"],
                ctx["clock"],
                ctx.get("airbnb"),
                batch=DUE_BATCH,
            )
        except BatchFailed as failed:
            # nothing of that batch was kept; its sends go one by one (one bad send is retried alone)
            log.warning("scheduled batch failed; its sends are dispatched one by one", exc_info=True)
            for property_id, planned_id in failed.claimed:
                totals[await _dispatch_alone(ctx, property_id, planned_id)] += 1
            continue
        totals.update(outcome)
        if outcome["claimed"] < DUE_BATCH:
            return dict(totals)


async def _dispatch_alone(ctx: dict[str, Any], property_id: uuid.UUID, planned_id: uuid.UUID) -> str:
    try:
        return await dispatch_planned(ctx, str(property_id), str(planned_id))
    except Retry:
        await ctx["queue"].enqueue_planned(str(property_id), str(planned_id), ctx["clock"].now())
        return "retry"
    except Exception:
        log.error("scheduled send could not be dispatched", extra={"planned_id": str(planned_id)}, exc_info=True)
        return "error"


async def queue_upcoming(ctx: dict[str, Any]) -> int:
    """Sends far ahead were planned without a queue job (the queue never holds months of deferred jobs);
    each minute, every instant at which sends fall due in the next half hour gets its job. The job id names
    the instant, so queueing it again while it waits is a no-op."""
    now = ctx["clock"].now()
    instants = {due for _, _, due in await due_before(ctx["sessions"], now + UPCOMING_WINDOW) if due > now}
    for due in sorted(instants):
        await ctx["queue"].enqueue_due(due, now)
    return len(instants)


async def sweep_planned(ctx: dict[str, Any]) -> int:
    """Catches sends whose job was lost (worker down, Redis flushed) through the same batches and claim."""
    if not await count_due(ctx["sessions"], ctx["clock"]):
        return 0
    return (await dispatch_due({**ctx, "bring_helpers": False})).get("sent", 0)


async def fetch_media(ctx: dict[str, Any], property_id: str, message_id: str) -> int:
    fetcher = ConnectionMediaFetcher(SqlaConnectionStore(ctx["sessions"], ctx["box"]), ctx["http"])
    try:
        return await fetch_message_media(
            ctx["sessions"], fetcher, uuid.UUID(property_id), uuid.UUID(message_id), ctx["clock"].now()
        )
    except ProviderFailure as failure:
        if failure.retryable:
            raise Retry(defer=30) from failure
        log.warning("media could not be fetched", extra={"message_id": message_id, "reason": failure.reason})
        return 0


async def sync_templates(ctx: dict[str, Any]) -> int:
    return await sync_pending_templates(ctx["sessions"], ctx["box"], ctx["http"], ctx["clock"])


def worker_settings(settings: Settings) -> dict[str, Any]:
    return {
        "functions": [
            deliver_message,
            func(deliver_messages, max_tries=3),
            func(process_webhook, max_tries=10),
            func(process_webhooks, max_tries=5),
            func(dispatch_planned, max_tries=5),
            func(dispatch_due, max_tries=3),
            func(fetch_media, max_tries=5),
            deliver_outgoing_webhook,
        ],
        "cron_jobs": [
            cron(sweep, second={0, 30}, run_at_startup=True, unique=True),
            # every 10 s: the safety net for planned sends whose deferred job was lost (cheap, indexed)
            cron(sweep_planned, second=set(range(5, 60, 10)), run_at_startup=True, unique=True),
            cron(queue_upcoming, second={50}, run_at_startup=True, unique=True),
            cron(pump_outgoing_webhooks, second=set(range(0, 60, 2)), run_at_startup=True, unique=True),
            cron(release_spending_holds, second={45}, unique=True),
            cron(sync_templates, minute=set(range(0, 60, 5)), second={15}, unique=True),
            cron(refresh_airbnb_tokens, minute=set(range(0, 60, 10)), second={25}, run_at_startup=True, unique=True),
            cron(poll_airbnb_threads, minute=set(range(2, 60, 5)), second={35}, unique=True),
        ],
        "on_startup": startup,
        "on_shutdown": shutdown,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url or "redis://127.0.0.1:6379"),
        "ctx": {"settings": settings},
        "max_jobs": 20,
        "job_timeout": settings.job_timeout_seconds,
        "keep_result": 3600,
        "poll_delay": 0.1,
    }


assert deliver_message.__name__ == DELIVER_JOB
assert deliver_messages.__name__ == DELIVER_BATCH_JOB
