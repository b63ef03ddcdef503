"""Realtime inbox events over Redis pub/sub, so every API process hears every event."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

from redis.asyncio import Redis

from domain.ports.realtime import RealtimeEvent


def channel_name(property_id: uuid.UUID) -> str:
    return f"gmc:events:{property_id}"


class RedisEventPublisher:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def publish(self, event: RealtimeEvent) -> None:
        await self._redis.publish(channel_name(event.property_id), json.dumps(event.as_payload()))

    async def publish_many(self, events: list[RealtimeEvent]) -> None:
        # a batch of sends commits a hundred events: one round trip instead of one each
        async with self._redis.pipeline(transaction=False) as pipe:
            for event in events:
                pipe.publish(channel_name(event.property_id), json.dumps(event.as_payload()))
            await pipe.execute()


async def subscribe(
    redis: Redis, property_id: uuid.UUID, poll_seconds: float = 15.0
) -> AsyncIterator[dict[str, Any] | None]:
    """Yields each event of the property; yields None after `poll_seconds` of quiet (a keep-alive tick)."""
    pubsub = redis.pubsub()
    await pubsub.subscribe(channel_name(property_id))
    try:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=poll_seconds)
            if message is None:
                yield None
                continue
            yield json.loads(message["data"])
    finally:
        await pubsub.unsubscribe()
        await pubsub.aclose()  # type: ignore[no-untyped-call]
