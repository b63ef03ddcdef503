"""Staff rules and use cases against an in-memory StaffDirectory: who may manage, and what must stay true."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import Forbidden, InvalidCredentials, InvalidInput, NotFound, PolicyViolation
from domain.model import Role, User
from domain.ports.staff import Member
from domain.services import staff as use_cases
from domain.staff_rules import INVITATION_TTL, Invitation, ensure_an_owner_remains, invitation_token_hash
from tests.fakes import FakeThrottle, PlainHasher

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
PROP = uuid.uuid4()


class MemoryStaff:
    def __init__(self) -> None:
        self.users: dict[uuid.UUID, User] = {}
        self.roles: dict[tuple[uuid.UUID, uuid.UUID], Role] = {}  # (property, user) -> role
        self.invitations: list[Invitation] = []
        self.ended_sessions: list[tuple[uuid.UUID, uuid.UUID]] = []
        self.commits = 0

    def _member(self, property_id: uuid.UUID, user: User) -> Member | None:
        role = self.roles.get((property_id, user.id))
        return Member(user.id, user.name, user.email, role) if role else None

    async def member(self, property_id: uuid.UUID, user_id: uuid.UUID) -> Member | None:
        user = self.users.get(user_id)
        return self._member(property_id, user) if user else None

    async def member_by_email(self, property_id: uuid.UUID, email: str) -> Member | None:
        user = await self.user_by_email(email)
        return self._member(property_id, user) if user else None

    async def owner_ids(self, property_id: uuid.UUID) -> list[uuid.UUID]:
        return [u for (p, u), r in self.roles.items() if p == property_id and r == Role.OWNER]

    async def set_role(self, property_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None:
        self.roles[(property_id, user_id)] = role

    async def remove_member(self, property_id: uuid.UUID, user_id: uuid.UUID) -> None:
        del self.roles[(property_id, user_id)]
        self.ended_sessions.append((property_id, user_id))

    async def user_by_email(self, email: str) -> User | None:
        return next((u for u in self.users.values() if u.email == email), None)

    async def add_user(self, user: User) -> None:
        self.users[user.id] = user

    async def add_membership(self, property_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> None:
        self.roles[(property_id, user_id)] = role

    async def property_name(self, property_id: uuid.UUID) -> str | None:
        return "Tilleuls"

    async def add_invitation(self, invitation: Invitation) -> None:
        self.invitations.append(invitation)

    async def withdraw_pending(self, property_id: uuid.UUID, email: str) -> None:
        self.invitations = [
            i for i in self.invitations if not (i.property_id == property_id and i.email == email and not i.accepted_at)
        ]

    async def invitation_by_token_hash(self, token_hash: str) -> Invitation | None:
        return next((i for i in self.invitations if i.token_hash == token_hash), None)

    async def mark_accepted(self, invitation: Invitation) -> None:
        pass  # the invitation object is the stored one

    async def pending_invitations(self, property_id: uuid.UUID) -> list[Invitation]:
        return [i for i in self.invitations if i.property_id == property_id and i.accepted_at is None]

    async def delete_invitation(self, property_id: uuid.UUID, invitation_id: uuid.UUID) -> bool:
        before = len(self.invitations)
        self.invitations = [i for i in self.invitations if not (i.property_id == property_id and i.id == invitation_id)]
        return len(self.invitations) < before

    async def commit(self) -> None:
        self.commits += 1


class RecordingMailer:
    def __init__(self, connected: bool = True) -> None:
        self.connected = connected
        self.sent: list[tuple[str, str, str]] = []

    async def send(self, property_id: uuid.UUID, to: str, subject: str, text: str) -> bool:
        if self.connected:
            self.sent.append((to, subject, text))
        return self.connected


def add(staff: MemoryStaff, role: Role, email: str | None = None, password: str = "pw-of-the-user") -> User:
    user = User(email or f"{uuid.uuid4().hex[:8]}@tilleuls.fr", "Someone", PlainHasher().hash(password))
    staff.users[user.id] = user
    staff.roles[(PROP, user.id)] = role
    return user


@pytest.fixture
def staff() -> MemoryStaff:
    return MemoryStaff()


def owner_of(user: User) -> use_cases.Actor:
    return use_cases.Actor(PROP, Role.OWNER, user.id)


async def invite(staff: MemoryStaff, actor: use_cases.Actor, email: str = "lea@tilleuls.fr", role: str = "agent"):  # type: ignore[no-untyped-def]
    return await use_cases.invite(
        staff, RecordingMailer(), actor, email, role, NOW, lambda token: f"https://app.test/invitations/{token}"
    )


# --- the last-owner rule on its own


def test_the_only_owner_can_neither_be_demoted_nor_removed() -> None:
    only = uuid.uuid4()
    for new_role in (Role.MANAGER, Role.AGENT, None):
        with pytest.raises(PolicyViolation) as caught:
            ensure_an_owner_remains([only], only, new_role)
        assert caught.value.code == "last_owner"


def test_an_owner_can_step_down_when_another_owner_remains() -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    ensure_an_owner_remains([first, second], first, Role.AGENT)
    ensure_an_owner_remains([first, second], first, None)
    ensure_an_owner_remains([first], uuid.uuid4(), None)  # removing a non-owner never matters
    ensure_an_owner_remains([first], first, Role.OWNER)  # staying owner is no change


# --- inviting


async def test_an_owner_invites_with_a_single_use_token_kept_only_as_a_hash(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    mailer = RecordingMailer()
    issued = await use_cases.invite(
        staff,
        mailer,
        owner_of(owner),
        " Lea@Tilleuls.FR ",
        "manager",
        NOW,
        lambda t: f"https://app.test/invitations/{t}",
    )
    token = issued.link.rsplit("/", 1)[1]
    [stored] = staff.invitations
    assert stored.email == "lea@tilleuls.fr" and stored.role == Role.MANAGER
    assert stored.token_hash == invitation_token_hash(token) and token not in stored.token_hash
    assert stored.expires_at == NOW + INVITATION_TTL
    assert issued.emailed and mailer.sent[0][0] == "lea@tilleuls.fr" and issued.link in mailer.sent[0][2]


async def test_without_an_email_connection_the_link_is_still_issued(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    issued = await use_cases.invite(
        staff, RecordingMailer(connected=False), owner_of(owner), "lea@tilleuls.fr", "agent", NOW, lambda t: t
    )
    assert not issued.emailed and issued.link


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AGENT])
async def test_only_owners_manage_users(staff: MemoryStaff, role: Role) -> None:
    other = add(staff, Role.AGENT)
    actor = use_cases.Actor(PROP, role, add(staff, role).id)
    with pytest.raises(Forbidden):
        await invite(staff, actor)
    with pytest.raises(Forbidden):
        await use_cases.change_role(staff, actor, other.id, "manager")
    with pytest.raises(Forbidden):
        await use_cases.remove_member(staff, actor, other.id)
    with pytest.raises(Forbidden):
        await use_cases.list_invitations(staff, actor)
    assert staff.roles[(PROP, other.id)] == Role.AGENT and staff.invitations == []


async def test_a_member_cannot_be_invited_again(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    add(staff, Role.AGENT, email="paul@tilleuls.fr")
    with pytest.raises(PolicyViolation) as caught:
        await invite(staff, owner_of(owner), "PAUL@tilleuls.fr")
    assert caught.value.code == "already_member"


async def test_bad_email_and_bad_role_are_field_problems(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    with pytest.raises(InvalidInput) as bad_email:
        await invite(staff, owner_of(owner), "not an address")
    assert [(p.field, p.code) for p in bad_email.value.problems] == [("email", "invalid_email")]
    with pytest.raises(InvalidInput) as bad_role:
        await invite(staff, owner_of(owner), role="admin")
    assert [(p.field, p.code) for p in bad_role.value.problems] == [("role", "invalid_role")]


async def test_a_new_invitation_replaces_the_pending_one(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    first = await invite(staff, owner_of(owner))
    second = await invite(staff, owner_of(owner), role="manager")
    assert [i.role for i in staff.invitations] == [Role.MANAGER]
    with pytest.raises(NotFound):
        await use_cases.accept_invitation(
            staff, PlainHasher(), FakeThrottle(), first.link, "Léa", "long enough", NOW, None
        )
    assert second.invitation.role == Role.MANAGER


# --- accepting


async def test_a_new_email_gets_an_account_with_the_chosen_name_and_password(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    issued = await invite(staff, owner_of(owner), role="manager")
    token = issued.link.rsplit("/", 1)[1]
    accepted = await use_cases.accept_invitation(
        staff, PlainHasher(), FakeThrottle(), token, " Léa Martin ", "long enough", NOW + timedelta(days=1), None
    )
    user = staff.users[accepted.user_id]
    assert (user.email, user.name) == ("lea@tilleuls.fr", "Léa Martin")
    assert PlainHasher().verify(user.password_hash, "long enough")
    assert staff.roles[(PROP, user.id)] == Role.MANAGER
    with pytest.raises(NotFound):  # single use
        await use_cases.accept_invitation(staff, PlainHasher(), FakeThrottle(), token, "X", "long enough", NOW, None)


async def test_a_new_account_needs_a_name_and_a_long_enough_password(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    token = (await invite(staff, owner_of(owner))).link.rsplit("/", 1)[1]
    with pytest.raises(InvalidInput) as caught:
        await use_cases.accept_invitation(staff, PlainHasher(), FakeThrottle(), token, "  ", "short", NOW, None)
    assert {(p.field, p.code) for p in caught.value.problems} == {("name", "required"), ("password", "too_short")}
    assert len(staff.users) == 1


async def test_an_existing_account_joins_only_with_its_own_password(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    elsewhere = User("paul@tilleuls.fr", "Paul", PlainHasher().hash("paul's secret"))
    staff.users[elsewhere.id] = elsewhere
    token = (await invite(staff, owner_of(owner), "paul@tilleuls.fr")).link.rsplit("/", 1)[1]
    throttle = FakeThrottle()
    with pytest.raises(InvalidCredentials):  # the inviting owner holds the link but not Paul's password
        await use_cases.accept_invitation(staff, PlainHasher(), throttle, token, "Owner", "owner's guess", NOW, None)
    assert (PROP, elsewhere.id) not in staff.roles
    accepted = await use_cases.accept_invitation(
        staff, PlainHasher(), throttle, token, "Ignored", "paul's secret", NOW, None
    )
    assert accepted.user_id == elsewhere.id and staff.users[elsewhere.id].name == "Paul"
    assert staff.roles[(PROP, elsewhere.id)] == Role.AGENT


async def test_an_expired_invitation_is_refused(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    token = (await invite(staff, owner_of(owner))).link.rsplit("/", 1)[1]
    with pytest.raises(PolicyViolation) as caught:
        await use_cases.accept_invitation(
            staff, PlainHasher(), FakeThrottle(), token, "Léa", "long enough", NOW + INVITATION_TTL, None
        )
    assert caught.value.code == "invitation_expired"


# --- roles and removal


async def test_the_last_owner_cannot_demote_or_remove_themselves(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    with pytest.raises(PolicyViolation) as demoted:
        await use_cases.change_role(staff, owner_of(owner), owner.id, "manager")
    with pytest.raises(PolicyViolation) as removed:
        await use_cases.remove_member(staff, owner_of(owner), owner.id)
    assert demoted.value.code == removed.value.code == "last_owner"
    assert staff.roles[(PROP, owner.id)] == Role.OWNER


async def test_roles_change_and_members_leave_with_their_sessions(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    agent = add(staff, Role.AGENT)
    assert await use_cases.change_role(staff, owner_of(owner), agent.id, "owner") == Role.OWNER
    # with two owners, the first may step down
    await use_cases.change_role(staff, owner_of(owner), owner.id, "manager")
    assert staff.roles[(PROP, owner.id)] == Role.MANAGER
    await use_cases.remove_member(staff, owner_of(agent), owner.id)
    assert (PROP, owner.id) not in staff.roles and staff.ended_sessions == [(PROP, owner.id)]


async def test_someone_of_another_property_is_not_found(staff: MemoryStaff) -> None:
    owner = add(staff, Role.OWNER)
    stranger = User("x@elsewhere.fr", "X", "h")
    staff.users[stranger.id] = stranger
    staff.roles[(uuid.uuid4(), stranger.id)] = Role.AGENT
    with pytest.raises(NotFound):
        await use_cases.change_role(staff, owner_of(owner), stranger.id, "manager")
    with pytest.raises(NotFound):
        await use_cases.remove_member(staff, owner_of(owner), stranger.id)
