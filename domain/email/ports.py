"""What the e-mail use cases need from an SMTP server, as ports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

TLS_MODES = ("starttls", "tls", "none")


@dataclass(frozen=True)
class SmtpCredentials:
    """A property's own SMTP server and sender. `password` is plaintext only in memory; the store seals it."""

    host: str
    port: int
    tls: str  # "starttls" (usually port 587) | "tls" (implicit TLS, usually 465) | "none"
    sender_address: str
    sender_name: str
    username: str | None = None
    password: str | None = None
    reply_to: str | None = None  # a domain ("reply.hotel.test") or an address ("inbox@hotel.test")


@dataclass(frozen=True)
class SmtpTestEmail:
    to: str
    subject: str
    text: str


class SmtpCheck(Protocol):
    async def verify(self, server: SmtpCredentials) -> str:
        """Connects, says EHLO, secures the connection as `tls` asks and logs in when a username is given.

        Returns the server's last answer (e.g. "235 2.7.0 Authentication successful"); raises
        ProviderFailure with the server's refusal in plain words.
        """
        ...

    async def send_test(self, server: SmtpCredentials, message: SmtpTestEmail) -> str:
        """Sends `message` from the server's sender; returns the server's answer to it (e.g. "250 2.0.0 OK")."""
        ...
