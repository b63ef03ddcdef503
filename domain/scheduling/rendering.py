"""Placeholders in scheduled content, rendered by Jinja2's sandbox.

A placeholder that does not exist is refused when the rule is saved; one that has no value for a
booking (no door code yet) stops that send with a reason instead of leaving a blank in front of a
guest. HTML (the e-mail design) is autoescaped, so a guest named "<script>" stays text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from jinja2 import Template, TemplateSyntaxError, Undefined, nodes
from jinja2.sandbox import SandboxedEnvironment

from domain.errors import FieldProblem, PolicyViolation
from domain.templates.placeholders import PLACEHOLDERS, PlaceholderContext, read_placeholder

TEXT_FIELDS = ("email_subject", "email_body", "sms_text")


class _Group(dict[str, str]):
    """The values of one placeholder group ("guest", "booking"…), named so a missing one is reported in full."""

    def __init__(self, name: str) -> None:
        super().__init__()
        # not `.name`: Jinja looks attributes up before keys, and {{ property.name }} must find the key
        self.placeholder_group = name


class _Missing(Undefined):
    def __str__(self) -> str:
        owner = self._undefined_obj
        key = (
            f"{owner.placeholder_group}.{self._undefined_name}"
            if isinstance(owner, _Group)
            else str(self._undefined_name)
        )
        raise PolicyViolation(
            "placeholder_without_value",
            f"The placeholder {key} has no value for this booking.",
            hint="Add the value to the booking or change the message.",
        )


_TEXT = SandboxedEnvironment(undefined=_Missing, autoescape=False, keep_trailing_newline=True)
_HTML = SandboxedEnvironment(undefined=_Missing, autoescape=True, keep_trailing_newline=True)
for _environment in (_TEXT, _HTML):
    _environment.globals.clear()  # no range, lipsum, cycler…: a bare name is a (missing) placeholder, nothing else


# Text and `{{ group.name }}` only: no expressions, filters, loops or calls, so no content can compute
# (`{{ 'a' * 10**9 }}`), reach attributes (`{{ ''.__class__ }}`) or loop, whoever wrote it.
_ALLOWED_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr)


def placeholders_in(source: str) -> set[str]:
    """Every `{{ a.b }}` the text uses, as "a.b" (a bare `{{ a }}` appears as "a").

    Raises TemplateSyntaxError for anything but text and placeholders.
    """
    tree = _TEXT.parse(source)
    for node in tree.find_all(nodes.Node):
        plain_attribute = not isinstance(node, nodes.Getattr) or isinstance(node.node, nodes.Name)
        if not isinstance(node, _ALLOWED_NODES) or not plain_attribute:
            raise TemplateSyntaxError(
                "Only text and placeholders such as {{ guest.first_name }} are allowed.", node.lineno or 1
            )
    found = {
        f"{node.node.name}.{node.attr}" for node in tree.find_all(nodes.Getattr) if isinstance(node.node, nodes.Name)
    }
    attributes = {key.split(".")[0] for key in found}
    found |= {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load" and node.name not in attributes}
    return found


def check_content(content: dict[str, Any]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for language, version in content.items():
        if not isinstance(version, dict):
            continue
        for name in TEXT_FIELDS:
            text = version.get(name)
            if not text:
                continue
            where = f"content.{language}.{name}"
            try:
                used = placeholders_in(str(text))
            except TemplateSyntaxError as exc:
                problems.append(FieldProblem(where, "template_syntax", f"Line {exc.lineno}: {exc.message}"))
                continue
            for key in sorted(used - PLACEHOLDERS.keys()):
                problems.append(
                    FieldProblem(where, "unknown_placeholder", f"{{{{ {key} }}}} is not a placeholder we know.")
                )
    return problems


def _values(context: PlaceholderContext) -> dict[str, _Group]:
    values: dict[str, _Group] = {}
    for key in PLACEHOLDERS:
        group, _, name = key.partition(".")
        value = read_placeholder(key, context)
        values.setdefault(group, _Group(group))
        if value is not None:
            values[group][name] = value
    return values


@lru_cache(maxsize=1024)
def _compiled(source: str, as_html: bool) -> Template:
    """Parsing and compiling a template costs far more than rendering it; a rule's few texts are rendered
    for thousands of bookings. Errors are not cached: they raise every time."""
    placeholders_in(source)  # content saved before the check existed is refused here, never evaluated
    return (_HTML if as_html else _TEXT).from_string(source)


def render(source: str, context: PlaceholderContext, *, as_html: bool = False) -> str:
    try:
        template = _compiled(source, as_html)
    except TemplateSyntaxError as exc:
        raise PolicyViolation("template_syntax", f"The message cannot be rendered: {exc.message}") from None
    return template.render(_values(context))


def html_to_text(source: str) -> str:
    """The plain-text rendition of an e-mail design: blocks become lines, links keep their URL."""
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", source)
    text = re.sub(r'(?is)<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)<li[^>]*>", "- ", text)
    text = re.sub(r"(?i)</(p|div|h[1-6]|li|tr|table|ul|ol)>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [" ".join(html.unescape(line).split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()
