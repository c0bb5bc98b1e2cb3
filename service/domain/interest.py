"""Statutory late-payment interest and fixed compensation, per jurisdiction.

- IT (D.Lgs. 231/2002) and EU (Directive 2011/7/EU): simple interest from the day after the due
  date, at the reference rate plus 8 points; the reference rate is the one of each half-year, so
  a debt late across 30 June / 1 July accrues in two periods at two rates. Fixed compensation of
  EUR 40 per late debt.
- GB (Late Payment of Commercial Debts (Interest) Act 1998): simple interest at Bank Rate plus 8
  points, the Bank Rate being the one fixed for the half-year in which interest *starts* to run,
  kept for the whole debt. Fixed sums per debt: GBP 40 under 1,000, 70 under 10,000, 100 above.

Interest is counted per day, actual/365 (also in leap years), up to and including the day of
payment (or the day the statement is drawn up). Each period is rounded to the cent half up, and
an invoice's interest is the sum of its rounded periods, so the figures printed add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from service.domain.money import CENT, ZERO
from service.domain.rates import AppliedRate, RateTable, half_year_end

DAYS_IN_YEAR = Decimal(365)
HUNDRED = Decimal(100)
EU_COMPENSATION = Decimal("40.00")
# (debt below this amount, fixed sum): Late Payment Act s. 5A
GB_COMPENSATION = ((Decimal("1000.00"), Decimal("40.00")), (Decimal("10000.00"), Decimal("70.00")))
GB_COMPENSATION_TOP = Decimal("100.00")


@dataclass(frozen=True)
class RatePeriod:
    start: date
    end: date  # inclusive
    rate: Decimal  # the statutory rate in percent: reference rate plus the margin
    days: int
    interest: Decimal
    applied: AppliedRate

    @property
    def provisional(self) -> bool:
        return self.applied.provisional


@dataclass(frozen=True)
class Accrual:
    days_late: int
    periods: tuple[RatePeriod, ...]

    @property
    def interest(self) -> Decimal:
        return sum((p.interest for p in self.periods), ZERO)

    @property
    def provisional(self) -> bool:
        return any(p.provisional for p in self.periods)


def round_cents(amount: Decimal) -> Decimal:
    """To the cent, half up (0.005 -> 0.01), as a court or an accountant would; not banker's."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def accrue(principal: Decimal, due_on: date, until: date, regime: str, table: RateTable) -> Accrual:
    """Interest on ``principal`` late from the day after ``due_on`` through ``until`` inclusive."""
    first = due_on + timedelta(days=1)
    if until < first or principal <= ZERO:
        return Accrual(0, ())
    days_late = (until - first).days + 1
    if regime == "GB":
        spans = [(first, until, table.for_half_year(regime, first))]
    else:
        spans = []
        start = first
        while start <= until:
            end = min(half_year_end(start), until)
            spans.append((start, end, table.for_half_year(regime, start)))
            start = end + timedelta(days=1)
    return Accrual(days_late, tuple(_period(principal, s, e, applied, table) for s, e, applied in spans))


def _period(principal: Decimal, start: date, end: date, applied: AppliedRate, table: RateTable) -> RatePeriod:
    rate = applied.reference.rate + table.margin
    days = (end - start).days + 1
    interest = round_cents(principal * rate * days / (HUNDRED * DAYS_IN_YEAR))
    return RatePeriod(start, end, rate, days, interest, applied)


def compensation(regime: str, debt: Decimal) -> Decimal:
    """The fixed sum owed for one late debt, in the regime's currency (EUR, or GBP for GB)."""
    if regime != "GB":
        return EU_COMPENSATION
    for below, amount in GB_COMPENSATION:
        if debt < below:
            return amount
    return GB_COMPENSATION_TOP


def percent(rate: Decimal) -> str:
    """The wire form of a rate: "10.15"."""
    return str(rate.quantize(CENT))
