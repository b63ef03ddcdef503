"""Pure channel rules: the WhatsApp window, reply states, status ordering, contacts, booking link, backoff."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.booking_link import pick_booking
from domain.channels import Channel
from domain.contacts import ContactError, normalize_email, normalize_phone, phone_region
from domain.message_status import OUTCOME_UNKNOWN_CODE, MessageStatus, advance
from domain.model import Booking, Conversation, Guest
from domain.reply_rules import reply_state, reply_states, whatsapp_window_open_until
from domain.retry_policy import RetryPolicy

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
PID = uuid.uuid4()
ALL = frozenset(Channel)


def _conversation(**inbound: datetime) -> Conversation:
    return Conversation(
        property_id=PID,
        guest_id=uuid.uuid4(),
        last_activity_at=NOW,
        last_inbound_at={k: v.isoformat() for k, v in inbound.items()},
    )


def _guest(phone: str | None = "+33612345678", email: str | None = "g@example.com") -> Guest:
    return Guest(property_id=PID, first_name="Ann", phone=phone, email=email)


class TestWhatsAppWindow:
    def test_open_until_24_hours_after_the_last_inbound_message(self):
        state = reply_state(
            Channel.WHATSAPP, _conversation(whatsapp=NOW - timedelta(hours=23, minutes=59)), _guest(), ALL, NOW
        )
        assert state.open
        assert state.open_until == NOW + timedelta(minutes=1)

    def test_closed_at_exactly_24_hours(self):
        state = reply_state(Channel.WHATSAPP, _conversation(whatsapp=NOW - timedelta(hours=24)), _guest(), ALL, NOW)
        assert not state.open and state.code == "whatsapp_window_closed"
        assert "template" in (state.reason or "")

    def test_closed_when_the_guest_never_wrote_on_whatsapp(self):
        state = reply_state(Channel.WHATSAPP, _conversation(sms=NOW), _guest(), ALL, NOW)
        assert not state.open and state.open_until is None and state.code == "whatsapp_window_closed"

    def test_window_end_is_pure_arithmetic(self):
        assert whatsapp_window_open_until(None) is None
        assert whatsapp_window_open_until(NOW) == NOW + timedelta(hours=24)


class TestReplyStates:
    def test_unconnected_channel_is_closed_with_its_code(self):
        state = reply_state(Channel.SMS, _conversation(), _guest(), frozenset({Channel.WHATSAPP}), NOW)
        assert (state.open, state.code) == (False, "channel_not_connected")

    def test_sms_is_open_any_time_for_a_guest_with_a_phone(self):
        assert reply_state(Channel.SMS, _conversation(), _guest(), ALL, NOW).open
        assert reply_state(Channel.SMS, _conversation(), _guest(phone=None), ALL, NOW).code == "guest_has_no_phone"

    def test_airbnb_only_after_the_guest_wrote_in_the_thread(self):
        assert reply_state(Channel.AIRBNB, _conversation(), _guest(), ALL, NOW).code == "airbnb_reply_not_allowed"
        assert reply_state(Channel.AIRBNB, _conversation(airbnb=NOW - timedelta(days=40)), _guest(), ALL, NOW).open

    def test_email_is_not_for_free_form_unless_the_setting_allows_it(self):
        assert reply_state(Channel.EMAIL, _conversation(), _guest(), ALL, NOW).code == "email_free_form_disabled"
        assert reply_state(Channel.EMAIL, _conversation(), _guest(), ALL, NOW, free_form_email_allowed=True).open
        no_mail = reply_state(
            Channel.EMAIL, _conversation(), _guest(email=None), ALL, NOW, free_form_email_allowed=True
        )
        assert no_mail.code == "guest_has_no_email"

    def test_every_channel_has_a_state(self):
        assert set(reply_states(_conversation(), _guest(), ALL, NOW)) == set(Channel)


class TestStatusOrdering:
    @pytest.mark.parametrize(
        ("current", "proposed", "moves"),
        [
            (MessageStatus.QUEUED, MessageStatus.SENT, True),
            (MessageStatus.SENT, MessageStatus.DELIVERED, True),
            (MessageStatus.SENT, MessageStatus.READ, True),  # read may come without delivered
            (MessageStatus.READ, MessageStatus.DELIVERED, False),  # a late delivered never moves back
            (MessageStatus.DELIVERED, MessageStatus.SENT, False),
            (MessageStatus.SENT, MessageStatus.SENT, False),  # a redelivered callback is a no-op
            (MessageStatus.SENT, MessageStatus.FAILED, True),  # asynchronous failure, e.g. 131047
            (MessageStatus.READ, MessageStatus.FAILED, False),
            (MessageStatus.FAILED, MessageStatus.DELIVERED, False),
            (MessageStatus.RECEIVED, MessageStatus.READ, False),
        ],
    )
    def test_advance(self, current, proposed, moves):
        assert advance(current, proposed) is moves

    def test_a_send_we_thought_lost_can_be_proved_delivered(self):
        assert advance(MessageStatus.FAILED, MessageStatus.DELIVERED, OUTCOME_UNKNOWN_CODE)
        assert not advance(MessageStatus.FAILED, MessageStatus.QUEUED, OUTCOME_UNKNOWN_CODE)


class TestContacts:
    @pytest.mark.parametrize(
        ("raw", "region", "e164"),
        [
            ("06 12 34 56 78", "FR", "+33612345678"),
            ("+33 6 12 34 56 78", "US", "+33612345678"),
            ("0033612345678", None, "+33612345678"),
            ("(415) 555-2671", "US", "+14155552671"),
            ("07911 123456", "GB", "+447911123456"),
        ],
    )
    def test_phones_become_e164_in_the_property_country(self, raw, region, e164):
        assert normalize_phone(raw, region) == e164

    @pytest.mark.parametrize("raw", ["hello", "123", "+33 1", ""])
    def test_invalid_phones_name_the_field(self, raw):
        with pytest.raises(ContactError) as err:
            normalize_phone(raw, "FR", field="guest.phone")
        assert err.value.problem.field == "guest.phone" and err.value.problem.code == "invalid_phone"

    def test_emails_are_normalised_and_checked(self):
        assert normalize_email("  Camille.Durand@Example.COM ") == "camille.durand@example.com"
        with pytest.raises(ContactError):
            normalize_email("not-an-email")

    def test_region_of_a_number(self):
        assert phone_region("+33612345678") == "FR"


def _booking(start: date, nights: int = 2, status: str = "confirmed") -> Booking:
    return Booking(
        property_id=PID,
        guest_id=uuid.uuid4(),
        external_ref=str(uuid.uuid4()),
        check_in=start,
        check_out=start + timedelta(days=nights),
        status=status,
    )


class TestBookingLink:
    def test_current_stay_wins(self):
        today = date(2026, 6, 15)
        current, upcoming = _booking(date(2026, 6, 14)), _booking(date(2026, 7, 1))
        assert pick_booking([upcoming, current], today) is current

    def test_then_the_next_stay_then_the_last(self):
        today = date(2026, 6, 15)
        past, later, sooner = _booking(date(2026, 1, 1)), _booking(date(2026, 9, 1)), _booking(date(2026, 7, 1))
        assert pick_booking([past, later, sooner], today) is sooner
        assert pick_booking([past], today) is past

    def test_cancelled_stays_are_ignored(self):
        assert pick_booking([_booking(date(2026, 6, 20), status="cancelled")], date(2026, 6, 15)) is None


class TestRetryPolicy:
    def test_backoff_grows_exponentially_with_jitter_and_a_cap(self):
        policy = RetryPolicy(base_seconds=2, cap_seconds=60)
        rng = random.Random(1)
        delays = [policy.delay(n, rng=rng) for n in range(1, 8)]
        for n, d in enumerate(delays, start=1):
            ceiling = min(60, 2 * 2 ** (n - 1))
            assert ceiling / 2 <= d <= ceiling

    def test_retry_after_is_a_floor(self):
        assert RetryPolicy(base_seconds=1).delay(1, retry_after=30, rng=random.Random(0)) == 30

    def test_only_retryable_failures_within_the_attempt_budget(self):
        policy = RetryPolicy(max_attempts=3)
        assert policy.should_retry(2, True)
        assert not policy.should_retry(3, True)
        assert not policy.should_retry(1, False)
