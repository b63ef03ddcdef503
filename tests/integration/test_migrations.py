"""The schema has one source of truth: models and migrations must never drift apart."""

from __future__ import annotations

import asyncio
import uuid

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.db.engine import to_async_url
from adapters.db.tables import metadata
from api.migrate import alembic_config


async def _diff(url: str) -> list:
    engine = create_async_engine(to_async_url(url))
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
    finally:
        await engine.dispose()


async def _admin(url: str, sql: str) -> None:
    engine = create_async_engine(to_async_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


def test_models_and_migrations_do_not_drift(servers):
    assert asyncio.run(_diff(servers.database_url)) == []


def test_stairway_every_migration_goes_up_and_down(servers):
    name = f"gmc_stairway_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(servers.database_url, f'CREATE DATABASE "{name}"'))
    url = make_url(servers.database_url).set(database=name).render_as_string(hide_password=False)
    try:
        config = alembic_config(url)
        revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
        for revision in revisions:
            command.upgrade(config, revision.revision)
            command.downgrade(config, revision.down_revision or "base")
            command.upgrade(config, revision.revision)
        assert asyncio.run(_diff(url)) == []
    finally:
        asyncio.run(_admin(servers.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
