"""At send time: the first channel of the rule's order that can reach this guest now, and why the others cannot."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

from domain.channels import Channel
from domain.model import Booking, Guest


@dataclass(frozen=True)
class ChannelFacts:
    connected: frozenset[Channel]
    whatsapp_template_approved: bool
    airbnb_thread_exists: bool


@dataclass
class Choice:
    channel: Channel | None
    tried: list[dict[str, Any]] = field(default_factory=list)


def _why_not(
    channel: Channel, booking: Booking, guest: Guest, facts: ChannelFacts, content: dict[str, Any]
) -> str | None:
    if channel not in facts.connected:
        return f"{channel.value} is not connected."
    if guest.opted_out(channel):
        return f"The guest opted out of {channel.value}."
    if channel == Channel.WHATSAPP:
        if not guest.phone:
            return "The guest has no phone number."
        if not content.get("whatsapp_template_id"):
            return "The rule has no WhatsApp template."
        if not facts.whatsapp_template_approved:
            return "The rule's WhatsApp template is not approved."
    elif channel == Channel.SMS:
        if not guest.phone:
            return "The guest has no phone number."
    elif channel == Channel.EMAIL:
        if not guest.email:
            return "The guest has no e-mail address."
    elif channel == Channel.AIRBNB:
        if booking.source != "airbnb" or not booking.confirmation_code:
            return "Not an Airbnb booking with a confirmation code."
        if not facts.airbnb_thread_exists:
            return "No Airbnb thread exists for this reservation yet."
    return None


def choose_channel(
    order: list[str],
    booking: Booking,
    guest: Guest,
    facts: ChannelFacts,
    content: dict[str, Any],
    allowed: Set[Channel] = frozenset(Channel),
) -> Choice:
    """Airbnb bookings go to Airbnb first when the rule allows it: guests expect the platform's thread."""
    channels = [Channel(c) for c in order if c in {ch.value for ch in allowed}]
    choice = Choice(None)
    for channel in channels:
        reason = _why_not(channel, booking, guest, facts, content)
        if reason is None:
            choice.channel = channel
            choice.tried.append({"channel": channel.value, "outcome": "used", "reason": None})
            return choice
        choice.tried.append({"channel": channel.value, "outcome": "skipped", "reason": reason})
    return choice
