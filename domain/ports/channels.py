from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from domain.channels import Channel


@dataclass(frozen=True)
class OutboundRequest:
    """Everything a provider adapter needs to send one message; built by the delivery use case."""

    message_id: uuid.UUID
    property_id: uuid.UUID
    channel: Channel
    to: str  # E.164 phone, e-mail address or provider thread id
    body: str
    template_name: str | None = None
    template_language: str | None = None
    template_params: dict[str, Any] | None = None
    subject: str | None = None
    conversation_id: uuid.UUID | None = None  # e-mail threads replies back to it with a reply token


@dataclass(frozen=True)
class SendReceipt:
    provider_message_id: str
    cost_amount: Decimal | None = None
    cost_currency: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class ChannelSender(Protocol):
    async def send(self, request: OutboundRequest) -> SendReceipt:
        """Hand the message to the provider. Raises ProviderFailure (retryable or not) when refused."""
        ...


class ChannelGateway(Protocol):
    async def sender_for(self, property_id: uuid.UUID, channel: Channel) -> ChannelSender:
        """The sender for the property's connection; raises ProviderFailure if it is not usable."""
        ...
