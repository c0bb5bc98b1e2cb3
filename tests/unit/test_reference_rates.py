"""The reference-rate file: complete for the half-year it was last checked in, and refused when malformed."""

from __future__ import annotations

from datetime import date as real_date
from decimal import Decimal
from pathlib import Path

import pytest

from service.domain.rates import RateFileError, load_rates

RATES = load_rates()


def test_the_check_names_every_regime_missing_the_half_year_of_the_injected_today() -> None:
    assert RATES.missing_half_years(real_date(2026, 8, 1)) == []
    assert RATES.missing_half_years(real_date(2027, 2, 1)) == [
        "IT 2027-01-01",
        "EU 2027-01-01",
        "GB 2027-01-01",
    ]


def test_the_second_half_of_2026_has_the_rates_in_force_on_its_first_day() -> None:
    # ECB: MRO raised to 2.40 % on 11 June 2026, next decision 23 July; Bank of England: Bank Rate
    # held at 3.75 % on 18 June 2026, next decision 30 July (sources in the file).
    latest = [(RATES.rates[r][-1].starts_on, RATES.rates[r][-1].rate) for r in ("IT", "EU", "GB")]
    july = real_date(2026, 7, 1)
    assert latest == [(july, Decimal("2.40")), (july, Decimal("2.40")), (july, Decimal("3.75"))]


def test_the_file_has_a_rate_for_the_half_year_of_its_own_date() -> None:
    """Pinned to the day the file says it was checked (``version``), not to today: on the wall
    clock this went red every 1 January and 1 July by the calendar alone, weeks before the new
    rate is even published. Add the half-year and move ``version`` together; meanwhile every
    statement flags its figures ``provisional``."""
    checked_on = real_date.fromisoformat(RATES.version)
    assert RATES.missing_half_years(checked_on) == [], "add the new half-year's rates, with source and date"


def test_every_rate_carries_its_source_and_publication_date() -> None:
    for regime, rates in RATES.rates.items():
        for rate in rates:
            assert rate.source.strip(), (regime, rate.starts_on)
            assert rate.published_on <= rate.starts_on.replace(month=12, day=31)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{from: 2026-01-01, rate: "2.15", published_on: 2026-01-20, source: ""}', "source"),
        ('{from: 2026-02-01, rate: "2.15", published_on: 2026-01-20, source: "x"}', "first day"),
        ('{from: 2026-01-01, rate: "two", published_on: 2026-01-20, source: "x"}', "InvalidOperation"),
    ],
)
def test_a_malformed_file_is_refused(tmp_path: Path, entry: str, message: str) -> None:
    regimes = "\n".join(f"  {r}:\n    currency: EUR\n    rates:\n      - {entry}" for r in ("IT", "EU", "GB"))
    path = tmp_path / "rates.yaml"
    path.write_text(f'version: "x"\nmargin_points: "8"\nregimes:\n{regimes}\n', encoding="utf-8")
    with pytest.raises(RateFileError, match=message):
        load_rates(path)
