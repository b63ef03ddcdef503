from __future__ import annotations

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
    """`pre_ping` checks each connection with a round trip before use. The API turns it off: it costs a
    quarter of a webhook's acknowledgement, and without it a restarted database costs one failed request
    (a 503 the caller retries), after which SQLAlchemy drops every pooled connection. Workers keep it: a
    job that fails on a stale connection would wait for its retry."""
    map_domain()
    return create_async_engine(
        to_async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=pre_ping,
        pool_recycle=1800,
        pool_timeout=5,
        connect_args={
            "timeout": 5,
            "command_timeout": statement_timeout_ms / 1000 + 5,
            "server_settings": {"statement_timeout": str(statement_timeout_ms), "application_name": "gmc"},
        },
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
