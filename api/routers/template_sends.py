from __future__ import annotations

import uuid

from fastapi import APIRouter

from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.template_store import SqlaTemplateStore
from api.auth import CurrentPrincipal
from api.deps import ContainerDep, UowDep
from api.errors import ERROR_RESPONSES
from api.presenters import message_out
from api.schemas.conversations import MessageOut
from api.schemas.templates import CostEstimate, PreviewParameters, TemplatePreview, TemplateSendIn
from domain.errors import NotFound
from domain.services import templates as lifecycle
from domain.services.conversations import load
from domain.services.template_sending import TemplateSendPlan, plan_template_send, send_template
from domain.sharing import wa_me_link

router = APIRouter(prefix="/api/v1", tags=["whatsapp"], responses=ERROR_RESPONSES)


async def _whatsapp_link(container: ContainerDep, property_id: uuid.UUID) -> str | None:
    record = await SqlaConnectionStore(container.sessions, container.secret_box).get(property_id, "whatsapp")
    number = record.settings.get("display_phone_number") if record else None
    return wa_me_link(number) if number else None


@router.post(
    "/conversations/{conversation_id}/template-preview",
    response_model=TemplatePreview,
    summary="Exactly what the guest will read, the parameters used and the estimated cost",
)
async def preview(
    conversation_id: uuid.UUID, body: TemplateSendIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> TemplatePreview:
    template = await lifecycle.load_template(
        SqlaTemplateStore(container.sessions), principal.property_id, body.template_id
    )
    conversation = await load(uow, principal.property_id, conversation_id)
    guest = await uow.guests.get(principal.property_id, conversation.guest_id)
    prop = await uow.properties.get(principal.property_id)
    if guest is None or prop is None:
        raise NotFound("Guest not found.")
    plan = await plan_template_send(
        uow,
        template,
        guest,
        conversation,
        prop,
        body.overrides,
        container.clock.now(),
        container.rates,
        await _whatsapp_link(container, principal.property_id),
    )
    return _preview_out(plan)


def _preview_out(plan: TemplateSendPlan) -> TemplatePreview:
    return TemplatePreview(
        text=plan.text,
        parameters=PreviewParameters(
            header=plan.parameters.header,
            body=list(plan.parameters.body),
            buttons=[b.text for b in plan.parameters.buttons],
        ),
        cost=CostEstimate(
            amount=plan.cost,
            currency=plan.currency,
            category=plan.pricing_category,
            free=plan.cost == 0,
            reason=plan.free_reason,
        ),
    )


@router.post(
    "/guests/{guest_id}/template-preview",
    response_model=TemplatePreview,
    summary="Preview a template for a guest who may have no conversation yet",
)
async def preview_for_guest(
    guest_id: uuid.UUID, body: TemplateSendIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> TemplatePreview:
    guest = await uow.guests.get(principal.property_id, guest_id)
    prop = await uow.properties.get(principal.property_id)
    if guest is None or prop is None:
        raise NotFound("Guest not found.")
    template = await lifecycle.load_template(
        SqlaTemplateStore(container.sessions), principal.property_id, body.template_id
    )
    conversation = await uow.conversations.for_guest(principal.property_id, guest_id)
    plan = await plan_template_send(
        uow,
        template,
        guest,
        conversation,
        prop,
        body.overrides,
        container.clock.now(),
        container.rates,
        await _whatsapp_link(container, principal.property_id),
    )
    return _preview_out(plan)


async def _send(
    principal: CurrentPrincipal, uow: UowDep, container: ContainerDep, guest_id: uuid.UUID, body: TemplateSendIn
) -> MessageOut:
    template = await lifecycle.load_template(
        SqlaTemplateStore(container.sessions), principal.property_id, body.template_id
    )
    message = await send_template(
        uow,
        template,
        guest_id,
        principal.user_id,
        body.overrides,
        container.clock.now(),
        container.rates,
        await _whatsapp_link(container, principal.property_id),
    )
    await uow.commit()
    return message_out(dict(message.__dict__))


@router.post(
    "/conversations/{conversation_id}/template-messages",
    response_model=MessageOut,
    status_code=202,
    summary="Send an approved WhatsApp template in this conversation (works when the window is closed)",
)
async def send_in_conversation(
    conversation_id: uuid.UUID, body: TemplateSendIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> MessageOut:
    conversation = await load(uow, principal.property_id, conversation_id)
    return await _send(principal, uow, container, conversation.guest_id, body)


@router.post(
    "/guests/{guest_id}/template-messages",
    response_model=MessageOut,
    status_code=202,
    summary="Start (or continue) a guest's conversation with an approved WhatsApp template",
)
async def send_to_guest(
    guest_id: uuid.UUID, body: TemplateSendIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> MessageOut:
    if await uow.guests.get(principal.property_id, guest_id) is None:
        raise NotFound("Guest not found.")
    return await _send(principal, uow, container, guest_id, body)
