"""Saved replies: CRUD for the property, and rendering one for a conversation (used by the composer)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db.saved_reply_store import SqlaSavedReplyStore
from api.auth import CurrentPrincipal, Principal
from api.deps import ContainerDep, UowDep
from api.errors import ERROR_RESPONSES
from api.routers.template_sends import _whatsapp_link
from domain.model import Role
from domain.saved_replies.model import SavedReply
from domain.services import saved_replies as replies

router = APIRouter(prefix="/api/v1", tags=["saved replies"], responses=ERROR_RESPONSES)


class SavedReplyIn(BaseModel):
    name: str = Field(max_length=120, examples=["Wi-Fi"])
    shortcut: str = Field(max_length=41, examples=["wifi"], description='Typed after "/" in the composer')
    bodies: dict[str, str] = Field(
        max_length=30,
        description="Language code -> text; placeholders as in scheduled messages",
        examples=[{"en": "Hi {{ guest.first_name }}, the Wi-Fi code is on your key card."}],
    )


class SavedReplyOut(SavedReplyIn):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime


class RenderedReplyOut(BaseModel):
    text: str = Field(description="Ready to insert in the composer; staff may still edit it")
    language: str = Field(description="The version used: the guest's language, else the property's default")


def _out(reply: SavedReply) -> SavedReplyOut:
    assert reply.created_at is not None and reply.updated_at is not None
    return SavedReplyOut(
        id=reply.id,
        name=reply.name,
        shortcut=reply.shortcut,
        bodies=reply.bodies,
        created_at=reply.created_at,
        updated_at=reply.updated_at,
    )


def _editor(principal: Principal) -> None:
    principal.require(Role.OWNER, Role.MANAGER)


@router.get("/saved-replies", response_model=list[SavedReplyOut], summary="The property's saved replies")
async def list_replies(principal: CurrentPrincipal, container: ContainerDep) -> list[SavedReplyOut]:
    return [_out(r) for r in await SqlaSavedReplyStore(container.sessions).all_for(principal.property_id)]


@router.post(
    "/saved-replies",
    response_model=SavedReplyOut,
    status_code=201,
    summary="Save a reply (an unknown placeholder is refused with its field)",
)
async def create_reply(body: SavedReplyIn, principal: CurrentPrincipal, container: ContainerDep) -> SavedReplyOut:
    _editor(principal)
    reply = await replies.create_reply(
        SqlaSavedReplyStore(container.sessions),
        principal.property_id,
        body.name,
        body.shortcut,
        body.bodies,
        container.clock.now(),
    )
    return _out(reply)


@router.get("/saved-replies/{reply_id}", response_model=SavedReplyOut, summary="Read a saved reply")
async def read_reply(reply_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> SavedReplyOut:
    return _out(await replies.load_reply(SqlaSavedReplyStore(container.sessions), principal.property_id, reply_id))


@router.put("/saved-replies/{reply_id}", response_model=SavedReplyOut, summary="Edit a saved reply")
async def update_reply(
    reply_id: uuid.UUID, body: SavedReplyIn, principal: CurrentPrincipal, container: ContainerDep
) -> SavedReplyOut:
    _editor(principal)
    reply = await replies.update_reply(
        SqlaSavedReplyStore(container.sessions),
        principal.property_id,
        reply_id,
        body.name,
        body.shortcut,
        body.bodies,
        container.clock.now(),
    )
    return _out(reply)


@router.delete("/saved-replies/{reply_id}", status_code=204, summary="Delete a saved reply")
async def delete_reply(reply_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> Response:
    _editor(principal)
    await replies.delete_reply(SqlaSavedReplyStore(container.sessions), principal.property_id, reply_id)
    return Response(status_code=204)


@router.post(
    "/conversations/{conversation_id}/saved-replies/{reply_id}/render",
    response_model=RenderedReplyOut,
    summary="The reply filled in for this conversation's guest and booking, in the guest's language",
)
async def render_reply(
    conversation_id: uuid.UUID, reply_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> RenderedReplyOut:
    rendered = await replies.render_for_conversation(
        uow,
        SqlaSavedReplyStore(container.sessions),
        principal.property_id,
        conversation_id,
        reply_id,
        await _whatsapp_link(container, principal.property_id),
    )
    return RenderedReplyOut(text=rendered.text, language=rendered.language)
