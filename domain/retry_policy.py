"""When a failed provider call is tried again, and after how long."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_seconds: float = 2.0
    cap_seconds: float = 300.0

    def should_retry(self, attempts_made: int, retryable: bool) -> bool:
        return retryable and attempts_made < self.max_attempts

    def delay(self, attempts_made: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
        """Exponential backoff with full jitter; a provider's Retry-After is a floor, never shortened."""
        ceiling = min(self.cap_seconds, self.base_seconds * (2 ** max(0, attempts_made - 1)))
        jittered = (rng or random).uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            return max(jittered, retry_after)
        return jittered
