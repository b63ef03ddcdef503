"""What a WhatsApp message will cost, before it is sent (Meta's per-message pricing, PROVIDERS.md A4).

Meta bills per delivered template message, by category and by the recipient's country. Free-form (service)
messages are free, and so is a UTILITY template inside an open customer-service window; MARKETING is always
charged. Volume tiers and free-entry-point windows (click-to-WhatsApp ads) are left out: an estimate may be
slightly high, never low.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.errors import PolicyViolation
from domain.templates.model import TemplateCategory

FREE = Decimal("0")


class PricingCategory(StrEnum):
    """Meta's pricing categories, spelt as in status webhooks' `pricing.category` and Message.pricing_category."""

    SERVICE = "service"
    UTILITY = "utility"
    MARKETING = "marketing"


@dataclass(frozen=True)
class RateTable:
    rates: Mapping[tuple[PricingCategory, str], Decimal]  # (category, ISO country) -> USD per message
    defaults: Mapping[PricingCategory, Decimal]  # for countries without their own rate
    effective_date: str
    source: str
    currency: str = "USD"

    def rate(self, category: PricingCategory, country: str | None) -> Decimal:
        if category == PricingCategory.SERVICE:
            return FREE
        rate = self.rates.get((category, (country or "").upper()))
        if rate is None:
            rate = self.defaults.get(category)
        if rate is None:
            raise PolicyViolation("price_unknown", f"The rate table has no {category} rate, not even a default.")
        return rate


def pricing_category(category: TemplateCategory | PricingCategory | None) -> PricingCategory:
    """None, or SERVICE, is a free-form message; a template is priced by its category."""
    if category is None:
        return PricingCategory.SERVICE
    try:
        return PricingCategory(category.lower())
    except ValueError:
        raise PolicyViolation("unsupported_category", f"{category} messages are not priced by the inbox.") from None


def estimate_cost(
    category: TemplateCategory | PricingCategory | None,
    recipient_country: str | None,
    window_open: bool,
    rates: RateTable,
) -> Decimal:
    """USD for one delivered message; `recipient_country` is the ISO code of the guest's number."""
    priced = pricing_category(category)
    if priced == PricingCategory.SERVICE or (priced == PricingCategory.UTILITY and window_open):
        return FREE
    return rates.rate(priced, recipient_country)
