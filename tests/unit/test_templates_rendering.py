"""Filling templates for a guest: placeholders, parameter counts, overrides, dates and the previewed text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.errors import PolicyViolation
from domain.model import Booking, Guest, Property
from domain.templates.dates import format_date
from domain.templates.model import ButtonKind, TemplateButton, TemplateCategory, TemplateVariable, WhatsAppTemplate
from domain.templates.placeholders import PLACEHOLDERS, PlaceholderContext, read_placeholder
from domain.templates.rendering import (
    ButtonParameter,
    ResolvedParameters,
    example_parameters,
    render_text,
    resolve_parameters,
)

HOTEL = Property(name="Hotel des Arts", timezone="Europe/Paris", locale="fr", country="FR", currency="EUR")
GUEST = Guest(property_id=HOTEL.id, first_name="Anna", last_name="Martin", phone="+33612345678")
BOOKING = Booking(
    property_id=HOTEL.id,
    guest_id=GUEST.id,
    external_ref="BK-10452",
    check_in=date(2026, 12, 14),
    check_out=date(2026, 12, 17),
    confirmation_code="HMABCD1234",
    room="12",
    custom_fields={"door_code": "4821"},
)
LINK = "https://wa.me/33612345678"


def context(booking: Booking | None = BOOKING, language: str = "en", guest: Guest = GUEST) -> PlaceholderContext:
    return PlaceholderContext(guest=guest, booking=booking, property=HOTEL, whatsapp_link=LINK, language=language)


def template(**changes) -> WhatsAppTemplate:
    base = WhatsAppTemplate(
        property_id=HOTEL.id,
        name="pre_arrival",
        language="en",
        category=TemplateCategory.UTILITY,
        header_text="Your stay at {{1}}",
        header_variable=TemplateVariable(1, "property.name", "Hotel des Arts"),
        body="Hello {{1}}, we expect you on {{2}}. Your booking reference is {{3}}; see you soon.",
        body_variables=[
            TemplateVariable(3, "booking.reference", "BK-1"),  # mappings need not be in order
            TemplateVariable(1, "guest.first_name", "Anna"),
            TemplateVariable(2, "booking.check_in", "Monday 14 December 2026"),
        ],
        footer="Hotel des Arts, Paris",
        buttons=[
            TemplateButton(ButtonKind.QUICK_REPLY, "Confirm"),
            TemplateButton(ButtonKind.PHONE_NUMBER, "Call us", phone_number="+33612345678"),
            TemplateButton(
                ButtonKind.URL, "Website", url="https://hotel.example/b/{{1}}", example="BK-1",
                placeholder="booking.reference",
            ),
        ],
    )  # fmt: skip
    return replace(base, **changes)


class TestResolveParameters:
    def test_values_come_from_the_guest_the_booking_and_the_property(self):
        resolved = resolve_parameters(template(), context(), {})
        assert resolved == ResolvedParameters(
            header="Hotel des Arts",
            body=("Anna", "Monday 14 December 2026", "BK-10452"),
            buttons=(ButtonParameter(index=2, text="BK-10452"),),
        )

    def test_dates_are_written_in_the_template_language(self):
        resolved = resolve_parameters(template(language="fr"), context(language="fr"), {})
        assert resolved.body[1] == "lundi 14 décembre 2026"

    @pytest.mark.parametrize("count", [0, 1, 2, 5, 9])
    def test_one_parameter_per_variable_whatever_the_mappings(self, count):
        body = "Hello guest, " + " and then ".join(f"value {{{{{n}}}}}" for n in range(1, count + 1)) + " ok."
        mappings = [TemplateVariable(n, "guest.first_name", "Anna") for n in range(count, 0, -1)]
        mappings.append(TemplateVariable(count + 1, "guest.last_name", "Martin"))  # maps nothing: ignored
        resolved = resolve_parameters(template(body=body, body_variables=mappings), context(), {})
        assert len(resolved.body) == count

    def test_a_variable_without_mapping_needs_an_override(self):
        unmapped = template(body_variables=template().body_variables[:2])  # {{2}} has no mapping
        with pytest.raises(PolicyViolation) as err:
            resolve_parameters(unmapped, context(), {})
        assert err.value.code == "template_parameter_missing" and "{{2}}" in err.value.message
        assert resolve_parameters(unmapped, context(), {2: "Friday"}).body[1] == "Friday"

    def test_overrides_win(self):
        resolved = resolve_parameters(
            template(), context(), {1: "Dr Martin"}, header_override="Hôtel", button_overrides={2: "X9"}
        )
        assert resolved.body[0] == "Dr Martin" and resolved.header == "Hôtel"
        assert resolved.buttons == (ButtonParameter(2, "X9"),)

    def test_a_blank_override_does_not_hide_the_real_value(self):
        assert resolve_parameters(template(), context(), {1: "   "}).body[0] == "Anna"

    def test_a_missing_booking_value_raises_and_names_the_variable(self):
        with pytest.raises(PolicyViolation) as err:
            resolve_parameters(template(), context(booking=None), {})
        assert err.value.code == "template_parameter_missing"
        assert "{{2}}" in err.value.message and "booking.check_in" in err.value.message
        assert err.value.hint

    def test_overrides_fill_what_the_context_lacks(self):
        resolved = resolve_parameters(
            template(), context(booking=None), {2: "Monday", 3: "BK-9"}, button_overrides={2: "BK-9"}
        )
        assert resolved.body == ("Anna", "Monday", "BK-9")

    def test_empty_custom_field_is_missing(self):
        door = template(body="Hello guest, your door code is {{1}} for the whole stay.",
                        body_variables=[TemplateVariable(1, "booking.door_code", "4821")])  # fmt: skip
        assert resolve_parameters(door, context(), {}).body == ("4821",)
        with pytest.raises(PolicyViolation, match="booking.door_code"):
            resolve_parameters(door, context(booking=replace(BOOKING, custom_fields={})), {})

    def test_values_are_kept_on_one_line(self):
        guest = replace(GUEST, first_name="Anna\n\tMarie     Jo")
        assert resolve_parameters(template(), context(guest=guest), {}).body[0] == "Anna Marie Jo"

    def test_url_suffixes_are_escaped(self):
        booking = replace(BOOKING, external_ref="BK 10/452")
        assert resolve_parameters(template(), context(booking=booking), {}).buttons[0].text == "BK%2010/452"

    def test_a_header_without_variable_has_no_parameter(self):
        plain = template(header_text="Welcome", header_variable=None)
        assert resolve_parameters(plain, context(), {}).header is None

    def test_json_form_for_the_message_row(self):
        assert resolve_parameters(template(), context(), {}).as_template_params() == {
            "header": "Hotel des Arts",
            "body": ["Anna", "Monday 14 December 2026", "BK-10452"],
            "buttons": [{"index": 2, "text": "BK-10452"}],
        }


class TestPlaceholders:
    def test_every_placeholder_reads_a_value_from_a_full_context(self):
        values = {key: read_placeholder(key, context()) for key in PLACEHOLDERS}
        assert all(values.values()), values
        assert values["guest.full_name"] == "Anna Martin"
        assert values["booking.nights"] == "3"
        assert values["booking.check_out"] == "Thursday 17 December 2026"
        assert values["booking.confirmation_code"] == "HMABCD1234"
        assert values["booking.room"] == "12"
        assert values["property.whatsapp_link"] == LINK

    def test_booking_placeholders_are_empty_without_a_booking(self):
        for key, placeholder in PLACEHOLDERS.items():
            assert (read_placeholder(key, context(booking=None)) is None) == placeholder.needs_booking

    def test_every_placeholder_is_described_with_an_example(self):
        assert all(p.description and p.example for p in PLACEHOLDERS.values())

    def test_unknown_placeholder_reads_nothing(self):
        assert read_placeholder("guest.shoe_size", context()) is None


class TestDates:
    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "Monday 14 December 2026"),
            ("en_GB", "Monday 14 December 2026"),
            ("en_US", "Monday, December 14, 2026"),
            ("fr", "lundi 14 décembre 2026"),
            ("fr_FR", "lundi 14 décembre 2026"),
            ("es", "lunes, 14 de diciembre de 2026"),
            ("de", "Montag, 14. Dezember 2026"),
            ("it", "lunedì 14 dicembre 2026"),
            ("nl", "Monday 14 December 2026"),
        ],
    )
    def test_format_per_language(self, language, text):
        assert format_date(date(2026, 12, 14), language) == text

    def test_french_first_of_the_month(self):
        assert format_date(date(2026, 12, 1), "fr") == "mardi 1er décembre 2026"


class TestRenderText:
    def test_what_the_guest_reads(self):
        resolved = resolve_parameters(template(), context(), {})
        assert render_text(template(), resolved) == (
            "Your stay at Hotel des Arts\n\n"
            "Hello Anna, we expect you on Monday 14 December 2026. Your booking reference is BK-10452; see you soon.\n\n"
            "Hotel des Arts, Paris\n\n"
            "[Confirm]\n[Call us]\n[Website]"
        )

    def test_body_only(self):
        bare = template(header_text=None, header_variable=None, footer=None, buttons=[])
        text = render_text(bare, resolve_parameters(bare, context(language="fr"), {}))
        assert (
            text
            == "Hello Anna, we expect you on lundi 14 décembre 2026. Your booking reference is BK-10452; see you soon."
        )

    def test_a_parameter_count_mismatch_is_refused(self):
        with pytest.raises(PolicyViolation) as err:
            render_text(template(), ResolvedParameters(header="Hotel", body=("Anna", "Monday")))
        assert err.value.code == "template_parameter_mismatch"
        with pytest.raises(PolicyViolation):
            render_text(template(), ResolvedParameters(header=None, body=("Anna", "Monday", "BK")))

    def test_preview_with_the_review_examples(self):
        unmapped = template(body_variables=template().body_variables[:2])
        resolved = example_parameters(unmapped)
        assert resolved.body == ("Anna", "{{2}}", "BK-1") and resolved.buttons == (ButtonParameter(2, "BK-1"),)
        assert render_text(unmapped, resolved).startswith(
            "Your stay at Hotel des Arts\n\nHello Anna, we expect you on {{2}}."
        )
