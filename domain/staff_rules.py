"""Who may manage a property's staff, and what must stay true when they do (pure rules, no I/O)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import FieldProblem, Forbidden, InvalidInput, PolicyViolation
from domain.model import Role

INVITATION_TTL = timedelta(days=7)
PASSWORD_MIN_LENGTH = 8
NAME_MAX_LENGTH = 200


@dataclass
class Invitation:
    """A single-use invitation to join a property; only the token's hash is kept."""

    property_id: uuid.UUID
    email: str
    role: Role
    token_hash: str
    created_at: datetime
    expires_at: datetime
    invited_by: uuid.UUID | None = None
    accepted_at: datetime | None = None
    id: uuid.UUID | None = None

    def is_pending(self, now: datetime) -> bool:
        return self.accepted_at is None and now < self.expires_at


def new_invitation_token() -> tuple[str, str]:
    """(the token put in the link, shown once; the hash we store)."""
    token = secrets.token_urlsafe(32)
    return token, invitation_token_hash(token)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_owner(actor_role: Role) -> None:
    if actor_role != Role.OWNER:
        raise Forbidden("Only an owner can manage the property's users.")


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        problem = FieldProblem("role", "invalid_role", f"'{raw}' is not a role; use one of {allowed}.")
        raise InvalidInput([problem]) from None


def ensure_an_owner_remains(owner_ids: list[uuid.UUID], target: uuid.UUID, new_role: Role | None) -> None:
    """`new_role` None means the member is removed. A property without an owner could never be managed again."""
    if target not in owner_ids or new_role == Role.OWNER:
        return
    if len(owner_ids) <= 1:
        raise PolicyViolation(
            "last_owner",
            "A property must keep at least one owner.",
            hint="Make another member an owner first.",
        )


def check_new_account(name: str | None, password: str) -> str:
    """The name to store for a new account; every problem at once, each naming its field."""
    problems = []
    clean = (name or "").strip()
    if not clean:
        problems.append(FieldProblem("name", "required", "Give your name."))
    elif len(clean) > NAME_MAX_LENGTH:
        problems.append(FieldProblem("name", "too_long", f"At most {NAME_MAX_LENGTH} characters."))
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(
            FieldProblem("password", "too_short", f"Choose a password of at least {PASSWORD_MIN_LENGTH} characters.")
        )
    if problems:
        raise InvalidInput(problems)
    return clean
