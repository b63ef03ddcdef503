from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from adapters.db.tables import map_domain


def to_async_url(url: str) -> str:
    """Accept the usual postgres:// forms and use the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a PostgreSQL URL")


def make_engine(
    url: str, *, pool_size: int = 10, statement_timeout_ms: int = 10_000, pre_ping: bool = True
) -> AsyncEngine:
    """`pre_ping` replaces a pooled connection the database has closed (a restart) before it is used. The
    API turns it off: without it a restarted database costs one failed request (a 503 the caller retries),
    after which SQLAlchemy drops every pooled connection. Workers keep it: a job that fails on a stale
    connection would wait for its retry.

    It is not SQLAlchemy's `pool_pre_ping`: with asyncpg that is three round trips per checkout (BEGIN, a
    query, ROLLBACK), a tenth of a worker's database time in a burst of sends. The driver already knows when
    the server closed the socket; asking it costs nothing."""
    map_domain()
    engine = create_async_engine(
        to_async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_recycle=1800,
        pool_timeout=5,
        connect_args={
            "timeout": 5,
            "command_timeout": statement_timeout_ms / 1000 + 5,
            "server_settings": {"statement_timeout": str(statement_timeout_ms), "application_name": "gmc"},
        },
    )
    if pre_ping:
        event.listen(engine.sync_engine.pool, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    # the pool discards a connection refused here and checks out another (a new one if need be)
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the database closed this pooled connection")


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
