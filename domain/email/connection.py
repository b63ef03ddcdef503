"""Connecting e-mail: the property's SMTP server is proved (connect, EHLO, TLS, AUTH) before it is kept."""

from __future__ import annotations

import ipaddress
import re
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.contacts import ContactError, normalize_email
from domain.email.addresses import has_line_break, is_domain
from domain.email.ports import TLS_MODES, SmtpCheck, SmtpCredentials, SmtpTestEmail
from domain.errors import Conflict, FieldProblem, InvalidInput, PolicyViolation, ProviderFailure
from domain.ports.connections import ConnectionRecord, ConnectionStore

CHANNEL = "email"
TEST_SUBJECT = "Test e-mail from your guest messaging centre"


_HOSTNAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$")


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return len(host) <= 253 and bool(_HOSTNAME.match(host.lower()))


def _loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _problems(form: SmtpCredentials) -> list[FieldProblem]:
    problems = []
    host = form.host.strip()
    if not _valid_host(host):
        problems.append(FieldProblem("host", "invalid", "Give the server's name alone, e.g. smtp.example.com."))
    if not 0 < form.port < 65536:
        problems.append(FieldProblem("port", "invalid", "The port is a number between 1 and 65535 (often 587)."))
    if form.tls not in TLS_MODES:
        problems.append(FieldProblem("tls", "invalid", "Choose STARTTLS, TLS or none."))
    elif form.tls == "none" and form.password and not _loopback(host):
        problems.append(FieldProblem("tls", "insecure_auth", "Without TLS the password would cross the network."))
    if form.username and not form.password:
        problems.append(FieldProblem("password", "required", "Give the password that goes with the username."))
    name = form.sender_name.strip()
    if not name or len(name) > 100 or has_line_break(form.sender_name):
        problems.append(FieldProblem("sender_name", "invalid", "One line of at most 100 characters, please."))
    return problems


def _reply_to(raw: str | None, problems: list[FieldProblem]) -> str | None:
    if not raw or not raw.strip():
        return None
    value = raw.strip().lower()
    if "@" not in value:
        if is_domain(value):
            return value
        problems.append(FieldProblem("reply_to", "invalid", "Give a domain (reply.example.com) or an address."))
        return None
    try:
        return normalize_email(value, "reply_to")
    except ContactError as exc:
        problems.append(exc.problem)
        return None


def checked(form: SmtpCredentials) -> SmtpCredentials:
    """The form with its values normalised, or InvalidInput naming every wrong field."""
    problems = _problems(form)
    sender = ""
    try:
        sender = normalize_email(form.sender_address, "sender_address")
    except ContactError as exc:
        problems.append(exc.problem)
    reply_to = _reply_to(form.reply_to, problems)
    if problems:
        raise InvalidInput(problems)
    return SmtpCredentials(
        host=form.host.strip().lower(),
        port=form.port,
        tls=form.tls,
        sender_address=sender,
        sender_name=form.sender_name.strip(),
        username=form.username.strip() if form.username else None,
        password=form.password or None,
        reply_to=reply_to,
    )


async def connect_email(
    store: ConnectionStore, check: SmtpCheck, property_id: uuid.UUID, form: SmtpCredentials, now: datetime
) -> ConnectionRecord:
    if form.username and not form.password:
        # secrets are write-only in the UI: an edit that leaves the password blank keeps the saved one
        previous = await store.get(property_id, CHANNEL)
        if previous is not None and previous.settings.get("username") == form.username:
            form = replace(form, password=previous.secrets.get("password"))
    server = checked(form)
    owner = await store.owner_of(CHANNEL, server.sender_address)
    if owner is not None and owner != property_id:
        raise Conflict("This sender address is already connected to another property.")
    try:
        await check.verify(server)
    except ProviderFailure as failure:
        raise PolicyViolation("provider_rejected", failure.reason) from failure
    settings: dict[str, Any] = {
        "host": server.host,
        "port": server.port,
        "tls": server.tls,
        "username": server.username,
        "sender": server.sender_address,
        "sender_name": server.sender_name,
        "reply_to": server.reply_to,
    }
    record = ConnectionRecord(
        property_id=property_id,
        channel=CHANNEL,
        status="connected",
        updated_at=now,
        external_id=server.sender_address,
        settings=settings,
        secrets={"password": server.password} if server.password else {},
    )
    await store.save(record)
    return record


def credentials_of(settings: dict[str, Any], secrets: dict[str, Any]) -> SmtpCredentials:
    """A stored connection's server, as the SMTP adapters take it."""
    return SmtpCredentials(
        host=str(settings["host"]),
        port=int(settings["port"]),
        tls=str(settings.get("tls") or "starttls"),
        sender_address=str(settings["sender"]),
        sender_name=str(settings.get("sender_name") or ""),
        username=settings.get("username") or None,
        password=secrets.get("password") or None,
        reply_to=settings.get("reply_to") or None,
    )


async def send_test_email(store: ConnectionStore, check: SmtpCheck, property_id: uuid.UUID, to: str) -> str:
    """Sends a short test message through the saved connection; returns the server's answer."""
    try:
        address = normalize_email(to, "to")
    except ContactError as exc:
        raise InvalidInput([exc.problem]) from exc
    record = await store.get(property_id, CHANNEL)
    if record is None or record.status != "connected":
        raise PolicyViolation("channel_not_connected", "Connect e-mail before sending a test.")
    server = credentials_of(record.settings, record.secrets)
    text = (
        f"This is a test from {server.sender_name} <{server.sender_address}>, sent through {server.host}.\n\n"
        "If you can read it, guests will receive your e-mails."
    )
    try:
        return await check.send_test(server, SmtpTestEmail(to=address, subject=TEST_SUBJECT, text=text))
    except ProviderFailure as failure:
        raise PolicyViolation("provider_rejected", failure.reason) from failure
