from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from adapters.db.tables import media_files, messages
from api.auth import CurrentPrincipal
from api.deps import ReadSession
from api.errors import ERROR_RESPONSES
from domain.errors import NotFound, PolicyViolation

router = APIRouter(prefix="/api/v1/messages", tags=["conversations"], responses=ERROR_RESPONSES)


@router.get(
    "/{message_id}/media",
    summary="An attachment of a guest's message (served by us, never the provider's URL)",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def media(
    message_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: ReadSession,
    position: Annotated[int, Query(ge=0, le=9)] = 0,
) -> Response:
    kind = await session.scalar(
        select(messages.c.kind).where(messages.c.property_id == principal.property_id, messages.c.id == message_id)
    )
    if kind is None:
        raise NotFound("Message not found.")
    row = (
        await session.execute(
            select(media_files.c.content_type, media_files.c.filename, media_files.c.data).where(
                media_files.c.property_id == principal.property_id,
                media_files.c.message_id == message_id,
                media_files.c.position == position,
            )
        )
    ).first()
    if row is None:
        if kind != "media":
            raise NotFound("This message has no attachment.")
        raise PolicyViolation("media_not_ready", "The attachment is still being fetched; try again in a moment.")
    # served as an attachment with a fixed type so a hostile file cannot run as a page of ours
    name = (row.filename or f"attachment-{position}").replace('"', "")
    disposition = "inline" if row.content_type.startswith("image/") else "attachment"
    return Response(
        row.data,
        media_type=row.content_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, max-age=3600",
        },
    )
