"""Estimated WhatsApp costs (PROVIDERS.md A4) and the shipped rate table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from adapters.pricing.json_rate_table import DEFAULT_RATES_FILE, RateFileError, load_rate_table
from domain.errors import PolicyViolation
from domain.templates.model import TemplateCategory
from domain.templates.pricing import PricingCategory, RateTable, estimate_cost

MARKETING, UTILITY = PricingCategory.MARKETING, PricingCategory.UTILITY
RATES = RateTable(
    rates={(MARKETING, "FR"): Decimal("0.1432"), (UTILITY, "FR"): Decimal("0.03")},
    defaults={MARKETING: Decimal("0.0604"), UTILITY: Decimal("0.0077")},
    effective_date="2025-07-01",
    source="test",
)


class TestEstimateCost:
    @pytest.mark.parametrize("window_open", [True, False])
    def test_free_form_messages_are_free(self, window_open):
        assert estimate_cost(None, "FR", window_open, RATES) == 0
        assert estimate_cost(PricingCategory.SERVICE, "FR", window_open, RATES) == 0

    def test_utility_is_free_inside_the_window_and_charged_outside(self):
        assert estimate_cost(TemplateCategory.UTILITY, "FR", True, RATES) == 0
        assert estimate_cost(TemplateCategory.UTILITY, "FR", False, RATES) == Decimal("0.03")

    def test_marketing_is_charged_even_inside_the_window(self):
        assert estimate_cost(TemplateCategory.MARKETING, "FR", True, RATES) == Decimal("0.1432")
        assert estimate_cost(MARKETING, "FR", False, RATES) == Decimal("0.1432")

    @pytest.mark.parametrize("country", ["ZZ", None, ""])
    def test_unknown_country_falls_back_to_the_default(self, country):
        assert estimate_cost(TemplateCategory.MARKETING, country, False, RATES) == Decimal("0.0604")
        assert estimate_cost(TemplateCategory.UTILITY, country, False, RATES) == Decimal("0.0077")

    def test_country_codes_are_case_insensitive(self):
        assert estimate_cost(TemplateCategory.MARKETING, "fr", False, RATES) == Decimal("0.1432")

    def test_authentication_is_not_priced(self):
        with pytest.raises(PolicyViolation) as err:
            estimate_cost(TemplateCategory.AUTHENTICATION, "FR", False, RATES)
        assert err.value.code == "unsupported_category"

    def test_a_table_without_a_default_says_so(self):
        partial = RateTable(rates={}, defaults={UTILITY: Decimal("0.01")}, effective_date="", source="")
        with pytest.raises(PolicyViolation) as err:
            estimate_cost(TemplateCategory.MARKETING, "FR", False, partial)
        assert err.value.code == "price_unknown"


class TestShippedRateTable:
    def test_covers_the_main_markets_for_both_categories(self):
        table = load_rate_table()
        for country in ["US", "IN", "BR", "GB", "DE", "FR", "ES", "IT", "NL"]:
            for category in (MARKETING, UTILITY):
                rate = table.rates[(category, country)]
                assert isinstance(rate, Decimal) and Decimal("0") < rate < Decimal("1")
        assert set(table.defaults) == {MARKETING, UTILITY}
        assert table.currency == "USD" and table.effective_date

    def test_says_where_its_rates_come_from(self):
        source = load_rate_table().source
        assert "PROVIDERS.md" in source and "indicative" in source.lower() and "rate card" in source

    def test_marketing_costs_more_than_utility_everywhere(self):
        table = load_rate_table()
        assert all(rate > table.rates[(UTILITY, country)] for (category, country), rate in table.rates.items()
                   if category == MARKETING)  # fmt: skip

    def test_estimates_from_the_shipped_table(self):
        table = load_rate_table(DEFAULT_RATES_FILE)
        assert estimate_cost(TemplateCategory.MARKETING, "US", True, table) == Decimal("0.025")
        assert estimate_cost(TemplateCategory.UTILITY, "US", True, table) == 0
        assert estimate_cost(TemplateCategory.UTILITY, "JP", False, table) == table.defaults[UTILITY]

    def test_a_missing_file_is_a_clear_error(self):
        with pytest.raises(RateFileError, match="Cannot read"):
            load_rate_table(Path(DEFAULT_RATES_FILE.parent / "no_such_rates.json"))
