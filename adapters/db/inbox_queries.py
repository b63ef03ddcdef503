"""The inbox's read side: a fixed number of SQL statements per request, whatever the page size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, literal, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db import cursor as cursors
from adapters.db.tables import (
    bookings,
    conversation_labels,
    conversation_reads,
    conversations,
    guests,
    labels,
    messages,
    users,
)
from domain.channels import Channel


@dataclass(frozen=True)
class ConversationFilters:
    status: str | None = None
    channel: str | None = None
    unread: bool = False
    assigned: str | None = None  # "me" | "unassigned"
    q: str | None = None
    label_id: uuid.UUID | None = None


def _row_columns(user_id: uuid.UUID) -> list[Any]:
    read_seen = func.coalesce(conversation_reads.c.inbound_seen, 0)
    return [
        conversations,
        guests.c.first_name.label("g_first_name"),
        guests.c.last_name.label("g_last_name"),
        guests.c.phone.label("g_phone"),
        guests.c.email.label("g_email"),
        guests.c.language.label("g_language"),
        guests.c.opt_outs.label("g_opt_outs"),
        bookings.c.external_ref.label("b_external_ref"),
        bookings.c.check_in.label("b_check_in"),
        bookings.c.check_out.label("b_check_out"),
        bookings.c.status.label("b_status"),
        bookings.c.source.label("b_source"),
        bookings.c.room.label("b_room"),
        bookings.c.confirmation_code.label("b_confirmation_code"),
        users.c.name.label("assignee_name"),
        func.greatest(conversations.c.inbound_count - read_seen, 0).label("unread_count"),
        _labels_of_row().label("labels"),
    ]


def _labels_of_row() -> Any:
    """The row's labels as one JSON array, in the same statement: the page stays one query whatever its size
    (a primary-key probe per row; empty for unlabelled conversations)."""
    entry = func.jsonb_build_object("id", labels.c.id, "name", labels.c.name, "colour", labels.c.colour)
    return (
        select(func.coalesce(func.jsonb_agg(aggregate_order_by(entry, labels.c.name)), text("'[]'::jsonb")))
        .select_from(conversation_labels)
        .join(labels, labels.c.id == conversation_labels.c.label_id)
        .where(conversation_labels.c.conversation_id == conversations.c.id)
        .scalar_subquery()
    )


def _base(property_id: uuid.UUID, user_id: uuid.UUID) -> Any:
    return (
        select(*_row_columns(user_id))
        .select_from(conversations)
        .join(guests, guests.c.id == conversations.c.guest_id)
        .outerjoin(bookings, bookings.c.id == conversations.c.booking_id)
        .outerjoin(users, users.c.id == conversations.c.assignee_id)
        .outerjoin(
            conversation_reads,
            and_(conversation_reads.c.conversation_id == conversations.c.id, conversation_reads.c.user_id == user_id),
        )
        .where(conversations.c.property_id == property_id, conversations.c.started.is_(True))
    )


def _filtered(stmt: Any, filters: ConversationFilters, user_id: uuid.UUID) -> Any:
    if filters.status:
        stmt = stmt.where(conversations.c.status == filters.status)
    if filters.assigned == "me":
        stmt = stmt.where(conversations.c.assignee_id == user_id)
    elif filters.assigned == "unassigned":
        stmt = stmt.where(conversations.c.assignee_id.is_(None))
    if filters.unread:
        stmt = stmt.where(conversations.c.inbound_count > func.coalesce(conversation_reads.c.inbound_seen, 0))
    if filters.channel:
        has_channel = (
            select(literal(1))
            .select_from(messages)
            .where(messages.c.conversation_id == conversations.c.id, messages.c.channel == filters.channel)
            .exists()
        )
        stmt = stmt.where(has_channel)
    if filters.label_id:
        # EXISTS on the join table's primary key (conversation_id, label_id): the unfiltered path is untouched
        has_label = (
            select(literal(1))
            .select_from(conversation_labels)
            .where(
                conversation_labels.c.conversation_id == conversations.c.id,
                conversation_labels.c.label_id == filters.label_id,
            )
            .exists()
        )
        stmt = stmt.where(has_label)
    if filters.q:
        term = f"%{filters.q.strip()}%"
        digits = "".join(ch for ch in filters.q if ch.isdigit())
        clauses: list[Any] = [
            (guests.c.first_name + " " + guests.c.last_name).ilike(term),
            guests.c.email.ilike(term),
            bookings.c.external_ref.ilike(term),
            bookings.c.confirmation_code.ilike(term),
        ]
        if len(digits) >= 4:
            clauses.append(guests.c.phone.like(f"%{digits}%"))
        labelled = (
            select(literal(1))
            .select_from(conversation_labels)
            .join(labels, labels.c.id == conversation_labels.c.label_id)
            .where(conversation_labels.c.conversation_id == conversations.c.id, labels.c.name.ilike(term))
            .exists()
        )
        clauses.append(labelled)
        stmt = stmt.where(or_(*clauses))
    return stmt


async def list_conversations(
    session: AsyncSession,
    property_id: uuid.UUID,
    user_id: uuid.UUID,
    filters: ConversationFilters,
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    stmt = _filtered(_base(property_id, user_id), filters, user_id)
    if cursor:
        at, last_id = cursors.decode(cursor)
        stmt = stmt.where(
            tuple_(conversations.c.last_activity_at, conversations.c.id) < tuple_(literal(at), literal(last_id))
        )
    stmt = stmt.order_by(conversations.c.last_activity_at.desc(), conversations.c.id.desc()).limit(
        bindparam("page_limit", limit + 1, literal_execute=True)
    )
    rows = [dict(row) for row in (await session.execute(stmt)).mappings()]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursors.encode(rows[-1]["last_activity_at"], rows[-1]["id"])
    return rows, next_cursor


async def get_conversation_row(
    session: AsyncSession, property_id: uuid.UUID, user_id: uuid.UUID, conversation_id: uuid.UUID
) -> dict[str, Any] | None:
    stmt = _base(property_id, user_id).where(conversations.c.id == conversation_id)
    row = (await session.execute(stmt)).mappings().first()
    return dict(row) if row else None


async def list_messages(
    session: AsyncSession, property_id: uuid.UUID, conversation_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Newest page first; each page is returned oldest-to-newest, the cursor walks back in time."""
    stmt = (
        select(messages, users.c.name.label("author_name"))
        .outerjoin(users, users.c.id == messages.c.author_user_id)
        .where(messages.c.property_id == property_id, messages.c.conversation_id == conversation_id)
    )
    if cursor:
        at, last_id = cursors.decode(cursor)
        stmt = stmt.where(tuple_(messages.c.created_at, messages.c.id) < tuple_(literal(at), literal(last_id)))
    stmt = stmt.order_by(messages.c.created_at.desc(), messages.c.id.desc()).limit(
        bindparam("page_limit", limit + 1, literal_execute=True)
    )
    rows = [dict(row) for row in (await session.execute(stmt)).mappings()]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursors.encode(rows[-1]["created_at"], rows[-1]["id"])
    rows.reverse()
    return rows, next_cursor


def channels_used(row: dict[str, Any]) -> list[str]:
    seen = set(row.get("last_inbound_at") or {})
    if row.get("last_message_channel") in {c.value for c in Channel}:
        seen.add(row["last_message_channel"])
    return sorted(seen)


def as_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def unread_summary(session: AsyncSession, property_id: uuid.UUID, user_id: uuid.UUID) -> tuple[int, int]:
    unread = conversations.c.inbound_count - func.coalesce(conversation_reads.c.inbound_seen, 0)
    stmt = (
        select(func.count(), func.coalesce(func.sum(unread), 0))
        .select_from(conversations)
        .outerjoin(
            conversation_reads,
            and_(conversation_reads.c.conversation_id == conversations.c.id, conversation_reads.c.user_id == user_id),
        )
        .where(conversations.c.property_id == property_id, conversations.c.status == "open", unread > 0)
    )
    count, total = (await session.execute(stmt)).one()
    return int(count), int(total)
