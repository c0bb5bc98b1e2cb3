"""The ``statement`` letter: the statement of account with statutory interest, in it and en.

The figures are those of GET /v1/engagements/{id}/statement on the letter's day, from the same
domain function, so the letter and the API never disagree.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal
from markupsafe import Markup

from service.documents.base import DocContext
from service.documents.claims import allocation_rule
from service.documents.invoice_taxes import tax_line
from service.documents.notices import letter
from service.documents.shapes import LetterContext
from service.domain.interest import RatePeriod
from service.domain.rates import RateTable, default_rates
from service.domain.statement import Statement, StatementLine, statement

KEY = "notices.statement"


def waiver_on(ctx: DocContext) -> date | None:
    """The day the provider waived the interest and compensation (``waive_interest``), when that
    was on or before this letter's day: from then on no letter claims them (``domain/claims.py``)."""
    waiver = ctx.engagement.claim_waiver
    day = date.fromisoformat(waiver["on"]) if waiver else None
    return day if day and day <= ctx.today else None


def claimed_total(ctx: DocContext, figures: Statement) -> Decimal:
    """What a letter asks for: the invoices alone once interest and compensation were waived."""
    return figures.outstanding_total if waiver_on(ctx) else figures.claimable_total


def statement_letter(ctx: DocContext, rates: RateTable | None = None) -> LetterContext:
    figures = statement(ctx.engagement, ctx.today, rates or default_rates())
    values = {"as_of": ctx.fmt.date(figures.as_of), "regime": figures.regime}
    items, after = statement_figures(ctx, figures, rates)
    unpaid = [line.invoice for line in figures.lines if line.outstanding > 0]
    after.append(allocation_rule(ctx))  # the order any payment will be applied in
    key = f"{KEY}.waived" if waiver_on(ctx) else KEY
    after += ctx.texts(f"{key}.after_items", **values) + ctx.payment_details(
        unpaid or [line.invoice for line in figures.lines]
    )
    return letter(ctx, ctx.texts(f"{key}.body", **values), items, after, **values)


def statement_figures(
    ctx: DocContext, figures: Statement, rates: RateTable | None = None
) -> tuple[list[Markup], list[Markup]]:
    """The statement as a letter's lines: per invoice with its rate periods, then the totals
    (and why a figure is provisional or left out). Shared by every letter that claims money."""
    waived_on = waiver_on(ctx)
    if waived_on:  # the invoices alone, and the waiver stated: silence could read as a new claim
        waiver = ctx.engagement.claim_waiver or {}
        items = [_invoice_line(ctx, line, f"{KEY}.waived.invoice_line") for line in figures.lines]
        stated = ctx.text(
            f"{KEY}.waived.stated",
            waived_on=ctx.fmt.date(waived_on),
            waived_amount=ctx.fmt.money(Decimal(waiver["amount"])),
            regime=figures.regime,
        )
        totals = ctx.text(f"{KEY}.waived.totals", outstanding_total=ctx.fmt.money(figures.outstanding_total))
        return items, [totals, stated]
    # One item per invoice, its rate periods as lines under it (docxtpl turns "\n" into a line
    # break): as separate items they read as debts of their own beside the invoices.
    items = [
        Markup("\n").join(
            [
                _invoice_line(ctx, line),
                *filter(None, [tax_line(ctx, line.invoice)]),
                *(_period_line(ctx, p) for p in line.accrual.periods),
            ]
        )
        for line in figures.lines
    ]
    after = [_totals(ctx, figures)]
    if figures.provisional:
        after.append(ctx.text(f"{KEY}.provisional"))
    if not figures.compensation_applies:
        after.append(ctx.text(f"{KEY}.no_compensation", regime_currency=_regime_currency(figures, rates)))
    return items, after


def _invoice_line(ctx: DocContext, line: StatementLine, key: str = f"{KEY}.invoice_line") -> Markup:
    invoice, money = line.invoice, ctx.fmt.money
    return ctx.text(
        key,
        number=invoice.number or "",
        description=ctx.invoice_label(invoice),
        amount=money(invoice.payable),
        due_on=ctx.fmt.date(invoice.due_on),
        outstanding=money(line.outstanding),
        days_late=ctx.plural("days_late", line.accrual.days_late),
        interest=money(line.accrual.interest),
        compensation=money(line.compensation),
    )


def _period_line(ctx: DocContext, period: RatePeriod) -> Markup:
    return ctx.text(
        f"{KEY}.period_line",
        start=ctx.fmt.date(period.start),
        end=ctx.fmt.date(period.end),
        days=ctx.count("day", period.days),
        rate=percent_text(period.rate, ctx.engagement.language),
        interest=ctx.fmt.money(period.interest),
    )


def _totals(ctx: DocContext, figures: Statement) -> Markup:
    money = ctx.fmt.money
    return ctx.text(
        f"{KEY}.totals",
        outstanding_total=money(figures.outstanding_total),
        interest_total=money(figures.interest_total),
        compensation_total=money(figures.compensation_total),
        claimable_total=money(figures.claimable_total),
    )


def _regime_currency(figures: Statement, rates: RateTable | None) -> str:
    return (rates or default_rates()).currencies[figures.jurisdiction]


def percent_text(rate: Decimal, language: str) -> str:
    """ "10.15%" / "10,15%": two decimals, the language's separator."""
    return f"{format_decimal(rate, format='0.00', locale=language)}%"
