"""Every rule a template must pass before it is submitted to Meta, run in order; each problem has a stable code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from domain.errors import FieldProblem, InvalidInput
from domain.templates import button_rules, content_rules, format_rules, variable_rules
from domain.templates.model import WhatsAppTemplate
from domain.templates.problems import Check, TemplateProblem

CHECKS: tuple[Check, ...] = (
    format_rules.check_name,
    format_rules.check_language,
    format_rules.check_category,
    format_rules.check_body,
    format_rules.check_header,
    format_rules.check_footer,
    variable_rules.check_malformed_variables,
    variable_rules.check_variable_order,
    variable_rules.check_adjacent_variables,
    variable_rules.check_body_edges,
    variable_rules.check_variable_density,
    variable_rules.check_body_mappings,
    variable_rules.check_header_mapping,
    button_rules.check_button_counts,
    button_rules.check_button_labels,
    button_rules.check_button_grouping,
    button_rules.check_url_buttons,
    button_rules.check_phone_buttons,
    content_rules.check_sensitive_data,
    content_rules.check_marketing_wording,
)


def validate_template(t: WhatsAppTemplate, existing: Iterable[WhatsAppTemplate] = ()) -> list[TemplateProblem]:
    """All problems of `t`; `existing` are the property's other templates (any others are ignored)."""
    others = [o for o in existing if o.property_id == t.property_id and o.id != t.id]
    problems = [problem for check in CHECKS for problem in check(t)]
    return problems + list(_duplicate_problems(t, others))


def raise_if_invalid(t: WhatsAppTemplate, existing: Iterable[WhatsAppTemplate] = ()) -> None:
    problems = validate_template(t, existing)
    if problems:
        raise InvalidInput(
            [FieldProblem(field=p.part, code=p.code, message=p.message) for p in problems],
            "WhatsApp would reject this template.",
        )


def _duplicate_problems(t: WhatsAppTemplate, others: Sequence[WhatsAppTemplate]) -> Iterator[TemplateProblem]:
    if any(o.name == t.name and o.language == t.language for o in others):
        yield TemplateProblem(
            "name_taken", "name", f"The property already has '{t.name}' in {t.language}: choose another name."
        )
    body = _comparable(t.body)
    twin = next((o for o in others if o.category == t.category and _comparable(o.body) == body), None)
    if body and twin is not None:
        yield TemplateProblem(
            "duplicate_template",
            "body",
            f"'{twin.name}' already has this text; Meta rejects copies of an existing template.",
        )


def _comparable(body: str) -> str:
    return " ".join(body.split()).casefold()


__all__ = ["CHECKS", "TemplateProblem", "raise_if_invalid", "validate_template"]
