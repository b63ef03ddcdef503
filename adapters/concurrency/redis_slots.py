"""Per-property delivery slots in Redis, shared by every worker process.

One sorted set per property: member = holder (the message being sent), score = when its lease ends.
Taking a slot drops expired leases first, so slots held by a killed worker come back on their own.

A slot is one provider call in flight. A batch job holds many (one arq job for all its calls); a single send
holds one slot *and* one of the worker's jobs for its call, so single sends may only take a slot while fewer
than `singles` are taken: a hanging provider then holds at most that many of the workers' jobs.
"""

from __future__ import annotations

import time
import uuid

from redis.asyncio import Redis

# KEYS[1] the property's set; ARGV: now, lease end, limit, holder
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  return 1
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil((tonumber(ARGV[2]) - tonumber(ARGV[1])) * 1000))
  return 1
end
return 0
"""

# KEYS[1] the property's set; ARGV: now, lease end, limit, holder prefix, wanted -> how many were taken
_ACQUIRE_MANY = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local free = tonumber(ARGV[3]) - redis.call('ZCARD', KEYS[1])
local take = math.min(free, tonumber(ARGV[5]))
for i = 0, take - 1 do
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4] .. '#' .. i)
end
if take > 0 then
  redis.call('PEXPIRE', KEYS[1], math.ceil((tonumber(ARGV[2]) - tonumber(ARGV[1])) * 1000))
end
return math.max(take, 0)
"""

# at most this many provider calls at once per property: its outage holds this many calls, no more
# (the deployed defaults come from the settings: DELIVERY_SLOTS_PER_PROPERTY, DELIVERY_SINGLE_SLOTS_PER_PROPERTY)
DEFAULT_SLOTS_PER_PROPERTY = 64
# a slot's lease: longer than one delivery (the provider call times out after 15 s read, 5 s connect), short
# enough that the slots of a killed worker come back soon; a lease that ends early only lets one extra call in
DEFAULT_LEASE_SECONDS = 30.0


class RedisDeliverySlots:
    def __init__(
        self,
        redis: Redis,
        *,
        per_property: int = DEFAULT_SLOTS_PER_PROPERTY,
        singles: int | None = None,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
    ) -> None:
        if per_property < 1 or (singles is not None and singles < 1):
            raise ValueError("a property needs at least one delivery slot")
        self._redis = redis
        self._limit = per_property
        self._singles_limit = min(per_property, singles or per_property)
        self._lease = lease_seconds
        self._acquire = redis.register_script(_ACQUIRE)
        self._acquire_many = redis.register_script(_ACQUIRE_MANY)

    @property
    def lease_seconds(self) -> float:
        """How long a slot stays taken when its holder never gives it back (a killed worker)."""
        return self._lease

    @staticmethod
    def _key(property_id: uuid.UUID) -> str:
        return f"gmc:delivery-slots:{property_id}"

    async def try_acquire(self, property_id: uuid.UUID, holder: str) -> bool:
        """A single send's slot: taken only while fewer than `singles` slots are in use."""
        now = time.time()
        taken = await self._acquire(
            keys=[self._key(property_id)], args=[now, now + self._lease, self._singles_limit, holder]
        )
        return bool(taken)

    async def acquire_up_to(self, property_id: uuid.UUID, holder: str, wanted: int) -> list[str]:
        now = time.time()
        taken = await self._acquire_many(
            keys=[self._key(property_id)], args=[now, now + self._lease, self._limit, holder, wanted]
        )
        return [f"{holder}#{i}" for i in range(int(taken))]

    async def release_all(self, property_id: uuid.UUID, holders: list[str]) -> None:
        if holders:
            await self._redis.zrem(self._key(property_id), *holders)

    async def release(self, property_id: uuid.UUID, holder: str) -> None:
        await self._redis.zrem(self._key(property_id), holder)

    async def holders(self, property_id: uuid.UUID) -> list[str]:
        """Who holds the property's slots now (leases not ended), to tell what kind of job is using them."""
        found = await self._redis.zrangebyscore(self._key(property_id), time.time(), "+inf")
        return [h.decode() if isinstance(h, bytes) else str(h) for h in found]

    async def in_use(self, property_id: uuid.UUID) -> int:
        now = time.time()
        return int(await self._redis.zcount(self._key(property_id), now, "+inf"))
