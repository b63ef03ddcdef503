from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.channels import Channel
from domain.model import Conversation, Guest, Message
from domain.services.attention import (
    Action,
    ItemFacts,
    ItemKind,
    Remedy,
    adapted_text,
    alternatives,
    remedies_for,
    reply_after,
)

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
PROPERTY = uuid.uuid4()
ALL = frozenset(Channel)


def _thread(whatsapp_at: datetime | None = NOW - timedelta(hours=1), email: str | None = None, **opt_outs):
    guest = Guest(PROPERTY, "Anna", phone="+33600000000", email=email, opt_outs=opt_outs)
    inbound = {"whatsapp": whatsapp_at.isoformat()} if whatsapp_at else {}
    return Conversation(PROPERTY, guest.id, NOW, last_inbound_at=inbound), guest


def _facts(kind=ItemKind.FAILED_SEND, channel=Channel.WHATSAPP, code="whatsapp_131026", message_kind="text", **thread):
    conversation, guest = _thread(**thread)
    return ItemFacts(kind, uuid.uuid4(), channel, code, message_kind, conversation, guest)


def test_failed_send_in_an_open_window_can_be_retried_resent_by_sms_opened_or_dismissed():
    remedies = remedies_for(_facts(), ALL, NOW)
    assert remedies.offered == [
        Remedy(Action.RETRY),
        Remedy(Action.RESEND, Channel.SMS),
        Remedy(Action.OPEN),
        Remedy(Action.DISMISS),
    ]


def test_free_form_whatsapp_outside_the_window_is_not_retried_but_sms_is_offered():
    remedies = remedies_for(_facts(whatsapp_at=NOW - timedelta(hours=25)), ALL, NOW)
    assert Remedy(Action.RETRY) not in remedies.offered and "24-hour window" in (remedies.retry_refused or "")
    assert Remedy(Action.RESEND, Channel.SMS) in remedies.offered


def test_a_template_is_retried_outside_the_window():
    remedies = remedies_for(_facts(message_kind="template", whatsapp_at=NOW - timedelta(days=3)), ALL, NOW)
    assert remedies.offered[0] == Remedy(Action.RETRY)


def test_sms_opt_out_removes_sms_as_an_alternative():
    conversation, guest = _thread(sms={"at": NOW.isoformat(), "source": "STOP keyword"})
    assert alternatives(Channel.WHATSAPP, conversation, guest, ALL, NOW) == []


def test_held_by_a_paused_connection_offers_reconnect_and_no_dismiss():
    remedies = remedies_for(_facts(kind=ItemKind.HELD_SEND, channel=Channel.AIRBNB, code="channel_paused"), ALL, NOW)
    assert remedies.offered == [
        Remedy(Action.RESEND, Channel.WHATSAPP),
        Remedy(Action.RESEND, Channel.SMS),
        Remedy(Action.RECONNECT, Channel.AIRBNB),
        Remedy(Action.OPEN),
    ]


def test_failed_on_a_disconnected_channel_offers_reconnect_not_retry():
    remedies = remedies_for(_facts(channel=Channel.SMS, code="twilio_20003"), frozenset({Channel.WHATSAPP}), NOW)
    assert remedies.offered == [
        Remedy(Action.RESEND, Channel.WHATSAPP),
        Remedy(Action.RECONNECT, Channel.SMS),
        Remedy(Action.OPEN),
        Remedy(Action.DISMISS),
    ]
    assert remedies.retry_refused == "sms is not connected."


def test_waiting_guest_and_skipped_send_without_conversation():
    waiting = remedies_for(_facts(kind=ItemKind.WAITING_REPLY, code=None, message_kind=None), ALL, NOW)
    assert waiting.offered == [Remedy(Action.OPEN)]
    skipped = ItemFacts(ItemKind.SKIPPED_SCHEDULED, uuid.uuid4(), None, None, "scheduled", None, None)
    assert remedies_for(skipped, ALL, NOW).offered == [Remedy(Action.DISMISS)]


def _message(channel: str, body: str, **details) -> Message:
    return Message(
        PROPERTY, uuid.uuid4(), channel, "outbound", "scheduled", body, "failed", "scheduler", NOW, details=details
    )


def test_content_is_adapted_for_another_channel():
    html = '<p>Hello <b>Anna</b>,</p><p>Your code: 4821. <a href="https://x.test/map">Map</a></p>'
    assert adapted_text(_message("email", html, subject="Your arrival")) == (
        "Your arrival\n\nHello Anna,\nYour code: 4821. Map (https://x.test/map)"
    )
    assert adapted_text(_message("whatsapp", "  Bonjour !  ")) == "Bonjour !"


def test_reply_threshold_defaults_to_two_hours():
    assert reply_after(None) == timedelta(hours=2) and reply_after(30) == timedelta(minutes=30)
