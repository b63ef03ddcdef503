"""Counts the SQL statements each request really sends, in-process, with an engine event listener."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import event

from api.app import create_app
from api.container import Container, build_container
from api.settings import Settings


@dataclass
class Recorder:
    statements: list[tuple[str, Any]] = field(default_factory=list)
    checkouts: int = 0

    def reset(self) -> None:
        self.statements.clear()
        self.checkouts = 0


@asynccontextmanager
async def counting_client(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Recorder, Container]]:
    """An in-process client of the real app whose engine records every statement sent to PostgreSQL."""
    container = build_container(settings)
    recorder = Recorder()

    def on_execute(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        recorder.statements.append((statement, parameters))

    def on_checkout(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        recorder.checkouts += 1

    event.listen(container.engine.sync_engine, "before_cursor_execute", on_execute)
    event.listen(container.engine.sync_engine.pool, "checkout", on_checkout)
    app = create_app(settings, container=container)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            yield client, recorder, container
    finally:
        await container.aclose()


def summarize(statement: str) -> str:
    flat = " ".join(statement.split())
    if flat.upper().startswith("SELECT"):
        frm = flat.upper().find(" FROM ")
        return "SELECT … " + flat[frm + 1 : frm + 1 + 70] if frm > 0 else flat[:80]
    return flat[:80]
