"""The consent register: per guest and channel, who said yes or no to marketing, when, and how.

Entries are never edited: the newest entry per (guest, channel) is the current state, older ones are
the history an auditor reads. Two kinds of "no" exist and both are recorded here:

- a channel-wide block the provider or carrier enforces (SMS STOP, Twilio 21610): nothing may be sent
  on the channel until the guest lifts it themselves (SMS START); it lives in `Guest.opt_outs` too,
  which every send path already checks;
- a marketing opt-out (WhatsApp marketing opt-out, a staff or API record): service messages (check-in
  details, replies) still go out, marketing does not.

Marketing (MARKETING WhatsApp templates, rules flagged marketing) needs an explicit opt-in: no entry
means no consent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.channels import Channel
from domain.errors import FieldProblem, InvalidInput, PolicyViolation
from domain.model import new_id

MARKETING_CONSENT_MISSING = "marketing_consent_missing"


class ConsentState(StrEnum):
    OPT_IN = "opt_in"
    OPT_OUT = "opt_out"


class ConsentSource(StrEnum):
    SMS_STOP = "sms_stop"  # the guest texted STOP (or a carrier synonym)
    SMS_START = "sms_start"  # the guest texted START: lifts the STOP block
    PROVIDER_UNSUBSCRIBED = "provider_unsubscribed"  # the provider refused a send: recipient unsubscribed
    WHATSAPP_MARKETING_OPT_OUT = "whatsapp_marketing_opt_out"  # Meta: the guest stopped marketing messages
    STAFF = "staff"
    API = "api"
    IMPORTED = "imported"  # opt-outs recorded before the register existed


# sources a person or a program may record; the others come from the channels themselves
RECORDABLE_SOURCES = {ConsentSource.STAFF, ConsentSource.API}
# a block set by these sources can only be lifted by the guest on the channel (carriers enforce it)
GUEST_ONLY_LIFT = {ConsentSource.SMS_STOP, ConsentSource.PROVIDER_UNSUBSCRIBED}
_BLOCK_SOURCE_WORDS = {"STOP keyword": ConsentSource.SMS_STOP}


@dataclass(eq=False)
class GuestConsent:
    property_id: uuid.UUID
    guest_id: uuid.UUID
    channel: str
    state: str
    source: str
    recorded_at: datetime
    note: str | None = None
    recorded_by: uuid.UUID | None = None
    id: uuid.UUID = field(default_factory=new_id)


def current_states(entries: Iterable[GuestConsent]) -> dict[str, GuestConsent]:
    """The newest entry per channel (ties broken by id, which grows with creation order)."""
    latest: dict[str, GuestConsent] = {}
    for entry in entries:
        seen = latest.get(entry.channel)
        if seen is None or (entry.recorded_at, entry.id) > (seen.recorded_at, seen.id):
            latest[entry.channel] = entry
    return latest


def has_marketing_consent(entries: Iterable[GuestConsent], channel: str) -> bool:
    entry = current_states(entries).get(channel)
    return entry is not None and entry.state == ConsentState.OPT_IN


def require_marketing_consent(entries: Iterable[GuestConsent], channel: str) -> None:
    if not has_marketing_consent(entries, channel):
        raise PolicyViolation(
            MARKETING_CONSENT_MISSING,
            f"The guest has not opted in to marketing messages on {channel}.",
            hint="Record the guest's opt-in in the consent register first, or send a service message.",
        )


def marketing_channels(entries: Iterable[GuestConsent], order: Iterable[str]) -> list[str]:
    """The channels of `order` (kept in order) on which the guest opted in to marketing."""
    states = current_states(entries)
    return [c for c in order if (e := states.get(c)) is not None and e.state == ConsentState.OPT_IN]


def source_of_block(raw: str) -> ConsentSource:
    """Maps the wording `Guest.opt_outs` used before the register to a source."""
    if raw in _BLOCK_SOURCE_WORDS:
        return _BLOCK_SOURCE_WORDS[raw]
    if raw.startswith("provider"):
        return ConsentSource.PROVIDER_UNSUBSCRIBED
    if raw in (ConsentSource.STAFF, ConsentSource.API):
        return ConsentSource(raw)
    return ConsentSource.IMPORTED


def validate_record(channel: str, state: str, source: str, note: str | None) -> None:
    problems: list[FieldProblem] = []
    if channel not in {c.value for c in Channel}:
        problems.append(FieldProblem("channel", "unknown_channel", f"{channel} is not a channel."))
    if state not in {s.value for s in ConsentState}:
        problems.append(FieldProblem("state", "unknown_state", "Use opt_in or opt_out."))
    if source not in {s.value for s in RECORDABLE_SOURCES}:
        problems.append(FieldProblem("source", "not_recordable", "Only staff and api entries can be recorded."))
    if note is not None and len(note) > 500:
        problems.append(FieldProblem("note", "too_long", "Keep the note under 500 characters."))
    if problems:
        raise InvalidInput(problems, "The consent entry has problems.")


def check_lift(channel: str, block: dict[str, str] | None) -> None:
    """An opt-in may lift a staff block, never one the guest set on the channel (carriers keep enforcing it)."""
    if block is None:
        return
    if source_of_block(str(block.get("source", ""))) in GUEST_ONLY_LIFT:
        raise PolicyViolation(
            "guest_must_lift_opt_out",
            f"The guest blocked {channel} themselves; only they can lift it (for SMS: by texting START).",
        )
