from __future__ import annotations

import uuid

from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    email: str = Field(max_length=320, examples=["owner@demo.hotel"])
    password: str = Field(max_length=1024, examples=["demo-password"])


class SwitchProperty(BaseModel):
    property_id: uuid.UUID


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    name: str


class PropertyOut(BaseModel):
    id: uuid.UUID
    name: str
    timezone: str
    locale: str
    country: str
    currency: str


class MembershipOut(BaseModel):
    property_id: uuid.UUID
    property_name: str
    role: str


class Me(BaseModel):
    user: UserOut
    property: PropertyOut
    role: str
    memberships: list[MembershipOut]


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120, examples=["PMS sync"])
    role: str = Field(default="manager", pattern="^(manager|agent)$")


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str
    role: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Shown once; only its hash is kept.")
