"""SMTP replies and delivery reports in the words a hotelier reads (RFC 5321 codes, RFC 3463 statuses)."""

from __future__ import annotations

import re

_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
# by enhanced status (class dropped: 4.x.x and 5.x.x read the same), then by subject alone
_BY_STATUS = {
    "1.1": "The guest's address does not exist",
    "1.10": "The guest's address does not exist",
    "1.2": "The guest's mail domain does not exist or takes no mail",
    "1.3": "The guest's address is not a valid address",
    "2.1": "The guest's mailbox is disabled",
    "2.2": "The guest's mailbox is full",
    "3.4": "The message is too big for the guest's mail server",
    "4.4": "The guest's mail domain could not be reached",
    "4.7": "The message expired before the guest's mail server accepted it",
    "7.1": "The guest's mail server refused the message by policy",
    "7.8": "The mail server refused the username or password",
    "7.9": "The mail server refuses this way of logging in as too weak",
    "7.11": "The mail server requires an encrypted connection (STARTTLS or TLS) first",
    "7.26": "The guest's mail server refused the message: the sender's domain failed authentication (SPF/DKIM/DMARC)",
}
_BY_SUBJECT = {
    "1": "The address was refused",
    "2": "The guest's mailbox cannot take the message",
    "3": "The guest's mail system cannot take the message",
    "4": "The message could not be routed to the guest",
    "5": "The mail server did not accept the conversation",
    "6": "The message's content was refused",
    "7": "The message was refused by policy or as spam",
}


def enhanced_status(text: str) -> str | None:
    """The RFC 3463 status ("5.1.1") a reply or a diagnostic carries, if any."""
    match = _ENHANCED.search(text)
    return ".".join(match.groups()) if match else None


def meaning(status: str | None) -> str | None:
    if not status:
        return None
    _, _, rest = status.partition(".")
    return _BY_STATUS.get(rest) or _BY_SUBJECT.get(rest.partition(".")[0])


def reply_text(code: int | None, message: str) -> str:
    """`550 5.1.1 <a@b>: user unknown`, one line, as the server said it."""
    flat = " ".join(message.split())
    return f"{code} {flat}".strip() if code else flat


def explain(code: int | None, message: str, fallback: str, *, by_status: bool = True) -> str:
    """Plain words first, then the server's own reply, so staff and support both understand it.

    `by_status` reads the words from the reply's enhanced status when it has one (what a recipient's
    server says about the guest's mailbox); without it, `fallback` names the step that failed."""
    said = reply_text(code, message)
    plain = (meaning(enhanced_status(said)) if by_status else None) or fallback
    return f"{plain} (the server said: {said})." if said else f"{plain}."


def retryable(code: int | None) -> bool:
    """4xx replies are temporary (RFC 5321 §4.2.1); 5xx are final. Without a code, assume temporary."""
    return code is None or 400 <= code < 500
