from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class AirbnbTokens:
    access_token: str
    refresh_token: str
    expires_at: datetime
    user_id: str  # the host's Airbnb user id: routes the platform's webhooks to the property


@dataclass(frozen=True)
class AirbnbReservation:
    confirmation_code: str
    status: str  # inquiry | pending | accepted | cancelled
    thread_id: str | None


@dataclass(frozen=True)
class AirbnbThreadMessage:
    thread_id: str
    message_id: str
    confirmation_code: str
    body: str
    sent_at: datetime
    sender_role: str  # guest | host
    guest_first_name: str | None = None


class AirbnbGateway(Protocol):
    """Our one interface to Airbnb's partner API (private, so the adapter targets this contract)."""

    def authorize_url(self, state: str, redirect_uri: str) -> str: ...
    async def exchange(self, code: str) -> AirbnbTokens: ...
    async def refresh(self, refresh_token: str) -> AirbnbTokens:
        """Raises ProviderFailure when Airbnb refuses (the host must authorise again)."""
        ...

    async def reservation(self, access_token: str, confirmation_code: str) -> AirbnbReservation | None: ...
    async def listings(self, access_token: str) -> list[dict[str, str]]:
        """The host's listings: [{"id", "name"}]."""
        ...

    async def send(self, access_token: str, thread_id: str, text: str) -> str: ...
    async def recent_messages(self, access_token: str, since: datetime) -> list[AirbnbThreadMessage]: ...


class AirbnbThreadFinder(Protocol):
    async def find(self, property_id: uuid.UUID, confirmation_code: str) -> AirbnbReservation | None:
        """The reservation's thread and status at Airbnb, with the property's authorisation."""
        ...
