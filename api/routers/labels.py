"""The label catalogue of the property, and labels on a conversation."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db.label_store import SqlaLabelStore
from api.auth import CurrentPrincipal
from api.deps import ContainerDep, UowDep
from api.errors import ERROR_RESPONSES
from domain.services import labels as actions
from domain.services.labels import DEFAULT_COLOUR, Label

router = APIRouter(prefix="/api/v1", tags=["labels"], responses=ERROR_RESPONSES)


class LabelIn(BaseModel):
    name: str = Field(max_length=60, examples=["Late arrival"])
    colour: str = Field(default=DEFAULT_COLOUR, max_length=7, examples=["#d97706"])


class LabelOut(BaseModel):
    id: uuid.UUID
    name: str
    colour: str


def _out(label: Label) -> LabelOut:
    return LabelOut(id=label.id, name=label.name, colour=label.colour)


@router.get("/labels", response_model=list[LabelOut], summary="The property's labels, by name")
async def list_labels(principal: CurrentPrincipal, container: ContainerDep) -> list[LabelOut]:
    return [_out(label) for label in await SqlaLabelStore(container.sessions).all_for(principal.property_id)]


@router.post("/labels", response_model=LabelOut, status_code=201, summary="Create a label")
async def create_label(body: LabelIn, principal: CurrentPrincipal, container: ContainerDep) -> LabelOut:
    label = await actions.create_label(
        SqlaLabelStore(container.sessions), principal.property_id, body.name, body.colour, container.clock.now()
    )
    return _out(label)


@router.put("/labels/{label_id}", response_model=LabelOut, summary="Rename or recolour a label")
async def update_label(
    label_id: uuid.UUID, body: LabelIn, principal: CurrentPrincipal, container: ContainerDep
) -> LabelOut:
    label = await actions.update_label(
        SqlaLabelStore(container.sessions), principal.property_id, label_id, body.name, body.colour
    )
    return _out(label)


@router.delete("/labels/{label_id}", status_code=204, summary="Delete a label (it leaves every conversation)")
async def delete_label(label_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> Response:
    await actions.delete_label(SqlaLabelStore(container.sessions), principal.property_id, label_id)
    return Response(status_code=204)


@router.put(
    "/conversations/{conversation_id}/labels/{label_id}",
    response_model=list[LabelOut],
    summary="Add a label to a conversation (idempotent); returns its labels",
)
async def add_label(
    conversation_id: uuid.UUID, label_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> list[LabelOut]:
    current = await actions.add_to_conversation(
        uow, SqlaLabelStore(container.sessions), principal.property_id, conversation_id, label_id, container.clock.now()
    )
    return [_out(label) for label in current]


@router.delete(
    "/conversations/{conversation_id}/labels/{label_id}",
    response_model=list[LabelOut],
    summary="Remove a label from a conversation; returns its labels",
)
async def remove_label(
    conversation_id: uuid.UUID, label_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep, container: ContainerDep
) -> list[LabelOut]:
    current = await actions.remove_from_conversation(
        uow, SqlaLabelStore(container.sessions), principal.property_id, conversation_id, label_id
    )
    return [_out(label) for label in current]
