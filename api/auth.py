"""Who is calling: a staff session (cookie + CSRF header) or an integrator's API key (bearer)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import delete, insert, select, update

from adapters.db.tables import api_keys, memberships, web_sessions
from api.container import Container
from api.deps import get_container
from domain.errors import Forbidden, Unauthenticated
from domain.model import Role

SESSION_COOKIE = "gm_session"
CSRF_COOKIE = "gm_csrf"
CSRF_HEADER = "X-CSRF-Token"
API_KEY_PREFIX = "gmc_"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LAST_USED_RESOLUTION = timedelta(minutes=1)

session_scheme = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Staff session set by POST /auth/login"
)
bearer_scheme = HTTPBearer(auto_error=False, description="API key created by an owner (gmc_…)")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID | None  # None for an API key
    property_id: uuid.UUID
    role: Role
    via: str  # "session" | "api_key"
    session_hash: str | None = None

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden("Your role does not allow this.")


async def create_session(container: Container, response: Response, user_id: uuid.UUID, property_id: uuid.UUID) -> None:
    """A fresh token at every sign-in: a session id planted before login is never reused (fixation)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    now = container.clock.now()
    async with container.sessions() as session:
        await session.execute(
            insert(web_sessions).values(
                token_hash=token_hash(token),
                user_id=user_id,
                property_id=property_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(days=container.settings.session_days),
            )
        )
        await session.commit()
    max_age = container.settings.session_days * 86400
    secure = container.settings.session_cookie_secure
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age, httponly=False, samesite="lax", secure=secure, path="/")


async def end_session(container: Container, response: Response, session_hash: str | None) -> None:
    if session_hash:
        async with container.sessions() as session:
            await session.execute(delete(web_sessions).where(web_sessions.c.token_hash == session_hash))
            await session.commit()
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


async def switch_session_property(container: Container, session_hash: str, property_id: uuid.UUID) -> None:
    async with container.sessions() as session:
        await session.execute(
            update(web_sessions).where(web_sessions.c.token_hash == session_hash).values(property_id=property_id)
        )
        await session.commit()


async def _from_session(container: Container, request: Request, token: str) -> Principal:
    digest = token_hash(token)
    async with container.sessions() as session:
        row = (
            (
                await session.execute(
                    select(web_sessions, memberships.c.role)
                    .join(
                        memberships,
                        (memberships.c.user_id == web_sessions.c.user_id)
                        & (memberships.c.property_id == web_sessions.c.property_id),
                    )
                    .where(web_sessions.c.token_hash == digest)
                )
            )
            .mappings()
            .first()
        )
    if row is None or row["expires_at"] <= container.clock.now():
        raise Unauthenticated("Your session has ended; sign in again.")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), row["csrf_token"].encode()):
            raise Forbidden("Missing or wrong CSRF token (send the gm_csrf cookie's value in X-CSRF-Token).")
    return Principal(row["user_id"], row["property_id"], Role(row["role"]), "session", digest)


async def _from_api_key(container: Container, token: str) -> Principal:
    digest = token_hash(token)
    async with container.sessions() as session:
        row = (
            (
                await session.execute(
                    select(
                        api_keys.c.id,
                        api_keys.c.property_id,
                        api_keys.c.role,
                        api_keys.c.revoked_at,
                        api_keys.c.last_used_at,
                    ).where(api_keys.c.key_hash == digest)
                )
            )
            .mappings()
            .first()
        )
        if row is None or row["revoked_at"] is not None:
            raise Unauthenticated("The API key is unknown or revoked.")
        now = container.clock.now()
        # "last used" to the minute is all anyone reads; writing it on every request of a PMS pushing
        # thousands of bookings would cost a write transaction each
        if row["last_used_at"] is None or now - row["last_used_at"] >= LAST_USED_RESOLUTION:
            await session.execute(update(api_keys).where(api_keys.c.id == row["id"]).values(last_used_at=now))
            await session.commit()
    return Principal(None, row["property_id"], Role(row["role"]), "api_key")


async def current_principal(
    request: Request,
    container: Annotated[Container, Depends(get_container)],
    cookie: Annotated[str | None, Depends(session_scheme)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
) -> Principal:
    if bearer is not None:
        return await _from_api_key(container, bearer.credentials)
    if cookie:
        return await _from_session(container, request, cookie)
    raise Unauthenticated("Sign in, or send an API key as a bearer token.")


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def new_api_key() -> tuple[str, str, str]:
    """(the key shown once, its display prefix, the hash we keep)."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[:10], token_hash(key)


def now_of(container: Container) -> datetime:
    return container.clock.now()
