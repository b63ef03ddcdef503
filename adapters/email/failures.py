"""aiosmtplib's and the network's errors as ProviderFailure: the server's reason in plain words, and
whether trying again can help (4xx replies, timeouts and lost connections yes; 5xx replies no)."""

from __future__ import annotations

import socket
import ssl

import aiosmtplib

from domain.email.ports import SmtpCredentials
from domain.email.smtp_replies import explain, retryable
from domain.errors import ProviderFailure


def _reply_failure(code: int, message: str, fallback: str, *, by_status: bool = True) -> ProviderFailure:
    return ProviderFailure(
        code=f"smtp_{code}",
        reason=explain(code, message, fallback, by_status=by_status),
        retryable=retryable(code),
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


# (refusal, the step in plain words, whether the reply's enhanced status speaks of the guest's mailbox)
_REFUSALS: tuple[tuple[type[aiosmtplib.SMTPResponseException], str, bool], ...] = (
    (aiosmtplib.SMTPRecipientRefused, "The mail server refused the guest's address", True),
    (aiosmtplib.SMTPSenderRefused, "The mail server refused the sender address", False),
    (aiosmtplib.SMTPAuthenticationError, "The mail server refused the username or password", False),
    (aiosmtplib.SMTPDataError, "The mail server refused the message", True),
    (aiosmtplib.SMTPConnectResponseError, "The mail server refused the connection", False),
    (aiosmtplib.SMTPHeloError, "The mail server refused our greeting (EHLO)", False),
    (aiosmtplib.SMTPResponseException, "The mail server refused the request", True),
)


def smtp_failure(exc: BaseException, server: SmtpCredentials) -> ProviderFailure:
    where = f"{server.host}:{server.port}"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        exc = exc.recipients[0]
    for kind, step, by_status in _REFUSALS:
        if isinstance(exc, kind):
            return _reply_failure(exc.code, exc.message, step, by_status=by_status)
    if isinstance(exc, TimeoutError):  # aiosmtplib's timeouts are TimeoutErrors too
        hint = " Port 465 usually needs the TLS setting." if server.port == 465 and server.tls != "tls" else ""
        return ProviderFailure("smtp_timeout", f"The mail server at {where} did not answer in time.{hint}", True)
    if isinstance(exc, ssl.SSLError) or isinstance(exc.__cause__, ssl.SSLError):
        return ProviderFailure("smtp_tls_failed", f"The mail server at {where}: {_network_words(exc)}.", False)
    if isinstance(exc, aiosmtplib.SMTPConnectError | aiosmtplib.SMTPServerDisconnected | OSError):
        reason = f"The mail server at {where} could not be reached: {_network_words(exc)}."
        return ProviderFailure("smtp_unreachable", reason, True)
    return ProviderFailure("smtp_refused", f"The mail server at {where} cannot be used: {exc}", False)
