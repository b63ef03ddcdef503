"""Use cases against in-memory fakes of the ports: behaviour, not mock calls."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.channels import Channel
from domain.clock import FixedClock
from domain.errors import InvalidCredentials, InvalidInput, NotFound, PolicyViolation, ProviderFailure, TooManyAttempts
from domain.message_status import OUTCOME_UNKNOWN_CODE, MessageStatus
from domain.model import Membership, Property, User
from domain.ports.channels import SendReceipt
from domain.retry_policy import RetryPolicy
from domain.services import conversations as actions
from domain.services.auth import sign_in
from domain.services.bookings import BookingUpsert, GuestDetails, upsert_booking
from domain.services.delivery import deliver
from domain.services.inbound import InboundMessage, record_inbound
from domain.services.messaging import SEND_TOPIC, add_note, send_free_form
from tests.fakes import FakeGateway, FakeThrottle, FakeUnitOfWork, PlainHasher, RecordingSender

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def prop(uow: FakeUnitOfWork) -> Property:
    p = Property(name="Tilleuls", timezone="Europe/Paris", locale="fr", country="FR", currency="EUR")
    uow.properties.add(p)
    uow.connections.connected[p.id] = {Channel.WHATSAPP, Channel.SMS}
    return p


def _cmd(
    ref: str = "R1", phone: str | None = "06 12 34 56 78", email: str | None = "ann@example.com", **kw
) -> BookingUpsert:
    return BookingUpsert(
        external_ref=ref,
        guest=GuestDetails("Ann", "Lee", phone, email, "en"),
        check_in=date(2026, 7, 1),
        check_out=date(2026, 7, 4),
        **kw,
    )


class TestUpsertBooking:
    async def test_creates_booking_and_guest_with_normalised_contacts(self, uow, prop):
        result = await upsert_booking(uow, prop.id, _cmd(), NOW)
        assert result.created and result.changed
        assert result.guest.phone == "+33612345678" and result.guest.email == "ann@example.com"
        assert result.booking.guest_id == result.guest.id

    async def test_same_body_twice_changes_nothing_and_creates_nothing(self, uow, prop):
        await upsert_booking(uow, prop.id, _cmd(), NOW)
        again = await upsert_booking(uow, prop.id, _cmd(), NOW + timedelta(hours=1))
        assert not again.created and not again.changed
        assert len(uow.bookings.items) == 1 and len(uow.guests.items) == 1
        assert again.booking.updated_at == NOW

    async def test_guests_are_deduplicated_by_phone_then_email(self, uow, prop):
        first = await upsert_booking(uow, prop.id, _cmd("R1"), NOW)
        by_phone = await upsert_booking(uow, prop.id, _cmd("R2", phone="+33612345678", email=None), NOW)
        by_email = await upsert_booking(uow, prop.id, _cmd("R3", phone=None, email="ANN@example.com"), NOW)
        assert by_phone.guest.id == first.guest.id == by_email.guest.id
        assert len(uow.guests.items) == 1

    async def test_a_contact_of_another_guest_is_not_stolen(self, uow, prop):
        other = await upsert_booking(uow, prop.id, _cmd("R9", phone="+33699999999", email="bob@example.com"), NOW)
        mine = await upsert_booking(uow, prop.id, _cmd("R1", phone="+33611111111", email="me@example.com"), NOW)
        await upsert_booking(uow, prop.id, _cmd("R1", phone="+33611111111", email="bob@example.com"), NOW)
        assert mine.guest.email == "me@example.com" and other.guest.email == "bob@example.com"

    async def test_invalid_contacts_are_reported_per_field(self, uow, prop):
        with pytest.raises(InvalidInput) as err:
            await upsert_booking(uow, prop.id, _cmd(phone="12", email="nope"), NOW)
        assert {p.field for p in err.value.problems} == {"guest.phone", "guest.email"}
        assert not uow.bookings.items and not uow.guests.items

    async def test_check_out_must_follow_check_in(self, uow, prop):
        bad = BookingUpsert(
            external_ref="R1", guest=GuestDetails("Ann"), check_in=date(2026, 7, 4), check_out=date(2026, 7, 4)
        )
        with pytest.raises(InvalidInput) as err:
            await upsert_booking(uow, prop.id, bad, NOW)
        assert err.value.problems[0].field == "check_out"

    async def test_a_changed_booking_relinks_the_conversation(self, uow, prop):
        await upsert_booking(uow, prop.id, _cmd("R1"), NOW)
        inbound = await record_inbound(
            uow, prop.id, InboundMessage(Channel.WHATSAPP, "w1", NOW, "hi", phone="+33612345678")
        )
        first_booking = inbound.conversation.booking_id
        sooner = BookingUpsert(
            external_ref="R0",
            guest=GuestDetails("Ann", "Lee", "+33612345678"),
            check_in=date(2026, 6, 20),
            check_out=date(2026, 6, 22),
        )
        result = await upsert_booking(uow, prop.id, sooner, NOW)
        assert inbound.conversation.booking_id == result.booking.id != first_booking


class TestInbound:
    async def test_unknown_number_creates_a_guest_from_the_profile_and_an_unlinked_conversation(self, uow, prop):
        result = await record_inbound(
            uow,
            prop.id,
            InboundMessage(Channel.WHATSAPP, "w1", NOW, "Bonjour", phone="+33700000001", profile_name="Sheena Nelson"),
        )
        assert (result.guest.first_name, result.guest.last_name) == ("Sheena", "Nelson")
        assert result.conversation.booking_id is None
        assert result.conversation.last_inbound_at["whatsapp"] == NOW.isoformat()
        assert result.conversation.inbound_count == 1
        assert [e.type for e in uow.pending_events] == ["message.created"]

    async def test_the_same_provider_message_is_filed_once(self, uow, prop):
        msg = InboundMessage(Channel.WHATSAPP, "w1", NOW, "Bonjour", phone="+33700000001")
        first = await record_inbound(uow, prop.id, msg)
        second = await record_inbound(uow, prop.id, msg)
        assert second.duplicate and second.message is first.message
        assert len(uow.messages.items) == 1 and second.conversation.inbound_count == 1

    async def test_a_guest_writing_reopens_a_closed_conversation(self, uow, prop):
        first = await record_inbound(uow, prop.id, InboundMessage(Channel.SMS, "s1", NOW, "a", phone="+33700000001"))
        first.conversation.status = "closed"
        await record_inbound(uow, prop.id, InboundMessage(Channel.SMS, "s2", NOW, "b", phone="+33700000001"))
        assert first.conversation.status == "open"


async def _conversation_with_whatsapp(uow, prop, at=NOW):
    return (
        await record_inbound(
            uow, prop.id, InboundMessage(Channel.WHATSAPP, f"w{uuid.uuid4()}", at, "hi", phone="+33612345678")
        )
    ).conversation


class TestSendFreeForm:
    async def test_queues_a_message_and_its_outbox_row_and_announces_after_commit(self, uow, prop):
        conv = await _conversation_with_whatsapp(uow, prop)
        await uow.commit()
        message = await send_free_form(uow, prop.id, conv.id, uuid.uuid4(), Channel.WHATSAPP, "  Welcome!  ", NOW)
        assert message.status == MessageStatus.QUEUED and message.body == "Welcome!"
        [event] = uow.outbox.items.values()
        assert event.topic == SEND_TOPIC and event.payload["message_id"] == str(message.id)
        assert conv.last_message_preview == "Welcome!"
        assert not any(e.message_id == message.id for e in uow.published)
        await uow.commit()
        assert any(e.message_id == message.id for e in uow.published)

    async def test_refused_outside_the_window_before_any_row_is_written(self, uow, prop):
        conv = await _conversation_with_whatsapp(uow, prop, at=NOW - timedelta(hours=25))
        before = len(uow.messages.items)
        with pytest.raises(PolicyViolation) as err:
            await send_free_form(uow, prop.id, conv.id, uuid.uuid4(), Channel.WHATSAPP, "hello", NOW)
        assert err.value.code == "whatsapp_window_closed"
        assert len(uow.messages.items) == before and not uow.outbox.items

    async def test_empty_body_and_unknown_conversation(self, uow, prop):
        conv = await _conversation_with_whatsapp(uow, prop)
        with pytest.raises(InvalidInput):
            await send_free_form(uow, prop.id, conv.id, uuid.uuid4(), Channel.SMS, "   ", NOW)
        with pytest.raises(NotFound):
            await send_free_form(uow, prop.id, uuid.uuid4(), uuid.uuid4(), Channel.SMS, "x", NOW)
        with pytest.raises(NotFound):  # another property's conversation is invisible
            await send_free_form(uow, uuid.uuid4(), conv.id, uuid.uuid4(), Channel.SMS, "x", NOW)

    async def test_notes_are_never_sent_nor_previewed(self, uow, prop):
        conv = await _conversation_with_whatsapp(uow, prop)
        note = await add_note(uow, prop.id, conv.id, uuid.uuid4(), "VIP, upgrade if possible", NOW)
        assert note.kind == "note" and not uow.outbox.items
        assert conv.last_message_preview == "hi"


class TestConversationActions:
    async def test_mark_read_zeroes_my_unread_count(self, uow, prop):
        conv = await _conversation_with_whatsapp(uow, prop)
        user = uuid.uuid4()
        await actions.mark_read(uow, prop.id, conv.id, user, NOW)
        assert (await uow.reads.get(prop.id, conv.id, user)).inbound_seen == conv.inbound_count

    async def test_assign_only_to_members(self, uow, prop):
        conv = await _conversation_with_whatsapp(uow, prop)
        member = uuid.uuid4()
        uow.memberships.add(Membership(member, prop.id, "agent"))
        await actions.assign(uow, prop.id, conv.id, member)
        assert conv.assignee_id == member
        with pytest.raises(InvalidInput):
            await actions.assign(uow, prop.id, conv.id, uuid.uuid4())


class TestDelivery:
    async def _queued(self, uow, prop):
        conv = await _conversation_with_whatsapp(uow, prop)
        return await send_free_form(uow, prop.id, conv.id, uuid.uuid4(), Channel.WHATSAPP, "Hello", NOW)

    async def test_success_stores_the_provider_id(self, uow, prop):
        message = await self._queued(uow, prop)
        sender = RecordingSender([SendReceipt("wamid.1")])
        outcome = await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, FixedClock(NOW), RetryPolicy())
        assert outcome.status == MessageStatus.SENT and message.provider_message_id == "wamid.1"
        assert [r.to for r in sender.requests] == ["+33612345678"]

    async def test_a_repeated_job_never_sends_twice(self, uow, prop):
        message = await self._queued(uow, prop)
        sender = RecordingSender()
        for _ in range(3):
            await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, FixedClock(NOW), RetryPolicy())
        assert len(sender.requests) == 1

    async def test_transient_failure_is_retried_later_honouring_retry_after(self, uow, prop):
        message = await self._queued(uow, prop)
        sender = RecordingSender([ProviderFailure("whatsapp_130429", "rate", True, retry_after_seconds=120)])
        outcome = await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, FixedClock(NOW), RetryPolicy())
        assert outcome.status == MessageStatus.QUEUED and outcome.retry_in_seconds >= 120
        assert message.next_attempt_at >= NOW + timedelta(seconds=120)
        # a job that comes early does not call the provider
        early = await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, FixedClock(NOW), RetryPolicy())
        assert early.retry_in_seconds and len(sender.requests) == 1
        later = FixedClock(message.next_attempt_at)
        assert (
            await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, later, RetryPolicy())
        ).status == "sent"

    async def test_policy_errors_fail_at_once_with_a_human_reason(self, uow, prop):
        message = await self._queued(uow, prop)
        sender = RecordingSender([ProviderFailure("whatsapp_131047", "More than 24 hours have passed", False)])
        outcome = await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, FixedClock(NOW), RetryPolicy())
        assert outcome.status == MessageStatus.FAILED
        assert message.error_code == "whatsapp_131047" and "24 hours" in message.error_reason
        assert len(sender.requests) == 1

    async def test_gives_up_after_the_attempt_budget(self, uow, prop):
        message = await self._queued(uow, prop)
        failures = [ProviderFailure("whatsapp_timeout", "no answer", True) for _ in range(3)]
        sender = RecordingSender(failures)
        clock = FixedClock(NOW)
        for _ in range(3):
            await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, clock, RetryPolicy(max_attempts=3))
            clock.advance(hours=1)
        assert message.status == MessageStatus.FAILED and "3 attempts" in message.error_reason

    async def test_a_send_left_in_sending_by_a_dead_worker_is_not_repeated(self, uow, prop):
        message = await self._queued(uow, prop)
        message.status = MessageStatus.SENDING  # the worker died after claiming, maybe after calling Meta
        sender = RecordingSender()
        outcome = await deliver(lambda: uow, FakeGateway(sender), prop.id, message.id, FixedClock(NOW), RetryPolicy())
        assert outcome.status == MessageStatus.FAILED and message.error_code == OUTCOME_UNKNOWN_CODE
        assert sender.requests == []


class TestSignIn:
    async def _user(self, uow, prop, memberships=True):
        user = User(email="marie@hotel.test", name="Marie", password_hash=PlainHasher().hash("pw"))
        uow.users.add(user)
        if memberships:
            uow.memberships.add(Membership(user.id, prop.id, "owner"))
        return user

    async def test_right_password_signs_in(self, uow, prop):
        user = await self._user(uow, prop)
        signed = await sign_in(uow, PlainHasher(), FakeThrottle(), " Marie@Hotel.test", "pw", "10.0.0.1")
        assert signed.user is user and signed.memberships[0].property_id == prop.id

    async def test_failures_are_counted_and_then_blocked(self, uow, prop):
        await self._user(uow, prop)
        throttle = FakeThrottle(max_failures=2)
        for _ in range(2):
            with pytest.raises(InvalidCredentials):
                await sign_in(uow, PlainHasher(), throttle, "marie@hotel.test", "bad", "10.0.0.1")
        with pytest.raises(TooManyAttempts):
            await sign_in(uow, PlainHasher(), throttle, "marie@hotel.test", "pw", "10.0.0.2")

    async def test_a_user_without_any_property_cannot_sign_in(self, uow, prop):
        await self._user(uow, prop, memberships=False)
        with pytest.raises(InvalidCredentials):
            await sign_in(uow, PlainHasher(), FakeThrottle(), "marie@hotel.test", "pw", None)
