"""Loads WhatsApp message rates from a JSON file (by default the indicative table shipped beside this module)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from domain.templates.pricing import PricingCategory, RateTable

DEFAULT_RATES_FILE = Path(__file__).with_name("whatsapp_rates.json")


class RateFileError(ValueError):
    pass


def load_rate_table(path: Path | None = None) -> RateTable:
    file = path or DEFAULT_RATES_FILE
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RateFileError(f"Cannot read the rate table {file}: {exc}") from exc
    if not isinstance(data, dict):
        raise RateFileError(f"{file} must hold a JSON object.")
    rates = {
        (category, country.upper()): rate
        for country, by_category in _object(data, "rates", file).items()
        for category, rate in _rates(by_category, f"rates.{country}", file).items()
    }
    return RateTable(
        rates=rates,
        defaults=_rates(_object(data, "default", file), "default", file),
        effective_date=str(data.get("effective_date", "")),
        source=str(data.get("source", "")),
        currency=str(data.get("currency", "USD")),
    )


def _object(data: dict[str, Any], key: str, file: Path) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise RateFileError(f"{file}: '{key}' must be an object.")
    return value


def _rates(value: Any, where: str, file: Path) -> dict[PricingCategory, Decimal]:
    if not isinstance(value, dict):
        raise RateFileError(f"{file}: '{where}' must map categories to rates.")
    try:
        # strings (or numbers read as text) keep the rates exact: 0.1 as a float is not 0.1 USD
        rates = {PricingCategory(category.lower()): Decimal(str(rate)) for category, rate in value.items()}
    except (ValueError, InvalidOperation) as exc:
        raise RateFileError(f"{file}: '{where}' has an unknown category or a rate that is not a number.") from exc
    if any(not rate.is_finite() or rate < 0 for rate in rates.values()):
        raise RateFileError(f"{file}: '{where}' has a negative or infinite rate.")
    return rates
