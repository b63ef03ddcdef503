"""How many SMS a text costs, counted the way carriers count it.

GSM-7 fits 160 characters in one message and 153 per part once split (the rest of each part holds
the concatenation header); characters of the GSM extension table take two septets and an escape
pair is never split across parts. One character outside GSM-7 (an emoji, "ł", a curly quote)
switches the whole text to UCS-2: 70 UTF-16 units in one message, 67 per part, and a surrogate
pair (most emoji) is never split either.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


class Encoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


@dataclass(frozen=True)
class SegmentCount:
    characters: int  # what a person counts
    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    remaining_in_segment: int  # units still free in the last part


def _is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _units(text: str, encoding: Encoding) -> list[int]:
    """The size of each character, in the encoding's units; a character is never split."""
    if encoding == Encoding.GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _pack(sizes: list[int], per_part: int) -> tuple[int, int]:
    parts, used = 1, 0
    for size in sizes:
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return parts, per_part - used


def count_segments(text: str) -> SegmentCount:
    encoding = Encoding.GSM7 if _is_gsm7(text) else Encoding.UCS2
    single, multi = (160, 153) if encoding == Encoding.GSM7 else (70, 67)
    sizes = _units(text, encoding)
    total = sum(sizes)
    if total <= single:
        return SegmentCount(len(text), encoding, total, 1 if text else 0, single - total)
    parts, remaining = _pack(sizes, multi)
    return SegmentCount(len(text), encoding, total, parts, remaining)
