"""Demo actions (embedded default only): make a guest write, so a newcomer sees the whole loop."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from adapters.db.tables import channel_connections, conversations, guests
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES
from domain.errors import NotFound, PolicyViolation
from sandbox.whatsapp import inject_guest_message


class SimulateGuestMessage(BaseModel):
    text: str = Field(min_length=1, max_length=4096, examples=["Thank you! See you tomorrow."])


def demo_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/demo", tags=["demo"], responses=ERROR_RESPONSES)

    @router.post(
        "/conversations/{conversation_id}/simulate-guest-message",
        status_code=202,
        summary="Demo only: the guest answers on WhatsApp (through the sandbox's signed webhook)",
    )
    async def simulate(
        conversation_id: uuid.UUID,
        body: SimulateGuestMessage,
        principal: CurrentPrincipal,
        container: ContainerDep,
        request: Request,
    ) -> dict[str, str]:
        async with container.sessions() as session:
            row = (
                await session.execute(
                    select(guests.c.phone, guests.c.first_name, guests.c.last_name)
                    .join(conversations, conversations.c.guest_id == guests.c.id)
                    .where(conversations.c.id == conversation_id, conversations.c.property_id == principal.property_id)
                )
            ).first()
            number_id = await session.scalar(
                select(channel_connections.c.external_id).where(
                    channel_connections.c.property_id == principal.property_id,
                    channel_connections.c.channel == "whatsapp",
                )
            )
        if row is None:
            raise NotFound("Conversation not found.")
        if not row.phone or not number_id:
            raise PolicyViolation("demo_not_possible", "This guest has no phone, or WhatsApp is not connected.")
        wamid = await inject_guest_message(
            request, str(number_id), row.phone, f"{row.first_name} {row.last_name}".strip(), body.text
        )
        return {"provider_message_id": wamid}

    return router
