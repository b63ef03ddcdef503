"""Scheduled messages: rules saved, planned per booking, and each planned send dispatched exactly once."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.airbnb.convert import design_to_text
from domain.channels import AuthorType, Channel, Direction, MessageKind
from domain.consent import MARKETING_CONSENT_MISSING
from domain.email.html_text import looks_like_html
from domain.errors import FieldProblem, InvalidInput, NotFound, PolicyViolation, ProviderFailure
from domain.message_status import MessageStatus
from domain.model import Booking, Guest, Message, OutboxEvent, Property
from domain.ports.airbnb import AirbnbThreadFinder
from domain.ports.templates import TemplateStore
from domain.ports.unit_of_work import UnitOfWork
from domain.scheduling.channel_choice import ChannelFacts, choose_channel
from domain.scheduling.conditions import why_not
from domain.scheduling.facts import GuestFacts, RuleFacts, Stay
from domain.scheduling.model import PlannedSend, ScheduledRule, SendState, Trigger
from domain.scheduling.planning import PlanCancel, PlanRow, decide
from domain.scheduling.rendering import check_content, html_to_text, render
from domain.scheduling.timing import QuietHours
from domain.services.airbnb import check_airbnb_content
from domain.services.consent import consented_channels
from domain.services.inbound import conversation_for
from domain.services.messaging import queue_outbound
from domain.services.template_sending import send_template
from domain.templates.model import TemplateStatus, WhatsAppTemplate
from domain.templates.placeholders import PlaceholderContext
from domain.templates.pricing import RateTable

SCHEDULE_TOPIC = "planned.schedule"
# Sends due sooner than this are announced to the queue when planned; later ones are queued by the
# worker's minute job as their time nears, so the queue never holds months of deferred jobs.
ANNOUNCE_HORIZON = timedelta(minutes=15)
PLANNING_BATCH = 5000
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def validate_rule(rule: ScheduledRule) -> None:
    problems: list[FieldProblem] = []
    if not rule.name.strip():
        problems.append(FieldProblem("name", "required", "Give the rule a name."))
    if rule.trigger not in {t.value for t in Trigger}:
        problems.append(FieldProblem("trigger", "unknown_trigger", f"{rule.trigger} is not a trigger."))
    if rule.offset_days < 0 or rule.offset_hours < 0:
        problems.append(
            FieldProblem("offset_days", "negative", "Offsets count forward; choose a before/after trigger.")
        )
    if rule.send_time is not None and not _TIME.match(rule.send_time):
        problems.append(FieldProblem("send_time", "invalid_time", "Use a local time such as 10:00."))
    if rule.send_time is not None and rule.offset_hours:
        problems.append(
            FieldProblem("send_time", "hours_with_time", "A send time goes with a number of days, not hours.")
        )
    channels = {c.value for c in Channel}
    if not rule.channel_order or any(c not in channels for c in rule.channel_order):
        problems.append(
            FieldProblem("channel_order", "invalid_channels", "List channels among whatsapp, sms, airbnb and email.")
        )
    if "whatsapp" in rule.channel_order and not rule.content.get("whatsapp_template_id"):
        problems.append(
            FieldProblem("content.whatsapp_template_id", "required", "WhatsApp sends need an approved template.")
        )
    if (
        not isinstance(rule.content.get("default"), dict)
        or not rule.content["default"].get("email_body")
        and not rule.content["default"].get("sms_text")
    ):
        problems.append(
            FieldProblem("content.default", "required", "Write at least the default e-mail design or SMS text.")
        )
    problems += check_content({k: v for k, v in rule.content.items() if isinstance(v, dict)})
    if problems:
        raise InvalidInput(problems, "The scheduled message has problems.")


def timezone_of(prop: Property) -> str:
    try:
        ZoneInfo(prop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return prop.timezone


@dataclass(frozen=True)
class PlanningPolicy:
    quiet: QuietHours = QuietHours()


def _announce_schedule(uow: UnitOfWork, planned: PlannedSend) -> None:
    uow.outbox.add(
        OutboxEvent(
            property_id=planned.property_id,
            topic=SCHEDULE_TOPIC,
            payload={
                "planned_id": str(planned.id),
                "property_id": str(planned.property_id),
                "due_at": planned.due_at.isoformat(),
            },
            created_at=planned.updated_at or planned.due_at,
        )
    )


def _plan_one(
    uow: UnitOfWork,
    rule: ScheduledRule,
    booking: Booking,
    guest: Guest,
    existing: PlannedSend | None,
    prop: Property,
    now: datetime,
    policy: PlanningPolicy,
) -> None:
    decision = decide(rule, booking, guest, timezone_of(prop), now, policy.quiet)
    if not decision.applies:
        if existing is not None and existing.state == SendState.PLANNED:
            existing.state, existing.reason, existing.updated_at = SendState.CANCELLED, decision.reason, now
        return
    if existing is not None and existing.state != SendState.PLANNED:
        if existing.state != SendState.CANCELLED:
            return  # already sent, skipped or failed: history stays as it happened
        existing.state, existing.reason = SendState.PLANNED, None  # the booking came back: plan it again
    due, state, why = decision.due or now, decision.state, decision.reason
    if existing is None:
        planned = PlannedSend(
            property_id=prop.id,
            rule_id=rule.id,
            booking_id=booking.id,
            due_at=due,
            state=state,
            reason=why,
            created_at=now,
            updated_at=now,
        )
        uow.planned.add(planned)
        if state == SendState.PLANNED and due < now + ANNOUNCE_HORIZON:
            _announce_schedule(uow, planned)
        return
    if existing.due_at != due or existing.state != state:
        existing.due_at, existing.state, existing.reason, existing.updated_at = due, state, why, now
        if state == SendState.PLANNED and due < now + ANNOUNCE_HORIZON:
            _announce_schedule(uow, existing)


async def plan_booking(
    uow: UnitOfWork, booking: Booking, now: datetime, policy: PlanningPolicy = PlanningPolicy()
) -> None:
    """(Re)plans every rule for this booking: new dates move sends, a cancellation cancels them."""
    await uow.flush()  # the booking may be new in this unit of work; planned sends reference it
    prop = await uow.properties.get(booking.property_id)
    guest = await uow.guests.get(booking.property_id, booking.guest_id)
    if prop is None or guest is None:
        return
    existing = {p.rule_id: p for p in await uow.planned.for_booking(prop.id, booking.id)}
    for rule in await uow.rules.all_for(prop.id):
        _plan_one(uow, rule, booking, guest, existing.get(rule.id), prop, now, policy)


async def replan_rule(
    uow: UnitOfWork,
    rule: ScheduledRule,
    bookings: Sequence[Stay],
    now: datetime,
    policy: PlanningPolicy = PlanningPolicy(),
) -> None:
    """After a rule is created or edited: plan it for the bookings still ahead, in bulk."""
    prop = await uow.properties.get(rule.property_id)
    if prop is None:
        return
    await uow.flush()  # the rule may be new in this unit of work; planned sends reference it
    for start in range(0, len(bookings), PLANNING_BATCH):
        await plan_bookings(uow, prop, [rule], bookings[start : start + PLANNING_BATCH], now, policy)


async def plan_bookings(
    uow: UnitOfWork,
    prop: Property,
    rules: list[ScheduledRule],
    bookings: Sequence[Stay],
    now: datetime,
    policy: PlanningPolicy = PlanningPolicy(),
) -> int:
    """Plans these rules for many bookings at once: the same decisions as plan_booking, written in a
    few statements instead of a dozen per booking. Sent, skipped and failed sends keep their history."""
    languages = await uow.guests.languages(prop.id, {b.guest_id for b in bookings})
    tz = timezone_of(prop)
    rows: list[PlanRow] = []
    cancels: list[PlanCancel] = []
    facts = [RuleFacts.of(rule) for rule in rules]
    for booking in bookings:
        if booking.guest_id not in languages:
            continue
        guest = GuestFacts(languages[booking.guest_id])
        for rule in facts:
            decision = decide(rule, booking, guest, tz, now, policy.quiet)
            if not decision.applies:
                cancels.append(PlanCancel(rule.id, booking.id, decision.reason or ""))
            else:
                rows.append(PlanRow(rule.id, booking.id, decision.due or now, decision.state, decision.reason))
    return await uow.planned.upsert_many(prop.id, rows, cancels, now, announce_before=now + ANNOUNCE_HORIZON)


@dataclass(frozen=True)
class DispatchContext:
    """What a send needs beyond the unit of work: the templates, the rates, the wa.me link."""

    templates: TemplateStore
    rates: RateTable
    whatsapp_link: str | None
    airbnb: AirbnbThreadFinder | None = None


async def _template_of(rule: ScheduledRule, ctx: DispatchContext) -> WhatsAppTemplate | None:
    raw = rule.content.get("whatsapp_template_id")
    try:
        return await ctx.templates.get(rule.property_id, uuid.UUID(str(raw))) if raw else None
    except ValueError:
        return None


def _version(rule: ScheduledRule, guest: Guest) -> dict[str, Any]:
    """The guest's language version of the content, else the default."""
    default: dict[str, Any] = rule.content.get("default") or {}
    localised = rule.content.get((guest.language or "").split("_")[0].lower())
    return {**default, **localised} if isinstance(localised, dict) else default


def _text_message(
    prop: Property,
    conversation_id: uuid.UUID,
    channel: Channel,
    body: str,
    rule: ScheduledRule,
    now: datetime,
    subject: str | None = None,
) -> Message:
    return Message(
        property_id=prop.id,
        conversation_id=conversation_id,
        channel=channel,
        direction=Direction.OUTBOUND,
        kind=MessageKind.SCHEDULED,
        body=body,
        status=MessageStatus.QUEUED,
        author_type=AuthorType.SCHEDULER,
        created_at=now,
        status_changed_at=now,
        rule_name=rule.name,
        details={"subject": subject} if subject else {},
    )


async def dispatch(
    uow: UnitOfWork, property_id: uuid.UUID, planned_id: uuid.UUID, now: datetime, ctx: DispatchContext
) -> str:
    """The one path for the deferred job, the sweep and "send now": claim, re-read everything, send or skip."""
    planned = await uow.planned.get(property_id, planned_id, lock=True)
    if planned is None:
        return "busy_or_missing"  # another worker holds it, or it is gone
    if planned.state != SendState.PLANNED:
        return planned.state
    if planned.due_at > now:
        return "not_due"
    rule = await uow.rules.get(property_id, planned.rule_id)
    booking = await uow.bookings.get(property_id, planned.booking_id)
    prop = await uow.properties.get(property_id)
    guest = await uow.guests.get(property_id, booking.guest_id) if booking else None
    if rule is None or booking is None or prop is None or guest is None:
        return _settle(uow, planned, SendState.SKIPPED, "The rule or the booking no longer exists.", now)
    reason = why_not(rule, booking, guest)
    if reason is not None:
        return _settle(uow, planned, SendState.SKIPPED, reason, now)
    template = await _template_of(rule, ctx)
    await _learn_airbnb_thread(booking, ctx)
    facts = ChannelFacts(
        await uow.connections.connected_channels(property_id),
        template is not None and template.status == TemplateStatus.APPROVED,
        booking.airbnb_thread_id is not None,
    )
    order = await consented_channels(uow, guest, rule.channel_order) if rule.marketing else rule.channel_order
    if not order:  # a marketing rule reaches only channels the guest opted in to
        why = f"{MARKETING_CONSENT_MISSING}: the guest has not opted in to marketing on the rule's channels."
        return _settle(uow, planned, SendState.SKIPPED, why, now)
    choice = choose_channel(order, booking, guest, facts, rule.content)
    planned.attempts = choice.tried
    if choice.channel is None:
        return _settle(
            uow,
            planned,
            SendState.SKIPPED,
            "No channel could reach the guest: " + "; ".join(f"{t['channel']}: {t['reason']}" for t in choice.tried),
            now,
        )
    try:
        message = await _send(uow, rule, booking, guest, prop, choice.channel, now, ctx, template)
    except PolicyViolation as refused:  # e.g. a placeholder without a value for this booking
        planned.attempts[-1] = {"channel": choice.channel.value, "outcome": "skipped", "reason": refused.message}
        return _settle(uow, planned, SendState.SKIPPED, refused.message, now)
    planned.message_id, planned.sent_at = message.id, now
    return _settle(uow, planned, SendState.SENT, None, now)


async def _learn_airbnb_thread(booking: Booking, ctx: DispatchContext) -> None:
    """A scheduled message may be the first word in a reservation's thread: find the thread at Airbnb."""
    if booking.source != "airbnb" or not booking.confirmation_code or booking.airbnb_thread_id or ctx.airbnb is None:
        return
    try:
        found = await ctx.airbnb.find(booking.property_id, booking.confirmation_code)
    except ProviderFailure:
        return  # the channel is then reported unusable with its reason
    if found is not None:
        booking.airbnb_thread_id, booking.external_status = found.thread_id, found.status


def _settle(uow: UnitOfWork, planned: PlannedSend, state: SendState, reason: str | None, now: datetime) -> str:
    planned.state, planned.reason, planned.updated_at = state, reason, now
    return state


async def _send(
    uow: UnitOfWork,
    rule: ScheduledRule,
    booking: Booking,
    guest: Guest,
    prop: Property,
    channel: Channel,
    now: datetime,
    ctx: DispatchContext,
    template: WhatsAppTemplate | None,
) -> Message:
    if channel == Channel.WHATSAPP:
        assert template is not None
        return await send_template(
            uow,
            template,
            guest.id,
            None,
            {},
            now,
            ctx.rates,
            ctx.whatsapp_link,
            author=AuthorType.SCHEDULER,
            rule_name=rule.name,
        )
    version = _version(rule, guest)
    context = PlaceholderContext(
        guest=guest, booking=booking, property=prop, whatsapp_link=ctx.whatsapp_link, language=guest.language or "en"
    )
    # scheduled e-mails wait out of the inbox until the guest writes (the product's rule); other channels start it
    conversation = await conversation_for(uow, guest, now, started=channel != Channel.EMAIL)
    if channel == Channel.AIRBNB:
        subject = render(str(version.get("email_subject") or ""), context) if version.get("email_subject") else None
        text = design_to_text(
            subject, render(str(version.get("email_body") or version.get("sms_text") or ""), context, as_html=True)
        )
        check_airbnb_content(text, booking.external_status)
        message = _text_message(prop, conversation.id, channel, text, rule, now)
    elif channel == Channel.EMAIL:
        subject = render(str(version.get("email_subject") or rule.name), context)
        design = str(version.get("email_body") or "")
        # a plain-text design stays text (e-mail sending escapes it once for the HTML part)
        body = render(design, context, as_html=looks_like_html(design))
        message = _text_message(prop, conversation.id, channel, body, rule, now, subject)
    else:
        source = version.get("sms_text")
        text = (
            render(str(source), context)
            if source
            else html_to_text(render(str(version.get("email_body") or ""), context, as_html=True))
        )
        message = _text_message(prop, conversation.id, channel, text, rule, now)
    queue_outbound(uow, conversation, message)
    return message


async def act_on(
    uow: UnitOfWork,
    property_id: uuid.UUID,
    planned_id: uuid.UUID,
    action: str,
    now: datetime,
    when: datetime | None = None,
) -> PlannedSend:
    """Staff actions: send now, skip, reschedule. Only a planned send can be changed."""
    planned = await uow.planned.get(property_id, planned_id, lock=True)
    if planned is None:
        raise NotFound("Planned send not found.")
    if planned.state != SendState.PLANNED:
        raise PolicyViolation("planned_send_settled", f"This send is already {planned.state}.")
    if action == "skip":
        _settle(uow, planned, SendState.SKIPPED, "Skipped by staff.", now)
    else:
        target = now if action == "send_now" else when
        if target is None or target < now - timedelta(minutes=1):
            raise InvalidInput([FieldProblem("due_at", "in_the_past", "Choose a time from now on.")])
        planned.due_at, planned.updated_at = target, now
        _announce_schedule(uow, planned)
    return planned
