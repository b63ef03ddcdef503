"""Monthly spending caps: what a send is expected to cost, and which month it counts in.

Paid channels are WhatsApp (templates billed by Meta; the estimate is stored on the message when it is
queued) and SMS (Twilio bills per segment; the price only comes back after the send, so the cap reserves
an estimate per segment). E-mail and Airbnb are free and never held.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.channels import Channel
from domain.errors import FieldProblem, InvalidInput
from domain.model import Message
from domain.sms.segments import count_segments

SPENDING_CAP_CODE = "spending_cap_reached"
# Twilio's list price for one outbound SMS segment to the US (USD); what the cap reserves before Twilio's
# own price is known. Deliberately a little high for most of Europe's carriers' rates to US numbers.
SMS_SEGMENT_ESTIMATE = Decimal("0.0079")
CAPPED_CHANNELS = (Channel.WHATSAPP, Channel.SMS)
CAP_CURRENCY = "USD"  # the currency the rate table and Twilio report costs in
MAX_CAP = Decimal("1000000")


def expected_cost(message: Message) -> Decimal:
    if message.channel == Channel.WHATSAPP:
        return message.cost_amount or Decimal(0)
    if message.channel == Channel.SMS:
        return count_segments(message.body).segments * SMS_SEGMENT_ESTIMATE
    return Decimal(0)


def month_of(at: datetime, timezone: str) -> str:
    """The property's local month ("2026-11"): a cap resets at local midnight on the 1st."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return at.astimezone(zone).strftime("%Y-%m")


def validate_cap(channel: str, amount: Decimal | None) -> None:
    problems: list[FieldProblem] = []
    if channel not in {c.value for c in CAPPED_CHANNELS}:
        problems.append(FieldProblem("channel", "not_paid", "Only WhatsApp and SMS sends cost money."))
    if amount is not None and (not amount.is_finite() or amount < 0 or amount > MAX_CAP):
        problems.append(FieldProblem("monthly_cap", "out_of_range", "Give an amount from 0 to 1,000,000."))
    if problems:
        raise InvalidInput(problems, "The spending cap has problems.")


def held_reason(channel: str, cap: Decimal, currency: str) -> str:
    return (
        f"The monthly {channel} spending cap ({cap.normalize():f} {currency}) is reached: the message waits until "
        "the cap is raised, the month changes, or someone sends it anyway."
    )
