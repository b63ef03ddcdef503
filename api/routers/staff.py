"""The property's users and roles: listing, invitations (owner only), role changes and removal."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.staff_directory import SqlaStaffDirectory
from adapters.db.tables import memberships, users
from adapters.email.invitation_mailer import ConnectionInvitationMailer
from adapters.email.smtp_check import AiosmtplibSmtpCheck
from api.auth import CurrentPrincipal, Principal, create_session
from api.deps import ContainerDep, ReadSession
from api.errors import ERROR_RESPONSES
from api.routers.auth import _me
from api.schemas.auth import Me
from domain.model import Role
from domain.services import staff as use_cases
from domain.staff_rules import Invitation

router = APIRouter(prefix="/api/v1/users", tags=["staff"], responses=ERROR_RESPONSES)
invitations_router = APIRouter(prefix="/api/v1/invitations", tags=["staff"], responses=ERROR_RESPONSES)


class StaffMember(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    role: str


class InvitationIn(BaseModel):
    email: str = Field(max_length=320, examples=["lea@hotel-tilleuls.fr"])
    role: Role = Field(examples=["agent"])


class InvitationOut(BaseModel):
    id: uuid.UUID
    email: str
    role: Role
    created_at: datetime
    expires_at: datetime


class InvitationCreated(InvitationOut):
    link: str = Field(description="The single-use link, shown only in this response; pass it on if not e-mailed")
    emailed: bool = Field(description="True when the link also left by e-mail through the property's connection")


class RoleChange(BaseModel):
    role: Role


class InvitationPreview(BaseModel):
    email: str
    role: Role
    property_name: str
    expires_at: datetime
    existing_account: bool = Field(description="Then accept with the account's current password; name is ignored")


class AcceptInvitation(BaseModel):
    name: str | None = Field(default=None, max_length=200, description="Required for a new account")
    password: str = Field(max_length=1024)


def _actor(principal: Principal) -> use_cases.Actor:
    return use_cases.Actor(principal.property_id, principal.role, principal.user_id)


def _out(invitation: Invitation) -> dict[str, object]:
    return {k: getattr(invitation, k) for k in ("id", "email", "role", "created_at", "expires_at")}


@router.get("", response_model=list[StaffMember], summary="The property's staff, with their roles")
async def list_staff(principal: CurrentPrincipal, session: ReadSession) -> list[StaffMember]:
    rows = await session.execute(
        select(users.c.id, users.c.name, users.c.email, memberships.c.role)
        .join(memberships, memberships.c.user_id == users.c.id)
        .where(memberships.c.property_id == principal.property_id)
        .order_by(users.c.name)
    )
    return [StaffMember(**dict(r)) for r in rows.mappings()]


@router.post(
    "/invitations",
    response_model=InvitationCreated,
    status_code=201,
    summary="Invite someone by e-mail with a role (owner only); the link is shown once",
)
async def create_invitation(
    body: InvitationIn, principal: CurrentPrincipal, container: ContainerDep
) -> dict[str, object]:
    mailer = ConnectionInvitationMailer(
        SqlaConnectionStore(container.sessions, container.secret_box),
        AiosmtplibSmtpCheck(allow_local=container.settings.sandbox),  # local SMTP only for the sandbox's capture
    )
    base = container.settings.base_url
    async with container.sessions() as session:
        issued = await use_cases.invite(
            SqlaStaffDirectory(session),
            mailer,
            _actor(principal),
            body.email,
            body.role.value,
            container.clock.now(),
            lambda token: f"{base}/invitations/{token}",
        )
    return {**_out(issued.invitation), "link": issued.link, "emailed": issued.emailed}


@router.get("/invitations", response_model=list[InvitationOut], summary="Invitations not yet accepted (owner only)")
async def list_invitations(principal: CurrentPrincipal, session: ReadSession) -> list[dict[str, object]]:
    return [_out(i) for i in await use_cases.list_invitations(SqlaStaffDirectory(session), _actor(principal))]


@router.delete("/invitations/{invitation_id}", status_code=204, summary="Withdraw an invitation (owner only)")
async def delete_invitation(invitation_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> Response:
    async with container.sessions() as session:
        await use_cases.withdraw_invitation(SqlaStaffDirectory(session), _actor(principal), invitation_id)
    return Response(status_code=204)


@router.patch("/{user_id}", response_model=StaffMember, summary="Change a member's role (owner only)")
async def change_role(
    user_id: uuid.UUID, body: RoleChange, principal: CurrentPrincipal, container: ContainerDep
) -> StaffMember:
    async with container.sessions() as session:
        staff = SqlaStaffDirectory(session)
        await use_cases.change_role(staff, _actor(principal), user_id, body.role.value)
        member = await staff.member(principal.property_id, user_id)
    assert member is not None  # just changed, inside this request
    return StaffMember(id=member.user_id, name=member.name, email=member.email, role=member.role.value)


@router.delete(
    "/{user_id}",
    status_code=204,
    summary="Remove a member from the property (owner only); ends their sessions here",
)
async def remove_member(user_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> Response:
    async with container.sessions() as session:
        await use_cases.remove_member(SqlaStaffDirectory(session), _actor(principal), user_id)
    return Response(status_code=204)


@invitations_router.get("/{token}", response_model=InvitationPreview, summary="What an invitation link offers (public)")
async def preview_invitation(token: str, container: ContainerDep) -> InvitationPreview:
    async with container.sessions() as session:
        summary = await use_cases.describe_invitation(SqlaStaffDirectory(session), token, container.clock.now())
    return InvitationPreview(**summary.__dict__)


@invitations_router.post(
    "/{token}/accept",
    response_model=Me,
    summary="Accept an invitation (public): creates the account or joins an existing one, and signs in",
)
async def accept_invitation(
    token: str, body: AcceptInvitation, request: Request, response: Response, container: ContainerDep
) -> Me:
    async with container.sessions() as session:
        accepted = await use_cases.accept_invitation(
            SqlaStaffDirectory(session),
            container.hasher,
            container.throttle,
            token,
            body.name,
            body.password,
            container.clock.now(),
            request.client.host if request.client else None,
        )
    await create_session(container, response, accepted.user_id, accepted.property_id)
    return await _me(container, accepted.user_id, accepted.property_id)
