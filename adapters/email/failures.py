"""aiosmtplib's and the network's errors as ProviderFailure: the server's reason in plain words, and
whether trying again can help (4xx replies, timeouts and lost connections yes; 5xx replies no)."""

from __future__ import annotations

import socket
import ssl

import aiosmtplib

from domain.email.ports import SmtpCredentials
from domain.email.smtp_replies import explain, retryable
from domain.errors import ProviderFailure


def _reply_failure(code: int, message: str, fallback: str, *, retry: bool | None = None) -> ProviderFailure:
    return ProviderFailure(
        code=f"smtp_{code}",
        reason=explain(code, message, fallback),
        retryable=retryable(code) if retry is None else retry,
        provider_status=code,
    )


def _network_words(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__ or exc
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"its TLS certificate could not be verified ({cause.verify_message})"
    if isinstance(cause, ssl.SSLError):
        return "the TLS handshake failed (is this the right port for the security chosen?)"
    if isinstance(cause, ConnectionRefusedError):
        return "the connection was refused (is the port right?)"
    if isinstance(cause, socket.gaierror):
        return "its name does not resolve"
    return "the connection failed or was closed"


def smtp_failure(exc: BaseException, server: SmtpCredentials) -> ProviderFailure:
    where = f"{server.host}:{server.port}"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        exc = exc.recipients[0]
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return _reply_failure(exc.code, exc.message, "The mail server refused the guest's address")
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        return _reply_failure(exc.code, exc.message, f"The mail server refused the sender {server.sender_address}")
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return _reply_failure(exc.code, exc.message, "The mail server refused the username or password")
    if isinstance(exc, aiosmtplib.SMTPDataError):
        return _reply_failure(exc.code, exc.message, "The mail server refused the message")
    if isinstance(exc, aiosmtplib.SMTPConnectResponseError):
        return _reply_failure(exc.code, exc.message, f"The mail server at {where} refused the connection")
    if isinstance(exc, aiosmtplib.SMTPHeloError):
        return _reply_failure(exc.code, exc.message, "The mail server refused our greeting (EHLO)")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return _reply_failure(exc.code, exc.message, "The mail server refused the request")
    if isinstance(exc, TimeoutError):  # aiosmtplib's timeouts are TimeoutErrors too
        hint = " Port 465 usually needs the TLS setting." if server.port == 465 and server.tls != "tls" else ""
        return ProviderFailure("smtp_timeout", f"The mail server at {where} did not answer in time.{hint}", True)
    if isinstance(exc, ssl.SSLError) or isinstance(exc.__cause__, ssl.SSLError):
        return ProviderFailure("smtp_tls_failed", f"The mail server at {where}: {_network_words(exc)}.", False)
    if isinstance(exc, aiosmtplib.SMTPConnectError | aiosmtplib.SMTPServerDisconnected | OSError):
        return ProviderFailure(
            "smtp_unreachable", f"The mail server at {where} could not be reached: {_network_words(exc)}.", True
        )
    return ProviderFailure("smtp_refused", f"The mail server at {where} cannot be used: {exc}", False)
