from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class ButtonIO(BaseModel):
    kind: Literal["quick_reply", "url", "phone_number"]
    text: str = Field(max_length=200)
    url: str | None = Field(default=None, max_length=2100)
    phone_number: str | None = Field(default=None, max_length=40)
    example: str | None = Field(default=None, max_length=500)
    placeholder: str | None = Field(default=None, max_length=100, description="Fills the URL's {{1}} at send time")


class VariableIO(BaseModel):
    index: int = Field(ge=1, le=100)
    placeholder: str = Field(max_length=100, examples=["guest.first_name"])
    example: str = Field(max_length=500, examples=["Camille"])


class TemplateIn(BaseModel):
    name: str = Field(max_length=512, examples=["pre_arrival_info"])
    language: str = Field(max_length=16, examples=["fr"])
    category: Literal["UTILITY", "MARKETING", "AUTHENTICATION"] = "UTILITY"
    header_text: str | None = Field(default=None, max_length=200)
    body: str = Field(max_length=2000, examples=["Bonjour {{1}}, votre chambre sera prête le {{2}} à partir de 15 h."])
    footer: str | None = Field(default=None, max_length=200)
    buttons: list[ButtonIO] = Field(default_factory=list, max_length=20)
    body_variables: list[VariableIO] = Field(default_factory=list, max_length=100)
    header_variable: VariableIO | None = None


class TemplateOut(TemplateIn):
    id: uuid.UUID
    status: Literal["draft", "pending", "approved", "rejected", "paused", "disabled"]
    rejection_reason: str | None
    rejection_recommendation: str | None
    provider_template_id: str | None
    created_at: datetime | None
    updated_at: datetime | None


class TemplateProblemOut(BaseModel):
    field: str
    code: str
    message: str


class ValidationReport(BaseModel):
    problems: list[TemplateProblemOut]


class PlaceholderOut(BaseModel):
    key: str
    description: str
    example: str
    needs_booking: bool


class TemplateSendIn(BaseModel):
    template_id: uuid.UUID
    overrides: dict[int, str] = Field(
        default_factory=dict, description="Body variable number → text, overriding the placeholder"
    )


class PreviewParameters(BaseModel):
    header: str | None
    body: list[str]
    buttons: list[str]


class CostEstimate(BaseModel):
    amount: Decimal
    currency: str
    category: str
    free: bool
    reason: str | None


class TemplatePreview(BaseModel):
    text: str
    parameters: PreviewParameters
    cost: CostEstimate
