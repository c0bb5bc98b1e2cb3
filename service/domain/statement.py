"""A statement of account: what is outstanding, the statutory interest and the fixed sums owed.

An invoice appears when, on ``as_of``, something is still outstanding or it was paid late (the
interest and compensation of a late payment stay claimable after the payment). Interest runs on
the amount outstanding, out of the invoice's amount payable (what the client owes: with its taxes,
less any withholding): for a fully paid invoice, on that amount until the day it was paid; for an
unpaid or partly paid one, on what is still outstanding until ``as_of``. A part paid late is
treated as paid on time, so the statement claims less than the law allows, never more.
Fixed compensation is in the regime's currency (EUR, GBP): on an engagement billed in another
currency it is left out, and the statement says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.domain.interest import Accrual, accrue, compensation
from service.domain.model import Engagement, Invoice
from service.domain.money import ZERO
from service.domain.rates import RateTable

REGIME_NAMES = {
    "IT": "D.Lgs. 9 ottobre 2002, n. 231",
    "EU": "Directive 2011/7/EU",
    "GB": "Late Payment of Commercial Debts (Interest) Act 1998",
}


@dataclass(frozen=True)
class StatementLine:
    invoice: Invoice
    outstanding: Decimal
    accrual: Accrual
    compensation: Decimal


@dataclass(frozen=True)
class Statement:
    as_of: date
    jurisdiction: str
    currency: str
    lines: tuple[StatementLine, ...]
    compensation_applies: bool  # False when the engagement's currency is not the regime's
    rates_version: str

    @property
    def outstanding_total(self) -> Decimal:
        return sum((line.outstanding for line in self.lines), ZERO)

    @property
    def interest_total(self) -> Decimal:
        return sum((line.accrual.interest for line in self.lines), ZERO)

    @property
    def compensation_total(self) -> Decimal:
        return sum((line.compensation for line in self.lines), ZERO)

    @property
    def claimable_total(self) -> Decimal:
        return self.outstanding_total + self.interest_total + self.compensation_total

    @property
    def provisional(self) -> bool:
        return any(line.accrual.provisional for line in self.lines)

    @property
    def regime(self) -> str:
        return REGIME_NAMES[self.jurisdiction]


def statement(engagement: Engagement, as_of: date, table: RateTable) -> Statement:
    regime = engagement.jurisdiction
    compensation_applies = engagement.currency == table.currencies[regime]
    lines = []
    for invoice in sorted(engagement.invoices, key=lambda i: (i.due_on, i.number or "", i.id or 0)):
        if engagement.day_of(invoice.issued_at) > as_of:
            continue  # not issued yet on that day
        line = _line(invoice, as_of, regime, table, compensation_applies)
        if line.outstanding > ZERO or line.accrual.days_late > 0:
            lines.append(line)
    return Statement(as_of, regime, engagement.currency, tuple(lines), compensation_applies, table.version)


def _line(
    invoice: Invoice, as_of: date, regime: str, table: RateTable, with_compensation: bool
) -> StatementLine:
    settled = invoice.outstanding <= ZERO and invoice.paid_on is not None and invoice.paid_on <= as_of
    if settled:
        assert invoice.paid_on is not None
        outstanding, accrual = ZERO, accrue(invoice.payable, invoice.due_on, invoice.paid_on, regime, table)
    else:
        # Paid in full only after as_of: on as_of the whole amount was still owed.
        outstanding = invoice.outstanding if invoice.outstanding > ZERO else invoice.payable
        accrual = accrue(outstanding, invoice.due_on, as_of, regime, table)
    fixed = compensation(regime, invoice.payable) if with_compensation and accrual.days_late > 0 else ZERO
    return StatementLine(invoice, outstanding, accrual, fixed)
