"""Meta's limits on template buttons: how many, of which kind, in which order, with valid targets."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from domain.contacts import ContactError, normalize_phone
from domain.templates.model import ButtonKind, TemplateButton, WhatsAppTemplate
from domain.templates.placeholders import is_known_placeholder
from domain.templates.problems import TemplateProblem
from domain.templates.variable_rules import unknown_placeholder
from domain.templates.variables import malformed_variables, variable_numbers

MAX_BUTTONS = 10
MAX_URL_BUTTONS = 2
MAX_PHONE_BUTTONS = 1
LABEL_MAX = 25
URL_MAX = 2000
URL_VARIABLE = "{{1}}"


def check_button_counts(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    kinds = [button.kind for button in t.buttons]
    if len(kinds) > MAX_BUTTONS:
        yield TemplateProblem("too_many_buttons", "buttons", f"A template has at most {MAX_BUTTONS} buttons.")
    if kinds.count(ButtonKind.URL) > MAX_URL_BUTTONS:
        yield TemplateProblem("too_many_url_buttons", "buttons", f"A template has at most {MAX_URL_BUTTONS} links.")
    if kinds.count(ButtonKind.PHONE_NUMBER) > MAX_PHONE_BUTTONS:
        yield TemplateProblem("too_many_phone_buttons", "buttons", "A template has at most one call button.")


def check_button_labels(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    for position, button in enumerate(t.buttons):
        if not button.text.strip():
            yield TemplateProblem("button_text_required", f"buttons[{position}]", "Write the button's label.")
        elif len(button.text) > LABEL_MAX:
            yield TemplateProblem(
                "button_text_too_long",
                f"buttons[{position}]",
                f"'{button.text}' has {len(button.text)} characters; a button label has at most {LABEL_MAX}.",
            )


def check_button_grouping(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    # Quick replies and call-to-action buttons form two blocks on the phone; Meta refuses them interleaved.
    quick = [button.kind == ButtonKind.QUICK_REPLY for button in t.buttons]
    switches = sum(1 for before, after in zip(quick, quick[1:], strict=False) if before != after)
    if switches > 1:
        yield TemplateProblem(
            "buttons_not_grouped",
            "buttons",
            "Put all quick replies together, before or after the link and call buttons.",
        )


def check_url_buttons(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    for position, button in enumerate(t.buttons):
        if button.kind != ButtonKind.URL:
            continue
        part = f"buttons[{position}]"
        reason = _url_problem(button)
        if reason:
            yield TemplateProblem("invalid_button_url", part, reason)
        elif URL_VARIABLE in (button.url or "") and not is_known_placeholder(button.placeholder or ""):
            yield unknown_placeholder(button.placeholder, part)


def _url_problem(button: TemplateButton) -> str | None:
    url = (button.url or "").strip()
    if not url:
        return "Give the address the button opens."
    if len(url) > URL_MAX:
        return f"The address has {len(url)} characters; WhatsApp allows {URL_MAX}."
    numbers = variable_numbers(url)
    if malformed_variables(url) or len(numbers) > 1 or (numbers and not url.endswith(URL_VARIABLE)):
        return "An address may end with one variable, {{1}}, and contain no other braces."
    fixed = urlsplit(url.removesuffix(URL_VARIABLE))
    if fixed.scheme not in ("http", "https") or not fixed.netloc or any(char.isspace() for char in url):
        return f"'{url}' is not a web address starting with https://."
    if numbers and not (button.example or "").strip():
        return "Give an example of the address's variable, e.g. the part that follows the slash."
    if numbers and not button.placeholder:
        return "Choose the placeholder that fills the address's variable."
    return None


def check_phone_buttons(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    for position, button in enumerate(t.buttons):
        if button.kind != ButtonKind.PHONE_NUMBER:
            continue
        try:
            normalize_phone(button.phone_number or "", None)
        except ContactError:
            yield TemplateProblem(
                "invalid_button_phone",
                f"buttons[{position}]",
                f"'{button.phone_number or ''}' is not a phone number in international form, e.g. +33 6 12 34 56 78.",
            )
