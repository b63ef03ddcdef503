"""A WhatsApp template as the hotel writes it: components, variable mappings and Meta's review state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.model import new_id


class TemplateCategory(StrEnum):
    UTILITY = "UTILITY"
    MARKETING = "MARKETING"
    # Exists at Meta (one-time passcodes); kept so such a template can be read and refused with a clear problem.
    AUTHENTICATION = "AUTHENTICATION"


class TemplateStatus(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAUSED = "paused"
    DISABLED = "disabled"


class ButtonKind(StrEnum):
    QUICK_REPLY = "quick_reply"
    URL = "url"
    PHONE_NUMBER = "phone_number"


@dataclass(frozen=True)
class TemplateButton:
    kind: ButtonKind
    text: str
    url: str | None = None  # may end with one {{1}}, filled at send time
    phone_number: str | None = None
    example: str | None = None  # Meta's example for the URL variable
    placeholder: str | None = None  # our placeholder that fills the URL variable


@dataclass(frozen=True)
class TemplateVariable:
    """`{{index}}` of the body (or header) is filled from `placeholder`; Meta reviews it with `example`."""

    index: int
    placeholder: str
    example: str


@dataclass(eq=False)
class WhatsAppTemplate:
    property_id: uuid.UUID
    name: str
    language: str
    category: TemplateCategory
    body: str
    header_text: str | None = None
    footer: str | None = None
    buttons: list[TemplateButton] = field(default_factory=list)
    body_variables: list[TemplateVariable] = field(default_factory=list)
    header_variable: TemplateVariable | None = None
    status: TemplateStatus = TemplateStatus.DRAFT
    provider_template_id: str | None = None
    rejection_reason: str | None = None
    rejection_recommendation: str | None = None
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None
    updated_at: datetime | None = None


_META_EVENTS: dict[str, TemplateStatus] = {
    "APPROVED": TemplateStatus.APPROVED,
    "REINSTATED": TemplateStatus.APPROVED,  # back in service after a pause or a successful appeal
    "PENDING": TemplateStatus.PENDING,
    "IN_APPEAL": TemplateStatus.PENDING,  # Meta is reviewing it again
    "REJECTED": TemplateStatus.REJECTED,
    "PAUSED": TemplateStatus.PAUSED,
    "DISABLED": TemplateStatus.DISABLED,
    # none of these can be sent any more, which is all the inbox needs to know
    "DELETED": TemplateStatus.DISABLED,
    "PENDING_DELETION": TemplateStatus.DISABLED,
    "ARCHIVED": TemplateStatus.DISABLED,
}


def status_from_meta(event: str) -> TemplateStatus | None:
    """Our status for a `message_template_status_update` event; None when the event changes nothing we track.

    FLAGGED, LOCKED/UNLOCKED and LIMIT_EXCEEDED leave the template usable; UNARCHIVED restores a status
    we cannot infer from the event alone, so the caller should fetch the template again.
    """
    return _META_EVENTS.get(event.strip().upper())
