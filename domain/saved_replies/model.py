"""A saved reply: a named text per language, reached from the composer by its shortcut ("/wifi")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from domain.model import new_id


@dataclass(eq=False)
class SavedReply:
    property_id: uuid.UUID
    name: str
    shortcut: str
    # language code -> text with placeholders such as {{ guest.first_name }}
    bodies: dict[str, str] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class RenderedReply:
    text: str
    language: str  # the version used: the guest's language, else the property's default, else the first one
