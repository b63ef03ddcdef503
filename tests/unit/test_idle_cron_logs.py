"""`make run`'s log: the worker's idle housekeeping runs (every 2 s for the outgoing-webhook pump) stay out of it."""

from __future__ import annotations

import inspect
import logging

import arq.worker

from api.observability import IdleCronFilter


def _arq_line(fmt: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("arq.worker", logging.INFO, arq.worker.__file__, 0, fmt, args, None)


def test_the_filter_knows_arqs_own_lines() -> None:
    """If arq words its job lines differently, the filter would quietly let every idle run through again."""
    source = inspect.getsource(arq.worker)
    assert repr(IdleCronFilter._STARTED) in source and repr(IdleCronFilter._FINISHED) in source


def test_idle_periodic_runs_are_dropped_and_the_rest_kept() -> None:
    keep = IdleCronFilter().filter
    started, finished = IdleCronFilter._STARTED, IdleCronFilter._FINISHED
    assert not keep(_arq_line(started, 1.0, "cron:pump_outgoing_webhooks", "", ""))
    assert not keep(_arq_line(finished, 0.0, "cron:pump_outgoing_webhooks", "0"))
    assert not keep(_arq_line(finished, 0.0, "cron:refresh_airbnb_tokens", ""))
    # a periodic job that did something, every ordinary job and every other line stay
    assert keep(_arq_line(finished, 0.2, "cron:sweep_planned", "3"))
    assert keep(_arq_line(started, 0.1, "01ab:deliver_messages", "'p', ['m']", ""))
    assert keep(_arq_line(finished, 0.3, "01ab:deliver_messages", "{'sent': 1}"))
    assert keep(_arq_line("%6.2fs ! %s failed, %s: %s", 0.1, "cron:sweep", "OSError", "down"))
    assert keep(logging.LogRecord("workers", logging.INFO, __file__, 0, "%s ● %s", ("cron:x", "0"), None))
