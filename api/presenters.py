"""Rows of the read side turned into response models; the reply rules come from the domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.db.inbox_queries import channels_used
from api.schemas.conversations import (
    Assignee,
    Author,
    BookingSummary,
    ChannelReplyState,
    ConversationOut,
    Cost,
    GuestSummary,
    LabelTag,
    LastMessage,
    MessageOut,
)
from domain.channels import Channel
from domain.model import Conversation, Guest
from domain.reply_rules import reply_states


def conversation_out(row: dict[str, Any], connected: frozenset[Channel], now: datetime) -> ConversationOut:
    guest = Guest(
        property_id=row["property_id"],
        first_name=row["g_first_name"],
        last_name=row["g_last_name"],
        phone=row["g_phone"],
        email=row["g_email"],
        language=row["g_language"],
        opt_outs=row.get("g_opt_outs") or {},
        id=row["guest_id"],
    )
    conversation = Conversation(
        property_id=row["property_id"],
        guest_id=row["guest_id"],
        last_activity_at=row["last_activity_at"],
        last_inbound_at=row["last_inbound_at"] or {},
        id=row["id"],
    )
    states = reply_states(conversation, guest, connected, now)
    booking = None
    if row["booking_id"] is not None and row["b_external_ref"] is not None:
        booking = BookingSummary(
            id=row["booking_id"],
            external_ref=row["b_external_ref"],
            check_in=row["b_check_in"],
            check_out=row["b_check_out"],
            status=row["b_status"],
            source=row["b_source"],
            room=row["b_room"],
            confirmation_code=row["b_confirmation_code"],
        )
    last = None
    if row["last_message_at"] is not None:
        last = LastMessage(
            preview=row["last_message_preview"] or "",
            at=row["last_message_at"],
            direction=row["last_message_direction"],
            channel=row["last_message_channel"],
        )
    return ConversationOut(
        id=row["id"],
        status=row["status"],
        guest=GuestSummary(
            id=guest.id,
            display_name=guest.display_name,
            first_name=guest.first_name,
            last_name=guest.last_name,
            phone=guest.phone,
            email=guest.email,
            language=guest.language,
        ),
        booking=booking,
        last_message=last,
        last_activity_at=row["last_activity_at"],
        unread_count=row["unread_count"],
        assignee=Assignee(id=row["assignee_id"], name=row["assignee_name"]) if row["assignee_id"] else None,
        channels=channels_used(row),
        reply_state={
            c.value: ChannelReplyState(
                state="open" if s.open else "closed", open_until=s.open_until, code=s.code, reason=s.reason
            )
            for c, s in states.items()
        },
        labels=[LabelTag(**label) for label in row.get("labels") or []],
    )


def message_out(row: dict[str, Any]) -> MessageOut:
    cost = None
    if row.get("cost_amount") is not None:
        cost = Cost(amount=row["cost_amount"], currency=row.get("cost_currency") or "USD")
    return MessageOut(
        id=row["id"],
        conversation_id=row["conversation_id"],
        channel=row["channel"],
        direction=row["direction"],
        kind=row["kind"],
        body=row["body"],
        status=row["status"],
        error_code=row.get("error_code"),
        error_reason=row.get("error_reason"),
        author=Author(type=row["author_type"], id=row.get("author_user_id"), name=row.get("author_name")),
        created_at=row["created_at"],
        cost=cost,
        pricing_category=row.get("pricing_category"),
        rule_name=row.get("rule_name"),
    )
