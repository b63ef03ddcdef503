"""Sends a conversation's e-mail through the property's own SMTP server (the ChannelSender port)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from adapters.email.message_builder import compose_email
from adapters.email.smtp_session import DEFAULT_TIMEOUT, smtp_session, transmit
from domain.email.addresses import domain_of, reply_address
from domain.email.connection import credentials_of
from domain.email.reply_token import reply_token
from domain.ports.channels import OutboundRequest, SendReceipt


class SmtpEmailSender:
    """`reply_domain` is the deployment's inbound domain, used when the connection names no reply-to of
    its own; with neither, replies go to the sender address and are threaded by In-Reply-To."""

    def __init__(
        self,
        settings: dict[str, Any],
        secrets: dict[str, Any],
        reply_domain: str | None,
        reply_key: bytes,
        *,
        allow_local: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._server = credentials_of(settings, secrets)
        self._reply_base = settings.get("reply_to") or reply_domain or None
        self._key = reply_key
        self._allow_local = allow_local
        self._timeout = timeout

    def message_id(self, request: OutboundRequest) -> str:
        """Our message's id as the Message-ID: a retried send carries the same one, so receivers see one e-mail."""
        return f"<{request.message_id}@{domain_of(self._server.sender_address)}>"

    def reply_to(self, conversation_id: uuid.UUID | None) -> str | None:
        if self._reply_base and conversation_id is not None:
            return reply_address(self._reply_base, reply_token(conversation_id, self._key))
        if self._reply_base and "@" in self._reply_base:
            return self._reply_base
        return None

    def compose(
        self, request: OutboundRequest, conversation_id: uuid.UUID | None = None, now: datetime | None = None
    ) -> EmailMessage:
        server = self._server
        return compose_email(
            sender_address=server.sender_address,
            sender_name=server.sender_name,
            to=request.to,
            subject=request.subject or f"A message from {server.sender_name}",
            body=request.body,
            message_id=self.message_id(request),
            date=now or datetime.now(UTC),
            reply_to=self.reply_to(conversation_id),
        )

    async def send(self, request: OutboundRequest) -> SendReceipt:
        # the conversation id rides on the request once OutboundRequest carries it
        message = self.compose(request, getattr(request, "conversation_id", None))
        async with smtp_session(self._server, seconds=self._timeout, allow_local=self._allow_local) as (smtp, _):
            answer = await transmit(smtp, self._server.sender_address, request.to, message)
        return SendReceipt(provider_message_id=str(message["Message-ID"]), extra={"server_reply": answer})
