from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.unit_of_work import SqlaUnitOfWork
from api.container import Container


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def get_container(request: Request) -> Container:
    return container_of(request)


ContainerDep = Annotated[Container, Depends(get_container)]


async def get_uow(container: ContainerDep) -> AsyncIterator[SqlaUnitOfWork]:
    """One unit of work per request; the router commits once, anything else rolls back."""
    async with container.uow() as uow:
        yield uow


async def get_read_session(container: ContainerDep) -> AsyncIterator[AsyncSession]:
    async with container.sessions() as session:
        yield session


UowDep = Annotated[SqlaUnitOfWork, Depends(get_uow)]
ReadSession = Annotated[AsyncSession, Depends(get_read_session)]
