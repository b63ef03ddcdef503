from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import CurrentPrincipal
from api.errors import ERROR_RESPONSES
from domain.sms.segments import count_segments

router = APIRouter(prefix="/api/v1/sms", tags=["sms"], responses=ERROR_RESPONSES)


class SegmentsIn(BaseModel):
    text: str = Field(max_length=1600, examples=["Bonjour Camille, votre chambre est prête 🙂"])


class SegmentsOut(BaseModel):
    characters: int
    encoding: str = Field(examples=["GSM-7", "UCS-2"])
    units: int
    segments: int
    remaining_in_segment: int


@router.post("/segments", response_model=SegmentsOut, summary="Characters, encoding and SMS parts a text will cost")
async def segments(body: SegmentsIn, principal: CurrentPrincipal) -> SegmentsOut:
    count = count_segments(body.text)
    return SegmentsOut(
        characters=count.characters,
        encoding=count.encoding.value,
        units=count.units,
        segments=count.segments,
        remaining_in_segment=count.remaining_in_segment,
    )
