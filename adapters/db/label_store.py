"""The label catalogue and the conversation ⋈ label join table in PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.tables import conversation_labels, labels
from domain.errors import FieldProblem, InvalidInput
from domain.services.labels import Label


def _to_label(row: Any) -> Label:
    return Label(row["property_id"], row["name"], row["colour"], id=row["id"], created_at=row["created_at"])


class SqlaLabelStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, property_id: uuid.UUID, label_id: uuid.UUID) -> Label | None:
        async with self._sessions() as session:
            row = (
                (
                    await session.execute(
                        select(labels).where(labels.c.property_id == property_id, labels.c.id == label_id)
                    )
                )
                .mappings()
                .first()
            )
        return _to_label(row) if row else None

    async def all_for(self, property_id: uuid.UUID) -> list[Label]:
        async with self._sessions() as session:
            rows = (
                await session.execute(select(labels).where(labels.c.property_id == property_id).order_by(labels.c.name))
            ).mappings()
            return [_to_label(row) for row in rows]

    async def save(self, label: Label) -> None:
        values = {"property_id": label.property_id, "name": label.name, "colour": label.colour}
        statement = (
            insert(labels)
            .values(id=label.id, created_at=label.created_at, **values)
            .on_conflict_do_update(index_elements=[labels.c.id], set_=values)
        )
        async with self._sessions() as session:
            try:
                await session.execute(statement)
                await session.commit()
            except IntegrityError as exc:
                if "uq_labels_property_id_name" not in str(exc.orig):
                    raise
                raise InvalidInput(
                    [FieldProblem("name", "label_exists", f"A label named {label.name} already exists.")],
                    "The label has problems.",
                ) from exc

    async def delete(self, label: Label) -> None:
        async with self._sessions() as session:
            await session.execute(
                delete(labels).where(labels.c.property_id == label.property_id, labels.c.id == label.id)
            )
            await session.commit()

    async def for_conversation(self, property_id: uuid.UUID, conversation_id: uuid.UUID) -> list[Label]:
        stmt = (
            select(labels)
            .join(conversation_labels, conversation_labels.c.label_id == labels.c.id)
            .where(
                conversation_labels.c.property_id == property_id,
                conversation_labels.c.conversation_id == conversation_id,
            )
            .order_by(labels.c.name)
        )
        async with self._sessions() as session:
            return [_to_label(row) for row in (await session.execute(stmt)).mappings()]

    async def attach(self, label: Label, conversation_id: uuid.UUID, now: datetime) -> None:
        statement = (
            insert(conversation_labels)
            .values(conversation_id=conversation_id, label_id=label.id, property_id=label.property_id, created_at=now)
            .on_conflict_do_nothing()
        )
        async with self._sessions() as session:
            await session.execute(statement)
            await session.commit()

    async def detach(self, label: Label, conversation_id: uuid.UUID) -> None:
        async with self._sessions() as session:
            await session.execute(
                delete(conversation_labels).where(
                    conversation_labels.c.property_id == label.property_id,
                    conversation_labels.c.conversation_id == conversation_id,
                    conversation_labels.c.label_id == label.id,
                )
            )
            await session.commit()
