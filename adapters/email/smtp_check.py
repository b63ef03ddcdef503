"""Proves a property's SMTP settings before they are kept, and sends the test e-mail (the SmtpCheck port)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from adapters.email.message_builder import compose_email
from adapters.email.smtp_session import DEFAULT_TIMEOUT, smtp_session, transmit
from domain.email.addresses import domain_of
from domain.email.ports import SmtpCredentials, SmtpTestEmail


class AiosmtplibSmtpCheck:
    def __init__(self, *, allow_local: bool = False, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._allow_local = allow_local
        self._timeout = timeout

    async def verify(self, server: SmtpCredentials) -> str:
        async with smtp_session(server, seconds=self._timeout, allow_local=self._allow_local) as (_, answer):
            return answer

    async def send_test(self, server: SmtpCredentials, message: SmtpTestEmail) -> str:
        email = compose_email(
            sender_address=server.sender_address,
            sender_name=server.sender_name,
            to=message.to,
            subject=message.subject,
            body=message.text,
            message_id=f"<test-{uuid.uuid4()}@{domain_of(server.sender_address)}>",
            date=datetime.now(UTC),
        )
        async with smtp_session(server, seconds=self._timeout, allow_local=self._allow_local) as (smtp, _):
            return await transmit(smtp, server.sender_address, message.to, email)
