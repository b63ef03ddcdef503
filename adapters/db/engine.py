from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from adapters.db.tables import map_domain


def to_async_url(url: str) -> str:
    """Accept the usual postgres:// forms and use the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a PostgreSQL URL")


def make_engine(url: str, *, pool_size: int = 10, statement_timeout_ms: int = 10_000) -> AsyncEngine:
    map_domain()
    return create_async_engine(
        to_async_url(url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=5,
        connect_args={
            "timeout": 5,
            "command_timeout": statement_timeout_ms / 1000 + 5,
            "server_settings": {"statement_timeout": str(statement_timeout_ms), "application_name": "gmc"},
        },
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
