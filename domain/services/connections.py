"""Connecting a channel: the credentials are proved against the provider before they are kept."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from domain.contacts import ContactError, normalize_phone
from domain.errors import Conflict, FieldProblem, InvalidInput, PolicyViolation, ProviderFailure
from domain.ports.connections import ConnectionRecord, ConnectionStore, TwilioAccountCheck, WhatsAppAccountCheck


@dataclass(frozen=True)
class WhatsAppCredentials:
    waba_id: str
    phone_number_id: str
    access_token: str
    verify_token: str
    app_secret: str | None = None
    api_base_url: str | None = None  # only the sandbox sets this; production always talks to Meta


def _check_shape(form: WhatsAppCredentials) -> None:
    problems = []
    if not form.phone_number_id.isdigit():
        problems.append(
            FieldProblem("phone_number_id", "invalid", "The phone-number id is the number Meta shows, digits only.")
        )
    if not form.waba_id.strip():
        problems.append(FieldProblem("waba_id", "required", "The WhatsApp Business Account id is required."))
    if len(form.access_token) < 10:
        problems.append(FieldProblem("access_token", "invalid", "The access token looks incomplete."))
    if len(form.verify_token) < 8:
        problems.append(FieldProblem("verify_token", "too_short", "Use a verify token of at least 8 characters."))
    if problems:
        raise InvalidInput(problems)


def verify_token_digest(token: str) -> str:
    """Only a digest is kept: the token is matched on Meta's handshake, never shown again."""
    return hashlib.sha256(token.encode()).hexdigest()


async def connect_whatsapp(
    store: ConnectionStore,
    check: WhatsAppAccountCheck,
    property_id: uuid.UUID,
    form: WhatsAppCredentials,
    now: datetime,
) -> ConnectionRecord:
    _check_shape(form)
    owner = await store.owner_of("whatsapp", form.phone_number_id)
    if owner is not None and owner != property_id:
        raise Conflict("This WhatsApp number is already connected to another property.")
    try:
        number = await check.phone_number(form.phone_number_id, form.access_token, form.api_base_url)
    except ProviderFailure as failure:
        raise PolicyViolation("provider_rejected", failure.reason) from failure
    settings = {
        "waba_id": form.waba_id.strip(),
        "phone_number_id": form.phone_number_id,
        "display_phone_number": number.display_phone_number,
        "verified_name": number.verified_name,
        "verify_token_sha256": verify_token_digest(form.verify_token),
    }
    if form.api_base_url:
        settings["api_base_url"] = form.api_base_url
    secrets = {"access_token": form.access_token}
    if form.app_secret:
        secrets["app_secret"] = form.app_secret
    record = ConnectionRecord(
        property_id=property_id,
        channel="whatsapp",
        status="connected",
        updated_at=now,
        external_id=form.phone_number_id,
        settings=settings,
        secrets=secrets,
    )
    await store.save(record)
    return record


@dataclass(frozen=True)
class TwilioCredentials:
    account_sid: str
    auth_token: str
    from_number: str | None = None
    messaging_service_sid: str | None = None
    api_base_url: str | None = None


def _twilio_sender(form: TwilioCredentials, country: str) -> str:
    problems = []
    if not (form.account_sid.startswith("AC") and len(form.account_sid) == 34):
        problems.append(FieldProblem("account_sid", "invalid", "An Account SID is AC followed by 32 characters."))
    if bool(form.from_number) == bool(form.messaging_service_sid):
        problems.append(
            FieldProblem("from_number", "one_sender", "Give either a sender number or a Messaging Service SID.")
        )
    sender = form.messaging_service_sid or ""
    if form.from_number:
        try:
            sender = normalize_phone(form.from_number, country, "from_number")
        except ContactError as exc:
            problems.append(exc.problem)
    elif sender and not (sender.startswith("MG") and len(sender) == 34):
        problems.append(
            FieldProblem("messaging_service_sid", "invalid", "A Messaging Service SID is MG followed by 32 characters.")
        )
    if problems:
        raise InvalidInput(problems)
    return sender


async def connect_sms(
    store: ConnectionStore,
    check: TwilioAccountCheck,
    property_id: uuid.UUID,
    country: str,
    form: TwilioCredentials,
    now: datetime,
) -> ConnectionRecord:
    sender = _twilio_sender(form, country)
    owner = await store.owner_of("sms", sender)
    if owner is not None and owner != property_id:
        raise Conflict("This sender is already connected to another property.")
    try:
        account = await check.account(form.account_sid, form.auth_token, form.api_base_url)
    except ProviderFailure as failure:
        raise PolicyViolation("provider_rejected", failure.reason) from failure
    settings: dict[str, str] = {"account_sid": form.account_sid, "friendly_name": account.friendly_name}
    if form.from_number:
        settings["from_number"] = sender
    else:
        settings["messaging_service_sid"] = sender
    if form.api_base_url:
        settings["api_base_url"] = form.api_base_url
    record = ConnectionRecord(
        property_id=property_id,
        channel="sms",
        status="connected",
        updated_at=now,
        external_id=sender,
        settings=settings,
        secrets={"auth_token": form.auth_token},
    )
    await store.save(record)
    return record
