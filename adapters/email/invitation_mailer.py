"""Invitation e-mails leave through the property's own e-mail connection, when it has one."""

from __future__ import annotations

import logging
import uuid

from adapters.email.smtp_check import AiosmtplibSmtpCheck
from domain.email.connection import credentials_of
from domain.email.ports import SmtpTestEmail
from domain.errors import ProviderFailure
from domain.ports.connections import ConnectionStore

log = logging.getLogger(__name__)


class ConnectionInvitationMailer:
    def __init__(self, store: ConnectionStore, smtp: AiosmtplibSmtpCheck) -> None:
        self._store = store
        self._smtp = smtp

    async def send(self, property_id: uuid.UUID, to: str, subject: str, text: str) -> bool:
        record = await self._store.get(property_id, "email")
        if record is None or record.status != "connected":
            return False
        try:
            await self._smtp.send_test(
                credentials_of(record.settings, record.secrets), SmtpTestEmail(to, subject, text)
            )
        except (ProviderFailure, OSError) as failure:
            # the owner still has the link from the response; the reason is logged, never the link
            log.warning("invitation e-mail not sent", extra={"property_id": str(property_id), "error": str(failure)})
            return False
        return True
