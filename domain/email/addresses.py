"""E-mail addresses as the channel uses them: compared lower-cased, plus-addressed to carry reply tokens."""

from __future__ import annotations

import re
from email.utils import getaddresses, parseaddr

_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
# the senders of delivery reports (RFC 5321 §4.5.5 leaves them empty; MTAs sign them so)
_BOUNCE_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}


def address_of(value: str | None) -> str:
    """The bare address of `Name <a@b>` (or of `a@b`), lower-cased; '' when there is none."""
    _, address = parseaddr(value or "")
    return address.strip().lower() if "@" in address else ""


def display_name_of(value: str | None) -> str:
    name, _ = parseaddr(value or "")
    return name.strip()


def addresses_in(*values: str | None) -> list[str]:
    """Every address of the header values given (To, Cc, Delivered-To…), lower-cased, first seen first."""
    seen: dict[str, None] = {}
    for _, address in getaddresses([v for v in values if v]):
        address = address.strip().lower()
        if "@" in address:
            seen.setdefault(address, None)
    return list(seen)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()


def is_domain(value: str) -> bool:
    return bool(_DOMAIN.match(value.strip().lower()))


def has_line_break(value: str) -> bool:
    """A header value with CR or LF would let its author add headers of their own."""
    return "\r" in value or "\n" in value


def reply_address(base: str, token: str) -> str:
    """The per-conversation reply address: `reply+<token>@<domain>` for a domain, `inbox+<token>@…` for an address."""
    local, at, domain = base.strip().lower().rpartition("@")
    if not at:
        local, domain = "reply", base.strip().lower()
    return f"{local}+{token}@{domain}"


def token_in(address: str) -> str | None:
    """The token carried after the last `+` of the local part, if any."""
    local, at, _ = address.strip().lower().rpartition("@")
    if not at or "+" not in local:
        return None
    return local.rpartition("+")[2] or None


def without_token(address: str) -> str:
    """`inbox+abc@hotel.test` -> `inbox@hotel.test`: the base a connection's reply-to address is kept as."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return address.strip().lower()
    return f"{local.partition('+')[0]}@{domain}"


def is_bounce_sender(address: str) -> bool:
    return address.partition("@")[0].strip().lower() in _BOUNCE_SENDERS


def message_ids(*values: str | None) -> list[str]:
    """Message-IDs in their `<…>` form, in the order given (In-Reply-To first, then References newest first)."""
    found: dict[str, None] = {}
    for value in values:
        if not value:
            continue
        ids = [f"<{m}>" for m in _MESSAGE_ID.findall(value)]
        if not ids and "@" in value and " " not in value.strip():
            ids = [f"<{value.strip().strip('<>')}>"]  # some MTAs drop the angle brackets
        for mid in ids:
            found.setdefault(mid, None)
    return list(found)


def references_newest_first(in_reply_to: str | None, references: str | None) -> list[str]:
    return message_ids(in_reply_to, " ".join(reversed(message_ids(references))))
