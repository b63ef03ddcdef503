"""Transport-level failures shared by every provider adapter."""

from __future__ import annotations

import email.utils
import time

import httpx

from domain.errors import ProviderFailure


def retry_after_of(response: httpx.Response) -> float | None:
    """Retry-After in seconds, from either of its two forms (delta-seconds or an HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def failure_from_transport(provider: str, exc: httpx.HTTPError) -> ProviderFailure:
    if isinstance(exc, httpx.TimeoutException):
        return ProviderFailure(f"{provider}_timeout", f"{provider.capitalize()} did not answer in time.", True)
    return ProviderFailure(f"{provider}_unreachable", f"{provider.capitalize()} could not be reached.", True)
