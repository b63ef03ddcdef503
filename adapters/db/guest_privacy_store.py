"""Right of access (everything we hold on a guest, as JSON) and right of erasure, in SQL.

Both read and write only the caller's property. Erasure runs in one transaction: all of it or nothing.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Text, cast, delete, func, literal, or_, select, text, update
from sqlalchemy.dialects.postgresql import JSONB, array
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import (
    bookings,
    conversations,
    guest_consents,
    guest_erasures,
    guests,
    media_files,
    messages,
    outgoing_webhook_deliveries,
    outgoing_webhook_events,
    planned_sends,
    webhook_events,
)
from domain.privacy import REDACTED, hashed

_REDACTED_JSON = cast(json.dumps(REDACTED), JSONB)


def _path(*keys: str) -> Any:
    return cast(array(list(keys)), ARRAY(Text))


GUEST_FIELDS = ("id", "first_name", "last_name", "phone", "email", "language", "airbnb_user_id", "opt_outs")


def _plain(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if isinstance(value, bytes):
            out[key] = base64.b64encode(value).decode()
        elif isinstance(value, (uuid.UUID, datetime)) or hasattr(value, "isoformat"):
            out[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        elif value.__class__.__name__ == "Decimal":
            out[key] = str(value)
        else:
            out[key] = value
    return out


async def _rows(session: AsyncSession, stmt: Any) -> list[dict[str, Any]]:
    return [_plain(r) for r in (await session.execute(stmt)).mappings()]


async def export_guest(session: AsyncSession, property_id: uuid.UUID, guest_id: uuid.UUID) -> dict[str, Any] | None:
    guest = (
        (
            await session.execute(
                select(*(guests.c[f] for f in GUEST_FIELDS), guests.c.created_at, guests.c.updated_at).where(
                    guests.c.property_id == property_id, guests.c.id == guest_id
                )
            )
        )
        .mappings()
        .first()
    )
    if guest is None:
        return None
    conversation_ids = select(conversations.c.id).where(
        conversations.c.property_id == property_id, conversations.c.guest_id == guest_id
    )
    message_ids = select(messages.c.id).where(
        messages.c.property_id == property_id, messages.c.conversation_id.in_(conversation_ids)
    )
    booking_ids = select(bookings.c.id).where(bookings.c.property_id == property_id, bookings.c.guest_id == guest_id)
    erasure = (
        (await session.execute(select(guest_erasures).where(guest_erasures.c.guest_id == guest_id))).mappings().first()
    )
    return {
        "profile": _plain(guest),
        "erased": erasure is not None,
        "erasure": _plain(erasure) if erasure else None,
        "bookings": await _rows(
            session, select(bookings).where(bookings.c.id.in_(booking_ids)).order_by(bookings.c.check_in)
        ),
        "conversations": await _rows(session, select(conversations).where(conversations.c.id.in_(conversation_ids))),
        "messages": await _rows(
            session, select(messages).where(messages.c.id.in_(message_ids)).order_by(messages.c.created_at)
        ),
        "attachments": await _rows(
            session,
            # metadata only: the files themselves are fetched one by one (GET /media/{id})
            select(
                media_files.c.id,
                media_files.c.message_id,
                media_files.c.content_type,
                media_files.c.filename,
                media_files.c.size,
                media_files.c.fetched_at,
            ).where(media_files.c.property_id == property_id, media_files.c.message_id.in_(message_ids)),
        ),
        "planned_sends": await _rows(
            session,
            select(planned_sends).where(
                planned_sends.c.property_id == property_id, planned_sends.c.booking_id.in_(booking_ids)
            ),
        ),
        "consents": await _rows(
            session,
            select(guest_consents)
            .where(guest_consents.c.property_id == property_id, guest_consents.c.guest_id == guest_id)
            .order_by(guest_consents.c.recorded_at),
        ),
    }


async def is_erased(session: AsyncSession, property_id: uuid.UUID, guest_id: uuid.UUID) -> bool:
    stmt = select(func.count()).where(
        guest_erasures.c.property_id == property_id, guest_erasures.c.guest_id == guest_id
    )
    return (await session.scalar(stmt)) == 1


async def erase_guest(
    session: AsyncSession, property_id: uuid.UUID, guest_id: uuid.UUID, user_id: uuid.UUID | None, now: datetime
) -> dict[str, int] | None:
    """None when the guest is not in this property. The caller commits."""
    guest = (
        await session.execute(
            select(guests.c.phone, guests.c.email, guests.c.airbnb_user_id)
            .where(guests.c.property_id == property_id, guests.c.id == guest_id)
            .with_for_update()
        )
    ).first()
    if guest is None:
        return None
    conversation_ids = [
        r
        for r in (
            await session.execute(
                select(conversations.c.id).where(
                    conversations.c.property_id == property_id, conversations.c.guest_id == guest_id
                )
            )
        ).scalars()
    ]
    message_rows = (
        await session.execute(
            select(messages.c.id, messages.c.provider_message_id).where(
                messages.c.property_id == property_id, messages.c.conversation_id.in_(conversation_ids)
            )
        )
    ).all()
    message_ids = [r.id for r in message_rows]
    media = await session.execute(
        delete(media_files).where(media_files.c.property_id == property_id, media_files.c.message_id.in_(message_ids))
    )
    for row in message_rows:
        await session.execute(
            update(messages)
            .where(messages.c.id == row.id)
            .values(
                body=REDACTED,
                template_params=None,
                error_reason=None,
                details={"redacted": True},
                provider_message_id=hashed(row.provider_message_id),
            )
        )
    await session.execute(
        update(conversations)
        .where(conversations.c.property_id == property_id, conversations.c.id.in_(conversation_ids))
        .values(last_message_preview=REDACTED)
    )
    booking_rows = await session.execute(
        select(bookings.c.id, bookings.c.airbnb_thread_id).where(
            bookings.c.property_id == property_id, bookings.c.guest_id == guest_id
        )
    )
    booking_count = 0
    for row in booking_rows.all():
        booking_count += 1
        await session.execute(
            update(bookings)
            .where(bookings.c.id == row.id)
            .values(custom_fields={}, confirmation_code=None, airbnb_thread_id=hashed(row.airbnb_thread_id))
        )
    raw_events = await _redact_raw_webhooks(session, property_id, guest, [r.provider_message_id for r in message_rows])
    await _redact_outgoing_payloads(session, property_id, [str(i) for i in message_ids])
    await session.execute(
        update(guests)
        .where(guests.c.id == guest_id)
        .values(
            first_name="",
            last_name="",
            phone=None,
            email=None,
            language=None,
            airbnb_user_id=hashed(guest.airbnb_user_id),
            updated_at=now,
        )
    )
    summary = {
        "messages_redacted": len(message_ids),
        "attachments_deleted": media.rowcount or 0,  # type: ignore[attr-defined]
        "bookings_cleared": booking_count,
        "raw_webhooks_redacted": raw_events,
    }
    await session.execute(
        guest_erasures.insert().values(
            guest_id=guest_id, property_id=property_id, erased_by=user_id, erased_at=now, summary=summary
        )
    )
    return summary


async def _redact_raw_webhooks(
    session: AsyncSession, property_id: uuid.UUID, guest: Any, provider_ids: list[str | None]
) -> int:
    """Provider callbacks are stored raw for audit and replay; those that mention the guest are emptied."""
    needles = [v for v in (guest.phone, guest.email, guest.airbnb_user_id, *provider_ids) if v]
    if not needles:
        return 0
    clauses = [
        text(f"position(CAST(:n{i} AS bytea) in webhook_events.body) > 0").bindparams(**{f"n{i}": value.encode()})
        for i, value in enumerate(needles)
    ]
    result = await session.execute(
        update(webhook_events)
        .where(webhook_events.c.property_id == property_id, or_(*clauses))
        .values(body=literal(b""), headers={})
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def _redact_outgoing_payloads(session: AsyncSession, property_id: uuid.UUID, message_ids: list[str]) -> None:
    if not message_ids:
        return
    await session.execute(
        update(outgoing_webhook_deliveries)
        .where(
            outgoing_webhook_deliveries.c.property_id == property_id,
            outgoing_webhook_deliveries.c.payload["data"]["message_id"].astext.in_(message_ids),
        )
        .values(payload=func.jsonb_set(outgoing_webhook_deliveries.c.payload, _path("data", "body"), _REDACTED_JSON))
    )
    await session.execute(
        update(outgoing_webhook_events)
        .where(
            outgoing_webhook_events.c.property_id == property_id,
            outgoing_webhook_events.c.payload["message_id"].astext.in_(message_ids),
        )
        .values(payload=func.jsonb_set(outgoing_webhook_events.c.payload, _path("body"), _REDACTED_JSON))
    )
