"""What is wrong with a template, named by a stable code and the part of the template at fault."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from domain.templates.model import WhatsAppTemplate


@dataclass(frozen=True)
class TemplateProblem:
    code: str
    part: str  # "name", "header", "body", "footer", "buttons[2]", "body_variables[1]"… (list positions from 0)
    message: str


Check = Callable[[WhatsAppTemplate], Iterable[TemplateProblem]]
