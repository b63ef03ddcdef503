"""What Airbnb rejects in messages sent before a reservation is confirmed (inquiry, pending request):
contact details, links and invitations to talk elsewhere. Checked before any call to Airbnb."""

from __future__ import annotations

import re
from dataclasses import dataclass

BEFORE_CONFIRMATION = {"inquiry", "pending", "request", "preapproved"}

_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email_address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    (
        "link",
        re.compile(
            r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|fr|net|org|io|co|de|es|it|uk)\b(?:/\S*)?", re.IGNORECASE
        ),
    ),
    ("phone_number", re.compile(r"(?<!\w)\+?\d[\d\s().-]{7,}\d(?!\w)")),
    (
        "off_platform",
        re.compile(
            r"\b(?:whats\s?app|telegram|signal|wechat|instagram|facebook|google|gmail|skype|"
            r"e-?mail me|call me|text me|appelez-moi|écrivez-moi)\b",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True)
class BlockedPart:
    kind: str
    text: str


def blocked_parts(text: str) -> list[BlockedPart]:
    found: list[BlockedPart] = []
    for kind, pattern in _CHECKS:
        found += [BlockedPart(kind, match.group(0).strip()) for match in pattern.finditer(text)]
    return found


def applies(reservation_status: str | None) -> bool:
    return (reservation_status or "").lower() in BEFORE_CONFIRMATION
