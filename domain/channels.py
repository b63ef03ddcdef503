from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    AIRBNB = "airbnb"
    EMAIL = "email"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessageKind(StrEnum):
    TEXT = "text"
    TEMPLATE = "template"
    MEDIA = "media"
    NOTE = "note"
    SCHEDULED = "scheduled"


class AuthorType(StrEnum):
    GUEST = "guest"
    USER = "user"
    SCHEDULER = "scheduler"
    SYSTEM = "system"
