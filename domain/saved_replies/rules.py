"""What makes a saved reply valid, which language version a guest gets, and rendering it.

Placeholders go through the scheduled messages' sandboxed engine (domain.scheduling.rendering), so
a saved reply and a scheduled message accept and fill exactly the same placeholders.
"""

from __future__ import annotations

import re
from dataclasses import replace

from jinja2 import TemplateSyntaxError

from domain.errors import FieldProblem, InvalidInput, PolicyViolation
from domain.saved_replies.model import RenderedReply, SavedReply
from domain.scheduling.rendering import placeholders_in, render
from domain.templates.placeholders import PLACEHOLDERS, PlaceholderContext, read_placeholder

SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_NAME = 120
MAX_BODY = 4096


class MissingPlaceholders(PolicyViolation):
    """The reply uses placeholders this conversation has no value for (no booking, no room yet…)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "placeholder_without_value",
            "These placeholders have no value for this conversation: " + ", ".join(missing) + ".",
            hint="Link a booking or fill in its details, or write the text by hand.",
        )
        self.missing = missing


def normalise_shortcut(raw: str) -> str:
    """Staff may type "/WiFi": the slash only opens the picker, and shortcuts are lower case."""
    return raw.strip().lstrip("/").lower()


def validate_saved_reply(reply: SavedReply, others: list[SavedReply]) -> None:
    problems: list[FieldProblem] = []
    if not reply.name.strip():
        problems.append(FieldProblem("name", "required", "Give the reply a name."))
    elif len(reply.name) > MAX_NAME:
        problems.append(FieldProblem("name", "too_long", f"Keep the name under {MAX_NAME} characters."))
    if not SHORTCUT.match(reply.shortcut):
        problems.append(
            FieldProblem(
                "shortcut",
                "invalid_shortcut",
                "Use up to 40 lower-case letters, digits, - or _, e.g. wifi or late-checkout.",
            )
        )
    elif any(other.shortcut == reply.shortcut and other.id != reply.id for other in others):
        problems.append(FieldProblem("shortcut", "shortcut_taken", f"/{reply.shortcut} is already used."))
    if not any(text.strip() for text in reply.bodies.values()):
        problems.append(FieldProblem("bodies", "required", "Write the reply in at least one language."))
    for language, text in reply.bodies.items():
        where = f"bodies.{language}"
        if not LANGUAGE.match(language):
            problems.append(FieldProblem(where, "invalid_language", f"{language} is not a language code such as fr."))
            continue
        problems += _text_problems(where, text)
    if problems:
        raise InvalidInput(problems, "The saved reply has problems.")


def _text_problems(where: str, text: str) -> list[FieldProblem]:
    if len(text) > MAX_BODY:
        return [FieldProblem(where, "too_long", f"The text is longer than {MAX_BODY} characters.")]
    try:
        used = placeholders_in(text)
    except TemplateSyntaxError as exc:
        return [FieldProblem(where, "template_syntax", f"Line {exc.lineno}: {exc.message}")]
    return [
        FieldProblem(where, "unknown_placeholder", f"{{{{ {key} }}}} is not a placeholder we know.")
        for key in sorted(used - PLACEHOLDERS.keys())
    ]


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def pick_language(bodies: dict[str, str], guest_language: str | None, property_locale: str) -> str:
    """The guest's language (exact, then its primary subtag), else the property's default, else the first."""
    available = [language for language, text in bodies.items() if text.strip()]
    if not available:
        raise PolicyViolation("saved_reply_empty", "The saved reply has no text.")
    for wanted in (guest_language, property_locale):
        if not wanted:
            continue
        if wanted in available:
            return wanted
        same = [language for language in available if _primary(language) == _primary(wanted)]
        if same:
            return same[0]
    return available[0]


def render_reply(reply: SavedReply, context: PlaceholderContext, property_locale: str) -> RenderedReply:
    """Every missing value is reported at once, so staff can fix them in one go."""
    language = pick_language(reply.bodies, context.guest.language, property_locale)
    context = replace(context, language=language)  # dates are written in the version's language
    source = reply.bodies[language]
    missing = sorted(key for key in placeholders_in(source) if read_placeholder(key, context) is None)
    if missing:
        raise MissingPlaceholders(missing)
    return RenderedReply(render(source, context).strip(), language)
