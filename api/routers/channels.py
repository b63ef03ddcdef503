from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from adapters.db.connection_store import SqlaConnectionStore
from adapters.twilio.account_check import HttpTwilioAccountCheck
from adapters.whatsapp.graph_account import GraphWhatsAppAccountCheck
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES
from domain.model import Role
from domain.ports.connections import ConnectionRecord
from domain.services.connections import TwilioCredentials, WhatsAppCredentials, connect_sms, connect_whatsapp

router = APIRouter(prefix="/api/v1/channels", tags=["channels"], responses=ERROR_RESPONSES)

# settings safe to show; secrets and digests never leave the server
VISIBLE = (
    "waba_id",
    "phone_number_id",
    "display_phone_number",
    "verified_name",
    "account_sid",
    "from_number",
    "messaging_service_sid",
    "friendly_name",
    "tls",
    "username",
    "sender_name",
    "reply_to",
    "host",
    "port",
    "sender",
    "listing_ids",
)


class ChannelOut(BaseModel):
    channel: Literal["whatsapp", "sms", "airbnb", "email"]
    status: Literal["connected", "error", "needs_reauthorization", "needs_mapping", "disconnected"]
    last_error: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class SmsConnectIn(BaseModel):
    account_sid: str = Field(min_length=1, max_length=64, examples=["AC" + "0" * 32])
    auth_token: str = Field(min_length=1, max_length=256, description="Write-only; stored encrypted")
    from_number: str | None = Field(default=None, max_length=40, examples=["+33757000000"])
    messaging_service_sid: str | None = Field(default=None, max_length=64)
    api_base_url: str | None = Field(default=None, max_length=300, description="Sandbox deployments only")


class WhatsAppConnectIn(BaseModel):
    waba_id: str = Field(min_length=1, max_length=64, examples=["102290129340398"])
    phone_number_id: str = Field(min_length=1, max_length=64, examples=["106540352242922"])
    access_token: str = Field(min_length=1, max_length=1024, description="Write-only; stored encrypted")
    verify_token: str = Field(min_length=1, max_length=256, description="The token you type in Meta's webhook settings")
    app_secret: str | None = Field(
        default=None, max_length=256, description="Only if the property brings its own Meta app"
    )
    api_base_url: str | None = Field(default=None, max_length=300, description="Sandbox deployments only")


def _out(record: ConnectionRecord | None, channel: str) -> ChannelOut:
    if record is None:
        return ChannelOut(channel=channel, status="disconnected")  # type: ignore[arg-type]
    details = {k: v for k, v in record.settings.items() if k in VISIBLE}
    return ChannelOut(channel=record.channel, status=record.status, last_error=record.last_error, details=details)  # type: ignore[arg-type]


@router.get("", response_model=list[ChannelOut], summary="Every channel of the property with its status and last error")
async def list_channels(principal: CurrentPrincipal, container: ContainerDep) -> list[ChannelOut]:
    records = {
        r.channel: r
        for r in await SqlaConnectionStore(container.sessions, container.secret_box).all_for(principal.property_id)
    }
    return [_out(records.get(channel), channel) for channel in ("whatsapp", "sms", "airbnb", "email")]


@router.put(
    "/whatsapp",
    response_model=ChannelOut,
    summary="Connect WhatsApp (the credentials are checked against Meta before they are saved)",
)
async def put_whatsapp(body: WhatsAppConnectIn, principal: CurrentPrincipal, container: ContainerDep) -> ChannelOut:
    principal.require(Role.OWNER, Role.MANAGER)
    # pointing the adapter elsewhere than Meta is for the sandbox only (otherwise a request forgery vector)
    base_url = body.api_base_url if container.settings.sandbox else None
    form = WhatsAppCredentials(
        waba_id=body.waba_id,
        phone_number_id=body.phone_number_id,
        access_token=body.access_token,
        verify_token=body.verify_token,
        app_secret=body.app_secret,
        api_base_url=base_url,
    )
    store = SqlaConnectionStore(container.sessions, container.secret_box)
    record = await connect_whatsapp(
        store, GraphWhatsAppAccountCheck(container.http), principal.property_id, form, container.clock.now()
    )
    return _out(record, "whatsapp")


@router.put(
    "/sms",
    response_model=ChannelOut,
    summary="Connect SMS through the hotel's Twilio account (checked against Twilio before it is saved)",
)
async def put_sms(body: SmsConnectIn, principal: CurrentPrincipal, container: ContainerDep) -> ChannelOut:
    principal.require(Role.OWNER, Role.MANAGER)
    async with container.uow() as uow:
        prop = await uow.properties.get(principal.property_id)
    form = TwilioCredentials(
        account_sid=body.account_sid,
        auth_token=body.auth_token,
        from_number=body.from_number,
        messaging_service_sid=body.messaging_service_sid,
        api_base_url=body.api_base_url if container.settings.sandbox else None,
    )
    store = SqlaConnectionStore(container.sessions, container.secret_box)
    record = await connect_sms(
        store,
        HttpTwilioAccountCheck(container.http),
        principal.property_id,
        prop.country if prop else "US",
        form,
        container.clock.now(),
    )
    return _out(record, "sms")
