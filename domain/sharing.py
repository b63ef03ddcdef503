"""The property's WhatsApp number as a wa.me link, to print on a card or send in a message."""

from __future__ import annotations

from urllib.parse import quote


def wa_me_link(display_phone_number: str, prefilled_text: str | None = None) -> str:
    digits = "".join(ch for ch in display_phone_number if ch.isdigit())
    if not digits:
        raise ValueError("the number has no digits")
    link = f"https://wa.me/{digits}"
    if prefilled_text:
        link += "?text=" + quote(prefilled_text, safe="")
    return link
