"""Recording consent (staff, API, and the channels' own STOP/START), and refusing marketing without it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from domain.channels import Channel
from domain.consent import (
    ConsentSource,
    ConsentState,
    GuestConsent,
    check_lift,
    current_states,
    marketing_channels,
    require_marketing_consent,
    validate_record,
)
from domain.errors import NotFound
from domain.model import Guest, Message
from domain.ports.unit_of_work import UnitOfWork
from domain.sms.keywords import Keyword


@dataclass(frozen=True)
class ConsentView:
    current: dict[str, GuestConsent]
    history: list[GuestConsent]
    blocked: dict[str, dict[str, str]]  # channel -> the block in Guest.opt_outs (sends of any kind refused)


def record_keyword_consent(uow: UnitOfWork, guest: Guest, message: Message, at: datetime) -> None:
    """After an inbound SMS: STOP and START (already honoured on the guest) enter the register too."""
    keyword = (message.details or {}).get("keyword")
    if keyword not in (Keyword.STOP, Keyword.START):
        return
    stop = keyword == Keyword.STOP
    uow.consents.add(
        GuestConsent(
            property_id=guest.property_id,
            guest_id=guest.id,
            channel=Channel.SMS,
            state=ConsentState.OPT_OUT if stop else ConsentState.OPT_IN,
            source=ConsentSource.SMS_STOP if stop else ConsentSource.SMS_START,
            recorded_at=at,
        )
    )


async def record_consent(
    uow: UnitOfWork,
    property_id: uuid.UUID,
    guest_id: uuid.UUID,
    *,
    channel: str,
    state: str,
    source: str,
    now: datetime,
    note: str | None = None,
    user_id: uuid.UUID | None = None,
    block_channel: bool = False,
) -> GuestConsent:
    """An opt-in lifts a block staff set (never one the guest set on the channel); an opt-out may block the
    channel for every message (`block_channel`), not only marketing."""
    validate_record(channel, state, source, note)
    guest = await uow.guests.get(property_id, guest_id)
    if guest is None:
        raise NotFound("Guest not found.")
    block = guest.opt_outs.get(channel)
    if state == ConsentState.OPT_IN and block is not None:
        check_lift(channel, block)
        guest.opt_outs = {k: v for k, v in guest.opt_outs.items() if k != channel}
    elif state == ConsentState.OPT_OUT and block_channel and block is None:
        guest.opt_outs = {**guest.opt_outs, channel: {"at": now.isoformat(), "source": source}}
    entry = GuestConsent(
        property_id=property_id,
        guest_id=guest_id,
        channel=channel,
        state=state,
        source=source,
        recorded_at=now,
        note=note,
        recorded_by=user_id,
    )
    uow.consents.add(entry)
    return entry


async def consent_view(uow: UnitOfWork, property_id: uuid.UUID, guest_id: uuid.UUID) -> ConsentView:
    guest = await uow.guests.get(property_id, guest_id)
    if guest is None:
        raise NotFound("Guest not found.")
    history = await uow.consents.for_guest(property_id, guest_id)
    return ConsentView(current_states(history), history, dict(guest.opt_outs))


async def require_marketing(uow: UnitOfWork, guest: Guest, channel: str) -> None:
    """Raises `marketing_consent_missing` (409) unless the guest opted in to marketing on the channel."""
    require_marketing_consent(await uow.consents.for_guest(guest.property_id, guest.id), channel)


async def consented_channels(uow: UnitOfWork, guest: Guest, order: list[str]) -> list[str]:
    return marketing_channels(await uow.consents.for_guest(guest.property_id, guest.id), order)


# provider refusals that say the guest said no: error code -> (source, whether the provider blocks the channel)
PROVIDER_REFUSALS = {
    "whatsapp_131050": ConsentSource.WHATSAPP_MARKETING_OPT_OUT,  # "the guest stopped marketing messages"
    "twilio_21610": ConsentSource.PROVIDER_UNSUBSCRIBED,  # the recipient texted STOP to the sender
}


async def record_provider_refusal(uow: UnitOfWork, message: Message, error_code: str | None, at: datetime) -> None:
    """A send refused because the guest opted out enters the register (once, not at every refused send)."""
    source = PROVIDER_REFUSALS.get(error_code or "")
    if source is None:
        return
    conversation = await uow.conversations.get(message.property_id, message.conversation_id)
    if conversation is None:
        return
    history = await uow.consents.for_guest(message.property_id, conversation.guest_id)
    latest = current_states(history).get(message.channel)
    if latest is not None and latest.state == ConsentState.OPT_OUT:
        return
    uow.consents.add(
        GuestConsent(
            property_id=message.property_id,
            guest_id=conversation.guest_id,
            channel=message.channel,
            state=ConsentState.OPT_OUT,
            source=source,
            recorded_at=at,
        )
    )
