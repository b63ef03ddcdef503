from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from adapters.db import inbox_queries as inbox
from adapters.db.repositories import SqlaConnectionDirectory
from api.auth import CurrentPrincipal, Principal
from api.deps import ContainerDep, ReadSession, UowDep
from api.errors import ERROR_RESPONSES
from api.presenters import conversation_out, message_out
from api.schemas.common import Page
from api.schemas.conversations import (
    AssignIn,
    ChannelName,
    ConversationOut,
    LinkBookingIn,
    MessageOut,
    NoteIn,
    SendMessageIn,
    UnreadSummary,
)
from domain.channels import Channel
from domain.errors import Forbidden, NotFound
from domain.model import ConversationStatus
from domain.services import conversations as actions
from domain.services import messaging

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"], responses=ERROR_RESPONSES)
Limit = Annotated[int, Query(ge=1, le=200)]


def _user(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise Forbidden("This action needs a staff user, not an API key.")
    return principal.user_id


async def _read_one(
    container: ContainerDep, session: ReadSession, principal: Principal, conversation_id: uuid.UUID
) -> ConversationOut:
    viewer = principal.user_id or uuid.UUID(int=0)
    row = await inbox.get_conversation_row(session, principal.property_id, viewer, conversation_id)
    if row is None:
        raise NotFound("Conversation not found.")
    connected = await SqlaConnectionDirectory(session).connected_channels(principal.property_id)
    return conversation_out(row, connected, container.clock.now())


@router.get("", response_model=Page[ConversationOut], summary="The inbox: conversations, newest activity first")
async def list_conversations(
    principal: CurrentPrincipal,
    session: ReadSession,
    container: ContainerDep,
    status: Literal["open", "closed"] | None = None,
    channel: ChannelName | None = None,
    unread: bool = False,
    assigned: Literal["me", "unassigned"] | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Guest name, phone, e-mail or booking reference")
    ] = None,
    label: Annotated[uuid.UUID | None, Query(description="Only conversations carrying this label")] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Limit = 50,
) -> Page[ConversationOut]:
    viewer = principal.user_id or uuid.UUID(int=0)
    filters = inbox.ConversationFilters(
        status=status, channel=channel, unread=unread, assigned=assigned, q=q, label_id=label
    )
    rows, next_cursor = await inbox.list_conversations(session, principal.property_id, viewer, filters, cursor, limit)
    connected = await SqlaConnectionDirectory(session).connected_channels(principal.property_id)
    now = container.clock.now()
    return Page(items=[conversation_out(r, connected, now) for r in rows], next_cursor=next_cursor)


@router.get("/unread", response_model=UnreadSummary, summary="How much I have not read (for the tab title)")
async def unread(principal: CurrentPrincipal, session: ReadSession) -> UnreadSummary:
    conversations_count, messages_count = await inbox.unread_summary(
        session, principal.property_id, principal.user_id or uuid.UUID(int=0)
    )
    return UnreadSummary(conversations=conversations_count, messages=messages_count)


@router.get("/{conversation_id}", response_model=ConversationOut, summary="One conversation with its reply state")
async def get_conversation(
    conversation_id: uuid.UUID, principal: CurrentPrincipal, session: ReadSession, container: ContainerDep
) -> ConversationOut:
    return await _read_one(container, session, principal, conversation_id)


@router.get(
    "/{conversation_id}/messages",
    response_model=Page[MessageOut],
    summary="Messages: newest page first, each page oldest-to-newest; the cursor walks back in time",
)
async def list_messages(
    conversation_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: ReadSession,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Limit = 50,
) -> Page[MessageOut]:
    exists = await inbox.get_conversation_row(session, principal.property_id, uuid.UUID(int=0), conversation_id)
    if exists is None:
        raise NotFound("Conversation not found.")
    rows, next_cursor = await inbox.list_messages(session, principal.property_id, conversation_id, cursor, limit)
    return Page(items=[message_out(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/{conversation_id}/messages",
    response_model=MessageOut,
    status_code=202,
    summary="Send a free-form message (checked against the channel's rules, then queued)",
)
async def send_message(
    conversation_id: uuid.UUID, body: SendMessageIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> MessageOut:
    message = await messaging.send_free_form(
        uow,
        principal.property_id,
        conversation_id,
        _user(principal),
        Channel(body.channel),
        body.body,
        container.clock.now(),
    )
    await uow.commit()
    return message_out(dict(message.__dict__))


@router.post(
    "/{conversation_id}/notes",
    response_model=MessageOut,
    status_code=201,
    summary="Add an internal note (staff only, never sent)",
)
async def add_note(
    conversation_id: uuid.UUID, body: NoteIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> MessageOut:
    note = await messaging.add_note(
        uow, principal.property_id, conversation_id, _user(principal), body.body, container.clock.now()
    )
    await uow.commit()
    return message_out(dict(note.__dict__))


@router.post("/{conversation_id}/read", status_code=204, summary="Mark the conversation read for me")
async def mark_read(
    conversation_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> Response:
    await actions.mark_read(uow, principal.property_id, conversation_id, _user(principal), container.clock.now())
    await uow.commit()
    return Response(status_code=204)


async def _after(
    uow: UowDep, container: ContainerDep, principal: Principal, conversation_id: uuid.UUID
) -> ConversationOut:
    await uow.commit()
    async with container.sessions() as session:
        return await _read_one(container, session, principal, conversation_id)


@router.post(
    "/{conversation_id}/assign", response_model=ConversationOut, summary="Assign to a staff member, or unassign"
)
async def assign(
    conversation_id: uuid.UUID, body: AssignIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> ConversationOut:
    await actions.assign(uow, principal.property_id, conversation_id, body.user_id)
    return await _after(uow, container, principal, conversation_id)


@router.post(
    "/{conversation_id}/link-booking",
    response_model=ConversationOut,
    summary="Link the conversation to a booking by hand, or unlink it",
)
async def link_booking(
    conversation_id: uuid.UUID, body: LinkBookingIn, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> ConversationOut:
    await actions.link_booking(uow, principal.property_id, conversation_id, body.booking_id)
    return await _after(uow, container, principal, conversation_id)


@router.post("/{conversation_id}/close", response_model=ConversationOut, summary="Close the conversation")
async def close(
    conversation_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> ConversationOut:
    await actions.set_status(uow, principal.property_id, conversation_id, ConversationStatus.CLOSED)
    return await _after(uow, container, principal, conversation_id)


@router.post("/{conversation_id}/reopen", response_model=ConversationOut, summary="Reopen the conversation")
async def reopen(
    conversation_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> ConversationOut:
    await actions.set_status(uow, principal.property_id, conversation_id, ConversationStatus.OPEN)
    return await _after(uow, container, principal, conversation_id)
