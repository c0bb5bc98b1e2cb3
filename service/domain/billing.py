"""Billing rules: which monthly invoices are due to be issued, credit, and settling payments.

When a month's invoice is issued: the first billed month's on the start date, every later
month's on the 1st of that month. It is due on ``due_day`` clamped to the month's last day,
and never before it is issued (a start on the 15th with ``due_day`` 1 is due on the 15th).

A start before the day the engagement is created (a back-dated start) bills every month from
the start, as the contract's fee clause says; a month whose day has passed is issued on the
creation day, never dated back, and is due no earlier than the creation day plus the contract's
own term (the days between a month's first day and its due day): an invoice is never due before
it is issued, so no interest runs and no reminder goes out before the client could pay
(art. 4 D.Lgs. 231/2002 counts the term from receipt of the invoice).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from service.domain.amendments import due_day_on
from service.domain.calendar import due_date, next_month
from service.domain.claims import settle_claim
from service.domain.invoicing import NO_TAXES, Invoicing, stored
from service.domain.model import Engagement, Invoice
from service.domain.money import CENT, ZERO
from service.domain.sayings import Month, sentence


@dataclass(frozen=True)
class MonthlyInvoice:
    period: str  # "2026-12"
    issue_on: date
    due_on: date


@dataclass(frozen=True)
class Allocation:
    invoice: Invoice
    amount: Decimal


def next_monthly_invoice(engagement: Engagement) -> MonthlyInvoice:
    """The earliest billing month not invoiced yet (the caller knows whether fees still run)."""
    first = engagement.start_date
    year, month = first.year, first.month
    issued = {i.period for i in engagement.invoices if i.period}
    while f"{year:04d}-{month:02d}" in issued:
        year, month = next_month(year, month)
    return _monthly(engagement, year, month)


def _monthly(engagement: Engagement, year: int, month: int) -> MonthlyInvoice:
    """One month's invoice: its issue day and due day (see the module's note on back-dating)."""
    issue_on = _natural_issue_on(engagement, year, month)
    created_on = engagement.day_of(engagement.created_at)
    due_day = due_day_on(engagement, issue_on)  # an amended due day applies from its day
    due_on = max(due_date(year, month, due_day), issue_on)
    if issue_on < created_on:  # a back-dated month: issued on creation, with the contract's term
        issue_on, due_on = created_on, max(due_on, created_on + timedelta(days=due_day - 1))
    return MonthlyInvoice(f"{year:04d}-{month:02d}", issue_on, due_on)


def _natural_issue_on(engagement: Engagement, year: int, month: int) -> date:
    """The day the contract bills a month: the start date in the first month, else the 1st."""
    return engagement.start_date if (year, month) == _month(engagement.start_date) else date(year, month, 1)


# How far back a start may be dated at creation. Each past month becomes an invoice and a claim
# on the creation day: a year covers a late set-up; a start years back is far more likely a typo
# (2016 for 2026) than an engagement nobody recorded, and would bill dozens of months at once.
MOST_BACK_DATED_MONTHS = 12


def too_far_back(start: date, today: date) -> bool:
    """Whether a start lies before the same day ``MOST_BACK_DATED_MONTHS`` months ago (a 31st
    counts from the shorter month's last day)."""
    months = today.year * 12 + today.month - 1 - MOST_BACK_DATED_MONTHS
    year, month = divmod(months, 12)
    earliest = date(year, month + 1, min(today.day, monthrange(year, month + 1)[1]))
    return start < earliest


def back_dated_months(engagement: Engagement) -> list[MonthlyInvoice]:
    """The months a back-dated start bills on the creation day (none for a start from today)."""
    created_on = engagement.day_of(engagement.created_at)
    months, (year, month) = [], _month(engagement.start_date)
    while _natural_issue_on(engagement, year, month) < created_on:
        months.append(_monthly(engagement, year, month))
        year, month = next_month(year, month)
    return months


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


def add_invoice(
    engagement: Engagement,
    description: str,
    amount: Decimal,
    due_on: date,
    at: datetime,
    period: str | None,
    invoicing: Invoicing = NO_TAXES,
) -> Invoice:
    """Issue an invoice of the fee ``amount`` with the taxes the account's invoices carry (fixed
    on it now: a later change of the account's profile leaves it as issued); credit left from an
    overpayment settles it first."""
    lines = invoicing.lines(amount, engagement.client_vat_number)
    invoice = Invoice(
        description=description,
        amount=amount,
        due_on=due_on,
        issued_at=at,
        period=period,
        payable=amount if lines is None else lines.payable,
        taxes=None if lines is None else stored(lines),
    )
    applied = min(engagement.credit, invoice.payable)
    if applied > ZERO:
        engagement.credit -= applied
        _settle(invoice, applied, engagement.day_of(at))
    engagement.invoices.append(invoice)
    return invoice


def monthly_description(engagement: Engagement, period: str) -> str:
    """The stored description of a monthly invoice, in the engagement's language, as the API,
    the record and the FatturaPA file show it: "Compenso mensile dicembre 2026" / "Monthly fee,
    December 2026" (the client is the invoice's addressee, not part of what it is for)."""
    month = Month(date.fromisoformat(f"{period}-01"))
    return sentence(engagement.language, "invoices.monthly_fee", {"month": month})


def apply_payment(engagement: Engagement, amount: Decimal, received_on: date) -> list[Allocation]:
    """Settle the oldest open invoices first (capital first, see ``domain/claims.py``); what is
    left over settles the interest and compensation claimed, then becomes credit. An account that
    chose the statutory order (art. 1194 c.c.) settles the claim due that day before the invoices."""
    remaining = amount.quantize(CENT)
    if engagement.interest_first:
        remaining = settle_claim(engagement, remaining, received_on)
    allocations = []
    for invoice in sorted(engagement.invoices, key=lambda i: (i.due_on, i.issued_at)):
        if remaining <= ZERO:
            break
        share = min(invoice.outstanding, remaining)
        if share > ZERO:
            _settle(invoice, share, received_on)
            allocations.append(Allocation(invoice, share))
            remaining -= share
    if not engagement.interest_first:
        remaining = settle_claim(engagement, remaining, received_on)
    engagement.credit += remaining
    return allocations


def _settle(invoice: Invoice, amount: Decimal, on: date) -> None:
    invoice.paid_amount += amount
    if invoice.outstanding <= ZERO:
        invoice.paid_on = on


def days_late(invoice: Invoice, today: date) -> int:
    """Days past the due date it was paid, or has been unpaid so far."""
    settled_or_today = invoice.paid_on if invoice.outstanding <= ZERO and invoice.paid_on else today
    return max(0, (settled_or_today - invoice.due_on).days)
