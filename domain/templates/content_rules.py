"""Content Meta's reviewers reject: requests for sensitive data, and promotions sent as UTILITY."""

from __future__ import annotations

from collections.abc import Iterator

from domain.templates.model import TemplateCategory, WhatsAppTemplate
from domain.templates.problems import TemplateProblem
from domain.templates.promotional_wording import promotional_phrases
from domain.templates.sensitive_data import sensitive_requests


def text_parts(t: WhatsAppTemplate) -> list[tuple[str, str]]:
    """Every text the guest reads, with the part that holds it."""
    parts = [("header", t.header_text or ""), ("body", t.body), ("footer", t.footer or "")]
    parts += [(f"buttons[{position}]", button.text) for position, button in enumerate(t.buttons)]
    return [(part, text) for part, text in parts if text]


def check_sensitive_data(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    for part, text in text_parts(t):
        phrases = sensitive_requests(text)
        if phrases:
            yield TemplateProblem(
                "asks_sensitive_data",
                part,
                f"WhatsApp forbids asking guests for card, bank, identity or password details ({_quote(phrases)}); "
                "send a secure payment or check-in link instead.",
            )


def check_marketing_wording(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if t.category != TemplateCategory.UTILITY:
        return
    for part, text in text_parts(t):
        phrases = promotional_phrases(text)
        if phrases:
            yield TemplateProblem(
                "likely_marketing_content",
                part,
                f"{_quote(phrases)} reads as a promotion: Meta would reject this UTILITY template as "
                "INCORRECT_CATEGORY. Remove it or choose MARKETING.",
            )


def _quote(phrases: list[str]) -> str:
    return ", ".join(f"“{phrase}”" for phrase in phrases)
