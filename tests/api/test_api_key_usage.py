"""An API key's "last used" is kept to the minute, without a write on every request."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.db.tables import api_keys
from tests.factories import make_property, make_user


async def _last_used(container):
    async with container.sessions() as session:
        return await session.scalar(select(api_keys.c.last_used_at))


async def test_last_used_is_written_at_most_once_a_minute(client, container):
    prop = await make_property(container)
    await make_user(container, prop, email="h@hotel.test")
    await client.login("h@hotel.test", "correct horse")
    key = (await client.post("/api/v1/api-keys", json={"name": "PMS"})).json()["key"]
    assert await _last_used(container) is None
    headers = {"Authorization": f"Bearer {key}"}
    async with client.__class__(transport=client._transport, base_url="http://testserver") as integrator:
        assert (await integrator.get("/api/v1/conversations", headers=headers)).status_code == 200
        first = await _last_used(container)
        assert first == container.clock.now()
        container.clock.set(first + timedelta(seconds=59))
        assert (await integrator.get("/api/v1/conversations", headers=headers)).status_code == 200
        assert await _last_used(container) == first
        container.clock.set(first + timedelta(seconds=61))
        assert (await integrator.get("/api/v1/conversations", headers=headers)).status_code == 200
        assert await _last_used(container) == first + timedelta(seconds=61)
