"""A guest's rights: access (a JSON export of everything we hold) and erasure (owner only, irreversible)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from adapters.db.guest_privacy_store import erase_guest, export_guest, is_erased
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES
from domain.errors import FieldProblem, InvalidInput, NotFound, PolicyViolation
from domain.model import Role
from domain.privacy import ERASE_CONFIRMATION

router = APIRouter(prefix="/api/v1", tags=["guests"], responses=ERROR_RESPONSES)
audit = logging.getLogger("audit.privacy")


class EraseIn(BaseModel):
    confirmation: str = Field(description=f'Type "{ERASE_CONFIRMATION}": erasure cannot be undone')


class EraseOut(BaseModel):
    guest_id: uuid.UUID
    erased: bool
    messages_redacted: int
    attachments_deleted: int
    bookings_cleared: int
    raw_webhooks_redacted: int


@router.get(
    "/guests/{guest_id}/export",
    summary="Everything held on the guest (profile, bookings, conversations, messages, consents), as JSON",
    response_description="A JSON document, offered as a file download",
)
async def export(guest_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> JSONResponse:
    principal.require(Role.OWNER, Role.MANAGER)
    async with container.sessions() as session:
        data: dict[str, Any] | None = await export_guest(session, principal.property_id, guest_id)
    if data is None:
        raise NotFound("Guest not found.")
    audit.info(
        "guest data exported",
        extra={"guest_id": str(guest_id), "property_id": str(principal.property_id), "user_id": str(principal.user_id)},
    )
    return JSONResponse(
        {"exported_at": container.clock.now().isoformat(), "guest_id": str(guest_id), **data},
        headers={"Content-Disposition": f'attachment; filename="guest-{guest_id}.json"'},
    )


@router.post(
    "/guests/{guest_id}/erase",
    response_model=EraseOut,
    summary="Erase the guest's personal data (owner only; irreversible; counts and costs are kept)",
)
async def erase(guest_id: uuid.UUID, body: EraseIn, principal: CurrentPrincipal, container: ContainerDep) -> EraseOut:
    principal.require(Role.OWNER)
    if body.confirmation != ERASE_CONFIRMATION:
        raise InvalidInput(
            [FieldProblem("confirmation", "not_confirmed", f'Type "{ERASE_CONFIRMATION}" to confirm the erasure.')]
        )
    async with container.sessions() as session:
        if await is_erased(session, principal.property_id, guest_id):
            raise PolicyViolation("guest_already_erased", "This guest was already erased.")
        summary = await erase_guest(session, principal.property_id, guest_id, principal.user_id, container.clock.now())
        if summary is None:
            raise NotFound("Guest not found.")
        await session.commit()
    audit.info(
        "guest erased",
        extra={
            "guest_id": str(guest_id),
            "property_id": str(principal.property_id),
            "user_id": str(principal.user_id),
            **summary,
        },
    )
    return EraseOut(guest_id=guest_id, erased=True, **summary)
