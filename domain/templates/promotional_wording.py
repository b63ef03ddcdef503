"""Wording that makes Meta re-categorise a UTILITY template as MARKETING (rejection INCORRECT_CATEGORY).

Phrases rather than single words, where a word has an innocent meaning too: "we offer free parking",
"to deal with", "linge sale" (French: dirty laundry), "remise des clés" (key handover) are not promotions.
"""

from __future__ import annotations

import re

_WORDS = (
    # English
    r"discount(?:s|ed)?",
    r"(?:special|exclusive|limited[- ]time|last[- ]minute|early[- ]bird|seasonal|best)\s+offers?",
    r"(?:our|an|this|these)\s+offers?",
    r"book\s+(?:now|today)",
    r"promo(?:tion(?:al)?)?s?(?:\s+code)?",
    r"coupons?",
    r"(?:on|for|flash|summer|winter|spring|autumn|big|annual|clearance)\s+sale|sale\s+(?:ends|starts|price)",
    r"deals|(?:best|great|exclusive|special|hot|last[- ]minute)\s+deal",
    r"limited\s+time|don['’]t\s+miss",
    # French
    r"r[ée]ductions?",
    r"offres?\s+(?:sp[ée]ciales?|exclusives?|promotionnelles?|limit[ée]es?|du\s+moment)",
    r"code\s+promo|promotionnel(?:le)?s?",
    r"r[ée]serve[zr]\s+(?:d[èe]s\s+)?maintenant",
    r"bons?\s+plans?",
    r"prix\s+(?:sp[ée]ciaux|sp[ée]cial|cass[ée]s|r[ée]duits?)",
)
_SYMBOLS = (
    r"\b\d{1,2}\s?%\s*off\b",  # 20% off
    r"(?<![\w-])-\s?\d{1,2}\s?%",  # -20 %
    r"\b\d{1,2}\s?%\s+de\s+(?:r[ée]duction|remise)\b",  # 20 % de réduction
)
_PROMOTIONAL = re.compile(
    "|".join([*(rf"\b(?:{words})\b" for words in _WORDS), *_SYMBOLS]),
    re.IGNORECASE,
)


def promotional_phrases(text: str | None) -> list[str]:
    """The phrases of `text` that read as a promotion, as written."""
    return list(dict.fromkeys(match.group(0) for match in _PROMOTIONAL.finditer(text or "")))
