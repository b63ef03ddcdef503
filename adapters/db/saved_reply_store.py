"""Saved replies in PostgreSQL; the per-language texts are one JSON object beside the name."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.tables import saved_replies as t
from domain.errors import FieldProblem, InvalidInput
from domain.saved_replies.model import SavedReply


def _to_reply(row: Any) -> SavedReply:
    return SavedReply(
        property_id=row["property_id"],
        name=row["name"],
        shortcut=row["shortcut"],
        bodies=dict(row["bodies"] or {}),
        id=row["id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlaSavedReplyStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, property_id: uuid.UUID, reply_id: uuid.UUID) -> SavedReply | None:
        async with self._sessions() as session:
            row = (
                (await session.execute(select(t).where(t.c.property_id == property_id, t.c.id == reply_id)))
                .mappings()
                .first()
            )
        return _to_reply(row) if row else None

    async def all_for(self, property_id: uuid.UUID) -> list[SavedReply]:
        async with self._sessions() as session:
            rows = (
                await session.execute(select(t).where(t.c.property_id == property_id).order_by(t.c.shortcut))
            ).mappings()
            return [_to_reply(row) for row in rows]

    async def save(self, reply: SavedReply) -> None:
        values = {
            "property_id": reply.property_id,
            "name": reply.name,
            "shortcut": reply.shortcut,
            "bodies": reply.bodies,
            "created_at": reply.created_at,
            "updated_at": reply.updated_at,
        }
        statement = insert(t).values(id=reply.id, **values).on_conflict_do_update(index_elements=[t.c.id], set_=values)
        async with self._sessions() as session:
            try:
                await session.execute(statement)
                await session.commit()
            except IntegrityError as exc:
                # two editors saving the same shortcut at once: the unique constraint decides
                if "uq_saved_replies_property_id_shortcut" not in str(exc.orig):
                    raise
                raise InvalidInput(
                    [FieldProblem("shortcut", "shortcut_taken", f"/{reply.shortcut} is already used.")],
                    "The saved reply has problems.",
                ) from exc

    async def delete(self, reply: SavedReply) -> None:
        async with self._sessions() as session:
            await session.execute(delete(t).where(t.c.property_id == reply.property_id, t.c.id == reply.id))
            await session.commit()
