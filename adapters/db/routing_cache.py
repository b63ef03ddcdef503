"""Which connections a provider's external id (a WhatsApp phone-number id) belongs to, remembered briefly.

Every inbound webhook needs this lookup twice (the API to pick the app secret and owner, the worker to
route each change); the answer changes only when a property connects or disconnects a number. Only hits
are remembered: an unknown number must be looked up again, or the first events after a property
connects would be answered 200 and dropped as unrouted.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

Lookup = Callable[[list[str]], Awaitable[list[dict[str, Any]]]]


class RoutingCache:
    def __init__(
        self, ttl_seconds: float = 30.0, clock: Callable[[], float] = time.monotonic, max_entries: int = 10_000
    ):
        self._ttl, self._clock, self._max = ttl_seconds, clock, max_entries
        self._entries: dict[tuple[str, str], tuple[float, list[dict[str, Any]]]] = {}

    async def connections(
        self, channel: str, external_ids: Iterable[str], lookup: Lookup, key: str = "external_id"
    ) -> list[dict[str, Any]]:
        """The connections of these ids; `lookup` (one query) is called only for the ids not remembered.
        `key`: the field of a connection that holds the id asked for (a Twilio account SID lives elsewhere)."""
        wanted = sorted({i for i in external_ids if i})
        now = self._clock()
        found: list[dict[str, Any]] = []
        missing: list[str] = []
        for external_id in wanted:
            entry = self._entries.get((channel, external_id))
            if entry is not None and entry[0] > now:
                found.extend(entry[1])
            else:
                missing.append(external_id)
        if missing:
            fresh = await lookup(missing)
            if len(self._entries) >= self._max:
                self._entries.clear()  # bounded: a flood of distinct ids must not grow memory without end
            for external_id in missing:
                hits = [c for c in fresh if c[key] == external_id]
                if hits:
                    self._entries[(channel, external_id)] = (now + self._ttl, hits)
            found.extend(fresh)
        return found

    def forget(self) -> None:
        self._entries.clear()
