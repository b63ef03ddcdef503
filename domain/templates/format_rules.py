"""Meta's limits on a template's name, language, category and text components (PROVIDERS.md A2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from domain.templates.model import TemplateCategory, WhatsAppTemplate
from domain.templates.problems import TemplateProblem
from domain.templates.variables import variable_numbers

NAME = re.compile(r"[a-z0-9_]{1,512}")
LANGUAGE = re.compile(r"[a-z]{2,3}(_[A-Z]{2})?")  # Meta's codes: en, en_US, pt_BR, fil…
BODY_MAX = 1024
HEADER_MAX = 60
FOOTER_MAX = 60
HOTEL_CATEGORIES = (TemplateCategory.UTILITY, TemplateCategory.MARKETING)


def check_name(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if not NAME.fullmatch(t.name):
        yield TemplateProblem(
            "invalid_name", "name", "Use 1 to 512 lower-case letters, digits and underscores, e.g. pre_arrival_note."
        )


def check_language(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if not LANGUAGE.fullmatch(t.language):
        yield TemplateProblem(
            "invalid_language", "language", f"'{t.language}' is not a WhatsApp language code such as en, en_US or fr."
        )


def check_category(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if t.category not in HOTEL_CATEGORIES:
        yield TemplateProblem(
            "unsupported_category",
            "category",
            f"{t.category} templates are for one-time passcodes; a hotel template is UTILITY or MARKETING.",
        )


def check_body(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if not t.body.strip():
        yield TemplateProblem("body_required", "body", "Write the message body.")
    elif len(t.body) > BODY_MAX:
        yield TemplateProblem(
            "body_too_long", "body", f"The body has {len(t.body)} characters; WhatsApp allows {BODY_MAX}."
        )


def check_header(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if not t.header_text:
        return
    if len(t.header_text) > HEADER_MAX:
        yield TemplateProblem(
            "header_too_long",
            "header",
            f"The header has {len(t.header_text)} characters; WhatsApp allows {HEADER_MAX}.",
        )
    if len(variable_numbers(t.header_text)) > 1:
        yield TemplateProblem("header_too_many_variables", "header", "A header may contain one variable, {{1}}.")


def check_footer(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if not t.footer:
        return
    if len(t.footer) > FOOTER_MAX:
        yield TemplateProblem(
            "footer_too_long", "footer", f"The footer has {len(t.footer)} characters; WhatsApp allows {FOOTER_MAX}."
        )
    if variable_numbers(t.footer):
        yield TemplateProblem("footer_has_variables", "footer", "A footer cannot contain variables.")
