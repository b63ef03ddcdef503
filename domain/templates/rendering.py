"""Filling a template for one guest: the parameters WhatsApp receives, and the text the guest reads.

WhatsApp refuses a send whose parameter count differs from the template's variables (error 132000), so the
count comes from the template's text, never from its mappings, and a value that cannot be found is an error
before the send rather than a blank the guest would read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from domain.errors import PolicyViolation
from domain.templates.model import ButtonKind, TemplateButton, WhatsAppTemplate
from domain.templates.placeholders import PlaceholderContext, read_placeholder
from domain.templates.variables import substitute, variable_numbers

URL_VARIABLE = "{{1}}"


@dataclass(frozen=True)
class ButtonParameter:
    index: int  # the button's position in the template, which is Meta's button `index`
    text: str  # what replaces the URL's {{1}}


@dataclass(frozen=True)
class ResolvedParameters:
    header: str | None
    body: tuple[str, ...]  # one per body variable, {{1}} first
    buttons: tuple[ButtonParameter, ...] = ()

    def as_template_params(self) -> dict[str, Any]:
        """JSON-ready form, as stored on Message.template_params."""
        return {
            "header": self.header,
            "body": list(self.body),
            "buttons": [{"index": button.index, "text": button.text} for button in self.buttons],
        }


def resolve_parameters(
    template: WhatsAppTemplate,
    context: PlaceholderContext,
    overrides: Mapping[int, str] | None = None,
    *,
    header_override: str | None = None,
    button_overrides: Mapping[int, str] | None = None,
) -> ResolvedParameters:
    """Values for every variable; `overrides` (body variable number -> text) win over the placeholders.

    Raises PolicyViolation `template_parameter_missing` naming the first variable left without a value.
    """
    overrides, button_overrides = overrides or {}, button_overrides or {}
    mapped = {variable.index: variable.placeholder for variable in template.body_variables}
    body = tuple(
        _value(f"{{{{{n}}}}} of the body", mapped.get(n), context, overrides.get(n)) for n in body_numbers(template)
    )
    header = None
    if variable_numbers(template.header_text):
        placeholder = template.header_variable.placeholder if template.header_variable else None
        header = _value("{{1}} of the header", placeholder, context, header_override)
    buttons = tuple(
        ButtonParameter(position, _url_suffix(button, context, button_overrides.get(position)))
        for position, button in url_buttons_with_variable(template)
    )
    return ResolvedParameters(header, body, buttons)


def example_parameters(template: WhatsAppTemplate) -> ResolvedParameters:
    """The review examples in place of a guest's values, for a preview before any guest exists."""
    examples = {variable.index: variable.example for variable in template.body_variables}
    header = None
    if variable_numbers(template.header_text):
        header = template.header_variable.example if template.header_variable else "{{1}}"
    return ResolvedParameters(
        header,
        tuple(examples.get(n) or f"{{{{{n}}}}}" for n in body_numbers(template)),
        tuple(ButtonParameter(p, b.example or URL_VARIABLE) for p, b in url_buttons_with_variable(template)),
    )


def render_text(template: WhatsAppTemplate, resolved: ResolvedParameters) -> str:
    """Exactly what the guest reads: header, body and footer, then one line per button."""
    numbers = body_numbers(template)
    if len(resolved.body) != len(numbers) or (resolved.header is None) != (not variable_numbers(template.header_text)):
        raise PolicyViolation(
            "template_parameter_mismatch",
            f"'{template.name}' has {len(numbers)} body variables but {len(resolved.body)} values were given.",
        )
    header = substitute(template.header_text or "", {1: resolved.header or ""})
    body = substitute(template.body, dict(zip(numbers, resolved.body, strict=True)))
    sections = [text for text in (header, body, template.footer or "") if text.strip()]
    if template.buttons:
        sections.append("\n".join(f"[{button.text}]" for button in template.buttons))
    return "\n\n".join(sections)


def body_numbers(template: WhatsAppTemplate) -> list[int]:
    return sorted(set(variable_numbers(template.body)))


def url_buttons_with_variable(template: WhatsAppTemplate) -> list[tuple[int, TemplateButton]]:
    return [
        (position, button)
        for position, button in enumerate(template.buttons)
        if button.kind == ButtonKind.URL and URL_VARIABLE in (button.url or "")
    ]


def _url_suffix(button: TemplateButton, context: PlaceholderContext, override: str | None) -> str:
    value = _value(f"the link of '{button.text}'", button.placeholder, context, override)
    return quote(value, safe=";/?:@&=+$,#%")  # a reference with a space must still open the page


def _value(label: str, placeholder: str | None, context: PlaceholderContext, override: str | None) -> str:
    if override and override.strip():
        return _one_line(override)
    value = read_placeholder(placeholder, context) if placeholder else None
    if value is None:
        raise PolicyViolation(
            "template_parameter_missing",
            f"No value for {label} ({placeholder or 'no placeholder chosen'}) for this guest.",
            hint="Link the conversation to a booking, complete the guest's details, or type the value.",
        )
    return _one_line(value)


def _one_line(value: str) -> str:
    # WhatsApp refuses parameters with new lines, tabs or more than four spaces in a row
    return " ".join(value.split())
