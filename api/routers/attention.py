"""Needs attention: the queue of failed or stuck sends and waiting guests, and the remedies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from adapters.db import attention_queries as queue
from adapters.db.repositories import SqlaConnectionDirectory
from api.auth import CurrentPrincipal, Principal
from api.deps import ContainerDep, ReadSession, UowDep
from api.errors import ERROR_RESPONSES
from api.presenters import message_out
from api.schemas.conversations import ChannelName, MessageOut
from domain.channels import Channel
from domain.errors import Forbidden
from domain.model import Role
from domain.services import attention

router = APIRouter(prefix="/api/v1/attention", tags=["needs attention"], responses=ERROR_RESPONSES)
KindName = Annotated[attention.ItemKind, Query(description="Only items of this kind")]


class RemedyOut(BaseModel):
    action: attention.Action
    channel: ChannelName | None = None


class AttentionItemOut(BaseModel):
    kind: attention.ItemKind
    id: uuid.UUID = Field(description="The message, the planned send, or the waiting conversation")
    at: datetime = Field(description="When it failed, was held or skipped; for a waiting guest, their message")
    conversation_id: uuid.UUID | None
    guest_name: str
    channel: ChannelName | None
    code: str | None
    reason: str | None
    preview: str | None = Field(description="The message's start, or the scheduled rule's name")
    remedies: list[RemedyOut]
    retry_refused: str | None = Field(default=None, description="Why retrying on the same channel is not offered")


class AttentionPage(BaseModel):
    counts: dict[str, int] = Field(description="Items per kind (the whole queue, not this page)")
    total: int
    items: list[AttentionItemOut]
    next_cursor: str | None


class ResendIn(BaseModel):
    channel: ChannelName = Field(examples=["sms"])


class AttentionSettingsIO(BaseModel):
    reply_after_minutes: int = Field(
        description="A guest waiting longer than this for a staff reply joins the queue", examples=[120]
    )


def _user(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise Forbidden("This action needs a staff user, not an API key.")
    return principal.user_id


async def _threshold(session: ReadSession, property_id: uuid.UUID) -> int:
    minutes = await queue.SqlaAttentionSettings(session).reply_after_minutes(property_id)
    return int(attention.reply_after(minutes).total_seconds() // 60)


@router.get("", response_model=AttentionPage, summary="Everything failed or stuck, newest first, with remedies")
async def list_items(
    principal: CurrentPrincipal,
    session: ReadSession,
    container: ContainerDep,
    kind: KindName | None = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AttentionPage:
    now = container.clock.now()
    minutes = await _threshold(session, principal.property_id)
    counts = await queue.counts(session, principal.property_id, now, minutes)
    rows, next_cursor = await queue.page(session, principal.property_id, now, minutes, kind, cursor, limit)
    found = await queue.threads(
        session, principal.property_id, {r["conversation_id"] for r in rows if r["conversation_id"]}
    )
    connected = await SqlaConnectionDirectory(session).connected_channels(principal.property_id)
    items = []
    for row in rows:
        conversation, guest = found.get(row["conversation_id"], (None, None))
        channel = Channel(row["channel"]) if row["channel"] in {c.value for c in Channel} else None
        facts = attention.ItemFacts(
            attention.ItemKind(row["kind"]),
            row["item_id"],
            channel,
            row["code"],
            row["message_kind"],
            conversation,
            guest,
        )
        remedies = attention.remedies_for(facts, connected, now)
        items.append(
            AttentionItemOut(
                kind=facts.kind,
                id=row["item_id"],
                at=row["at"],
                conversation_id=row["conversation_id"],
                guest_name=row["guest_name"] or "",
                channel=channel.value if channel else None,
                code=row["code"],
                reason=row["reason"],
                preview=row["preview"],
                remedies=[
                    RemedyOut(action=r.action, channel=r.channel.value if r.channel else None) for r in remedies.offered
                ],
                retry_refused=remedies.retry_refused,
            )
        )
    return AttentionPage(counts=counts, total=sum(counts.values()), items=items, next_cursor=next_cursor)


@router.post(
    "/messages/{message_id}/retry",
    response_model=MessageOut,
    status_code=202,
    summary="Put a failed send back in the outbox, on its channel (refused if the channel's rules forbid it now)",
)
async def retry(message_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep) -> MessageOut:
    message = await attention.retry(uow, principal.property_id, message_id, container.clock.now())
    await uow.commit()
    return message_out(dict(message.__dict__))


@router.post(
    "/messages/{message_id}/resend",
    response_model=MessageOut,
    status_code=202,
    summary="Send a failed or held message's content through another channel, adapted (e-mail becomes plain text)",
)
async def resend(
    message_id: uuid.UUID, body: ResendIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> MessageOut:
    sent = await attention.resend_elsewhere(
        uow,
        queue.SqlaAttentionLog(uow.session),
        principal.property_id,
        message_id,
        Channel(body.channel),
        _user(principal),
        container.clock.now(),
    )
    await uow.commit()
    return message_out(dict(sent.__dict__))


@router.post(
    "/{kind}/{item_id}/dismiss",
    status_code=204,
    summary="Take a failed send or a skipped scheduled message off the queue (handled another way)",
)
async def dismiss(
    kind: attention.ItemKind, item_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> Response:
    await attention.dismiss(
        uow,
        queue.SqlaAttentionLog(uow.session),
        principal.property_id,
        kind,
        item_id,
        principal.user_id,
        container.clock.now(),
    )
    await uow.commit()
    return Response(status_code=204)


@router.get("/settings", response_model=AttentionSettingsIO, summary="How long a guest may wait for a reply")
async def read_settings(principal: CurrentPrincipal, session: ReadSession) -> AttentionSettingsIO:
    return AttentionSettingsIO(reply_after_minutes=await _threshold(session, principal.property_id))


@router.put("/settings", response_model=AttentionSettingsIO, summary="Set how long a guest may wait for a reply")
async def write_settings(
    body: AttentionSettingsIO, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> AttentionSettingsIO:
    principal.require(Role.OWNER, Role.MANAGER)
    attention.check_reply_after(body.reply_after_minutes)
    await queue.SqlaAttentionSettings(uow.session).set_reply_after_minutes(
        principal.property_id, body.reply_after_minutes, container.clock.now()
    )
    await uow.commit()
    return body
