"""Signing in: constant work whether or not the account exists, and a brake on guessing."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidCredentials, TooManyAttempts
from domain.model import Membership, User
from domain.ports.security import LoginThrottle, PasswordHasher
from domain.ports.unit_of_work import UnitOfWork

# Verified against when the account does not exist, so timing does not reveal which e-mails exist.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"


@dataclass(frozen=True)
class SignedIn:
    user: User
    memberships: list[Membership]


def throttle_keys(email: str, client_address: str | None) -> list[str]:
    keys = [f"account:{email.strip().lower()}"]
    if client_address:
        keys.append(f"address:{client_address}")
    return keys


async def sign_in(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    throttle: LoginThrottle,
    email: str,
    password: str,
    client_address: str | None,
) -> SignedIn:
    keys = throttle_keys(email, client_address)
    wait = await throttle.seconds_blocked(keys)
    if wait > 0:
        raise TooManyAttempts(f"Too many failed sign-in attempts. Try again in {wait} seconds.", wait)
    user = await uow.users.by_email(email.strip().lower())
    valid = hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    memberships = await uow.memberships.for_user(user.id) if user and valid else []
    if user is None or not valid or not memberships:
        await throttle.record_failure(keys)
        raise InvalidCredentials("The e-mail or password is wrong.")
    await throttle.reset(keys[:1])
    return SignedIn(user, memberships)
