"""Fetching inbound attachments once, so staff see them through our own authenticated endpoint."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.tables import media_files, messages
from domain.ports.media import MediaFetcher


async def fetch_message_media(
    sessions: async_sessionmaker[AsyncSession],
    fetcher: MediaFetcher,
    property_id: uuid.UUID,
    message_id: uuid.UUID,
    now: datetime,
) -> int:
    async with sessions() as session:
        row = (
            await session.execute(
                select(messages.c.channel, messages.c.details).where(
                    messages.c.property_id == property_id, messages.c.id == message_id
                )
            )
        ).first()
        if row is None:
            return 0
        already = set(
            (
                await session.execute(select(media_files.c.position).where(media_files.c.message_id == message_id))
            ).scalars()
        )
    details = dict(row.details or {})
    count = len(details["media"]) if isinstance(details.get("media"), list) else (1 if details.get("media_id") else 0)
    stored = 0
    for position in range(count):
        if position in already:
            continue  # jobs may run twice: each attachment is kept once
        media = await fetcher.fetch(property_id, row.channel, details, position)
        async with sessions() as session:
            await session.execute(
                insert(media_files)
                .values(
                    id=uuid.uuid4(),
                    property_id=property_id,
                    message_id=message_id,
                    position=position,
                    content_type=media.content_type,
                    filename=media.filename,
                    size=len(media.data),
                    data=media.data,
                    fetched_at=now,
                )
                .on_conflict_do_nothing(index_elements=["message_id", "position"])
            )
            await session.commit()
        stored += 1
    return stored
