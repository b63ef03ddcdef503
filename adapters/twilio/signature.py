"""X-Twilio-Signature, computed exactly as twilio-python's RequestValidator does.

The string signed is the full URL Twilio called followed by every form parameter, names sorted
and, for a repeated name, values sorted, each as name+value; HMAC-SHA1 with the auth token,
base64. Twilio may have computed it with or without the default port in the URL, so both are
accepted. JSON bodies are signed over the URL alone and carry bodySHA256 in its query.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qs, urlparse, urlunparse


def compute(url: str, params: Iterable[tuple[str, str]], auth_token: str) -> str:
    grouped: dict[str, set[str]] = {}
    for name, value in params:
        grouped.setdefault(name, set()).add(value)
    signed = url + "".join(name + value for name in sorted(grouped) for value in sorted(grouped[name]))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _with_port(url: str) -> str:
    parts = urlparse(url)
    if parts.port is not None:
        return url
    port = 443 if parts.scheme == "https" else 80
    netloc = f"{parts.netloc}:{port}"
    return urlunparse(parts._replace(netloc=netloc))


def _without_port(url: str) -> str:
    parts = urlparse(url)
    if parts.port is None:
        return url
    host = parts.netloc.rsplit(":", 1)[0]
    return urlunparse(parts._replace(netloc=host))


def is_valid(
    url: str, params: list[tuple[str, str]], auth_token: str, signature: str | None, body: bytes | None = None
) -> bool:
    if not signature:
        return False
    query = parse_qs(urlparse(url).query)
    if "bodySHA256" in query:
        # JSON webhooks: the body's hash is in the URL, and the signature covers the URL alone
        if body is None or hashlib.sha256(body).hexdigest() != query["bodySHA256"][0]:
            return False
        params = []
    expected = signature.encode()
    # the URL as we were called first (it is almost always what Twilio signed); the port variants only if not
    return any(
        hmac.compare_digest(compute(candidate, params, auth_token).encode(), expected) for candidate in _candidates(url)
    )


def _candidates(url: str) -> Iterator[str]:
    yield url
    for variant in (_without_port(url), _with_port(url)):
        if variant != url:
            yield variant
