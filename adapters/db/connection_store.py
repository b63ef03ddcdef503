"""Channel connections in PostgreSQL, their secrets sealed with Fernet before they are written."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.tables import channel_connections
from domain.ports.connections import ConnectionRecord


class SqlaConnectionStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], box: FernetSecretBox) -> None:
        self._sessions = sessions
        self._box = box

    def _record(self, row: Any) -> ConnectionRecord:
        return ConnectionRecord(
            property_id=row["property_id"],
            channel=row["channel"],
            status=row["status"],
            updated_at=row["updated_at"],
            external_id=row["external_id"],
            settings=dict(row["settings"] or {}),
            secrets=self._box.open(row["secrets"]),
            last_error=row["last_error"],
        )

    async def get(self, property_id: uuid.UUID, channel: str) -> ConnectionRecord | None:
        async with self._sessions() as session:
            row = (
                (
                    await session.execute(
                        select(channel_connections).where(
                            channel_connections.c.property_id == property_id, channel_connections.c.channel == channel
                        )
                    )
                )
                .mappings()
                .first()
            )
        return self._record(row) if row else None

    async def all_for(self, property_id: uuid.UUID) -> list[ConnectionRecord]:
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(channel_connections)
                    .where(channel_connections.c.property_id == property_id)
                    .order_by(channel_connections.c.channel)
                )
            ).mappings()
            return [self._record(r) for r in rows]

    async def owner_of(self, channel: str, external_id: str) -> uuid.UUID | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(channel_connections.c.property_id).where(
                    channel_connections.c.channel == channel, channel_connections.c.external_id == external_id
                )
            )

    async def save(self, record: ConnectionRecord) -> None:
        values = {
            "property_id": record.property_id,
            "channel": record.channel,
            "status": record.status,
            "external_id": record.external_id,
            "settings": record.settings,
            "secrets": self._box.seal(record.secrets),
            "last_error": record.last_error,
            "updated_at": record.updated_at,
        }
        statement = insert(channel_connections).values(id=uuid.uuid4(), **values)
        statement = statement.on_conflict_do_update(
            constraint="uq_channel_connections_property_id_channel", set_=values
        )
        async with self._sessions() as session:
            await session.execute(statement)
            await session.commit()
