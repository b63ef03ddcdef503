"""Meta signs each webhook with HMAC-SHA256 of the raw body, keyed by the app secret."""

from __future__ import annotations

import hashlib
import hmac


def sign(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time comparison over the exact bytes received; a missing or malformed header is invalid."""
    if not header or not header.startswith("sha256=") or len(header) != 71:
        return False
    return hmac.compare_digest(sign(app_secret, body).encode(), header.encode())
