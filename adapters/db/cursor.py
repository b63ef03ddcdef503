"""Opaque keyset cursors: the position of the last row seen, never an offset."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime

from domain.errors import FieldProblem, InvalidInput


def encode(at: datetime, row_id: uuid.UUID) -> str:
    raw = json.dumps({"t": at.isoformat(), "id": str(row_id)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        at = datetime.fromisoformat(data["t"])
        if at.tzinfo is None:
            raise ValueError("naive time")
        return at, uuid.UUID(data["id"])
    except (ValueError, KeyError, TypeError, RecursionError) as exc:  # RecursionError: a forged, deeply nested one
        raise InvalidInput(
            [FieldProblem("cursor", "invalid_cursor", "The cursor is not one this API gave out.")]
        ) from exc
