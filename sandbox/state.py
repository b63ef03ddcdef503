"""What the fake providers remember: every request they received, and what tests asked them to do."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sandbox.callback_poster import CallbackPoster


def _latency_from_env() -> tuple[float, float]:
    low, _, high = os.environ.get("SANDBOX_TWILIO_LATENCY", "0,0").partition(",")
    return float(low), float(high or low)


def _senders_from_env() -> asyncio.Semaphore:
    return asyncio.Semaphore(int(os.environ.get("SANDBOX_CALLBACK_SENDERS", "8")))


def _delays_from_env() -> tuple[float, ...]:
    given = os.environ.get("SANDBOX_CALLBACK_DELAYS", "")
    return tuple(float(part) for part in given.split(",")) if given else (0.3, 0.8, 2.0)


@dataclass
class SandboxState:
    requests: list[dict[str, Any]] = field(default_factory=list)
    # queued canned answers: (status, json body, headers), used by fault tests
    fail_next: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    # WhatsApp: (phone_number_id, wa_id) -> when the guest last wrote, for the 24-hour window
    last_inbound: dict[tuple[str, str], datetime] = field(default_factory=dict)
    # seconds between the status callbacks of one send (sent, delivered, read); SANDBOX_CALLBACK_DELAYS
    # ("0.3,0.8,2.0") changes them for a whole process (a benchmark's what-if: callbacks after a burst)
    callback_delays: tuple[float, ...] = field(default_factory=lambda: _delays_from_env())
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    # seconds the fake Twilio takes to answer a send, drawn uniformly from (low, high); SANDBOX_TWILIO_LATENCY
    # ("0.1,0.4") sets it for a process: a real provider's time per call, for a benchmark's what-if
    twilio_latency: tuple[float, float] = field(default_factory=_latency_from_env)
    # status callbacks posted at once at most (see sandbox/twilio.py), over the poster's kept-alive connections;
    # SANDBOX_CALLBACK_SENDERS sets it for a process (a benchmark whose sends outrun 8 senders: Twilio's own
    # callbacks would keep pace)
    callback_senders: asyncio.Semaphore = field(default_factory=_senders_from_env)
    callback_poster: CallbackPoster = field(default_factory=CallbackPoster)
    # WhatsApp templates as Meta holds them: id -> creation body plus "status"
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    review_delay: float = 1.0
    # the provider's own view of the 24-hour window; tests shrink it to see Meta refuse what we allowed
    whatsapp_window: timedelta = timedelta(hours=24)
    # WhatsApp media the fake Graph API serves: id -> (content type, bytes)
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # Airbnb: authorisation codes, tokens with their expiry, reservations and their threads
    airbnb_codes: set[str] = field(default_factory=set)
    airbnb_tokens: dict[str, datetime] = field(default_factory=dict)
    airbnb_refresh_tokens: set[str] = field(default_factory=set)
    airbnb_fail_refresh: bool = False
    airbnb_reservations: dict[str, dict[str, Any]] = field(default_factory=dict)
    airbnb_threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Twilio: numbers that texted STOP (Twilio answers 21610 to sends until START)
    unsubscribed: set[str] = field(default_factory=set)

    def record(self, provider: str, path: str, body: Any) -> None:
        self.requests.append({"provider": provider, "path": path, "body": body, "at": time.time()})

    def spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
