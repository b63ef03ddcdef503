"""The guest's rights of access and erasure: what erasure leaves behind, and how identifiers survive it.

Erasure keeps the rows that carry aggregates (messages, their channel, status, cost; bookings' dates), and
removes what identifies a person: names, phone, e-mail, message bodies, attachments, free-form booking
fields. Provider identifiers that deduplicate webhooks stay only as one-way hashes. It cannot be undone.
"""

from __future__ import annotations

import hashlib

REDACTED = "[redacted]"
ERASE_CONFIRMATION = "ERASE"
HASH_PREFIX = "sha256:"


def hashed(identifier: str | None) -> str | None:
    """A one-way stand-in that still deduplicates (equal in, equal out); idempotent on an already hashed value."""
    if identifier is None or identifier.startswith(HASH_PREFIX):
        return identifier
    return HASH_PREFIX + hashlib.sha256(identifier.encode()).hexdigest()[:48]
