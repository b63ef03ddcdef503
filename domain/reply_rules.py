"""Which channels staff may use for a free-form reply right now, and why not the others.

These are the channel rules of the product's FAQ; the provider would refuse the same sends later
and less clearly, so the product refuses them first.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.channels import Channel
from domain.model import Conversation, Guest

WHATSAPP_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class ReplyState:
    channel: Channel
    open: bool
    open_until: datetime | None = None
    code: str | None = None  # the stable error code a send would get while closed
    reason: str | None = None


def whatsapp_window_open_until(last_inbound: datetime | None) -> datetime | None:
    """End of the customer-service window opened by the guest's last WhatsApp message."""
    return None if last_inbound is None else last_inbound + WHATSAPP_WINDOW


def last_inbound(conversation: Conversation, channel: Channel) -> datetime | None:
    raw = conversation.last_inbound_at.get(channel.value)
    return datetime.fromisoformat(raw) if raw else None


def reply_state(
    channel: Channel,
    conversation: Conversation,
    guest: Guest,
    connected: Set[Channel],
    now: datetime,
    *,
    free_form_email_allowed: bool = False,
) -> ReplyState:
    if channel not in connected:
        return ReplyState(channel, False, code="channel_not_connected", reason=f"{channel.value} is not connected.")
    if channel == Channel.WHATSAPP:
        if not guest.phone:
            return ReplyState(channel, False, code="guest_has_no_phone", reason="The guest has no phone number.")
        until = whatsapp_window_open_until(last_inbound(conversation, channel))
        if until is None or now >= until:
            return ReplyState(
                channel,
                False,
                open_until=until,
                code="whatsapp_window_closed",
                reason="The 24-hour window is closed: send an approved template instead.",
            )
        return ReplyState(channel, True, open_until=until)
    if channel == Channel.SMS:
        if not guest.phone:
            return ReplyState(channel, False, code="guest_has_no_phone", reason="The guest has no phone number.")
        if guest.opted_out(Channel.SMS):
            return ReplyState(
                channel,
                False,
                code="sms_opted_out",
                reason="The guest replied STOP: SMS are blocked until they reply START.",
            )
        return ReplyState(channel, True)
    if channel == Channel.AIRBNB:
        if last_inbound(conversation, channel) is None:
            return ReplyState(
                channel,
                False,
                code="airbnb_reply_not_allowed",
                reason="Airbnb allows a reply only once the guest has written in the thread.",
            )
        return ReplyState(channel, True)
    if not guest.email:
        return ReplyState(channel, False, code="guest_has_no_email", reason="The guest has no e-mail address.")
    if not free_form_email_allowed:
        return ReplyState(
            channel, False, code="email_free_form_disabled", reason="E-mail is for scheduled messages only."
        )
    return ReplyState(channel, True)


def reply_states(
    conversation: Conversation,
    guest: Guest,
    connected: Set[Channel],
    now: datetime,
    *,
    free_form_email_allowed: bool = False,
) -> dict[Channel, ReplyState]:
    return {
        channel: reply_state(
            channel, conversation, guest, connected, now, free_form_email_allowed=free_form_email_allowed
        )
        for channel in Channel
    }
