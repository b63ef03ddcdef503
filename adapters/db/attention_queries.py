"""The needs-attention queue's read side: the four kinds of item as one UNION ALL, keyset-paginated.

Two statements for a page (the counts per kind, the page itself) and one for the conversations of the
page's items, whatever the page size. Failed and held sends are read through the partial index
ix_messages_needs_attention.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, literal, not_, select, tuple_, union_all
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db import cursor as cursors
from adapters.db.tables import (
    attention_dismissals,
    attention_settings,
    bookings,
    conversations,
    guests,
    messages,
    planned_sends,
    scheduled_rules,
)
from domain.message_status import MessageStatus
from domain.model import Conversation, Guest
from domain.ports.attention import Dismissal
from domain.services.attention import HORIZON, STAFF_SKIP_REASON, ItemKind


def _not_dismissed(kind: ItemKind, item_id: Any) -> Any:
    return not_(
        select(literal(1))
        .select_from(attention_dismissals)
        .where(attention_dismissals.c.kind == kind.value, attention_dismissals.c.item_id == item_id)
        .exists()
    )


def _guest_name() -> Any:
    """As Guest.display_name: the name, else the phone or e-mail the guest is known by."""
    name = func.nullif(func.trim(guests.c.first_name + " " + guests.c.last_name), "")
    return func.coalesce(name, guests.c.phone, guests.c.email, "Guest")


def _sends(property_id: uuid.UUID, kind: ItemKind, since: datetime) -> Any:
    at = func.coalesce(messages.c.status_changed_at, messages.c.created_at)
    if kind == ItemKind.FAILED_SEND:
        state = and_(messages.c.status == MessageStatus.FAILED, messages.c.status_changed_at >= since)
    else:
        state = and_(
            messages.c.status == MessageStatus.QUEUED,
            messages.c.error_code.is_not(None),
            messages.c.next_attempt_at.is_(None),
        )
    return (
        select(
            literal(kind.value).label("kind"),
            messages.c.id.label("item_id"),
            at.label("at"),
            messages.c.conversation_id.label("conversation_id"),
            messages.c.channel.label("channel"),
            messages.c.error_code.label("code"),
            messages.c.error_reason.label("reason"),
            messages.c.kind.label("message_kind"),
            func.left(messages.c.body, 200).label("preview"),
            _guest_name().label("guest_name"),
        )
        .select_from(messages)
        .join(conversations, conversations.c.id == messages.c.conversation_id)
        .join(guests, guests.c.id == conversations.c.guest_id)
        .where(
            messages.c.property_id == property_id,
            messages.c.direction == "outbound",
            messages.c.kind != "note",
            state,
            _not_dismissed(kind, messages.c.id),
        )
    )


def _skipped(property_id: uuid.UUID, since: datetime) -> Any:
    return (
        select(
            literal(ItemKind.SKIPPED_SCHEDULED.value).label("kind"),
            planned_sends.c.id.label("item_id"),
            planned_sends.c.updated_at.label("at"),
            conversations.c.id.label("conversation_id"),
            literal(None).label("channel"),
            literal(None).label("code"),
            planned_sends.c.reason.label("reason"),
            literal("scheduled").label("message_kind"),
            scheduled_rules.c.name.label("preview"),
            _guest_name().label("guest_name"),
        )
        .select_from(planned_sends)
        .join(scheduled_rules, scheduled_rules.c.id == planned_sends.c.rule_id)
        .join(bookings, bookings.c.id == planned_sends.c.booking_id)
        .join(guests, guests.c.id == bookings.c.guest_id)
        .outerjoin(
            conversations,
            and_(conversations.c.property_id == property_id, conversations.c.guest_id == bookings.c.guest_id),
        )
        .where(
            planned_sends.c.property_id == property_id,
            planned_sends.c.state == "skipped",
            planned_sends.c.updated_at >= since,
            planned_sends.c.reason.is_distinct_from(STAFF_SKIP_REASON),
            _not_dismissed(ItemKind.SKIPPED_SCHEDULED, planned_sends.c.id),
        )
    )


def _waiting(property_id: uuid.UUID, waited_since: datetime) -> Any:
    return (
        select(
            literal(ItemKind.WAITING_REPLY.value).label("kind"),
            conversations.c.id.label("item_id"),
            conversations.c.last_message_at.label("at"),
            conversations.c.id.label("conversation_id"),
            conversations.c.last_message_channel.label("channel"),
            literal(None).label("code"),
            literal(None).label("reason"),
            literal(None).label("message_kind"),
            conversations.c.last_message_preview.label("preview"),
            _guest_name().label("guest_name"),
        )
        .select_from(conversations)
        .join(guests, guests.c.id == conversations.c.guest_id)
        .where(
            conversations.c.property_id == property_id,
            conversations.c.status == "open",
            conversations.c.started.is_(True),
            conversations.c.last_message_direction == "inbound",
            conversations.c.last_message_at <= waited_since,
        )
    )


def _queue(property_id: uuid.UUID, now: datetime, reply_after_minutes: int) -> Any:
    since = now - HORIZON
    return union_all(
        _sends(property_id, ItemKind.FAILED_SEND, since),
        _sends(property_id, ItemKind.HELD_SEND, since),
        _skipped(property_id, since),
        _waiting(property_id, now - timedelta(minutes=reply_after_minutes)),
    ).subquery("queue")


async def counts(
    session: AsyncSession, property_id: uuid.UUID, now: datetime, reply_after_minutes: int
) -> dict[str, int]:
    queue = _queue(property_id, now, reply_after_minutes)
    rows = await session.execute(select(queue.c.kind, func.count()).group_by(queue.c.kind))
    found = {str(kind): int(n) for kind, n in rows}
    return {kind.value: found.get(kind.value, 0) for kind in ItemKind}


async def page(
    session: AsyncSession,
    property_id: uuid.UUID,
    now: datetime,
    reply_after_minutes: int,
    kind: ItemKind | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first; the cursor is the (time, id) of the last item seen."""
    queue = _queue(property_id, now, reply_after_minutes)
    stmt = select(queue)
    if kind is not None:
        stmt = stmt.where(queue.c.kind == kind.value)
    if cursor:
        at, last_id = cursors.decode(cursor)
        stmt = stmt.where(tuple_(queue.c.at, queue.c.item_id) < tuple_(literal(at), literal(last_id)))
    stmt = stmt.order_by(queue.c.at.desc(), queue.c.item_id.desc()).limit(
        bindparam("page_limit", limit + 1, literal_execute=True)
    )
    rows = [dict(row) for row in (await session.execute(stmt)).mappings()]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursors.encode(rows[-1]["at"], rows[-1]["item_id"])
    return rows, next_cursor


async def threads(
    session: AsyncSession, property_id: uuid.UUID, conversation_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[Conversation, Guest]]:
    """The conversations and guests behind a page of items: what their remedies are decided on."""
    if not conversation_ids:
        return {}
    stmt = (
        select(
            conversations.c.id,
            conversations.c.guest_id,
            conversations.c.last_activity_at,
            conversations.c.last_inbound_at,
            guests.c.first_name,
            guests.c.last_name,
            guests.c.phone,
            guests.c.email,
            guests.c.language,
            guests.c.opt_outs,
        )
        .join(guests, guests.c.id == conversations.c.guest_id)
        .where(conversations.c.property_id == property_id, conversations.c.id.in_(conversation_ids))
    )
    found: dict[uuid.UUID, tuple[Conversation, Guest]] = {}
    for row in (await session.execute(stmt)).mappings():
        conversation = Conversation(
            property_id=property_id,
            guest_id=row["guest_id"],
            last_activity_at=row["last_activity_at"],
            last_inbound_at=row["last_inbound_at"] or {},
            id=row["id"],
        )
        guest = Guest(
            property_id=property_id,
            first_name=row["first_name"],
            last_name=row["last_name"],
            phone=row["phone"],
            email=row["email"],
            language=row["language"],
            opt_outs=row["opt_outs"] or {},
            id=row["guest_id"],
        )
        found[row["id"]] = (conversation, guest)
    return found


class SqlaAttentionLog:
    """Writes through the caller's session: the dismissal commits with the re-send it records."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, dismissal: Dismissal) -> None:
        await self._session.execute(
            insert(attention_dismissals)
            .values(
                kind=dismissal.kind,
                item_id=dismissal.item_id,
                property_id=dismissal.property_id,
                resolution=dismissal.resolution,
                resolved_message_id=dismissal.resolved_message_id,
                user_id=dismissal.user_id,
                created_at=dismissal.at,
            )
            .on_conflict_do_nothing()
        )


class SqlaAttentionSettings:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def reply_after_minutes(self, property_id: uuid.UUID) -> int | None:
        value = await self._session.scalar(
            select(attention_settings.c.reply_after_minutes).where(attention_settings.c.property_id == property_id)
        )
        return int(value) if value is not None else None

    async def set_reply_after_minutes(self, property_id: uuid.UUID, minutes: int, now: datetime) -> None:
        await self._session.execute(
            insert(attention_settings)
            .values(property_id=property_id, reply_after_minutes=minutes, updated_at=now)
            .on_conflict_do_update(
                index_elements=[attention_settings.c.property_id],
                set_={"reply_after_minutes": minutes, "updated_at": now},
            )
        )
