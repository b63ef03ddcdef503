"""Hostile text stays text: guest data never runs as a template, content cannot reach Python, HTML is escaped."""

from __future__ import annotations

import email
import uuid
from datetime import UTC, date, datetime

import pytest

from adapters.email.message_builder import compose_email
from domain.email.html_text import html_to_text, text_to_html
from domain.errors import PolicyViolation
from domain.model import Booking, Guest, Property
from domain.saved_replies.model import SavedReply
from domain.saved_replies.rules import render_reply, validate_saved_reply
from domain.scheduling.rendering import check_content, render
from domain.templates.placeholders import PlaceholderContext

PID = uuid.uuid4()

# what a guest can put in a name, a booking field or a message, and a rule author in content
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "{{ 7*7 }}",
    "{% for x in range(3) %}boom{% endfor %}",
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "${7*7} #{7*7} <%= 7*7 %>",
]


def context(first_name: str = "Camille", last_name: str = "Durand", room: str | None = "12") -> PlaceholderContext:
    guest = Guest(property_id=PID, first_name=first_name, last_name=last_name, language="en")
    booking = Booking(
        property_id=PID,
        guest_id=guest.id,
        external_ref="B-1",
        check_in=date(2026, 7, 10),
        check_out=date(2026, 7, 12),
        room=room,
        custom_fields={"door_code": "{{ 6*7 }}"},
    )
    prop = Property(name="<b>Hôtel</b> {{ 1+1 }}", timezone="Europe/Paris", locale="en", country="FR", currency="EUR")
    return PlaceholderContext(guest=guest, booking=booking, property=prop, whatsapp_link=None, language="en")


@pytest.mark.parametrize("value", HOSTILE)
def test_guest_supplied_values_are_printed_verbatim_in_text(value: str) -> None:
    ctx = context(first_name=value, last_name=value, room=value)
    rendered = render("Hi {{ guest.first_name }} {{ guest.last_name }}, room {{ booking.room }}.", ctx)
    assert rendered == f"Hi {value} {value}, room {value}."  # not 49, no loop, no class list
    # other fields a guest or PMS controls are just as inert
    assert render("{{ booking.door_code }} / {{ property.name }}", ctx) == "{{ 6*7 }} / <b>Hôtel</b> {{ 1+1 }}"


@pytest.mark.parametrize("value", HOSTILE)
def test_guest_supplied_values_are_escaped_in_html(value: str) -> None:
    ctx = context(first_name=value)
    rendered = render("<p>Dear {{ guest.first_name }},</p>", ctx, as_html=True)
    assert "<script" not in rendered and "<img" not in rendered
    assert rendered.startswith("<p>Dear ") and rendered.endswith(",</p>")
    # what the guest reads is exactly their name, as text
    assert html_to_text(rendered) == f"Dear {value},"


@pytest.mark.parametrize(
    "source",
    [
        "{{ 7*7 }}",
        "{{ 'a' * 100000000 }}",
        "{% for x in range(3) %}boom{% endfor %}",
        "{{ ''.__class__.__mro__ }}",
        "{{ guest.first_name.__class__ }}",
        "{{ guest.first_name|attr('__class__') }}",
        "{{ guest['first_name'] }}",
        "{{ guest.first_name.upper() }}",
        "{% set x = 1 %}",
        "{{ cycler.__init__.__globals__ }}",
        "{% include 'x' %}",
    ],
)
def test_content_that_computes_or_reaches_into_python_is_refused_when_saved_and_when_rendered(source: str) -> None:
    problems = check_content({"default": {"sms_text": source, "email_body": f"<p>{source}</p>"}})
    assert [p.code for p in problems] == ["template_syntax", "template_syntax"], problems
    with pytest.raises(PolicyViolation) as refused:
        render(source, context())  # e.g. saved before this check existed: refused, never evaluated
    assert refused.value.code == "template_syntax"


@pytest.mark.parametrize("source", ["{{ lipsum }}", "{{ range }}", "{{ guest.__class__ }}", "{{ self.__init__ }}"])
def test_jinja_globals_and_dunder_placeholders_are_unknown(source: str) -> None:
    problems = check_content({"default": {"sms_text": source}})
    assert problems and problems[0].code in ("unknown_placeholder", "template_syntax")
    with pytest.raises(PolicyViolation):
        render(source, context())


def test_the_plain_placeholders_still_work() -> None:
    assert check_content({"default": {"sms_text": "Hi {{ guest.first_name }}, code {{ booking.door_code }}"}}) == []
    assert render("Hi {{guest.first_name}}!\n", context()) == "Hi Camille!\n"


@pytest.mark.parametrize("value", HOSTILE)
def test_saved_replies_render_guest_values_as_plain_text(value: str) -> None:
    reply = SavedReply(
        property_id=PID, name="Welcome", shortcut="welcome", bodies={"en": "Welcome {{ guest.first_name }}"}
    )
    validate_saved_reply(reply, [])
    rendered = render_reply(reply, context(first_name=value), "en")
    assert rendered.text == f"Welcome {value}"


@pytest.mark.parametrize("body", ["{{ 7*7 }}", "{% for x in range(2) %}x{% endfor %}", "{{ ''.__class__ }}"])
def test_a_saved_reply_cannot_hold_template_logic(body: str) -> None:
    from domain.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        validate_saved_reply(SavedReply(property_id=PID, name="x", shortcut="x", bodies={"en": body}), [])
    assert [p.code for p in refused.value.problems] == ["template_syntax"]


# --- e-mail bodies --------------------------------------------------------------------------------


def _parts(message) -> tuple[str, str]:
    parsed = email.message_from_bytes(message.as_bytes())
    plain = html = ""
    for part in parsed.walk():
        if part.get_content_type() == "text/plain":
            plain = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return plain, html


def _compose(body: str, subject: str = "Your stay") -> tuple[str, str, object]:
    message = compose_email(
        sender_address="frontdesk@hotel.test",
        sender_name="Hotel",
        to="guest@example.com",
        subject=subject,
        body=body,
        message_id="<1@hotel.test>",
        date=datetime(2026, 6, 15, 9, 0, tzinfo=UTC),
    )
    plain, html = _parts(message)
    return plain, html, message


@pytest.mark.parametrize("value", HOSTILE[:2])
def test_a_designed_email_keeps_a_hostile_guest_name_escaped_in_its_html_part(value: str) -> None:
    design = "<h1>Welcome {{ guest.first_name }}</h1><p>See you soon.</p>"
    plain, html, _ = _compose(render(design, context(first_name=value), as_html=True))
    assert "<script" not in html and "<img" not in html
    assert "&lt;" in html
    assert plain.splitlines()[0] == f"Welcome {value}"  # the text part is text/plain: shown, never run


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "{{ 7*7 }} & <b"])
def test_a_plain_text_email_escapes_everything_in_its_html_part(value: str) -> None:
    plain, html, _ = _compose(f"Hello,\n\n{value}")
    assert "<script" not in html and "<b" not in html.split("<body>")[1].replace("<br>", "")
    assert text_to_html(value) in html
    assert value in plain


def test_a_guest_name_cannot_inject_email_headers() -> None:
    subject = render("Welcome {{ guest.first_name }}", context(first_name="Ann\r\nBcc: victim@example.com"))
    _, _, message = _compose("Hello", subject=subject)
    assert message["Bcc"] is None
    assert message["Subject"] == "Welcome Ann Bcc: victim@example.com"
