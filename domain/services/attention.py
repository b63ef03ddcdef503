"""Needs attention: one queue, across channels, of what failed or is stuck, each item with its remedies.

Kinds of item:
- failed_send: an outbound message the provider refused, or that we gave up on, with its reason;
- held_send: a queued message held back with a reason (a paused connection: `channel_paused`);
- skipped_scheduled: a planned send the scheduler skipped (no usable channel, a placeholder without value…);
- waiting_reply: an open conversation whose guest has waited longer than the property's threshold.

Remedies never bypass the channel rules: a retry of a free-form WhatsApp message is refused once the
24-hour window closed (as the composer would refuse it), and a re-send through another channel goes
through the same free-form send as the composer (domain.services.messaging.send_free_form).
"""

from __future__ import annotations

import uuid
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.channels import Channel, Direction, MessageKind
from domain.errors import FieldProblem, InvalidInput, NotFound, PolicyViolation
from domain.message_status import MessageStatus
from domain.model import Conversation, Guest, Message, OutboxEvent, new_id
from domain.ports.attention import AttentionLog, Dismissal
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork
from domain.reply_rules import reply_state
from domain.scheduling.rendering import html_to_text
from domain.services.airbnb import PAUSED_CODE
from domain.services.messaging import SEND_TOPIC, send_free_form

DEFAULT_REPLY_AFTER = timedelta(hours=2)
MIN_REPLY_AFTER_MINUTES = 5
MAX_REPLY_AFTER_MINUTES = 7 * 24 * 60
# failures and skips older than this have been dealt with outside the product, or no longer matter
HORIZON = timedelta(days=14)
STAFF_SKIP_REASON = "Skipped by staff."


class ItemKind(StrEnum):
    FAILED_SEND = "failed_send"
    HELD_SEND = "held_send"
    SKIPPED_SCHEDULED = "skipped_scheduled"
    WAITING_REPLY = "waiting_reply"


class Action(StrEnum):
    RETRY = "retry"
    RESEND = "resend"  # through another channel, content adapted
    RECONNECT = "reconnect"  # the channel's settings
    OPEN = "open"  # the conversation
    DISMISS = "dismiss"


DISMISSABLE = {ItemKind.FAILED_SEND, ItemKind.SKIPPED_SCHEDULED}


@dataclass(frozen=True)
class Remedy:
    action: Action
    channel: Channel | None = None


@dataclass(frozen=True)
class ItemFacts:
    """What the queue's query knows of one item, enough to decide its remedies."""

    kind: ItemKind
    item_id: uuid.UUID
    channel: Channel | None
    code: str | None
    message_kind: str | None
    conversation: Conversation | None
    guest: Guest | None


@dataclass
class Remedies:
    offered: list[Remedy] = field(default_factory=list)
    # why a retry is not offered, when it is not (e.g. the WhatsApp window closed)
    retry_refused: str | None = None


def _free_form(message_kind: str | None) -> bool:
    return message_kind in (MessageKind.TEXT, MessageKind.SCHEDULED)


def retry_blocker(
    channel: Channel,
    message_kind: str | None,
    conversation: Conversation,
    guest: Guest,
    connected: Set[Channel],
    now: datetime,
) -> tuple[str, str] | None:
    """(code, reason) when retrying on the same channel would be refused by the channel's rules now."""
    if channel not in connected:
        return "channel_not_connected", f"{channel.value} is not connected."
    if guest.opted_out(channel):
        return f"{channel.value}_opted_out", "The guest has opted out of this channel."
    if channel == Channel.WHATSAPP and _free_form(message_kind):
        state = reply_state(channel, conversation, guest, connected, now)
        if not state.open:
            return state.code or "channel_unavailable", state.reason or "This channel cannot be used now."
    return None


def alternatives(
    failed_on: Channel | None, conversation: Conversation, guest: Guest, connected: Set[Channel], now: datetime
) -> list[Channel]:
    """Channels a free-form re-send may use now, by the composer's own rules."""
    return [
        channel
        for channel in Channel
        if channel != failed_on and reply_state(channel, conversation, guest, connected, now).open
    ]


def remedies_for(facts: ItemFacts, connected: Set[Channel], now: datetime) -> Remedies:
    result = Remedies()
    has_thread = facts.conversation is not None and facts.guest is not None
    if facts.kind in (ItemKind.FAILED_SEND, ItemKind.HELD_SEND) and has_thread and facts.channel is not None:
        assert facts.conversation is not None and facts.guest is not None
        if facts.kind == ItemKind.FAILED_SEND:
            blocker = retry_blocker(facts.channel, facts.message_kind, facts.conversation, facts.guest, connected, now)
            if blocker is None:
                result.offered.append(Remedy(Action.RETRY))
            else:
                result.retry_refused = blocker[1]
        result.offered += [
            Remedy(Action.RESEND, channel)
            for channel in alternatives(facts.channel, facts.conversation, facts.guest, connected, now)
        ]
    if (
        facts.kind == ItemKind.HELD_SEND
        and facts.code == PAUSED_CODE
        or (facts.kind == ItemKind.FAILED_SEND and facts.channel is not None and facts.channel not in connected)
    ):
        result.offered.append(Remedy(Action.RECONNECT, facts.channel))
    if facts.conversation is not None:
        result.offered.append(Remedy(Action.OPEN))
    if facts.kind in DISMISSABLE:
        result.offered.append(Remedy(Action.DISMISS))
    return result


def adapted_text(message: Message) -> str:
    """The failed message's content as plain text for another channel: e-mail HTML becomes text, and an
    e-mail's subject its first line; a template's rendered text is sent as written."""
    if message.channel == Channel.EMAIL:
        text = html_to_text(message.body) if "<" in message.body else message.body.strip()
        subject = str((message.details or {}).get("subject") or "").strip()
        return f"{subject}\n\n{text}" if subject and not text.startswith(subject) else text
    return message.body.strip()


def reply_after(minutes: int | None) -> timedelta:
    return timedelta(minutes=minutes) if minutes is not None else DEFAULT_REPLY_AFTER


def check_reply_after(minutes: int) -> None:
    if not MIN_REPLY_AFTER_MINUTES <= minutes <= MAX_REPLY_AFTER_MINUTES:
        raise InvalidInput(
            [
                FieldProblem(
                    "reply_after_minutes",
                    "out_of_range",
                    f"Choose between {MIN_REPLY_AFTER_MINUTES} minutes and 7 days.",
                )
            ]
        )


async def _stuck_message(uow: UnitOfWork, property_id: uuid.UUID, message_id: uuid.UUID) -> Message:
    message = await uow.messages.get(property_id, message_id, lock=True)
    if message is None or message.direction != Direction.OUTBOUND or message.kind == MessageKind.NOTE:
        raise NotFound("Message not found.")
    return message


def _held(message: Message) -> bool:
    return message.status == MessageStatus.QUEUED and message.error_code is not None and message.next_attempt_at is None


async def retry(uow: UnitOfWork, property_id: uuid.UUID, message_id: uuid.UUID, now: datetime) -> Message:
    """A failed send goes back to the outbox, on its channel, as it was written."""
    message = await _stuck_message(uow, property_id, message_id)
    if message.status != MessageStatus.FAILED:
        raise PolicyViolation("message_not_failed", f"This message is {message.status}: only a failed send is retried.")
    conversation = await uow.conversations.get(property_id, message.conversation_id)
    guest = await uow.guests.get(property_id, conversation.guest_id) if conversation else None
    if conversation is None or guest is None:
        raise NotFound("Conversation not found.")
    connected = await uow.connections.connected_channels(property_id)
    blocker = retry_blocker(Channel(message.channel), message.kind, conversation, guest, connected, now)
    if blocker is not None:
        raise PolicyViolation(blocker[0], blocker[1], hint="Send it through another channel instead.")
    message.status, message.error_code, message.error_reason = MessageStatus.QUEUED, None, None
    message.attempts, message.next_attempt_at, message.status_changed_at = 0, None, now  # a fresh retry budget
    uow.outbox.add(
        OutboxEvent(
            property_id=property_id,
            topic=SEND_TOPIC,
            # the message's first send job id is spent (the queue keeps it to drop repeats): a retry needs its own
            payload={
                "message_id": str(message.id),
                "property_id": str(property_id),
                "job_suffix": f"retry-{new_id().hex[-12:]}",
            },
            created_at=now,
        )
    )
    uow.announce(RealtimeEvent("message.status", property_id, message.conversation_id, message.id))
    return message


async def resend_elsewhere(
    uow: UnitOfWork,
    log: AttentionLog,
    property_id: uuid.UUID,
    message_id: uuid.UUID,
    channel: Channel,
    user_id: uuid.UUID,
    now: datetime,
) -> Message:
    """The same content, adapted, through another channel the guest can be reached on now. A held original
    is failed as replaced, so a reconnection later cannot send it twice."""
    original = await _stuck_message(uow, property_id, message_id)
    if original.status != MessageStatus.FAILED and not _held(original):
        raise PolicyViolation("message_not_stuck", f"This message is {original.status}: nothing to re-send.")
    if channel == original.channel:
        raise InvalidInput([FieldProblem("channel", "same_channel", "Choose another channel, or retry instead.")])
    sent = await send_free_form(
        uow, property_id, original.conversation_id, user_id, channel, adapted_text(original), now
    )
    if _held(original):
        original.status, original.next_attempt_at, original.status_changed_at = MessageStatus.FAILED, None, now
        original.error_code, original.error_reason = "replaced", f"Not sent: sent again by {channel.value} instead."
        uow.announce(RealtimeEvent("message.status", property_id, original.conversation_id, original.id))
    # a replaced held send is now a failure: it is that failure the queue must no longer show
    await log.record(Dismissal(property_id, ItemKind.FAILED_SEND, original.id, "resent", now, user_id, sent.id))
    return sent


async def dismiss(
    uow: UnitOfWork,
    log: AttentionLog,
    property_id: uuid.UUID,
    kind: ItemKind,
    item_id: uuid.UUID,
    user_id: uuid.UUID | None,
    now: datetime,
) -> None:
    """Staff dealt with it some other way (called the guest…): it leaves the queue."""
    if kind not in DISMISSABLE:
        raise PolicyViolation("not_dismissable", f"A {kind} item leaves the queue by itself once handled.")
    if kind == ItemKind.FAILED_SEND:
        message = await _stuck_message(uow, property_id, item_id)
        if message.status != MessageStatus.FAILED:
            raise PolicyViolation("message_not_failed", f"This message is {message.status}.")
    else:
        planned = await uow.planned.get(property_id, item_id)
        if planned is None:
            raise NotFound("Planned send not found.")
    await log.record(Dismissal(property_id, kind, item_id, "dismissed", now, user_id))
