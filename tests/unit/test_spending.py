"""Spending caps at send time: expected cost, the local month, holding and releasing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.channels import Channel
from domain.clock import FixedClock
from domain.costs import CostedMessage, guest_costs
from domain.errors import InvalidInput, PolicyViolation
from domain.message_status import MessageStatus
from domain.model import Booking, Conversation, Guest, Message, Property
from domain.ports.channels import SendReceipt
from domain.ports.spending import SpendingCap
from domain.retry_policy import RetryPolicy
from domain.services.delivery import deliver
from domain.services.spending import release_held, send_anyway
from domain.spending import SMS_SEGMENT_ESTIMATE, expected_cost, month_of, validate_cap
from tests.fakes import FakeGateway, FakeUnitOfWork, RecordingSender

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def _message(prop_id, conversation_id, channel, body="Hello", cost=None) -> Message:
    return Message(
        prop_id,
        conversation_id,
        channel,
        "outbound",
        "text",
        body,
        MessageStatus.QUEUED,
        "user",
        NOW,
        cost_amount=cost,
    )


class TestRules:
    def test_expected_cost_per_channel(self):
        pid, cid = uuid.uuid4(), uuid.uuid4()
        assert expected_cost(_message(pid, cid, "whatsapp", cost=Decimal("0.0456"))) == Decimal("0.0456")
        assert expected_cost(_message(pid, cid, "whatsapp")) == 0  # a free-form reply inside the window
        assert expected_cost(_message(pid, cid, "sms", body="x" * 161)) == 2 * SMS_SEGMENT_ESTIMATE
        assert expected_cost(_message(pid, cid, "email", cost=Decimal("9"))) == 0

    def test_the_month_is_the_property_s_local_month(self):
        late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
        assert month_of(late, "Europe/Paris") == "2026-07" and month_of(late, "UTC") == "2026-06"
        assert month_of(late, "Not/AZone") == "2026-06"

    def test_caps_only_on_paid_channels_and_in_range(self):
        validate_cap("sms", Decimal("10"))
        validate_cap("whatsapp", None)
        with pytest.raises(InvalidInput):
            validate_cap("email", Decimal("1"))
        with pytest.raises(InvalidInput):
            validate_cap("sms", Decimal("-1"))

    def test_costs_are_attributed_to_the_planned_booking_else_the_stay_of_the_day(self):
        from datetime import date

        pid, gid = uuid.uuid4(), uuid.uuid4()
        june = Booking(pid, gid, "R1", date(2026, 6, 10), date(2026, 6, 12))
        august = Booking(pid, gid, "R2", date(2026, 8, 1), date(2026, 8, 5))
        costs = guest_costs(
            [june, august],
            [
                CostedMessage(uuid.uuid4(), date(2026, 6, 11), "sms", Decimal("0.01"), "USD"),
                CostedMessage(uuid.uuid4(), date(2026, 6, 20), "whatsapp", Decimal("0.05"), "USD"),  # next stay
                CostedMessage(uuid.uuid4(), date(2026, 6, 11), "whatsapp", Decimal("0.03"), "USD", august.id),
            ],
        )
        assert costs.total.amount == Decimal("0.09") and costs.total.messages == 3
        assert costs.per_booking[june.id].amount == Decimal("0.01")
        assert costs.per_booking[august.id].amount == Decimal("0.08")
        assert costs.per_booking[august.id].by_channel == {"whatsapp": Decimal("0.08")}


@pytest.fixture
def world():
    uow = FakeUnitOfWork()
    prop = Property(name="Tilleuls", timezone="Europe/Paris", locale="fr", country="FR", currency="EUR")
    uow.properties.add(prop)
    guest = Guest(property_id=prop.id, first_name="Ann", phone="+33612345678")
    uow.guests.add(guest)
    conversation = Conversation(prop.id, guest.id, NOW)
    uow.conversations.add(conversation)
    return uow, prop, conversation


def _queue(uow, prop, conversation, body="Hello") -> Message:
    message = _message(prop.id, conversation.id, Channel.SMS, body=body)
    uow.messages.add(message)
    return message


async def _deliver(uow, prop, message, sender):
    return await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, FixedClock(NOW), RetryPolicy())


class TestHoldAtSendTime:
    async def test_sends_within_the_cap_go_and_the_one_that_would_pass_it_is_held(self, world):
        uow, prop, conversation = world
        uow.spending.caps[(prop.id, "sms")] = SpendingCap(prop.id, "sms", SMS_SEGMENT_ESTIMATE * 2, "USD")
        sender = RecordingSender([SendReceipt("SM1"), SendReceipt("SM2"), SendReceipt("SM3")])
        messages = [_queue(uow, prop, conversation) for _ in range(3)]
        outcomes = [await _deliver(uow, prop, m, sender) for m in messages]
        assert [o.status for o in outcomes] == ["sent", "sent", "held"]
        held = messages[2]
        assert held.status == MessageStatus.QUEUED and held.error_code == "spending_cap_reached"
        assert "cap" in held.error_reason and held.details["held_month"] == "2026-06"
        assert len(sender.requests) == 2
        assert uow.spending.spent[(prop.id, "sms", "2026-06")] == SMS_SEGMENT_ESTIMATE * 2

    async def test_a_retry_of_the_same_message_is_not_counted_twice(self, world):
        from domain.errors import ProviderFailure

        uow, prop, conversation = world
        message = _queue(uow, prop, conversation)
        sender = RecordingSender([ProviderFailure("twilio_500", "down", True), SendReceipt("SM1")])
        await _deliver(uow, prop, message, sender)
        message.next_attempt_at = None
        assert (await _deliver(uow, prop, message, sender)).status == "sent"
        assert uow.spending.spent[(prop.id, "sms", "2026-06")] == SMS_SEGMENT_ESTIMATE

    async def test_raising_the_cap_releases_held_messages_through_the_outbox(self, world):
        uow, prop, conversation = world
        uow.spending.caps[(prop.id, "sms")] = SpendingCap(prop.id, "sms", Decimal("0"), "USD")
        message = _queue(uow, prop, conversation)
        assert (await _deliver(uow, prop, message, RecordingSender())).status == "held"
        assert await release_held(uow, prop.id, NOW) == 1
        assert message.error_code is None
        assert [e.payload["message_id"] for e in uow.outbox.items.values()] == [str(message.id)]

    async def test_the_month_sweep_leaves_this_month_s_holds_alone(self, world):
        uow, prop, conversation = world
        uow.spending.caps[(prop.id, "sms")] = SpendingCap(prop.id, "sms", Decimal("0"), "USD")
        message = _queue(uow, prop, conversation)
        await _deliver(uow, prop, message, RecordingSender())
        assert await release_held(uow, prop.id, NOW, only_other_months=True) == 0
        assert await release_held(uow, prop.id, datetime(2026, 7, 1, 9, tzinfo=UTC), only_other_months=True) == 1

    async def test_send_anyway_passes_the_cap_once_and_still_counts(self, world):
        uow, prop, conversation = world
        uow.spending.caps[(prop.id, "sms")] = SpendingCap(prop.id, "sms", Decimal("0"), "USD")
        message = _queue(uow, prop, conversation)
        await _deliver(uow, prop, message, RecordingSender())
        await send_anyway(uow, prop.id, message.id, NOW)
        sender = RecordingSender([SendReceipt("SM1")])
        assert (await _deliver(uow, prop, message, sender)).status == "sent"
        assert uow.spending.spent[(prop.id, "sms", "2026-06")] == SMS_SEGMENT_ESTIMATE
        with pytest.raises(PolicyViolation):
            await send_anyway(uow, prop.id, message.id, NOW)

    async def test_free_channels_are_never_held(self, world):
        uow, prop, conversation = world
        uow.spending.caps[(prop.id, "whatsapp")] = SpendingCap(prop.id, "whatsapp", Decimal("0"), "USD")
        message = _message(prop.id, conversation.id, Channel.WHATSAPP)  # a service reply: free
        uow.messages.add(message)
        assert (await _deliver(uow, prop, message, RecordingSender([SendReceipt("w1")]))).status == "sent"
