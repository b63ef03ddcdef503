"""WhatsApp template rules: every problem code, each with a template that trips it and one that does not."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from domain.errors import InvalidInput
from domain.templates.model import (
    ButtonKind,
    TemplateButton,
    TemplateCategory,
    TemplateStatus,
    TemplateVariable,
    WhatsAppTemplate,
    status_from_meta,
)
from domain.templates.validation import raise_if_invalid, validate_template

PID = uuid.uuid4()
BODY = (
    "Hello {{1}}, we look forward to welcoming you on {{2}}. "
    "Your booking reference is {{3}} and check-in starts at 3 pm."
)
QUICK = TemplateButton(ButtonKind.QUICK_REPLY, "Confirm arrival time")
URL = TemplateButton(
    ButtonKind.URL, "Manage booking", url="https://hotel.example/booking/{{1}}", example="BK-10452",
    placeholder="booking.reference",
)  # fmt: skip
PHONE = TemplateButton(ButtonKind.PHONE_NUMBER, "Call us", phone_number="+33 6 12 34 56 78")


def valid(**changes) -> WhatsAppTemplate:
    template = WhatsAppTemplate(
        property_id=PID,
        name="pre_arrival_details",
        language="en",
        category=TemplateCategory.UTILITY,
        header_text="Your stay at {{1}}",
        header_variable=TemplateVariable(1, "property.name", "Hotel des Arts"),
        body=BODY,
        body_variables=[
            TemplateVariable(1, "guest.first_name", "Anna"),
            TemplateVariable(2, "booking.check_in", "Monday 14 December 2026"),
            TemplateVariable(3, "booking.reference", "BK-10452"),
        ],
        footer="Hotel des Arts, Paris",
        buttons=[QUICK, TemplateButton(ButtonKind.QUICK_REPLY, "Talk to reception"), URL, PHONE],
    )
    return replace(template, **changes)


def codes(template: WhatsAppTemplate, existing: list[WhatsAppTemplate] | None = None) -> set[str]:
    return {problem.code for problem in validate_template(template, existing or [])}


def parts(template: WhatsAppTemplate, code: str) -> list[str]:
    return [problem.part for problem in validate_template(template, []) if problem.code == code]


def test_a_complete_template_with_every_kind_of_button_has_no_problem():
    assert validate_template(valid(), []) == []
    raise_if_invalid(valid(), [])


def test_raise_if_invalid_lists_every_problem_as_a_field_problem():
    with pytest.raises(InvalidInput) as err:
        raise_if_invalid(valid(name="Pre Arrival", footer="x" * 61), [])
    assert {(p.field, p.code) for p in err.value.problems} == {("name", "invalid_name"), ("footer", "footer_too_long")}
    assert all(p.message for p in err.value.problems)


class TestFormat:
    @pytest.mark.parametrize("name", ["Pre_arrival", "pre-arrival", "pre arrival", "", "a" * 513, "café"])
    def test_invalid_name(self, name):
        assert parts(valid(name=name), "invalid_name") == ["name"]

    @pytest.mark.parametrize("name", ["a", "pre_arrival_2", "a" * 512])
    def test_valid_names(self, name):
        assert validate_template(valid(name=name)) == []

    @pytest.mark.parametrize("language", ["english", "EN", "en-US", "en_us", "e", ""])
    def test_invalid_language(self, language):
        assert parts(valid(language=language), "invalid_language") == ["language"]

    @pytest.mark.parametrize("language", ["en", "en_US", "fr", "pt_BR", "fil"])
    def test_valid_languages(self, language):
        assert "invalid_language" not in codes(valid(language=language))

    def test_authentication_is_refused_and_both_hotel_categories_are_accepted(self):
        problems = validate_template(valid(category=TemplateCategory.AUTHENTICATION))
        assert [(p.code, p.part) for p in problems] == [("unsupported_category", "category")]
        assert "UTILITY or MARKETING" in problems[0].message
        assert validate_template(valid(category=TemplateCategory.MARKETING)) == []

    @pytest.mark.parametrize("body", ["", "   \n "])
    def test_body_required(self, body):
        assert parts(valid(body=body, body_variables=[]), "body_required") == ["body"]

    def test_body_too_long(self):
        filler = " Breakfast is served in the garden room."
        long_body = BODY + filler * ((1024 - len(BODY)) // len(filler))
        assert len(long_body) <= 1024 and validate_template(valid(body=long_body)) == []
        assert parts(valid(body=long_body + " " + "x" * (1024 - len(long_body))), "body_too_long") == ["body"]

    def test_header_too_long(self):
        assert "header_too_long" not in codes(valid(header_text="Your stay at {{1}}".ljust(60, "!")))
        assert parts(valid(header_text="Your stay at {{1}}".ljust(61, "!")), "header_too_long") == ["header"]

    def test_header_too_many_variables(self):
        assert parts(valid(header_text="{{1}} and {{2}}"), "header_too_many_variables") == ["header"]

    def test_footer_too_long(self):
        assert validate_template(valid(footer="f" * 60)) == []
        assert parts(valid(footer="f" * 61), "footer_too_long") == ["footer"]

    def test_footer_has_variables(self):
        assert parts(valid(footer="Hotel {{1}}"), "footer_has_variables") == ["footer"]

    def test_no_header_and_no_footer_are_fine(self):
        assert validate_template(valid(header_text=None, header_variable=None, footer=None)) == []


class TestVariables:
    @pytest.mark.parametrize(
        "body",
        [
            "Hello {{1}}, see you on {{3}}. Your booking reference is {{2}} and check-in starts at 3 pm.",
            "Hello {{1}}, see you on {{3}}. Your booking reference is {{4}} and check-in starts at 3 pm.",
            "Hello {{2}}, see you on {{1}}. Your booking reference is {{3}} and check-in starts at 3 pm.",
            "Hello {{1}}, see you on {{2}}. Your booking reference is {{1}} and check-in starts at 3 pm.",
        ],
    )
    def test_variables_not_sequential(self, body):
        assert "body" in parts(valid(body=body), "variables_not_sequential")

    def test_header_variable_must_be_1(self):
        template = valid(header_text="Your stay at {{2}}", header_variable=TemplateVariable(2, "property.name", "X"))
        assert parts(template, "variables_not_sequential") == ["header"]

    @pytest.mark.parametrize("fragment", ["{{ 1}}", "{{a}}", "{1}", "{{01}}", "{{0}}", "{{{4}}}", "}}"])
    def test_malformed_variable(self, fragment):
        template = valid(body=BODY + f" Your room is {fragment} on the first floor.")
        assert parts(template, "malformed_variable") == ["body"]

    def test_malformed_variable_in_header_and_footer(self):
        assert parts(valid(header_text="Your stay at {1}", header_variable=None), "malformed_variable") == ["header"]
        assert parts(valid(footer="Hotel {name}"), "malformed_variable") == ["footer"]

    @pytest.mark.parametrize("gap", ["", " ", "\n", "  \t "])
    def test_adjacent_variables(self, gap):
        body = f"Dear guest {{{{1}}}}{gap}{{{{2}}}}, your booking reference is {{{{3}}}} and check-in starts at 3 pm."
        assert parts(valid(body=body), "adjacent_variables") == ["body"]

    def test_punctuation_or_words_between_variables_are_enough(self):
        body = "Dear guest {{1}}, {{2}}: your booking reference is {{3}} and check-in starts at 3 pm."
        assert validate_template(valid(body=body)) == []

    @pytest.mark.parametrize(
        "body",
        [
            "{{1}}, we look forward to welcoming you on {{2}}. Your booking reference is {{3}}, check in at 3 pm.",
            "  ¡{{1}}! We look forward to welcoming you on {{2}}. Your booking reference is {{3}}, check in at 3.",
            "Hello {{1}}, we look forward to welcoming you on {{2}}. Your booking reference is {{3}}",
            "Hello {{1}}, we look forward to welcoming you on {{2}}. Your booking reference is {{3}}.  \n",
        ],
    )
    def test_variable_at_body_edge(self, body):
        assert parts(valid(body=body), "variable_at_body_edge") == ["body"]

    def test_variable_without_example(self):
        variables = valid().body_variables
        blank = valid(body_variables=[variables[0], replace(variables[1], example="  "), variables[2]])
        assert parts(blank, "variable_without_example") == ["body_variables[1]"]
        assert parts(valid(body_variables=variables[:2]), "variable_without_example") == ["body"]
        assert parts(valid(header_variable=None), "variable_without_example") == ["header"]
        no_example = replace(valid().header_variable, example="")
        assert parts(valid(header_variable=no_example), "variable_without_example") == ["header_variable"]

    def test_unknown_variable_mapping(self):
        extra = [*valid().body_variables, TemplateVariable(4, "guest.last_name", "Martin")]
        assert parts(valid(body_variables=extra), "unknown_variable_mapping") == ["body_variables[3]"]
        assert parts(valid(header_text="Your stay"), "unknown_variable_mapping") == ["header_variable"]

    def test_duplicate_variable_mapping(self):
        twice = [*valid().body_variables, TemplateVariable(1, "guest.full_name", "Anna Martin")]
        assert parts(valid(body_variables=twice), "duplicate_variable_mapping") == ["body_variables[3]"]

    def test_unknown_placeholder(self):
        variables = valid().body_variables
        odd = valid(body_variables=[replace(variables[0], placeholder="guest.shoe_size"), *variables[1:]])
        assert parts(odd, "unknown_placeholder") == ["body_variables[0]"]
        odd_header = valid(header_variable=TemplateVariable(1, "property.stars", "5"))
        assert parts(odd_header, "unknown_placeholder") == ["header_variable"]
        odd_url = valid(buttons=[replace(URL, placeholder="booking.price")])
        assert parts(odd_url, "unknown_placeholder") == ["buttons[0]"]

    def test_too_many_variables_for_the_text_length(self):
        # 3 variables need 2 * 3 + 1 = 7 words of fixed text
        short = "Hi {{1}}, room {{2}} on {{3}} is ready today."
        enough = "Hi {{1}}, your room {{2}} is ready on {{3}} today."
        assert parts(valid(body=short), "too_many_variables") == ["body"]
        assert validate_template(valid(body=enough)) == []

    def test_a_body_without_variables_needs_no_mapping(self):
        assert validate_template(valid(body="Check-in starts at 3 pm. See you soon!", body_variables=[])) == []


class TestButtons:
    def test_too_many_buttons(self):
        quick = [TemplateButton(ButtonKind.QUICK_REPLY, f"Option {n}") for n in range(11)]
        assert parts(valid(buttons=quick), "too_many_buttons") == ["buttons"]
        assert validate_template(valid(buttons=quick[:10])) == []

    def test_too_many_url_buttons(self):
        assert parts(valid(buttons=[URL, URL, URL]), "too_many_url_buttons") == ["buttons"]
        assert validate_template(valid(buttons=[URL, URL])) == []

    def test_too_many_phone_buttons(self):
        assert parts(valid(buttons=[PHONE, PHONE]), "too_many_phone_buttons") == ["buttons"]

    def test_button_text_too_long(self):
        assert validate_template(valid(buttons=[replace(QUICK, text="x" * 25)])) == []
        assert parts(valid(buttons=[QUICK, replace(QUICK, text="x" * 26)]), "button_text_too_long") == ["buttons[1]"]

    def test_button_text_required(self):
        assert parts(valid(buttons=[replace(PHONE, text=" ")]), "button_text_required") == ["buttons[0]"]

    def test_quick_replies_must_be_grouped(self):
        assert parts(valid(buttons=[QUICK, URL, QUICK]), "buttons_not_grouped") == ["buttons"]
        assert parts(valid(buttons=[URL, QUICK, PHONE]), "buttons_not_grouped") == ["buttons"]
        assert validate_template(valid(buttons=[URL, PHONE, QUICK, QUICK])) == []

    @pytest.mark.parametrize(
        "button",
        [
            replace(URL, url=None),
            replace(URL, url="ftp://hotel.example/booking/{{1}}"),
            replace(URL, url="hotel.example/booking"),
            replace(URL, url="https://hotel.example/{{1}}/details"),
            replace(URL, url="https://hotel.example/{{1}}/{{2}}"),
            replace(URL, url="https://hotel.example/{{ 1}}"),
            replace(URL, url="https://{{1}}"),
            replace(URL, url="https://hotel.example/b?ref=" + "x" * 2000),
            replace(URL, example=None),
            replace(URL, placeholder=None),
        ],
    )
    def test_invalid_button_url(self, button):
        assert parts(valid(buttons=[button]), "invalid_button_url") == ["buttons[0]"]

    def test_static_and_dynamic_urls_are_accepted(self):
        static = TemplateButton(ButtonKind.URL, "Website", url="http://hotel.example")
        assert validate_template(valid(buttons=[static, URL])) == []

    @pytest.mark.parametrize("number", [None, "", "12345", "call the desk", "06 12 34 56 78"])
    def test_invalid_button_phone(self, number):
        assert parts(valid(buttons=[replace(PHONE, phone_number=number)]), "invalid_button_phone") == ["buttons[0]"]

    def test_international_phone_numbers_are_accepted(self):
        assert validate_template(valid(buttons=[replace(PHONE, phone_number="0033612345678")])) == []


class TestDuplicates:
    def test_same_text_in_the_same_category_is_a_duplicate(self):
        other = valid(id=uuid.uuid4(), name="welcome", body="  " + BODY.upper().replace(" ", "   \n"))
        problems = validate_template(valid(), [other])
        assert [(p.code, p.part) for p in problems] == [("duplicate_template", "body")]
        assert "welcome" in problems[0].message

    def test_not_a_duplicate_of_itself_another_category_or_another_property(self):
        itself = valid()
        others = [
            itself,
            valid(id=uuid.uuid4(), name="promo_copy", category=TemplateCategory.MARKETING),
            valid(id=uuid.uuid4(), name="elsewhere", property_id=uuid.uuid4()),
        ]
        assert validate_template(itself, others) == []

    def test_name_taken_in_the_same_language(self):
        other = valid(id=uuid.uuid4(), body="A different text for the same name, sent on {{1}} {{2}} {{3}}.")
        assert ("name_taken", "name") in {(p.code, p.part) for p in validate_template(valid(), [other])}
        assert validate_template(valid(), [replace(other, language="fr")]) == []


class TestSensitiveData:
    @pytest.mark.parametrize(
        "text",
        [
            "Please send us your card number to guarantee the booking.",
            "Reply with your CVV to confirm.",
            "Please provide your passport number before arrival.",
            "Send us a photo of your passport before arrival.",
            "What is your password?",
            "Share your IBAN so we can refund the deposit.",
            "Please enter your PIN code here.",
            "Merci d'indiquer votre numéro de carte avant votre arrivée.",
            "Indiquez le cryptogramme au dos de votre carte.",
            "Envoyez-nous une photo de votre passeport.",
            "Merci de nous communiquer vos coordonnées bancaires.",
            "Répondez avec votre mot de passe.",
            "Merci de nous transmettre votre numéro de sécurité sociale.",
        ],
    )
    def test_asking_for_sensitive_data_is_refused(self, text):
        template = valid(footer=None, buttons=[], body=f"Hello {{{{1}}}}, a note about {{{{2}}}} and {{{{3}}}}. {text}")
        problems = [p for p in validate_template(template) if p.code == "asks_sensitive_data"]
        assert [p.part for p in problems] == ["body"]
        assert "secure" in problems[0].message

    @pytest.mark.parametrize(
        "text",
        [
            "Passport control is next to the lobby.",
            "Please bring your passport to check-in.",
            "Your Wi-Fi password is on the card in your room.",
            "Le mot de passe Wi-Fi est affiché à la réception.",
            "Your card will be charged on arrival.",
            "Votre carte bancaire sera débitée à l'arrivée.",
            "Enter the door code on the keypad.",
        ],
    )
    def test_mentioning_such_data_is_fine(self, text):
        assert validate_template(valid(body=BODY + " " + text)) == []

    def test_every_text_part_is_checked(self):
        template = valid(footer="Send your card number", buttons=[replace(QUICK, text="Send your IBAN")])
        assert parts(template, "asks_sensitive_data") == ["footer", "buttons[0]"]


class TestMarketingWording:
    @pytest.mark.parametrize(
        "text",
        [
            "Get 20% off your next stay.",
            "Book now for the summer.",
            "Use promo code SUMMER at checkout.",
            "A special offer awaits you.",
            "Our summer sale ends Friday.",
            "Find the best deal in town.",
            "Enjoy a discount on the spa.",
            "Profitez d'une réduction sur le spa.",
            "Offre spéciale : -20 % sur votre prochain séjour.",
            "Réservez maintenant votre prochain séjour.",
            "Utilisez le code promo ETE.",
        ],
    )
    def test_promotions_in_a_utility_template(self, text):
        problems = [p for p in validate_template(valid(body=BODY + " " + text)) if p.code == "likely_marketing_content"]
        assert [p.part for p in problems] == ["body"] and "INCORRECT_CATEGORY" in problems[0].message

    def test_the_same_text_is_fine_in_a_marketing_template(self):
        template = valid(category=TemplateCategory.MARKETING, body=BODY + " Get 20% off your next stay!")
        assert validate_template(template) == []

    @pytest.mark.parametrize(
        "text",
        [
            "We offer free parking.",
            "We will deal with any request.",
            "A 30% deposit is due on arrival.",
            "Mettez le linge sale dans le sac.",
            "La remise des clés se fait à 15 h.",
        ],
    )
    def test_innocent_wording_is_not_a_promotion(self, text):
        assert validate_template(valid(body=BODY + " " + text)) == []

    def test_button_labels_are_checked_too(self):
        assert parts(valid(buttons=[replace(QUICK, text="Book now")]), "likely_marketing_content") == ["buttons[0]"]


class TestMetaStatus:
    @pytest.mark.parametrize(
        ("event", "status"),
        [
            ("APPROVED", TemplateStatus.APPROVED),
            ("approved", TemplateStatus.APPROVED),
            ("PENDING", TemplateStatus.PENDING),
            ("REJECTED", TemplateStatus.REJECTED),
            ("PAUSED", TemplateStatus.PAUSED),
            ("DISABLED", TemplateStatus.DISABLED),
            ("REINSTATED", TemplateStatus.APPROVED),
            ("IN_APPEAL", TemplateStatus.PENDING),
            ("DELETED", TemplateStatus.DISABLED),
            ("FLAGGED", None),
            ("LOCKED", None),
            ("SOMETHING_NEW", None),
        ],
    )
    def test_status_from_meta(self, event, status):
        assert status_from_meta(event) == status
