"""Outgoing webhooks for integrators: subscriptions, their delivery log, redelivery; and their OpenAPI docs."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, FastAPI, Header, Response
from pydantic import BaseModel, Field, HttpUrl, create_model

from adapters.db import webhook_subscriptions_store as store
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES
from domain.errors import NotFound
from domain.model import Role
from domain.outgoing_webhooks import SIGNATURE_TOLERANCE_SECONDS, EventType, new_secret, validate_subscription

router = APIRouter(prefix="/api/v1/webhook-subscriptions", tags=["outgoing webhooks"], responses=ERROR_RESPONSES)
EventName = Literal["message.received", "message.status", "conversation.assigned", "scheduled_send.done"]

SIGNING_DOC = f"""
Every delivery is a `POST` of a JSON envelope `{{id, type, created_at, property_id, data}}` with headers
`X-GMC-Event` (the type), `X-GMC-Event-Id` (the same for every retry and redelivery: dedupe on it),
`X-GMC-Delivery` and `X-GMC-Signature: t=<unix seconds>,v1=<hex>`, where `v1` is
HMAC-SHA256(subscription secret, `"<t>.<raw body>"`). Verify it on the raw body in constant time and
refuse a `t` more than {SIGNATURE_TOLERANCE_SECONDS} seconds from your clock: a captured request cannot be
replayed later. Answer 2xx within 10 s; anything else is retried with exponential backoff (30 s, 1 min,
2 min, … capped at 1 h) for 24 hours, then the delivery is marked failed and can be redelivered by hand.
"""


class SubscriptionIn(BaseModel):
    url: HttpUrl = Field(description="https only (http://localhost is accepted in sandbox and test)")
    description: str = Field(default="", max_length=200)
    event_types: list[EventName] = Field(min_length=1)


class SubscriptionPatch(BaseModel):
    url: HttpUrl | None = None
    description: str | None = Field(default=None, max_length=200)
    event_types: list[EventName] | None = Field(default=None, min_length=1)
    active: bool | None = None


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="Shown once: keep it to verify signatures")


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


class DeliveryOut(BaseModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    state: str = Field(description="pending | succeeded | failed")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    redelivery_of: uuid.UUID | None
    created_at: datetime
    finished_at: datetime | None
    attempt_log: list[AttemptOut]


def _allow_local(container: ContainerDep) -> bool:
    return container.settings.sandbox or container.settings.environment == "test"


@router.get("", response_model=list[SubscriptionOut], summary="The property's webhook subscriptions")
async def list_all(principal: CurrentPrincipal, container: ContainerDep) -> list[SubscriptionOut]:
    principal.require(Role.OWNER, Role.MANAGER)
    async with container.sessions() as session:
        return [SubscriptionOut(**r) for r in await store.list_subscriptions(session, principal.property_id)]


@router.post(
    "",
    response_model=SubscriptionCreated,
    status_code=201,
    summary="Subscribe a URL to events; the signing secret is in this response only",
    description=SIGNING_DOC,
)
async def create(body: SubscriptionIn, principal: CurrentPrincipal, container: ContainerDep) -> SubscriptionCreated:
    principal.require(Role.OWNER, Role.MANAGER)
    validate_subscription(str(body.url), list(body.event_types), allow_local_http=_allow_local(container))
    secret = new_secret()
    async with container.sessions() as session:
        row = await store.create_subscription(
            session,
            principal.property_id,
            str(body.url),
            body.description,
            list(body.event_types),
            container.secret_box.seal({"secret": secret}),
            container.clock.now(),
        )
        await session.commit()
    return SubscriptionCreated(**row, secret=secret)


@router.patch("/{subscription_id}", response_model=SubscriptionOut, summary="Change, pause or resume a subscription")
async def patch(
    subscription_id: uuid.UUID, body: SubscriptionPatch, principal: CurrentPrincipal, container: ContainerDep
) -> SubscriptionOut:
    principal.require(Role.OWNER, Role.MANAGER)
    values = body.model_dump(exclude_none=True)
    async with container.sessions() as session:
        current = await store.get_subscription(session, principal.property_id, subscription_id)
        if current is None:
            raise NotFound("Subscription not found.")
        if "url" in values:
            values["url"] = str(values["url"])
        validate_subscription(
            values.get("url", current["url"]),
            list(values.get("event_types", current["event_types"])),
            allow_local_http=_allow_local(container),
        )
        row = await store.update_subscription(
            session, principal.property_id, subscription_id, container.clock.now(), **values
        )
        await session.commit()
    assert row is not None
    return SubscriptionOut(**row)


@router.delete("/{subscription_id}", status_code=204, summary="Delete a subscription and its delivery log")
async def remove(subscription_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> Response:
    principal.require(Role.OWNER, Role.MANAGER)
    async with container.sessions() as session:
        if not await store.delete_subscription(session, principal.property_id, subscription_id):
            raise NotFound("Subscription not found.")
        await session.commit()
    return Response(status_code=204)


@router.get(
    "/{subscription_id}/deliveries",
    response_model=list[DeliveryOut],
    summary="The newest deliveries with every attempt (status code, latency, error)",
)
async def deliveries(
    subscription_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep
) -> list[DeliveryOut]:
    principal.require(Role.OWNER, Role.MANAGER)
    async with container.sessions() as session:
        if await store.get_subscription(session, principal.property_id, subscription_id) is None:
            raise NotFound("Subscription not found.")
        rows = await store.delivery_log(session, principal.property_id, subscription_id)
    return [
        DeliveryOut(
            **{k: v for k, v in r.items() if k in DeliveryOut.model_fields and k != "attempt_log"},
            attempt_log=[AttemptOut(**{k: a[k] for k in AttemptOut.model_fields}) for a in r["attempt_log"]],
        )
        for r in rows
    ]


class RedeliveryOut(BaseModel):
    delivery_id: uuid.UUID


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}/redeliver",
    response_model=RedeliveryOut,
    status_code=202,
    summary="Send the same event again now (same event id), as a new delivery",
)
async def redeliver(
    subscription_id: uuid.UUID, delivery_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep
) -> RedeliveryOut:
    principal.require(Role.OWNER, Role.MANAGER)
    async with container.sessions() as session:
        if await store.get_subscription(session, principal.property_id, subscription_id) is None:
            raise NotFound("Subscription not found.")
        new_id = await store.redeliver(
            session, principal.property_id, subscription_id, delivery_id, container.clock.now()
        )
        if new_id is None:
            raise NotFound("Delivery not found.")
        await session.commit()
    return RedeliveryOut(delivery_id=new_id)


# --- the events, documented in OpenAPI's `webhooks` section ---


class MessageReceivedData(BaseModel):
    message_id: uuid.UUID
    conversation_id: uuid.UUID
    channel: str = Field(examples=["whatsapp"])
    kind: str = Field(examples=["text"])
    body: str
    received_at: datetime


class MessageStatusData(BaseModel):
    message_id: uuid.UUID
    conversation_id: uuid.UUID
    channel: str
    status: str = Field(examples=["delivered"], description="queued, sending, sent, delivered, read or failed")
    previous_status: str | None
    error_code: str | None = Field(examples=["spending_cap_reached"])
    error_reason: str | None
    changed_at: datetime | None


class ConversationAssignedData(BaseModel):
    conversation_id: uuid.UUID
    assignee_id: uuid.UUID | None = Field(description="null when unassigned")
    previous_assignee_id: uuid.UUID | None


class ScheduledSendDoneData(BaseModel):
    planned_send_id: uuid.UUID
    rule_id: uuid.UUID
    booking_id: uuid.UUID
    state: str = Field(description="sent, skipped or failed")
    reason: str | None
    message_id: uuid.UUID | None


def _envelope(name: str, data: type[BaseModel]) -> type[BaseModel]:
    fields = {
        "id": (uuid.UUID, Field(description="The event id (X-GMC-Event-Id)")),
        "type": (Literal[name], ...),
        "created_at": (datetime, ...),
        "property_id": (uuid.UUID, ...),
        "data": (data, ...),
    }
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        "".join(part.title() for part in name.replace(".", "_").split("_")) + "Event", **fields
    )
    return model


EVENT_DATA: dict[EventType, type[BaseModel]] = {
    EventType.MESSAGE_RECEIVED: MessageReceivedData,
    EventType.MESSAGE_STATUS: MessageStatusData,
    EventType.CONVERSATION_ASSIGNED: ConversationAssignedData,
    EventType.SCHEDULED_SEND_DONE: ScheduledSendDoneData,
}


def _receiver(payload: type[BaseModel]) -> Callable[..., None]:
    """A stand-in receiver whose signature describes the request (built by hand: the type is made at runtime)."""

    def receiver(**_: object) -> None: ...

    header = inspect.Parameter.KEYWORD_ONLY
    receiver.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("body", header, annotation=payload),
            inspect.Parameter(
                "x_gmc_signature", header, annotation=str, default=Header(description="t=<unix s>,v1=<hex HMAC>")
            ),
            inspect.Parameter("x_gmc_event_id", header, annotation=str, default=Header(description="Dedupe on it")),
            inspect.Parameter("x_gmc_event", header, annotation=str, default=Header(description="The event type")),
        ]
    )
    return receiver


def document_webhooks(app: FastAPI) -> None:
    """Adds each event to the OpenAPI document's `webhooks`, with its payload and the signing rules."""
    for event_type, data in EVENT_DATA.items():
        app.webhooks.post(event_type.value, summary=event_type.value, description=SIGNING_DOC)(
            _receiver(_envelope(event_type.value, data))
        )
