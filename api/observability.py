"""Request ids, JSON logs and Prometheus metrics."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED and not k.startswith("_")})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class IdleCronFilter(logging.Filter):
    """Drops arq's lines for a periodic job that found nothing to do: the worker's housekeeping runs every few
    seconds (the outgoing-webhook pump every 2), and its "started" and "● 0" lines would bury everything else.
    A periodic job that did something keeps its "finished" line, with its result; failures are warnings."""

    _STARTED, _FINISHED = "%6.2fs → %s(%s)%s", "%6.2fs ← %s ● %s"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != "arq.worker" or not isinstance(record.args, tuple) or len(record.args) < 3:
            return True
        job = str(record.args[1])
        if not job.startswith("cron:"):
            return True
        if record.msg == self._STARTED:
            return False
        return not (record.msg == self._FINISHED and str(record.args[2]) in {"0", "", "{}"})


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(IdleCronFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = True  # our middleware logs requests with their ids
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sandbox SMTP server's lines per connection


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.queue_depth = Gauge("outbox_pending", "Outbox events not yet handed to the queue", registry=self.registry)
        self.messages_queued = Gauge("messages_waiting", "Outbound messages queued or sending", registry=self.registry)
        self.sends = Gauge(
            "messages_by_channel_status",
            "Outbound messages by channel and status",
            ["channel", "status"],
            registry=self.registry,
        )
        self.webhooks = Counter(
            "webhooks_received_total", "Provider webhooks received", ["provider", "outcome"], registry=self.registry
        )


log = logging.getLogger("api.access")


class RequestContextMiddleware:
    """Request id, latency histogram and one access-log line per request.

    A plain ASGI middleware: Starlette's BaseHTTPMiddleware costs a task and a stream copy per request,
    which showed in the webhook ingestion benchmark; this one only wraps `send`.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            self.metrics.latency.labels(scope["method"], path, str(status)).observe(elapsed)
            if not path.startswith("/assets"):
                log.info(
                    "request",
                    extra={
                        "request_id": request_id,
                        "method": scope["method"],
                        "path": path,
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    },
                )
