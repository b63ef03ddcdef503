"""The StaffDirectory port in PostgreSQL: memberships, invitations and the sessions they open, in one session."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.tables import conversations, memberships, properties, staff_invitations, users, web_sessions
from domain.model import Role, User
from domain.ports.staff import Member
from domain.staff_rules import Invitation

inv = staff_invitations


def _invitation(row: Any) -> Invitation:
    return Invitation(
        property_id=row["property_id"],
        email=row["email"],
        role=Role(row["role"]),
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        invited_by=row["invited_by"],
        accepted_at=row["accepted_at"],
        id=row["id"],
    )


class SqlaStaffDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _member_where(self, *where: Any) -> Member | None:
        row = (
            (
                await self._session.execute(
                    select(users.c.id, users.c.name, users.c.email, memberships.c.role)
                    .join(memberships, memberships.c.user_id == users.c.id)
                    .where(*where)
                )
            )
            .mappings()
            .first()
        )
        return Member(row["id"], row["name"], row["email"], Role(row["role"])) if row else None

    async def member(self, property_id: uuid.UUID, user_id: uuid.UUID) -> Member | None:
        return await self._member_where(memberships.c.property_id == property_id, memberships.c.user_id == user_id)

    async def member_by_email(self, property_id: uuid.UUID, email: str) -> Member | None:
        return await self._member_where(memberships.c.property_id == property_id, users.c.email == email)

    async def owner_ids(self, property_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self._session.execute(
            select(memberships.c.user_id)
            .where(memberships.c.property_id == property_id, memberships.c.role == Role.OWNER.value)
            .with_for_update()
        )
        return list(rows.scalars())

    async def set_role(self, property_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None:
        await self._session.execute(
            update(memberships)
            .where(memberships.c.property_id == property_id, memberships.c.user_id == user_id)
            .values(role=role.value)
        )

    async def remove_member(self, property_id: uuid.UUID, user_id: uuid.UUID) -> None:
        s = self._session
        await s.execute(
            delete(memberships).where(memberships.c.property_id == property_id, memberships.c.user_id == user_id)
        )
        await s.execute(
            delete(web_sessions).where(web_sessions.c.property_id == property_id, web_sessions.c.user_id == user_id)
        )
        await s.execute(
            update(conversations)
            .where(conversations.c.property_id == property_id, conversations.c.assignee_id == user_id)
            .values(assignee_id=None)
        )

    async def user_by_email(self, email: str) -> User | None:
        row = (await self._session.execute(select(users).where(users.c.email == email))).mappings().first()
        if row is None:
            return None
        return User(row["email"], row["name"], row["password_hash"], id=row["id"], created_at=row["created_at"])

    async def add_user(self, user: User) -> None:
        await self._session.execute(
            insert(users).values(id=user.id, email=user.email, name=user.name, password_hash=user.password_hash)
        )

    async def add_membership(self, property_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None:
        await self._session.execute(
            insert(memberships).values(property_id=property_id, user_id=user_id, role=role.value)
        )

    async def property_name(self, property_id: uuid.UUID) -> str | None:
        result = await self._session.execute(select(properties.c.name).where(properties.c.id == property_id))
        return result.scalar_one_or_none()

    async def add_invitation(self, invitation: Invitation) -> None:
        await self._session.execute(
            insert(inv).values(
                id=invitation.id or uuid.uuid4(),
                property_id=invitation.property_id,
                email=invitation.email,
                role=invitation.role.value,
                token_hash=invitation.token_hash,
                invited_by=invitation.invited_by,
                created_at=invitation.created_at,
                expires_at=invitation.expires_at,
                accepted_at=invitation.accepted_at,
            )
        )

    async def withdraw_pending(self, property_id: uuid.UUID, email: str) -> None:
        await self._session.execute(
            delete(inv).where(inv.c.property_id == property_id, inv.c.email == email, inv.c.accepted_at.is_(None))
        )

    async def invitation_by_token_hash(self, token_hash: str) -> Invitation | None:
        result = await self._session.execute(select(inv).where(inv.c.token_hash == token_hash).with_for_update())
        row = result.mappings().first()
        return _invitation(row) if row else None

    async def mark_accepted(self, invitation: Invitation) -> None:
        await self._session.execute(
            update(inv).where(inv.c.id == invitation.id).values(accepted_at=invitation.accepted_at)
        )

    async def pending_invitations(self, property_id: uuid.UUID) -> list[Invitation]:
        result = await self._session.execute(
            select(inv).where(inv.c.property_id == property_id, inv.c.accepted_at.is_(None)).order_by(inv.c.created_at)
        )
        return [_invitation(r) for r in result.mappings()]

    async def delete_invitation(self, property_id: uuid.UUID, invitation_id: uuid.UUID) -> bool:
        result = await self._session.execute(
            delete(inv).where(inv.c.property_id == property_id, inv.c.id == invitation_id, inv.c.accepted_at.is_(None))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def commit(self) -> None:
        await self._session.commit()
