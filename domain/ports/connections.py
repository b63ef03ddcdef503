from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass
class ConnectionRecord:
    """A property's link to one channel. `secrets` is plaintext only in memory; the store encrypts it."""

    property_id: uuid.UUID
    channel: str
    status: str
    updated_at: datetime
    external_id: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, Any] = field(default_factory=dict)
    last_error: str | None = None


class ConnectionStore(Protocol):
    async def get(self, property_id: uuid.UUID, channel: str) -> ConnectionRecord | None: ...
    async def all_for(self, property_id: uuid.UUID) -> list[ConnectionRecord]: ...
    async def owner_of(self, channel: str, external_id: str) -> uuid.UUID | None:
        """The property already using this provider id, if any."""
        ...

    async def save(self, record: ConnectionRecord) -> None: ...


@dataclass(frozen=True)
class WhatsAppNumber:
    display_phone_number: str
    verified_name: str | None
    quality_rating: str | None = None


class WhatsAppAccountCheck(Protocol):
    async def phone_number(self, phone_number_id: str, access_token: str, api_base_url: str | None) -> WhatsAppNumber:
        """Reads the number from the Graph API; raises ProviderFailure with a plain-words reason."""
        ...


@dataclass(frozen=True)
class TwilioAccount:
    friendly_name: str
    status: str


class TwilioAccountCheck(Protocol):
    async def account(self, account_sid: str, auth_token: str, api_base_url: str | None) -> TwilioAccount:
        """Fetches the account with its credentials; raises ProviderFailure (e.g. 20003) in plain words."""
        ...
