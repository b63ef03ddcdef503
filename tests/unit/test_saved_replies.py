from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput, PolicyViolation
from domain.model import Booking, Guest, Property
from domain.saved_replies.model import SavedReply
from domain.saved_replies.rules import (
    MissingPlaceholders,
    normalise_shortcut,
    pick_language,
    render_reply,
    validate_saved_reply,
)
from domain.templates.placeholders import PlaceholderContext

PROP = Property("Hotel des Arts", "Europe/Paris", "fr", "FR", "EUR")


def _reply(**changes) -> SavedReply:
    values = {
        "property_id": PROP.id,
        "name": "Wi-Fi",
        "shortcut": "wifi",
        "bodies": {"en": "Hi {{ guest.first_name }}"},
    }
    return SavedReply(**{**values, **changes})


def _context(language: str | None = "en", room: str | None = "12", booking: bool = True) -> PlaceholderContext:
    guest = Guest(PROP.id, "Anna", "Martin", phone="+33600000000", language=language)
    stay = Booking(PROP.id, guest.id, "BK-1", date(2026, 12, 14), date(2026, 12, 17), room=room) if booking else None
    return PlaceholderContext(guest=guest, booking=stay, property=PROP, whatsapp_link=None, language=language or "en")


def _codes(reply: SavedReply, others: list[SavedReply] | None = None) -> set[tuple[str, str]]:
    with pytest.raises(InvalidInput) as refused:
        validate_saved_reply(reply, others or [])
    return {(p.field, p.code) for p in refused.value.problems}


def test_a_valid_reply_passes_and_its_own_shortcut_is_not_a_clash():
    reply = _reply()
    validate_saved_reply(reply, [reply])


def test_shortcut_is_normalised_from_what_staff_type():
    assert normalise_shortcut(" /WiFi ") == "wifi"


@pytest.mark.parametrize("shortcut", ["", "wi fi", "wifi!", "-wifi", "x" * 41])
def test_bad_shortcuts_are_refused(shortcut):
    assert ("shortcut", "invalid_shortcut") in _codes(_reply(shortcut=shortcut))


def test_a_shortcut_of_another_reply_is_taken():
    assert _codes(_reply(), [_reply(name="Other")]) == {("shortcut", "shortcut_taken")}


def test_unknown_placeholder_bad_syntax_bad_language_and_no_text_are_named_by_field():
    reply = _reply(
        name=" ",
        bodies={"en": "{{ guest.nickname }}", "fr": "{% if %}", "english": "Hi"},
    )
    assert _codes(reply) == {
        ("name", "required"),
        ("bodies.en", "unknown_placeholder"),
        ("bodies.fr", "template_syntax"),
        ("bodies.english", "invalid_language"),
    }
    assert ("bodies", "required") in _codes(_reply(bodies={"en": "  "}))


def test_language_falls_back_from_the_guest_to_the_property_then_the_first():
    bodies = {"de": "Hallo", "fr": "Bonjour", "en": "Hello"}
    assert pick_language(bodies, "en-GB", "fr") == "en"
    assert pick_language(bodies, "it", "fr-FR") == "fr"
    assert pick_language(bodies, None, "es") == "de"
    with pytest.raises(PolicyViolation):
        pick_language({"en": " "}, "en", "en")


def test_render_fills_guest_and_booking_with_dates_in_the_chosen_language():
    reply = _reply(bodies={"fr": "{{ guest.first_name }}, chambre {{ booking.room }} dès le {{ booking.check_in }}"})
    rendered = render_reply(reply, _context(language="fr"), "fr")
    assert rendered.language == "fr" and rendered.text == "Anna, chambre 12 dès le lundi 14 décembre 2026"


def test_render_reports_every_missing_value_at_once():
    reply = _reply(bodies={"en": "Room {{ booking.room }}, door {{ booking.door_code }}, {{ guest.first_name }}"})
    with pytest.raises(MissingPlaceholders) as refused:
        render_reply(reply, _context(room=None), "en")
    assert refused.value.missing == ["booking.door_code", "booking.room"]
    assert refused.value.code == "placeholder_without_value" and "booking.room" in refused.value.message
    with pytest.raises(MissingPlaceholders) as no_booking:
        render_reply(_reply(bodies={"en": "{{ booking.reference }}"}), _context(booking=False), "en")
    assert no_booking.value.missing == ["booking.reference"]


def test_only_placeholders_are_accepted_not_code():
    """The scheduled messages' engine refuses anything but text and placeholders; saved replies inherit it."""
    assert _codes(_reply(bodies={"en": "{{ guest.first_name.__class__ }}"})) == {("bodies.en", "template_syntax")}
