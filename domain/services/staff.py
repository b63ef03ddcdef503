"""Users and roles: an owner invites, changes roles and removes; an invited person accepts a link."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.contacts import ContactError, normalize_email
from domain.errors import InvalidCredentials, InvalidInput, NotFound, PolicyViolation, TooManyAttempts
from domain.model import Role, User
from domain.ports.security import LoginThrottle, PasswordHasher
from domain.ports.staff import InvitationMailer, StaffDirectory
from domain.services.auth import throttle_keys
from domain.staff_rules import (
    INVITATION_TTL,
    Invitation,
    check_new_account,
    ensure_an_owner_remains,
    invitation_token_hash,
    new_invitation_token,
    parse_role,
    require_owner,
)


@dataclass(frozen=True)
class Actor:
    """Who acts, at which property, with which role (a user, or an API key when user_id is None)."""

    property_id: uuid.UUID
    role: Role
    user_id: uuid.UUID | None = None


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    link: str  # carries the token: shown once, never stored
    emailed: bool


@dataclass(frozen=True)
class AcceptedInvitation:
    user_id: uuid.UUID
    property_id: uuid.UUID


@dataclass(frozen=True)
class InvitationSummary:
    """What the person holding a link may see before accepting it."""

    email: str
    role: Role
    property_name: str
    expires_at: datetime
    existing_account: bool  # then they confirm with their current password instead of choosing one


def _email(raw: str) -> str:
    try:
        return normalize_email(raw, "email")
    except ContactError as exc:
        raise InvalidInput([exc.problem]) from exc


async def invite(
    staff: StaffDirectory,
    mailer: InvitationMailer,
    actor: Actor,
    email: str,
    role: str,
    now: datetime,
    link_for: Callable[[str], str],
) -> IssuedInvitation:
    require_owner(actor.role)
    address = _email(email)
    chosen = parse_role(role)
    if await staff.member_by_email(actor.property_id, address) is not None:
        raise PolicyViolation("already_member", f"{address} is already a member of this property.")
    token, digest = new_invitation_token()
    invitation = Invitation(
        property_id=actor.property_id,
        email=address,
        role=chosen,
        token_hash=digest,
        created_at=now,
        expires_at=now + INVITATION_TTL,
        invited_by=actor.user_id,
        id=uuid.uuid4(),
    )
    await staff.withdraw_pending(actor.property_id, address)
    await staff.add_invitation(invitation)
    property_name = await staff.property_name(actor.property_id) or ""
    await staff.commit()
    link = link_for(token)
    text = (
        f"You are invited to join {property_name} as {chosen.value} in the guest messaging centre.\n\n"
        f"Open this link to accept (it works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC):\n{link}\n"
    )
    emailed = await mailer.send(actor.property_id, address, f"Join {property_name}", text)
    return IssuedInvitation(invitation, link, emailed)


async def _usable(staff: StaffDirectory, token: str, now: datetime) -> Invitation:
    invitation = await staff.invitation_by_token_hash(invitation_token_hash(token))
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound("This invitation link is unknown or was already used.")
    if not invitation.is_pending(now):
        raise PolicyViolation("invitation_expired", "This invitation has expired.", hint="Ask an owner for a new one.")
    return invitation


async def describe_invitation(staff: StaffDirectory, token: str, now: datetime) -> InvitationSummary:
    invitation = await _usable(staff, token, now)
    return InvitationSummary(
        email=invitation.email,
        role=invitation.role,
        property_name=await staff.property_name(invitation.property_id) or "",
        expires_at=invitation.expires_at,
        existing_account=await staff.user_by_email(invitation.email) is not None,
    )


async def accept_invitation(
    staff: StaffDirectory,
    hasher: PasswordHasher,
    throttle: LoginThrottle,
    token: str,
    name: str | None,
    password: str,
    now: datetime,
    client_address: str | None,
) -> AcceptedInvitation:
    """A new e-mail gets an account with the chosen name and password. An existing account must prove itself
    with its current password: whoever holds the link (the inviting owner too) must not get into it."""
    invitation = await _usable(staff, token, now)
    user = await staff.user_by_email(invitation.email)
    if user is None:
        user = User(email=invitation.email, name=check_new_account(name, password), password_hash=hasher.hash(password))
        await staff.add_user(user)
    else:
        keys = throttle_keys(invitation.email, client_address)
        wait = await throttle.seconds_blocked(keys)
        if wait > 0:
            raise TooManyAttempts(f"Too many failed attempts. Try again in {wait} seconds.", wait)
        if not hasher.verify(user.password_hash, password):
            await throttle.record_failure(keys)
            raise InvalidCredentials("This e-mail already has an account: enter its current password.")
    if await staff.member(invitation.property_id, user.id) is None:
        await staff.add_membership(invitation.property_id, user.id, invitation.role)
    invitation.accepted_at = now
    await staff.mark_accepted(invitation)
    await staff.commit()
    return AcceptedInvitation(user.id, invitation.property_id)


async def change_role(staff: StaffDirectory, actor: Actor, user_id: uuid.UUID, role: str) -> Role:
    require_owner(actor.role)
    chosen = parse_role(role)
    owners = await staff.owner_ids(actor.property_id)  # locked first, so the member's role below is current
    if await staff.member(actor.property_id, user_id) is None:
        raise NotFound("User not found.")
    ensure_an_owner_remains(owners, user_id, chosen)
    await staff.set_role(actor.property_id, user_id, chosen)
    await staff.commit()
    return chosen


async def remove_member(staff: StaffDirectory, actor: Actor, user_id: uuid.UUID) -> None:
    require_owner(actor.role)
    owners = await staff.owner_ids(actor.property_id)
    if await staff.member(actor.property_id, user_id) is None:
        raise NotFound("User not found.")
    ensure_an_owner_remains(owners, user_id, None)
    await staff.remove_member(actor.property_id, user_id)
    await staff.commit()


async def list_invitations(staff: StaffDirectory, actor: Actor) -> list[Invitation]:
    require_owner(actor.role)
    return await staff.pending_invitations(actor.property_id)


async def withdraw_invitation(staff: StaffDirectory, actor: Actor, invitation_id: uuid.UUID) -> None:
    require_owner(actor.role)
    if not await staff.delete_invitation(actor.property_id, invitation_id):
        raise NotFound("Invitation not found.")
    await staff.commit()
