"""Builds the right sender for a property's connection, decrypting its secrets only in memory."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.airbnb.http_gateway import AirbnbSender, HttpAirbnbGateway
from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.tables import channel_connections
from adapters.email.smtp_sender import SmtpEmailSender
from adapters.twilio.sms_sender import DEFAULT_API_URL, TwilioSmsSender
from adapters.whatsapp.cloud_api_sender import DEFAULT_GRAPH_URL, WhatsAppCloudSender
from domain.channels import Channel
from domain.errors import ProviderFailure
from domain.ports.channels import ChannelSender
from domain.services.airbnb import PAUSED_CODE


class ConnectionChannelGateway:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        secret_box: FernetSecretBox,
        http: httpx.AsyncClient,
        public_base_url: str,
        airbnb: HttpAirbnbGateway | None = None,
        *,
        reply_key: bytes = b"",
        email_reply_domain: str | None = None,
        allow_local_smtp: bool = False,
    ) -> None:
        self._airbnb = airbnb
        self._reply_key, self._email_reply_domain, self._allow_local_smtp = (
            reply_key,
            email_reply_domain,
            allow_local_smtp,
        )
        self._sessions = session_factory
        self._box = secret_box
        self._http = http
        self._public = public_base_url.rstrip("/")

    async def _connection(self, property_id: uuid.UUID, channel: Channel) -> dict[str, Any] | None:
        async with self._sessions() as session:
            row = (
                (
                    await session.execute(
                        select(channel_connections).where(
                            channel_connections.c.property_id == property_id,
                            channel_connections.c.channel == channel.value,
                        )
                    )
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None

    async def sender_for(self, property_id: uuid.UUID, channel: Channel) -> ChannelSender:
        row = await self._connection(property_id, channel)
        if row is not None and row["status"] == "needs_reauthorization":
            raise ProviderFailure(
                PAUSED_CODE,
                f"Paused: {channel.value} needs to be authorised again; the message goes out "
                "as soon as someone re-authorises it.",
                False,
            )
        if row is None or row["status"] != "connected":
            raise ProviderFailure(
                "channel_not_connected", f"{channel.value} is not connected for this property.", False
            )
        settings: dict[str, Any] = row["settings"] or {}
        secrets = self._box.open(row["secrets"])
        if channel == Channel.WHATSAPP:
            return WhatsAppCloudSender(
                self._http,
                phone_number_id=settings["phone_number_id"],
                access_token=secrets["access_token"],
                base_url=settings.get("api_base_url") or DEFAULT_GRAPH_URL,
            )
        if channel == Channel.SMS:
            return TwilioSmsSender(
                self._http,
                account_sid=settings["account_sid"],
                auth_token=secrets["auth_token"],
                from_number=settings.get("from_number"),
                messaging_service_sid=settings.get("messaging_service_sid"),
                status_callback=f"{self._public}/webhooks/twilio/status",
                base_url=settings.get("api_base_url") or DEFAULT_API_URL,
            )
        if channel == Channel.EMAIL:
            return SmtpEmailSender(
                settings, secrets, self._email_reply_domain, self._reply_key, allow_local=self._allow_local_smtp
            )
        if channel == Channel.AIRBNB and self._airbnb is not None:
            return AirbnbSender(self._airbnb, str(secrets.get("access_token", "")))
        raise ProviderFailure("channel_not_supported", f"Sending on {channel.value} is not available yet.", False)
