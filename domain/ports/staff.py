"""What the staff use cases need: the property's members and invitations, in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from domain.model import Role, User
from domain.staff_rules import Invitation


@dataclass(frozen=True)
class Member:
    user_id: uuid.UUID
    name: str
    email: str
    role: Role


class StaffDirectory(Protocol):
    """One transaction: nothing is kept unless `commit()` is called."""

    async def member(self, property_id: uuid.UUID, user_id: uuid.UUID) -> Member | None: ...
    async def member_by_email(self, property_id: uuid.UUID, email: str) -> Member | None: ...
    async def owner_ids(self, property_id: uuid.UUID) -> list[uuid.UUID]:
        """The owners, locked until the transaction ends so two demotions cannot both pass the last-owner check."""
        ...

    async def set_role(self, property_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None: ...
    async def remove_member(self, property_id: uuid.UUID, user_id: uuid.UUID) -> None:
        """Deletes the membership, ends the user's sessions at this property and unassigns their conversations."""
        ...

    async def user_by_email(self, email: str) -> User | None: ...
    async def add_user(self, user: User) -> None: ...
    async def add_membership(self, property_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None: ...
    async def property_name(self, property_id: uuid.UUID) -> str | None: ...

    async def add_invitation(self, invitation: Invitation) -> None: ...
    async def withdraw_pending(self, property_id: uuid.UUID, email: str) -> None:
        """Deletes unaccepted invitations of this e-mail, so only the newest link works."""
        ...

    async def invitation_by_token_hash(self, token_hash: str) -> Invitation | None:
        """Locked until the transaction ends: a link accepted twice at once is used once."""
        ...

    async def mark_accepted(self, invitation: Invitation) -> None: ...
    async def pending_invitations(self, property_id: uuid.UUID) -> list[Invitation]: ...
    async def delete_invitation(self, property_id: uuid.UUID, invitation_id: uuid.UUID) -> bool: ...
    async def commit(self) -> None: ...


class InvitationMailer(Protocol):
    async def send(self, property_id: uuid.UUID, to: str, subject: str, text: str) -> bool:
        """True when the e-mail left through the property's e-mail connection; False when there is none or
        it failed (the owner then passes the link on by hand)."""
        ...
