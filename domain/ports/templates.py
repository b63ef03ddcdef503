from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from domain.templates.model import WhatsAppTemplate


class TemplateStore(Protocol):
    async def get(self, property_id: uuid.UUID, template_id: uuid.UUID) -> WhatsAppTemplate | None: ...
    async def all_for(self, property_id: uuid.UUID) -> list[WhatsAppTemplate]: ...
    async def by_provider_id(self, provider_template_id: str) -> WhatsAppTemplate | None:
        """Meta's template id is global; used to apply Meta's status events."""
        ...

    async def save(self, template: WhatsAppTemplate) -> None: ...
    async def delete(self, template: WhatsAppTemplate) -> None: ...


@dataclass(frozen=True)
class WhatsAppAccount:
    """What the template API needs of a connection: the business account and its token."""

    waba_id: str
    access_token: str
    api_base_url: str | None = None


@dataclass(frozen=True)
class TemplateReview:
    provider_template_id: str
    status: str  # Meta's word: PENDING, APPROVED, REJECTED, …
    reason: str | None = None


class TemplateGateway(Protocol):
    async def submit(self, account: WhatsAppAccount, template: WhatsAppTemplate) -> TemplateReview:
        """Creates the template at Meta, or edits it when it already has Meta's id."""
        ...

    async def fetch(self, account: WhatsAppAccount, provider_template_id: str) -> TemplateReview: ...
    async def delete(self, account: WhatsAppAccount, template: WhatsAppTemplate) -> None: ...
