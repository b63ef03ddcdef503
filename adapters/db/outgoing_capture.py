"""Outgoing-webhook events, written in the same transaction as the change they announce (an outbox).

A `before_flush` listener looks at what the unit of work is about to write — a guest's new message, a
message whose status moved, a conversation whose assignee changed, a planned send that settled — and writes
one `outgoing_webhook_events` row per fact for the properties that have a subscription. Nothing is lost
when the process dies after the commit, and nothing is announced for a change that was rolled back. A
worker fans the rows out to the subscriptions (domain/services/outgoing_webhooks.py) and deletes them.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String, bindparam, event, inspect, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import Session

from domain.channels import Direction, MessageKind
from domain.model import Conversation, Message, new_id
from domain.outgoing_webhooks import EventType
from domain.scheduling.model import PlannedSend, SendState

_DONE = {SendState.SENT, SendState.SKIPPED, SendState.FAILED}
_installed = False


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _changed(obj: object, attribute: str) -> bool:
    return bool(inspect(obj).attrs[attribute].history.has_changes())


def _previous(obj: object, attribute: str) -> Any:
    deleted = inspect(obj).attrs[attribute].history.deleted
    return deleted[0] if deleted else None


def _message_events(message: Message, is_new: bool) -> list[tuple[str, dict[str, Any]]]:
    if message.kind == MessageKind.NOTE:
        return []
    if is_new and message.direction == Direction.INBOUND:
        return [
            (
                EventType.MESSAGE_RECEIVED,
                {
                    "message_id": str(message.id),
                    "conversation_id": str(message.conversation_id),
                    "channel": str(message.channel),
                    "kind": str(message.kind),
                    "body": message.body,
                    "received_at": _iso(message.created_at),
                },
            )
        ]
    if message.direction == Direction.OUTBOUND and not is_new and _changed(message, "status"):
        return [
            (
                EventType.MESSAGE_STATUS,
                {
                    "message_id": str(message.id),
                    "conversation_id": str(message.conversation_id),
                    "channel": str(message.channel),
                    "status": str(message.status),
                    "previous_status": _previous(message, "status"),
                    "error_code": message.error_code,
                    "error_reason": message.error_reason,
                    "changed_at": _iso(message.status_changed_at),
                },
            )
        ]
    return []


def _facts(session: Session) -> list[tuple[uuid.UUID, str, dict[str, Any]]]:
    facts: list[tuple[uuid.UUID, str, dict[str, Any]]] = []
    for obj in list(session.new) + list(session.dirty):
        is_new = obj in session.new
        if isinstance(obj, Message):
            facts += [(obj.property_id, kind, data) for kind, data in _message_events(obj, is_new)]
        elif isinstance(obj, Conversation) and not is_new and _changed(obj, "assignee_id"):
            previous = _previous(obj, "assignee_id")
            facts.append(
                (
                    obj.property_id,
                    EventType.CONVERSATION_ASSIGNED,
                    {
                        "conversation_id": str(obj.id),
                        "assignee_id": str(obj.assignee_id) if obj.assignee_id else None,
                        "previous_assignee_id": str(previous) if previous else None,
                    },
                )
            )
        elif isinstance(obj, PlannedSend) and obj.state in _DONE and (is_new or _changed(obj, "state")):
            facts.append(
                (
                    obj.property_id,
                    EventType.SCHEDULED_SEND_DONE,
                    {
                        "planned_send_id": str(obj.id),
                        "rule_id": str(obj.rule_id),
                        "booking_id": str(obj.booking_id),
                        "state": str(obj.state),
                        "reason": obj.reason,
                        "message_id": str(obj.message_id) if obj.message_id else None,
                    },
                )
            )
    return facts


# Rows only for properties that subscribe to something, read as committed when the flush runs (a subscription
# made before a change sees it). Most properties have none: for them one short query per flush, and the facts'
# are neither built nor sent (building, encoding and sending them for PostgreSQL to drop was ~0.2 ms of worker
# CPU per scheduled SMS in bench.scheduler, whose status moves four times).
_SUBSCRIBED = text(
    "SELECT DISTINCT property_id FROM outgoing_webhook_subscriptions WHERE active AND property_id = ANY(:ids)"
).bindparams(bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True))))

_INSERT = text(
    """
    INSERT INTO outgoing_webhook_events (property_id, event_id, event_type, payload, occurred_at)
    SELECT f.property_id, f.event_id, f.event_type, f.payload, :now
    FROM unnest(:property_ids, :event_ids, :event_types, :payloads) WITH ORDINALITY
         AS f(property_id, event_id, event_type, payload, n)
    ORDER BY f.n
    """
).bindparams(
    bindparam("property_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("event_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
    bindparam("event_types", type_=ARRAY(String())),
    bindparam("payloads", type_=ARRAY(JSONB())),
    bindparam("now", type_=DateTime(timezone=True)),
)


def _touched(session: Session) -> set[uuid.UUID]:
    """Properties with a change that may be a fact, found without reading attribute histories (costly)."""
    touched: set[uuid.UUID] = set()
    for obj in session.new:
        if isinstance(obj, Message | PlannedSend):
            touched.add(obj.property_id)
    for obj in session.dirty:
        if isinstance(obj, Message | Conversation) or (isinstance(obj, PlannedSend) and obj.state in _DONE):
            touched.add(obj.property_id)
    return touched


def _capture(session: Session, flush_context: object, instances: object) -> None:
    touched = _touched(session)
    if not touched:
        return
    subscribed = set(session.execute(_SUBSCRIBED, {"ids": list(touched)}).scalars())
    if not subscribed:
        return
    facts = [fact for fact in _facts(session) if fact[0] in subscribed]
    if not facts:
        return
    session.execute(
        _INSERT,
        {
            "property_ids": [property_id for property_id, _, _ in facts],
            "event_ids": [new_id() for _ in facts],
            "event_types": [str(event_type) for _, event_type, _ in facts],
            "payloads": [data for _, _, data in facts],
            "now": datetime.now(UTC),
        },
    )


def install_capture() -> None:
    """Listens on every session; called once, with the domain mapping."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _capture)
    _installed = True
