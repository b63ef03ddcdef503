from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy import literal, select, tuple_

from adapters.db import cursor as cursors
from adapters.db.tables import bookings, guests, planned_sends, scheduled_rules
from adapters.db.template_store import SqlaTemplateStore
from api.auth import CurrentPrincipal
from api.deps import ContainerDep, ReadSession, UowDep
from api.errors import ERROR_RESPONSES
from api.schemas.common import Page
from api.schemas.scheduling import ChannelPreview, PlannedSendOut, PreviewIn, RescheduleIn, RuleIn, RuleOut, RulePreview
from domain.airbnb.convert import design_to_text
from domain.errors import NotFound
from domain.model import Role
from domain.scheduling.model import ScheduledRule
from domain.scheduling.rendering import html_to_text, render
from domain.services.scheduling import act_on, replan_rule, validate_rule
from domain.templates.model import TemplateStatus
from domain.templates.placeholders import PlaceholderContext
from domain.templates.rendering import render_text, resolve_parameters

router = APIRouter(prefix="/api/v1", tags=["scheduled messages"], responses=ERROR_RESPONSES)


def _content(body: RuleIn) -> dict[str, Any]:
    content: dict[str, Any] = {"default": body.content.default.model_dump(exclude_none=True)}
    for language, version in body.content.translations.items():
        content[language.lower()] = version.model_dump(exclude_none=True)
    if body.content.whatsapp_template_id:
        content["whatsapp_template_id"] = str(body.content.whatsapp_template_id)
    return content


def _apply(rule: ScheduledRule, body: RuleIn) -> None:
    rule.name, rule.active, rule.trigger = body.name, body.active, body.trigger
    rule.offset_days, rule.offset_hours, rule.send_time = body.offset_days, body.offset_hours, body.send_time
    rule.conditions = body.conditions.model_dump(exclude_none=True)
    rule.channel_order, rule.content, rule.marketing = list(body.channel_order), _content(body), body.marketing


def _out(rule: ScheduledRule) -> RuleOut:
    content = dict(rule.content)
    translations = {
        k: v for k, v in content.items() if k not in ("default", "whatsapp_template_id") and isinstance(v, dict)
    }
    return RuleOut.model_validate(
        {
            "id": rule.id,
            "name": rule.name,
            "active": rule.active,
            "trigger": rule.trigger,
            "offset_days": rule.offset_days,
            "offset_hours": rule.offset_hours,
            "send_time": rule.send_time,
            "conditions": rule.conditions,
            "channel_order": rule.channel_order,
            "marketing": rule.marketing,
            "created_at": rule.created_at,
            "updated_at": rule.updated_at,
            "content": {
                "default": content.get("default") or {},
                "whatsapp_template_id": content.get("whatsapp_template_id"),
                "translations": translations,
            },
        }
    )


async def _replan(uow: UowDep, rule: ScheduledRule, container: ContainerDep) -> None:
    now = container.clock.now()
    await uow.flush()
    stays = await uow.bookings.stays_ending_after(rule.property_id, now.date() - timedelta(days=1))
    await replan_rule(uow, rule, stays, now)


@router.get("/scheduled-messages", response_model=list[RuleOut], summary="The property's scheduled-message rules")
async def list_rules(principal: CurrentPrincipal, uow: UowDep) -> list[RuleOut]:
    return [_out(r) for r in await uow.rules.all_for(principal.property_id)]


@router.post(
    "/scheduled-messages",
    response_model=RuleOut,
    status_code=201,
    summary="Create a rule; it is planned at once for the bookings still ahead",
)
async def create_rule(body: RuleIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep) -> RuleOut:
    principal.require(Role.OWNER, Role.MANAGER)
    now = container.clock.now()
    rule = ScheduledRule(
        property_id=principal.property_id,
        name="",
        trigger="",
        channel_order=[],
        content={},
        created_at=now,
        updated_at=now,
    )
    _apply(rule, body)
    validate_rule(rule)
    uow.rules.add(rule)
    await _replan(uow, rule, container)
    await uow.commit()
    return _out(rule)


async def _rule(uow: UowDep, principal: CurrentPrincipal, rule_id: uuid.UUID) -> ScheduledRule:
    rule = await uow.rules.get(principal.property_id, rule_id)
    if rule is None:
        raise NotFound("Scheduled message not found.")
    return rule


@router.get("/scheduled-messages/{rule_id}", response_model=RuleOut, summary="Read a rule")
async def read_rule(rule_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep) -> RuleOut:
    return _out(await _rule(uow, principal, rule_id))


@router.put(
    "/scheduled-messages/{rule_id}",
    response_model=RuleOut,
    summary="Edit a rule; its future sends are re-planned (or cancelled when it is deactivated)",
)
async def update_rule(
    rule_id: uuid.UUID, body: RuleIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> RuleOut:
    principal.require(Role.OWNER, Role.MANAGER)
    rule = await _rule(uow, principal, rule_id)
    _apply(rule, body)
    validate_rule(rule)
    rule.updated_at = container.clock.now()
    await _replan(uow, rule, container)
    await uow.commit()
    return _out(rule)


@router.delete("/scheduled-messages/{rule_id}", status_code=204, summary="Delete a rule and its planned sends")
async def delete_rule(rule_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep) -> Response:
    principal.require(Role.OWNER, Role.MANAGER)
    await uow.rules.delete(await _rule(uow, principal, rule_id))
    await uow.commit()
    return Response(status_code=204)


@router.post(
    "/scheduled-messages/{rule_id}/preview",
    response_model=RulePreview,
    summary="The rule rendered for a booking on each channel",
)
async def preview(
    rule_id: uuid.UUID, body: PreviewIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> RulePreview:
    rule = await _rule(uow, principal, rule_id)
    booking = await uow.bookings.by_external_ref(principal.property_id, body.booking_ref)
    guest = await uow.guests.get(principal.property_id, booking.guest_id) if booking else None
    prop = await uow.properties.get(principal.property_id)
    if booking is None or guest is None or prop is None:
        raise NotFound("Booking not found.")
    language = (guest.language or "").split("_")[0].lower()
    version = {**rule.content.get("default", {}), **(rule.content.get(language) or {})}
    context = PlaceholderContext(
        guest=guest, booking=booking, property=prop, whatsapp_link=None, language=guest.language or "en"
    )
    channels: dict[str, ChannelPreview] = {}
    for channel in rule.channel_order:
        try:
            if channel in ("email", "airbnb"):
                html = render(str(version.get("email_body") or ""), context, as_html=True)
                channels[channel] = ChannelPreview(
                    ok=True,
                    subject=render(str(version.get("email_subject") or rule.name), context),
                    html=html if channel == "email" else None,
                    # what the guest reads: the e-mail's plain-text part, or Airbnb's converted message
                    text=html_to_text(html)
                    if channel == "email"
                    else design_to_text(
                        render(str(version["email_subject"]), context) if version.get("email_subject") else None, html
                    ),
                )
            elif channel == "sms":
                source = version.get("sms_text")
                text = (
                    render(str(source), context)
                    if source
                    else html_to_text(render(str(version.get("email_body") or ""), context, as_html=True))
                )
                channels[channel] = ChannelPreview(ok=True, text=text)
            else:
                channels[channel] = await _whatsapp_preview(container, rule, context)
        except Exception as exc:  # a placeholder without value is shown, not raised: staff fix it from the preview
            channels[channel] = ChannelPreview(ok=False, problem=getattr(exc, "message", str(exc)))
    return RulePreview(booking_ref=booking.external_ref, language=language or "default", channels=channels)


async def _whatsapp_preview(
    container: ContainerDep, rule: ScheduledRule, context: PlaceholderContext
) -> ChannelPreview:
    """The rule's template filled in for this booking, exactly as the guest would read it."""
    raw = rule.content.get("whatsapp_template_id")
    template = await SqlaTemplateStore(container.sessions).get(rule.property_id, uuid.UUID(str(raw))) if raw else None
    if template is None:
        return ChannelPreview(ok=False, problem="The rule has no WhatsApp template.")
    problem = (
        None
        if template.status == TemplateStatus.APPROVED
        else f"The template is {template.status.value}, not approved."
    )
    filled = resolve_parameters(template, replace(context, language=template.language))
    return ChannelPreview(ok=problem is None, text=render_text(template, filled), problem=problem)


@router.get(
    "/planned-sends",
    response_model=Page[PlannedSendOut],
    summary="Upcoming and past planned sends with the reason of every skipped or failed one",
)
async def list_planned(
    principal: CurrentPrincipal,
    session: ReadSession,
    rule_id: uuid.UUID | None = None,
    booking_id: uuid.UUID | None = None,
    state: Literal["planned", "sent", "skipped", "cancelled", "failed"] | None = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[PlannedSendOut]:
    stmt = (
        select(
            planned_sends,
            scheduled_rules.c.name.label("rule_name"),
            bookings.c.external_ref.label("booking_ref"),
            guests.c.first_name,
            guests.c.last_name,
        )
        .join(scheduled_rules, scheduled_rules.c.id == planned_sends.c.rule_id)
        .join(bookings, bookings.c.id == planned_sends.c.booking_id)
        .join(guests, guests.c.id == bookings.c.guest_id)
        .where(planned_sends.c.property_id == principal.property_id)
    )
    if rule_id:
        stmt = stmt.where(planned_sends.c.rule_id == rule_id)
    if booking_id:
        stmt = stmt.where(planned_sends.c.booking_id == booking_id)
    if state:
        stmt = stmt.where(planned_sends.c.state == state)
    if cursor:
        at, last = cursors.decode(cursor)
        stmt = stmt.where(tuple_(planned_sends.c.due_at, planned_sends.c.id) > tuple_(literal(at), literal(last)))
    rows = [
        dict(r)
        for r in (
            await session.execute(stmt.order_by(planned_sends.c.due_at, planned_sends.c.id).limit(limit + 1))
        ).mappings()
    ]
    next_cursor = cursors.encode(rows[limit - 1]["due_at"], rows[limit - 1]["id"]) if len(rows) > limit else None
    items = [
        PlannedSendOut(
            **{k: r[k] for k in PlannedSendOut.model_fields if k in r},
            guest_name=f"{r['first_name']} {r['last_name']}".strip(),
        )
        for r in rows[:limit]
    ]
    return Page(items=items, next_cursor=next_cursor)


async def _act(
    planned_id: uuid.UUID,
    action: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    container: ContainerDep,
    when: Any = None,
) -> Response:
    await act_on(uow, principal.property_id, planned_id, action, container.clock.now(), when)
    await uow.commit()
    return Response(status_code=204)


@router.post("/planned-sends/{planned_id}/send-now", status_code=204, summary="Send this planned message now")
async def send_now(
    planned_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> Response:
    return await _act(planned_id, "send_now", principal, uow, container)


@router.post("/planned-sends/{planned_id}/skip", status_code=204, summary="Skip this planned message")
async def skip(planned_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep) -> Response:
    return await _act(planned_id, "skip", principal, uow, container)


@router.post(
    "/planned-sends/{planned_id}/reschedule", status_code=204, summary="Move this planned message to another time"
)
async def reschedule(
    planned_id: uuid.UUID, body: RescheduleIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> Response:
    return await _act(planned_id, "reschedule", principal, uow, container, body.due_at)
