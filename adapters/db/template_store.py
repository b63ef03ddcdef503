"""WhatsApp templates in PostgreSQL; buttons and variable mappings kept as JSON beside the text."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.db.tables import whatsapp_templates as t
from domain.templates.model import (
    ButtonKind,
    TemplateButton,
    TemplateCategory,
    TemplateStatus,
    TemplateVariable,
    WhatsAppTemplate,
)


def _variable(raw: dict[str, Any] | None) -> TemplateVariable | None:
    return TemplateVariable(int(raw["index"]), str(raw["placeholder"]), str(raw["example"])) if raw else None


def to_template(row: Any) -> WhatsAppTemplate:
    return WhatsAppTemplate(
        property_id=row["property_id"],
        name=row["name"],
        language=row["language"],
        category=TemplateCategory(row["category"]),
        body=row["body"],
        header_text=row["header_text"],
        footer=row["footer"],
        buttons=[TemplateButton(**{**b, "kind": ButtonKind(b["kind"])}) for b in row["buttons"] or []],
        body_variables=[v for v in (_variable(raw) for raw in row["body_variables"] or []) if v],
        header_variable=_variable(row["header_variable"]),
        status=TemplateStatus(row["status"]),
        provider_template_id=row["provider_template_id"],
        rejection_reason=row["rejection_reason"],
        rejection_recommendation=row["rejection_recommendation"],
        id=row["id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _values(template: WhatsAppTemplate) -> dict[str, Any]:
    return {
        "property_id": template.property_id,
        "name": template.name,
        "language": template.language,
        "category": template.category.value,
        "header_text": template.header_text,
        "body": template.body,
        "footer": template.footer,
        "buttons": [{**asdict(b), "kind": b.kind.value} for b in template.buttons],
        "body_variables": [asdict(v) for v in template.body_variables],
        "header_variable": asdict(template.header_variable) if template.header_variable else None,
        "status": template.status.value,
        "provider_template_id": template.provider_template_id,
        "rejection_reason": template.rejection_reason,
        "rejection_recommendation": template.rejection_recommendation,
        "created_at": template.created_at,
        "updated_at": template.updated_at,
    }


class SqlaTemplateStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def _first(self, *where: Any) -> WhatsAppTemplate | None:
        async with self._sessions() as session:
            row = (await session.execute(select(t).where(*where))).mappings().first()
        return to_template(row) if row else None

    async def get(self, property_id: uuid.UUID, template_id: uuid.UUID) -> WhatsAppTemplate | None:
        return await self._first(t.c.property_id == property_id, t.c.id == template_id)

    async def by_provider_id(self, provider_template_id: str) -> WhatsAppTemplate | None:
        return await self._first(t.c.provider_template_id == provider_template_id)

    async def all_for(self, property_id: uuid.UUID) -> list[WhatsAppTemplate]:
        async with self._sessions() as session:
            rows = (
                await session.execute(select(t).where(t.c.property_id == property_id).order_by(t.c.name, t.c.language))
            ).mappings()
            return [to_template(r) for r in rows]

    async def pending(self, limit: int = 200) -> list[WhatsAppTemplate]:
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(t).where(t.c.status == "pending", t.c.provider_template_id.is_not(None)).limit(limit)
                )
            ).mappings()
            return [to_template(r) for r in rows]

    async def save(self, template: WhatsAppTemplate) -> None:
        values = _values(template)
        statement = (
            insert(t).values(id=template.id, **values).on_conflict_do_update(index_elements=[t.c.id], set_=values)
        )
        async with self._sessions() as session:
            await session.execute(statement)
            await session.commit()

    async def delete(self, template: WhatsAppTemplate) -> None:
        async with self._sessions() as session:
            await session.execute(delete(t).where(t.c.property_id == template.property_id, t.c.id == template.id))
            await session.commit()
