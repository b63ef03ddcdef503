from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from adapters.db.tables import memberships, users
from api.auth import CurrentPrincipal
from api.deps import ReadSession
from api.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/users", tags=["staff"], responses=ERROR_RESPONSES)


class StaffMember(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    role: str


@router.get("", response_model=list[StaffMember], summary="The property's staff (for assignment)")
async def list_staff(principal: CurrentPrincipal, session: ReadSession) -> list[StaffMember]:
    rows = await session.execute(
        select(users.c.id, users.c.name, users.c.email, memberships.c.role)
        .join(memberships, memberships.c.user_id == users.c.id)
        .where(memberships.c.property_id == principal.property_id)
        .order_by(users.c.name)
    )
    return [StaffMember(**dict(r)) for r in rows.mappings()]
