"""Calendar and money rules."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.calendar import add_business_days, due_date
from service.domain.money import is_currency


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2026, 2, 31, date(2026, 2, 28)),
        (2028, 2, 31, date(2028, 2, 29)),
        (2026, 4, 31, date(2026, 4, 30)),
        (2026, 12, 31, date(2026, 12, 31)),
        (2026, 12, 1, date(2026, 12, 1)),
    ],
)
def test_due_day_past_month_end_means_last_day(year, month, day, expected) -> None:
    assert due_date(year, month, day) == expected


def test_business_days_skip_weekends() -> None:
    friday = date(2026, 12, 4)
    assert add_business_days(friday, 1) == date(2026, 12, 7)
    assert add_business_days(friday, 5) == date(2026, 12, 11)
    assert add_business_days(friday, 0) == friday


def test_currency_codes_are_iso_4217() -> None:
    assert is_currency("EUR") and is_currency("USD")
    assert not is_currency("EURO") and not is_currency("eur")
