from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...


class LoginThrottle(Protocol):
    """Counts failed logins per account and per client address over a sliding period."""

    async def seconds_blocked(self, keys: list[str]) -> int:
        """0 when all keys may try again, else how long to wait."""
        ...

    async def record_failure(self, keys: list[str]) -> None: ...
    async def reset(self, keys: list[str]) -> None: ...
