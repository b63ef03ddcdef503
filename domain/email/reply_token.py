"""Reply tokens: the conversation an e-mail reply belongs to, signed so nobody can aim at another one.

A token is the conversation id (16 bytes) followed by an 80-bit HMAC-SHA256 tag, both in lower-case
base32 without padding: 42 characters of [a-z2-7], safe in an address's local part (max 64) even
after a mail server lower-cases it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import uuid

_ID_CHARS = 26
_TAG_BYTES = 10
TOKEN_LENGTH = _ID_CHARS + 16
_LABEL = b"gmc/email-reply-token/v1"


def derive_reply_key(master: str | bytes) -> bytes:
    """A key of its own for reply tokens, derived from the deployment's master secret (GMC_ENCRYPTION_KEY)."""
    raw = master.encode() if isinstance(master, str) else master
    if not raw:
        raise ValueError("an empty master secret cannot sign reply tokens")
    return hmac.new(raw, _LABEL, hashlib.sha256).digest()


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def _unb32(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def _tag(conversation: bytes, key: bytes) -> bytes:
    if not key:
        raise ValueError("reply tokens need a non-empty key")
    return hmac.new(key, _LABEL + conversation, hashlib.sha256).digest()[:_TAG_BYTES]


def reply_token(conversation_id: uuid.UUID, key: bytes) -> str:
    raw = conversation_id.bytes
    return _b32(raw) + _b32(_tag(raw, key))


def conversation_of(token: str, key: bytes) -> uuid.UUID | None:
    """The conversation a token names, or None when it is malformed or its tag does not verify."""
    text = token.strip().lower()
    if len(text) != TOKEN_LENGTH:
        return None
    try:
        raw = _unb32(text[:_ID_CHARS])
        tag = _unb32(text[_ID_CHARS:])
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 16 or not hmac.compare_digest(tag, _tag(raw, key)):
        return None
    return uuid.UUID(bytes=raw)
