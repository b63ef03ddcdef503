"""Reading Meta's positional variables (`{{1}}`, `{{2}}`…) out of template text."""

from __future__ import annotations

import re
from collections.abc import Mapping

VARIABLE = re.compile(r"\{\{([1-9][0-9]*)\}\}")
# Whatever braces remain once the well-formed variables are gone: `{{ 1}}`, `{{a}}`, `{1}`, `{{01}}`, a lone `}}`…
_STRAY_BRACES = re.compile(r"\{+[^{}\n]{0,20}\}+|\{+|\}+")
_ADJACENT = re.compile(r"\{\{[1-9][0-9]*\}\}\s*\{\{[1-9][0-9]*\}\}")
# Meta counts a variable followed (or preceded) only by punctuation or spaces as being at the edge.
_AT_START = re.compile(r"^[^\w{]*\{\{[1-9][0-9]*\}\}")
_AT_END = re.compile(r"\{\{[1-9][0-9]*\}\}[^\w}]*$")


def variable_numbers(text: str | None) -> list[int]:
    """The numbers of the well-formed variables, in order of appearance."""
    return [int(match) for match in VARIABLE.findall(text or "")]


def malformed_variables(text: str | None) -> list[str]:
    return _STRAY_BRACES.findall(VARIABLE.sub(" ", text or ""))


def has_adjacent_variables(text: str) -> bool:
    return _ADJACENT.search(text) is not None


def variable_at_edge(text: str) -> bool:
    return _AT_START.search(text) is not None or _AT_END.search(text) is not None


def fixed_words(text: str) -> list[str]:
    """Words of the text that stay the same for every guest (tokens with at least one letter or digit)."""
    return [word for word in VARIABLE.sub(" ", text).split() if any(char.isalnum() for char in word)]


def substitute(text: str, values: Mapping[int, str]) -> str:
    return VARIABLE.sub(lambda match: values[int(match.group(1))], text)
