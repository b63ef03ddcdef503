from __future__ import annotations

import io
from typing import Annotated

import segno
from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from adapters.db.connection_store import SqlaConnectionStore
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES
from domain.errors import PolicyViolation
from domain.sharing import wa_me_link

router = APIRouter(prefix="/api/v1/whatsapp", tags=["whatsapp"], responses=ERROR_RESPONSES)
Prefill = Annotated[str | None, Query(max_length=500, description="Text prefilled in the guest's WhatsApp")]


class WhatsAppLink(BaseModel):
    url: str
    display_phone_number: str


async def _link(container: ContainerDep, principal: CurrentPrincipal, text: str | None) -> WhatsAppLink:
    record = await SqlaConnectionStore(container.sessions, container.secret_box).get(principal.property_id, "whatsapp")
    number = (record.settings.get("display_phone_number") if record else None) or ""
    if not number:
        raise PolicyViolation("channel_not_connected", "Connect WhatsApp first: the link needs the property's number.")
    return WhatsAppLink(url=wa_me_link(number, text), display_phone_number=number)


@router.get("/link", response_model=WhatsAppLink, summary="The wa.me link of the property's WhatsApp number")
async def link(principal: CurrentPrincipal, container: ContainerDep, text: Prefill = None) -> WhatsAppLink:
    return await _link(container, principal, text)


@router.get(
    "/qr.svg",
    summary="A printable QR code of the wa.me link (SVG)",
    responses={200: {"content": {"image/svg+xml": {}}}},
    response_class=Response,
)
async def qr_svg(principal: CurrentPrincipal, container: ContainerDep, text: Prefill = None) -> Response:
    target = await _link(container, principal, text)
    buffer = io.BytesIO()
    segno.make(target.url, error="m").save(buffer, kind="svg", scale=8, border=4, title="WhatsApp")
    return Response(
        buffer.getvalue(),
        media_type="image/svg+xml",
        headers={"Content-Disposition": 'inline; filename="whatsapp-qr.svg"'},
    )


@router.get(
    "/qr.png",
    summary="A printable QR code of the wa.me link (PNG)",
    responses={200: {"content": {"image/png": {}}}},
    response_class=Response,
)
async def qr_png(principal: CurrentPrincipal, container: ContainerDep, text: Prefill = None) -> Response:
    target = await _link(container, principal, text)
    buffer = io.BytesIO()
    segno.make(target.url, error="m").save(buffer, kind="png", scale=10, border=4)
    return Response(
        buffer.getvalue(), media_type="image/png", headers={"Content-Disposition": 'inline; filename="whatsapp-qr.png"'}
    )
