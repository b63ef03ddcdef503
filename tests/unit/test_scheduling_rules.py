"""Scheduling rules without I/O: due times across DST, quiet hours, conditions, channel choice, rendering."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import pytest

from domain.channels import Channel
from domain.errors import InvalidInput, PolicyViolation
from domain.model import Booking, Guest, Property
from domain.scheduling.channel_choice import ChannelFacts, choose_channel
from domain.scheduling.conditions import why_not
from domain.scheduling.model import ScheduledRule
from domain.scheduling.rendering import check_content, html_to_text, placeholders_in, render
from domain.scheduling.timing import QuietHours, due_at
from domain.services.scheduling import validate_rule
from domain.templates.placeholders import PlaceholderContext

PID = uuid.uuid4()
PARIS = "Europe/Paris"


def rule(**kw) -> ScheduledRule:
    base = {
        "property_id": PID,
        "name": "Pre-arrival",
        "trigger": "before_check_in",
        "channel_order": ["sms"],
        "content": {"default": {"sms_text": "Hello {{ guest.first_name }}"}},
        "offset_days": 2,
        "send_time": "10:00",
    }
    return ScheduledRule(**{**base, **kw})


def booking(check_in=date(2026, 7, 10), nights=3, **kw) -> Booking:
    from datetime import timedelta

    return Booking(
        property_id=PID,
        guest_id=uuid.uuid4(),
        external_ref="B1",
        check_in=check_in,
        check_out=check_in + timedelta(days=nights),
        **kw,
    )


def guest(**kw) -> Guest:
    return Guest(
        **{
            "property_id": PID,
            "first_name": "Camille",
            "phone": "+33612345678",
            "email": "c@example.com",
            "language": "fr",
            **kw,
        }
    )


EVENT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class TestDueTimes:
    def test_two_days_before_check_in_at_ten_local(self):
        # 10:00 in Paris in summer is 08:00 UTC
        assert due_at(rule(), booking(), EVENT, PARIS) == datetime(2026, 7, 8, 8, 0, tzinfo=UTC)

    def test_winter_time_is_an_hour_later_in_utc(self):
        assert due_at(rule(), booking(check_in=date(2026, 12, 10)), EVENT, PARIS) == datetime(
            2026, 12, 8, 9, 0, tzinfo=UTC
        )

    def test_a_time_skipped_by_spring_forward_moves_forward_by_the_gap(self):
        # 29 March 2026: 02:00 jumps to 03:00 in Paris; 02:30 does not exist and becomes 03:30 CEST = 01:30 UTC
        spring = rule(send_time="02:30", offset_days=1)
        assert due_at(spring, booking(check_in=date(2026, 3, 30)), EVENT, PARIS) == datetime(
            2026, 3, 29, 1, 30, tzinfo=UTC
        )

    def test_a_time_repeated_by_fall_back_is_its_first_occurrence(self):
        # 25 October 2026: 03:00 falls back to 02:00; the first 02:30 is still CEST = 00:30 UTC
        autumn = rule(send_time="02:30", offset_days=1)
        assert due_at(autumn, booking(check_in=date(2026, 10, 26)), EVENT, PARIS) == datetime(
            2026, 10, 25, 0, 30, tzinfo=UTC
        )

    def test_after_check_out_and_hour_offsets(self):
        after = rule(trigger="after_check_out", offset_days=0, offset_hours=3, send_time=None)
        # check-out 13 July at 11:00 local (09:00 UTC) + 3 h
        assert due_at(after, booking(), EVENT, PARIS) == datetime(2026, 7, 13, 12, 0, tzinfo=UTC)

    def test_booking_confirmed_counts_from_the_event(self):
        confirmed = rule(trigger="booking_confirmed", offset_days=0, offset_hours=1, send_time=None)
        assert due_at(confirmed, booking(), EVENT, PARIS) == datetime(2026, 6, 1, 13, 0, tzinfo=UTC)

    def test_quiet_hours_push_to_their_end(self):
        late = rule(send_time="22:30")
        # 22:30 local on 8 July is inside 21:00–08:00: moved to 08:00 local on 9 July = 06:00 UTC
        assert due_at(late, booking(), EVENT, PARIS, QuietHours()) == datetime(2026, 7, 9, 6, 0, tzinfo=UTC)
        early = rule(send_time="06:15")
        assert due_at(early, booking(), EVENT, PARIS, QuietHours()) == datetime(2026, 7, 8, 6, 0, tzinfo=UTC)
        assert due_at(rule(), booking(), EVENT, PARIS, QuietHours()) == datetime(2026, 7, 8, 8, 0, tzinfo=UTC)

    def test_quiet_hours_that_do_not_cross_midnight(self):
        quiet = QuietHours(start=time(12, 0), end=time(14, 0))
        assert due_at(rule(send_time="12:30"), booking(), EVENT, PARIS, quiet) == datetime(
            2026, 7, 8, 12, 0, tzinfo=UTC
        )


class TestConditions:
    def test_source_nights_language_and_cancellation(self):
        assert why_not(rule(conditions={"sources": ["airbnb"]}), booking(source="direct"), guest()) is not None
        assert why_not(rule(conditions={"sources": ["airbnb"]}), booking(source="airbnb"), guest()) is None
        assert "shorter" in why_not(rule(conditions={"min_nights": 4}), booking(nights=3), guest())
        assert why_not(rule(conditions={"languages": ["en"]}), booking(), guest(language="fr")) is not None
        assert why_not(rule(), booking(status="cancelled"), guest()) == "The booking is cancelled."
        assert why_not(rule(trigger="booking_cancelled"), booking(status="cancelled"), guest()) is None
        assert why_not(rule(active=False), booking(), guest()) == "The rule is inactive."


class TestChannelChoice:
    FACTS = ChannelFacts(frozenset({Channel.WHATSAPP, Channel.SMS, Channel.EMAIL}), True, False)

    def test_first_usable_channel_with_reasons_for_the_rest(self):
        choice = choose_channel(
            ["whatsapp", "sms", "email"], booking(), guest(phone=None), self.FACTS, {"whatsapp_template_id": "x"}
        )
        assert choice.channel == Channel.EMAIL
        assert [t["outcome"] for t in choice.tried] == ["skipped", "skipped", "used"]
        assert choice.tried[0]["reason"] == "The guest has no phone number."

    def test_unapproved_template_and_opt_out_and_nothing_usable(self):
        facts = ChannelFacts(frozenset({Channel.WHATSAPP, Channel.SMS}), False, False)
        choice = choose_channel(
            ["whatsapp", "sms"], booking(), guest(opt_outs={"sms": {}}), facts, {"whatsapp_template_id": "x"}
        )
        assert choice.channel is None
        assert [t["reason"] for t in choice.tried] == [
            "The rule's WhatsApp template is not approved.",
            "The guest opted out of sms.",
        ]

    def test_airbnb_needs_an_airbnb_booking_and_a_thread(self):
        facts = ChannelFacts(frozenset({Channel.AIRBNB}), False, True)
        assert (
            choose_channel(
                ["airbnb"], booking(source="airbnb", confirmation_code="HMDABRMKQM"), guest(), facts, {}
            ).channel
            == Channel.AIRBNB
        )
        assert choose_channel(["airbnb"], booking(source="direct"), guest(), facts, {}).channel is None


def _context(**kw) -> PlaceholderContext:
    prop = Property(name="Hôtel des Tilleuls", timezone=PARIS, locale="fr", country="FR", currency="EUR")
    return PlaceholderContext(
        guest=guest(**kw),
        booking=booking(custom_fields={"door_code": "4821"}),
        property=prop,
        whatsapp_link="https://wa.me/33184880000",
        language="fr",
    )


class TestRendering:
    def test_placeholders_render_with_dates_in_the_guests_language(self):
        text = render(
            "Bonjour {{ guest.first_name }}, arrivée le {{ booking.check_in }}, code {{ booking.door_code }}.",
            _context(),
        )
        assert text == "Bonjour Camille, arrivée le vendredi 10 juillet 2026, code 4821."

    def test_property_name_is_the_propertys_name(self):
        # Jinja reads attributes before keys: the values must not be shadowed by a helper attribute
        assert render("{{ property.name }}", _context()) == "Hôtel des Tilleuls"

    def test_unknown_placeholders_and_syntax_errors_are_refused_at_save(self):
        problems = check_content(
            {"default": {"email_body": "Hi {{ guest.nickname }} {{ wifi }}", "sms_text": "{% if %}"}}
        )
        assert {(p.field, p.code) for p in problems} == {
            ("content.default.email_body", "unknown_placeholder"),
            ("content.default.sms_text", "template_syntax"),
        }
        assert placeholders_in("{{ guest.first_name }} {{ property.name }}") == {"guest.first_name", "property.name"}

    def test_a_placeholder_without_value_stops_the_send_instead_of_a_blank(self):
        with pytest.raises(PolicyViolation) as err:
            render("Room {{ booking.room }}", _context())
        assert err.value.code == "placeholder_without_value"

    def test_html_is_autoescaped_and_the_sandbox_holds(self):
        hostile = _context(first_name="<script>alert(1)</script>")
        assert "&lt;script&gt;" in render("<p>Hi {{ guest.first_name }}</p>", hostile, as_html=True)
        with pytest.raises(Exception):  # noqa: B017 - the sandbox refuses attribute walks to Python internals
            render("{{ guest.__class__.__mro__ }}", _context())

    def test_html_to_text(self):
        html = '<h1>Welcome</h1><p>Your code: <b>4821</b></p><ul><li>Wi-Fi: Tilleuls</li></ul><p><a href="https://x.test/map">Map</a></p>'
        assert html_to_text(html) == "Welcome\nYour code: 4821\n- Wi-Fi: Tilleuls\nMap (https://x.test/map)"


class TestRuleValidation:
    def test_rule_problems_are_listed(self):
        bad = rule(
            name=" ",
            send_time="25:00",
            offset_hours=2,
            channel_order=["whatsapp", "fax"],
            content={"default": {"sms_text": "{{ nope.x }}"}},
        )
        with pytest.raises(InvalidInput) as err:
            validate_rule(bad)
        fields = {p.field for p in err.value.problems}
        assert {"name", "send_time", "channel_order", "content.default.sms_text"} <= fields
