"""One SMTP conversation with a property's server: connect, EHLO, TLS as configured, AUTH if a username is set."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8

import aiosmtplib

from adapters.email.failures import smtp_failure
from domain.email.addresses import domain_of
from domain.email.ports import SmtpCredentials
from domain.email.smtp_replies import reply_text
from domain.errors import ProviderFailure

DEFAULT_TIMEOUT = 20.0


async def refuse_internal_host(host: str, port: int, allow_local: bool) -> None:
    """A property's server may not point at the hosting machine or its cloud metadata (request forgery)."""
    if allow_local:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return  # the connection attempt reports the name that does not resolve, in its own words
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if address.is_loopback or address.is_link_local or address.is_unspecified or address.is_multicast:
            raise ProviderFailure(
                "smtp_host_refused", f"{host} points inside the hosting network; use the mail provider's server.", False
            )


async def _secure_and_login(smtp: aiosmtplib.SMTP, server: SmtpCredentials) -> aiosmtplib.SMTPResponse:
    last = await smtp.ehlo()
    if server.tls == "starttls":
        if not smtp.supports_extension("starttls"):
            raise ProviderFailure(
                "smtp_starttls_unsupported",
                f"The mail server at {server.host}:{server.port} does not offer STARTTLS "
                "(choose TLS for port 465, or check the port).",
                False,
            )
        await smtp.starttls()
        last = await smtp.ehlo()
    if server.username:
        if not smtp.supports_extension("auth"):
            raise ProviderFailure(
                "smtp_auth_unsupported",
                f"The mail server at {server.host}:{server.port} does not offer login (AUTH) on this connection.",
                False,
            )
        last = await smtp.login(server.username, server.password or "")
    return last


@asynccontextmanager
async def smtp_session(
    server: SmtpCredentials, *, seconds: float = DEFAULT_TIMEOUT, allow_local: bool = False
) -> AsyncIterator[tuple[aiosmtplib.SMTP, str]]:
    """The connected, secured, logged-in client and the server's last answer. Every failure inside,
    the block's own included, leaves as ProviderFailure."""
    await refuse_internal_host(server.host, server.port, allow_local)
    smtp = aiosmtplib.SMTP(
        hostname=server.host,
        port=server.port,
        use_tls=server.tls == "tls",
        start_tls=False,
        timeout=seconds,
        local_hostname=domain_of(server.sender_address) or None,
    )
    try:
        await smtp.connect()
        last = await _secure_and_login(smtp, server)
        yield smtp, reply_text(last.code, (last.message.splitlines() or [""])[0])  # EHLO lists extensions below
    except ProviderFailure:
        raise
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        raise smtp_failure(exc, server) from exc
    finally:
        if smtp.is_connected:
            with suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                await smtp.quit(timeout=5)
        smtp.close()


async def transmit(smtp: aiosmtplib.SMTP, sender: str, recipient: str, message: EmailMessage) -> str:
    """MAIL, RCPT, DATA for one recipient; the server's answer to the message ("250 2.0.0 Ok: queued as …")."""
    international = not (sender + recipient).isascii()
    if international and not smtp.supports_extension("smtputf8"):
        raise ProviderFailure(
            "smtp_smtputf8_unsupported", "The mail server cannot send to an address with non-ASCII characters.", False
        )
    encoding = "utf-8" if international else "ascii"
    await smtp.mail(sender, options=["SMTPUTF8"] if international else None, encoding=encoding)
    await smtp.rcpt(recipient, encoding=encoding)
    response = await smtp.data(message.as_bytes(policy=SMTPUTF8 if international else SMTP))
    return reply_text(response.code, response.message)
