"""The consent register's rules: newest entry wins, marketing needs an opt-in, blocks only guests may lift."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.channels import Channel
from domain.consent import (
    GuestConsent,
    current_states,
    has_marketing_consent,
    marketing_channels,
    require_marketing_consent,
    source_of_block,
    validate_record,
)
from domain.errors import InvalidInput, PolicyViolation
from domain.model import Guest, Property
from domain.services.consent import consent_view, record_consent, record_keyword_consent
from domain.services.inbound import InboundMessage, record_inbound
from tests.fakes import FakeUnitOfWork

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
PROP, GUEST = uuid.uuid4(), uuid.uuid4()


def entry(channel: str, state: str, minutes: int, source: str = "staff") -> GuestConsent:
    return GuestConsent(PROP, GUEST, channel, state, source, NOW + timedelta(minutes=minutes))


class TestRegisterRules:
    def test_the_newest_entry_per_channel_is_the_current_state(self):
        history = [entry("sms", "opt_in", 0), entry("sms", "opt_out", 5), entry("whatsapp", "opt_in", 1)]
        states = current_states(reversed(history))
        assert states["sms"].state == "opt_out" and states["whatsapp"].state == "opt_in"

    def test_no_entry_means_no_marketing_consent(self):
        assert not has_marketing_consent([], "whatsapp")
        with pytest.raises(PolicyViolation) as refused:
            require_marketing_consent([entry("sms", "opt_in", 0)], "whatsapp")
        assert refused.value.code == "marketing_consent_missing"

    def test_an_opt_out_after_an_opt_in_withdraws_consent(self):
        assert not has_marketing_consent([entry("email", "opt_in", 0), entry("email", "opt_out", 1)], "email")
        assert has_marketing_consent([entry("email", "opt_out", 0), entry("email", "opt_in", 1)], "email")

    def test_marketing_channels_keep_the_rule_order_and_only_opted_in_ones(self):
        history = [entry("email", "opt_in", 0), entry("sms", "opt_in", 0), entry("sms", "opt_out", 2)]
        assert marketing_channels(history, ["whatsapp", "sms", "email"]) == ["email"]

    def test_only_staff_and_api_entries_can_be_recorded(self):
        validate_record("sms", "opt_in", "staff", None)
        with pytest.raises(InvalidInput) as bad:
            validate_record("fax", "maybe", "sms_stop", "x" * 501)
        assert {p.field for p in bad.value.problems} == {"channel", "state", "source", "note"}

    def test_legacy_opt_out_words_map_to_sources(self):
        assert source_of_block("STOP keyword") == "sms_stop"
        assert source_of_block("provider refused: recipient unsubscribed (21610)") == "provider_unsubscribed"
        assert source_of_block("staff") == "staff"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def guest(uow: FakeUnitOfWork) -> Guest:
    prop = Property(name="Tilleuls", timezone="Europe/Paris", locale="fr", country="FR", currency="EUR")
    uow.properties.add(prop)
    g = Guest(property_id=prop.id, first_name="Ann", phone="+33612345678")
    uow.guests.add(g)
    return g


class TestRecording:
    async def test_sms_stop_and_start_enter_the_register_with_their_source(self, uow, guest):
        for minute, word in ((0, "STOP"), (5, "start")):
            inbound = InboundMessage(
                Channel.SMS, f"SM{minute}", NOW + timedelta(minutes=minute), word, phone=guest.phone
            )
            await record_inbound(uow, guest.property_id, inbound)
        view = await consent_view(uow, guest.property_id, guest.id)
        assert [(e.state, e.source) for e in view.history] == [("opt_out", "sms_stop"), ("opt_in", "sms_start")]
        assert view.current["sms"].state == "opt_in" and "sms" not in view.blocked

    async def test_a_plain_message_records_nothing(self, uow, guest):
        await record_inbound(uow, guest.property_id, InboundMessage(Channel.SMS, "SM1", NOW, "Hi", phone=guest.phone))
        assert (await consent_view(uow, guest.property_id, guest.id)).history == []

    async def test_staff_cannot_lift_a_stop_the_guest_sent(self, uow, guest):
        guest.opt_outs = {"sms": {"at": NOW.isoformat(), "source": "STOP keyword"}}
        with pytest.raises(PolicyViolation) as refused:
            await record_consent(
                uow, guest.property_id, guest.id, channel="sms", state="opt_in", source="staff", now=NOW
            )
        assert refused.value.code == "guest_must_lift_opt_out"
        assert guest.opted_out("sms") and uow.consents.items == {}

    async def test_a_staff_block_is_set_and_lifted_by_staff(self, uow, guest):
        await record_consent(
            uow,
            guest.property_id,
            guest.id,
            channel="email",
            state="opt_out",
            source="staff",
            now=NOW,
            block_channel=True,
        )
        assert guest.opted_out("email")
        await record_consent(
            uow,
            guest.property_id,
            guest.id,
            channel="email",
            state="opt_in",
            source="api",
            now=NOW + timedelta(minutes=1),
        )
        view = await consent_view(uow, guest.property_id, guest.id)
        assert not guest.opted_out("email") and view.current["email"].source == "api"

    async def test_a_marketing_opt_out_alone_does_not_block_service_messages(self, uow, guest):
        await record_consent(
            uow, guest.property_id, guest.id, channel="whatsapp", state="opt_out", source="staff", now=NOW
        )
        assert not guest.opted_out("whatsapp")

    async def test_keyword_recorder_ignores_help(self, uow, guest):
        from domain.model import Message

        message = Message(guest.property_id, uuid.uuid4(), "sms", "inbound", "text", "HELP", "received", "guest", NOW)
        message.details = {"keyword": "help"}
        record_keyword_consent(uow, guest, message, NOW)
        assert uow.consents.items == {}


class TestProviderRefusals:
    async def _sent(self, uow, guest, channel):
        from domain.model import Conversation, Message

        conversation = Conversation(guest.property_id, guest.id, NOW)
        uow.conversations.add(conversation)
        message = Message(
            guest.property_id,
            conversation.id,
            channel,
            "outbound",
            "template",
            "Offer",
            "sent",
            "user",
            NOW,
            provider_message_id="wamid.1",
        )
        uow.messages.add(message)
        return message

    async def test_whatsapp_marketing_opt_out_enters_the_register_without_blocking(self, uow, guest):
        from domain.services.status_updates import StatusUpdate, apply_status

        await self._sent(uow, guest, "whatsapp")
        failed = StatusUpdate(Channel.WHATSAPP, "wamid.1", "failed", NOW, error_code="whatsapp_131050")
        assert await apply_status(uow, guest.property_id, failed)
        view = await consent_view(uow, guest.property_id, guest.id)
        assert [(e.state, e.source) for e in view.history] == [("opt_out", "whatsapp_marketing_opt_out")]
        assert not guest.opted_out("whatsapp")  # service messages still go out

    async def test_twilio_21610_blocks_and_is_recorded(self, uow, guest):
        from domain.clock import FixedClock
        from domain.errors import ProviderFailure
        from domain.model import Conversation, Message
        from domain.retry_policy import RetryPolicy
        from domain.services.delivery import deliver
        from tests.fakes import FakeGateway, RecordingSender

        conversation = Conversation(guest.property_id, guest.id, NOW)
        uow.conversations.add(conversation)
        message = Message(guest.property_id, conversation.id, "sms", "outbound", "text", "Hi", "queued", "user", NOW)
        uow.messages.add(message)
        sender = RecordingSender([ProviderFailure("twilio_21610", "unsubscribed", False)])
        await deliver(lambda: uow, FakeGateway(sender), guest.property_id, message.id, FixedClock(NOW), RetryPolicy())
        view = await consent_view(uow, guest.property_id, guest.id)
        assert [(e.state, e.source) for e in view.history] == [("opt_out", "provider_unsubscribed")]
        assert guest.opted_out("sms")
