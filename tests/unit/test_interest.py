"""Statutory interest and compensation, to the cent. Every expected figure is worked out by hand
(principal x rate x days / 365, rounded half up) and written here as a literal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from service.domain.interest import accrue, compensation, round_cents
from service.domain.rates import load_rates

RATES = load_rates()


def test_italian_invoice_paid_30_days_late_accrues_10_01_at_10_15_percent() -> None:
    accrual = accrue(Decimal("1200.00"), date(2026, 1, 31), date(2026, 3, 2), "IT", RATES)

    assert accrual.days_late == 30
    assert accrual.interest == Decimal("10.01")
    [period] = accrual.periods
    assert (period.start, period.end, period.days) == (date(2026, 2, 1), date(2026, 3, 2), 30)
    assert period.rate == Decimal("10.15")
    assert not accrual.provisional
    assert compensation("IT", Decimal("1200.00")) == Decimal("40.00")


def test_nothing_accrues_on_the_due_date_itself() -> None:
    accrual = accrue(Decimal("1200.00"), date(2026, 1, 31), date(2026, 1, 31), "IT", RATES)
    assert (accrual.days_late, accrual.interest, accrual.periods) == (0, Decimal("0.00"), ())


def test_the_first_day_late_accrues_one_day() -> None:
    # 1200 x 10.15% / 365 = 0.33369...
    accrual = accrue(Decimal("1200.00"), date(2026, 1, 31), date(2026, 2, 1), "IT", RATES)
    assert (accrual.days_late, accrual.interest) == (1, Decimal("0.33"))


@pytest.mark.parametrize("regime", ["IT", "EU"])
def test_a_debt_late_across_30_june_accrues_in_two_periods_at_each_half_years_rate(regime: str) -> None:
    # 21-30 June 2025: 3.15 + 8 = 11.15 %, 1000 x 11.15% x 10/365 = 3.0547...
    # 1-10 July 2025: 2.15 + 8 = 10.15 %, 1000 x 10.15% x 10/365 = 2.7808...
    accrual = accrue(Decimal("1000.00"), date(2025, 6, 20), date(2025, 7, 10), regime, RATES)

    assert [(p.start, p.end, p.days, p.rate, p.interest) for p in accrual.periods] == [
        (date(2025, 6, 21), date(2025, 6, 30), 10, Decimal("11.15"), Decimal("3.05")),
        (date(2025, 7, 1), date(2025, 7, 10), 10, Decimal("10.15"), Decimal("2.78")),
    ]
    assert accrual.interest == Decimal("5.83")
    assert accrual.days_late == 20


def test_a_debt_late_across_31_december_splits_at_new_year() -> None:
    # 22-31 Dec 2024: 4.25 + 8 = 12.25 %, 1000 x 12.25% x 10/365 = 3.3561...
    # 1-10 Jan 2025: 3.15 + 8 = 11.15 %, 1000 x 11.15% x 10/365 = 3.0547...
    accrual = accrue(Decimal("1000.00"), date(2024, 12, 21), date(2025, 1, 10), "IT", RATES)
    assert [(p.start, p.end, p.interest) for p in accrual.periods] == [
        (date(2024, 12, 22), date(2024, 12, 31), Decimal("3.36")),
        (date(2025, 1, 1), date(2025, 1, 10), Decimal("3.05")),
    ]


def test_in_england_the_rate_of_the_half_year_interest_starts_in_holds_for_the_whole_debt() -> None:
    # Bank Rate 4.75 % on 31 Dec 2024, + 8 = 12.75 %, kept after 1 July: 1000 x 12.75% x 20/365 = 6.986...
    accrual = accrue(Decimal("1000.00"), date(2025, 6, 20), date(2025, 7, 10), "GB", RATES)
    assert [(p.start, p.end, p.days, p.rate, p.interest) for p in accrual.periods] == [
        (date(2025, 6, 21), date(2025, 7, 10), 20, Decimal("12.75"), Decimal("6.99"))
    ]


def test_interest_rounds_half_up_not_to_even() -> None:
    # GB, H1 2026: 3.75 + 8 = 11.75 %; 30.00 x 11.75% x 73/365 = 0.705 exactly: 0.71, where banker's gives 0.70
    accrual = accrue(Decimal("30.00"), date(2026, 1, 31), date(2026, 4, 14), "GB", RATES)
    assert accrual.days_late == 73
    assert accrual.interest == Decimal("0.71")
    assert round_cents(Decimal("2.675")) == Decimal("2.68")
    assert round_cents(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1000.00", "70.00"),
        ("999.99", "40.00"),
        ("9999.99", "70.00"),
        ("10000.00", "100.00"),
        ("25.00", "40.00"),
    ],
)
def test_gb_fixed_sums_follow_the_acts_three_tiers(amount: str, expected: str) -> None:
    assert compensation("GB", Decimal(amount)) == Decimal(expected)


def test_eu_compensation_is_40_euro_whatever_the_amount() -> None:
    assert compensation("EU", Decimal("50000.00")) == Decimal("40.00")


def test_a_half_year_missing_from_the_file_uses_the_last_known_rate_flagged_provisional() -> None:
    # 1-10 Feb 2027: the file stops at H2 2026 (2.40 %), so 10.40 % is used and flagged.
    accrual = accrue(Decimal("1000.00"), date(2027, 1, 31), date(2027, 2, 10), "IT", RATES)
    [period] = accrual.periods
    assert period.rate == Decimal("10.40")
    assert period.applied.reference.starts_on == date(2026, 7, 1)
    assert accrual.provisional
