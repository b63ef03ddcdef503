from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import select, update

from adapters.db.tables import api_keys, memberships, properties, users
from api.auth import CurrentPrincipal, create_session, end_session, new_api_key, switch_session_property
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES
from api.schemas.auth import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, LoginRequest, Me, SwitchProperty
from domain.errors import Forbidden, NotFound, Unauthenticated
from domain.model import Role
from domain.services.auth import sign_in

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=ERROR_RESPONSES)


async def _me(container: ContainerDep, user_id: uuid.UUID, property_id: uuid.UUID) -> Me:
    async with container.sessions() as session:
        user = (await session.execute(select(users).where(users.c.id == user_id))).mappings().one()
        rows = (
            (
                await session.execute(
                    select(memberships.c.property_id, memberships.c.role, properties)
                    .join(properties, properties.c.id == memberships.c.property_id)
                    .where(memberships.c.user_id == user_id)
                    .order_by(properties.c.name)
                )
            )
            .mappings()
            .all()
        )
    current = next((r for r in rows if r["property_id"] == property_id), None)
    if current is None:
        raise Unauthenticated("You are no longer a member of this property.")
    return Me.model_validate(
        {
            "user": {"id": user["id"], "email": user["email"], "name": user["name"]},
            "property": {k: current[k] for k in ("id", "name", "timezone", "locale", "country", "currency")},
            "role": current["role"],
            "memberships": [
                {"property_id": r["property_id"], "property_name": r["name"], "role": r["role"]} for r in rows
            ],
        }
    )


@router.post("/login", response_model=Me, summary="Sign in (sets the session cookie and the CSRF cookie)")
async def login(body: LoginRequest, request: Request, response: Response, container: ContainerDep) -> Me:
    async with container.uow() as uow:
        signed = await sign_in(
            uow,
            container.hasher,
            container.throttle,
            body.email,
            body.password,
            request.client.host if request.client else None,
        )
    first = sorted(signed.memberships, key=lambda m: str(m.property_id))[0]
    await create_session(container, response, signed.user.id, first.property_id)
    return await _me(container, signed.user.id, first.property_id)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
async def logout(principal: CurrentPrincipal, container: ContainerDep) -> Response:
    response = Response(status_code=204)
    await end_session(container, response, principal.session_hash)
    return response


@router.get("/me", response_model=Me, summary="The signed-in user and current property")
async def me(principal: CurrentPrincipal, container: ContainerDep) -> Me:
    if principal.user_id is None:
        raise Forbidden("API keys have no user; use the property's endpoints directly.")
    return await _me(container, principal.user_id, principal.property_id)


@router.post("/switch-property", response_model=Me, summary="Make another of your properties the current one")
async def switch_property(body: SwitchProperty, principal: CurrentPrincipal, container: ContainerDep) -> Me:
    if principal.user_id is None or principal.session_hash is None:
        raise Forbidden("Only a signed-in user can switch property.")
    async with container.sessions() as session:
        member = (
            await session.execute(
                select(memberships.c.role).where(
                    memberships.c.user_id == principal.user_id, memberships.c.property_id == body.property_id
                )
            )
        ).first()
    if member is None:
        raise NotFound("Property not found.")
    await switch_session_property(container, principal.session_hash, body.property_id)
    return await _me(container, principal.user_id, body.property_id)


keys_router = APIRouter(prefix="/api/v1/api-keys", tags=["api keys"], responses=ERROR_RESPONSES)


def _key_out(row: dict) -> dict:  # type: ignore[type-arg]
    return {
        **{k: row[k] for k in ("id", "name", "prefix", "role")},
        "created_at": row["created_at"].isoformat(),
        "last_used_at": row["last_used_at"].isoformat() if row["last_used_at"] else None,
        "revoked_at": row["revoked_at"].isoformat() if row["revoked_at"] else None,
    }


@keys_router.get("", response_model=list[ApiKeyOut], summary="List the property's API keys (never the keys themselves)")
async def list_keys(principal: CurrentPrincipal, container: ContainerDep) -> list[dict]:  # type: ignore[type-arg]
    principal.require(Role.OWNER)
    async with container.sessions() as session:
        rows = (
            (
                await session.execute(
                    select(api_keys)
                    .where(api_keys.c.property_id == principal.property_id)
                    .order_by(api_keys.c.created_at)
                )
            )
            .mappings()
            .all()
        )
    return [_key_out(dict(r)) for r in rows]


@keys_router.post(
    "", response_model=ApiKeyCreated, status_code=201, summary="Create an API key (owner only; shown once)"
)
async def create_key(body: ApiKeyCreate, principal: CurrentPrincipal, container: ContainerDep) -> dict:  # type: ignore[type-arg]
    principal.require(Role.OWNER)
    key, prefix, digest = new_api_key()
    row = {
        "id": uuid.uuid4(),
        "property_id": principal.property_id,
        "name": body.name,
        "prefix": prefix,
        "key_hash": digest,
        "role": body.role,
        "created_by": principal.user_id,
        "created_at": datetime.now(UTC),
        "last_used_at": None,
        "revoked_at": None,
    }
    async with container.sessions() as session:
        await session.execute(api_keys.insert().values(**row))
        await session.commit()
    return {**_key_out(row), "key": key}


@keys_router.delete("/{key_id}", status_code=204, summary="Revoke an API key")
async def revoke_key(key_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> Response:
    principal.require(Role.OWNER)
    async with container.sessions() as session:
        result = await session.execute(
            update(api_keys)
            .where(
                api_keys.c.id == key_id,
                api_keys.c.property_id == principal.property_id,
                api_keys.c.revoked_at.is_(None),
            )
            .values(revoked_at=datetime.now(UTC))
        )
        await session.commit()
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound("API key not found.")
    return Response(status_code=204)
