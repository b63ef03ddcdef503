"""How Meta wants variables written, spaced and exemplified, and how each maps to one of our placeholders."""

from __future__ import annotations

from collections.abc import Iterator

from domain.templates.model import TemplateVariable, WhatsAppTemplate
from domain.templates.placeholders import is_known_placeholder
from domain.templates.problems import TemplateProblem
from domain.templates.variables import (
    fixed_words,
    has_adjacent_variables,
    malformed_variables,
    variable_at_edge,
    variable_numbers,
)

# Meta rejects "too many variables for the message length" (subcode 2388293) without publishing the ratio.
# BSPs observe the same threshold (Syniverse: words + variables >= 3n + 1; Maqsam: 2n + 1 fixed words),
# so the body needs at least 2n + 1 words that are not variables.
FIXED_WORDS_PER_VARIABLE = 2


def check_malformed_variables(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    for part, text in (("header", t.header_text), ("body", t.body), ("footer", t.footer)):
        fragments = malformed_variables(text)
        if fragments:
            yield TemplateProblem(
                "malformed_variable",
                part,
                f"{', '.join(fragments)}: write variables as {{{{1}}}}, {{{{2}}}}… with no spaces or letters inside.",
            )


def check_variable_order(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    numbers = variable_numbers(t.body)
    if numbers != list(range(1, len(numbers) + 1)):
        found = ", ".join(f"{{{{{n}}}}}" for n in numbers)
        yield TemplateProblem(
            "variables_not_sequential",
            "body",
            f"Number the variables {{{{1}}}}, {{{{2}}}}… in reading order, each once (found {found}).",
        )
    header_numbers = variable_numbers(t.header_text)
    if len(header_numbers) == 1 and header_numbers != [1]:  # more than one is header_too_many_variables
        yield TemplateProblem("variables_not_sequential", "header", "The header's variable must be {{1}}.")


def check_adjacent_variables(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if has_adjacent_variables(t.body):
        yield TemplateProblem(
            "adjacent_variables", "body", "Put words or punctuation between two variables, e.g. {{1}} and {{2}}."
        )


def check_body_edges(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    if variable_at_edge(t.body):
        yield TemplateProblem(
            "variable_at_body_edge",
            "body",
            "WhatsApp refuses a body that starts or ends with a variable (punctuation does not count): add text.",
        )


def check_variable_density(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    count = len(variable_numbers(t.body))
    needed = FIXED_WORDS_PER_VARIABLE * count + 1
    if count and len(fixed_words(t.body)) < needed:
        yield TemplateProblem(
            "too_many_variables",
            "body",
            f"{count} variables need at least {needed} words of fixed text around them; add words or remove variables.",
        )


def check_body_mappings(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    used = set(variable_numbers(t.body))
    mapped: set[int] = set()
    for position, variable in enumerate(t.body_variables):
        part = f"body_variables[{position}]"
        if variable.index in mapped:
            yield TemplateProblem("duplicate_variable_mapping", part, f"{{{{{variable.index}}}}} is mapped twice.")
        elif variable.index not in used:
            yield TemplateProblem("unknown_variable_mapping", part, f"The body has no {{{{{variable.index}}}}}.")
        else:
            yield from _mapping_problems(variable, part)
        mapped.add(variable.index)
    for number in sorted(used - mapped):
        yield TemplateProblem(
            "variable_without_example", "body", f"Choose what fills {{{{{number}}}}} and give an example value."
        )


def check_header_mapping(t: WhatsAppTemplate) -> Iterator[TemplateProblem]:
    used = variable_numbers(t.header_text)
    variable = t.header_variable
    if variable is None:
        if used:
            yield TemplateProblem(
                "variable_without_example", "header", "Choose what fills the header's {{1}} and give an example value."
            )
    elif variable.index not in used:
        yield TemplateProblem(
            "unknown_variable_mapping", "header_variable", f"The header has no {{{{{variable.index}}}}}."
        )
    else:
        yield from _mapping_problems(variable, "header_variable")


def _mapping_problems(variable: TemplateVariable, part: str) -> Iterator[TemplateProblem]:
    if not variable.example.strip():
        yield TemplateProblem(
            "variable_without_example", part, f"Give an example value for {{{{{variable.index}}}}}: Meta requires one."
        )
    if not is_known_placeholder(variable.placeholder):
        yield unknown_placeholder(variable.placeholder, part)


def unknown_placeholder(key: str | None, part: str) -> TemplateProblem:
    return TemplateProblem("unknown_placeholder", part, f"'{key}' is not one of the placeholders the inbox can fill.")
