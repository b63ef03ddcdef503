"""The consent register of a guest: current state per channel, the history, and recording an entry."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import CurrentPrincipal
from api.deps import ContainerDep, UowDep
from api.errors import ERROR_RESPONSES
from domain.consent import GuestConsent
from domain.services.consent import consent_view, record_consent

router = APIRouter(prefix="/api/v1", tags=["guests"], responses=ERROR_RESPONSES)

ChannelName = Literal["whatsapp", "sms", "email", "airbnb"]


class ConsentEntryOut(BaseModel):
    id: uuid.UUID
    channel: str
    state: str = Field(description="opt_in | opt_out")
    source: str = Field(
        description="sms_stop, sms_start, provider_unsubscribed, whatsapp_marketing_opt_out, staff, api, imported"
    )
    note: str | None
    recorded_by: uuid.UUID | None
    recorded_at: datetime


class ChannelConsentOut(BaseModel):
    channel: str
    marketing: str = Field(description="opt_in | opt_out | unknown (no entry: marketing is refused)")
    blocked: bool = Field(description="Every message on this channel is refused (e.g. the guest texted STOP)")
    since: datetime | None
    source: str | None


class ConsentRegisterOut(BaseModel):
    guest_id: uuid.UUID
    channels: list[ChannelConsentOut]
    history: list[ConsentEntryOut] = Field(description="Newest first")


class ConsentIn(BaseModel):
    channel: ChannelName
    state: Literal["opt_in", "opt_out"]
    note: str | None = Field(default=None, max_length=500)
    block_channel: bool = Field(
        default=False, description="With opt_out: refuse every message on the channel, not only marketing"
    )


def _entry(e: GuestConsent) -> ConsentEntryOut:
    return ConsentEntryOut(
        id=e.id,
        channel=e.channel,
        state=e.state,
        source=e.source,
        note=e.note,
        recorded_by=e.recorded_by,
        recorded_at=e.recorded_at,
    )


async def _register(uow: UowDep, property_id: uuid.UUID, guest_id: uuid.UUID) -> ConsentRegisterOut:
    view = await consent_view(uow, property_id, guest_id)
    channels = []
    for channel in ("whatsapp", "sms", "email", "airbnb"):
        latest = view.current.get(channel)
        channels.append(
            ChannelConsentOut(
                channel=channel,
                marketing=latest.state if latest else "unknown",
                blocked=channel in view.blocked,
                since=latest.recorded_at if latest else None,
                source=latest.source if latest else None,
            )
        )
    history = sorted(view.history, key=lambda e: (e.recorded_at, e.id), reverse=True)
    return ConsentRegisterOut(guest_id=guest_id, channels=channels, history=[_entry(e) for e in history])


@router.get(
    "/guests/{guest_id}/consents",
    response_model=ConsentRegisterOut,
    summary="The guest's consent per channel (the newest entry wins) and the full history",
)
async def get_consents(guest_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep) -> ConsentRegisterOut:
    return await _register(uow, principal.property_id, guest_id)


@router.post(
    "/guests/{guest_id}/consents",
    response_model=ConsentRegisterOut,
    status_code=201,
    summary="Record an opt-in or opt-out (source: staff for the web app, api for an API key)",
)
async def post_consent(
    guest_id: uuid.UUID, body: ConsentIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> ConsentRegisterOut:
    await record_consent(
        uow,
        principal.property_id,
        guest_id,
        channel=body.channel,
        state=body.state,
        source="api" if principal.via == "api_key" else "staff",
        now=container.clock.now(),
        note=body.note,
        user_id=principal.user_id,
        block_channel=body.block_channel,
    )
    await uow.commit()
    return await _register(uow, principal.property_id, guest_id)
