"""Sending an approved template: parameters filled from the stay, what the guest reads, what it costs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.booking_link import pick_booking
from domain.channels import AuthorType, Channel, Direction, MessageKind
from domain.contacts import phone_region
from domain.errors import NotFound, PolicyViolation
from domain.message_status import MessageStatus
from domain.model import Booking, Conversation, Guest, Message, Property
from domain.ports.unit_of_work import UnitOfWork
from domain.reply_rules import reply_state
from domain.services.consent import require_marketing
from domain.services.inbound import conversation_for
from domain.services.messaging import queue_outbound
from domain.templates.model import TemplateCategory, TemplateStatus, WhatsAppTemplate
from domain.templates.placeholders import PlaceholderContext
from domain.templates.pricing import RateTable, estimate_cost
from domain.templates.rendering import ResolvedParameters, render_text, resolve_parameters


@dataclass(frozen=True)
class TemplateSendPlan:
    text: str  # exactly what the guest reads
    parameters: ResolvedParameters
    cost: Decimal
    currency: str
    pricing_category: str
    free_reason: str | None


async def _booking_for(
    uow: UnitOfWork, conversation: Conversation | None, guest: Guest, now: datetime
) -> Booking | None:
    if conversation is not None and conversation.booking_id is not None:
        linked = await uow.bookings.get(guest.property_id, conversation.booking_id)
        if linked is not None:
            return linked
    return pick_booking(await uow.bookings.for_guest(guest.property_id, guest.id), now.date())


async def plan_template_send(
    uow: UnitOfWork,
    template: WhatsAppTemplate,
    guest: Guest,
    conversation: Conversation | None,
    prop: Property,
    overrides: dict[int, str],
    now: datetime,
    rates: RateTable,
    whatsapp_link: str | None,
) -> TemplateSendPlan:
    if template.status != TemplateStatus.APPROVED:
        raise PolicyViolation(
            "template_not_approved", f"Only approved templates can be sent; this one is {template.status.value}."
        )
    if Channel.WHATSAPP not in await uow.connections.connected_channels(prop.id):
        raise PolicyViolation("channel_not_connected", "WhatsApp is not connected.")
    if not guest.phone:
        raise PolicyViolation("guest_has_no_phone", "The guest has no phone number.")
    if guest.opted_out(Channel.WHATSAPP):
        raise PolicyViolation("whatsapp_opted_out", "The guest asked not to receive WhatsApp messages.")
    if template.category == TemplateCategory.MARKETING:
        await require_marketing(uow, guest, Channel.WHATSAPP)  # 409 marketing_consent_missing without opt-in
    booking = await _booking_for(uow, conversation, guest, now)
    context = PlaceholderContext(
        guest=guest, booking=booking, property=prop, whatsapp_link=whatsapp_link, language=template.language
    )
    resolved = resolve_parameters(template, context, overrides)
    window_open = False
    if conversation is not None:
        window_open = reply_state(Channel.WHATSAPP, conversation, guest, frozenset({Channel.WHATSAPP}), now).open
    cost = estimate_cost(template.category, phone_region(guest.phone), window_open, rates)
    category = template.category.value.lower()
    free_reason = "Utility templates are free inside the 24-hour window." if cost == 0 and window_open else None
    return TemplateSendPlan(render_text(template, resolved), resolved, cost, rates.currency, category, free_reason)


async def send_template(
    uow: UnitOfWork,
    template: WhatsAppTemplate,
    guest_id: uuid.UUID,
    user_id: uuid.UUID | None,
    overrides: dict[int, str],
    now: datetime,
    rates: RateTable,
    whatsapp_link: str | None,
    author: AuthorType = AuthorType.USER,
    rule_name: str | None = None,
) -> Message:
    """Starts the guest's conversation if there is none: a template may open the dialogue."""
    prop = await uow.properties.get(template.property_id)
    guest = await uow.guests.get(template.property_id, guest_id)
    if prop is None or guest is None:
        raise NotFound("Guest not found.")
    conversation = await uow.conversations.for_guest(prop.id, guest.id, lock=True)
    plan = await plan_template_send(uow, template, guest, conversation, prop, overrides, now, rates, whatsapp_link)
    conversation = conversation or await conversation_for(uow, guest, now)
    message = Message(
        property_id=prop.id,
        conversation_id=conversation.id,
        channel=Channel.WHATSAPP,
        direction=Direction.OUTBOUND,
        kind=MessageKind.SCHEDULED if author == AuthorType.SCHEDULER else MessageKind.TEMPLATE,
        body=plan.text,
        status=MessageStatus.QUEUED,
        author_type=author,
        author_user_id=user_id,
        created_at=now,
        status_changed_at=now,
        template_name=template.name,
        template_params={
            "language": template.language,
            "template_id": str(template.id),
            **plan.parameters.as_template_params(),
        },
        cost_amount=plan.cost,
        cost_currency=plan.currency,
        pricing_category=plan.pricing_category,
        rule_name=rule_name,
    )
    queue_outbound(uow, conversation, message)
    return message
