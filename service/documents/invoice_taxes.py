"""An invoice's lines besides the fee, in a letter: the same amounts its FatturaPA file (or UK
VAT invoice) carries, read from the invoice, where they were fixed when it was issued."""

from __future__ import annotations

from typing import Any, Protocol

from markupsafe import Markup

from service.documents.formatting import Formatter
from service.domain.model import Engagement, Invoice

KEY = "letter.taxes"


class _Context(Protocol):  # DocContext, which imports this module
    fmt: Formatter

    @property
    def engagement(self) -> Engagement: ...

    def text(self, key: str, **extra: Any) -> Markup: ...


def tax_line(ctx: _Context, invoice: Invoice) -> Markup | None:
    """ "Fee €1,000.00; INPS 4% €40.00; VAT 22% €228.80; invoice total €1,268.80; withholding
    tax 20% −€200.00; payable €1,068.80", or None for an invoice that carries the fee alone."""
    lines = invoice.lines
    if lines is None:
        return None
    money, percent = ctx.fmt.money, ctx.fmt.percent
    parts = [ctx.text(f"{KEY}.fee", amount=money(lines.fee))]
    if lines.surcharge:
        rate = percent(lines.surcharge_rate) if lines.surcharge_rate is not None else ""
        parts.append(
            ctx.text(
                f"{KEY}.surcharge", fund=lines.surcharge_fund or "", rate=rate, amount=money(lines.surcharge)
            )
        )
    if lines.nature:
        parts.append(ctx.text(f"{KEY}.nature", nature=lines.nature))
    else:
        parts.append(ctx.text(f"{KEY}.vat", rate=percent(lines.vat_rate), amount=money(lines.vat)))
    if lines.stamp_charged:
        parts.append(ctx.text(f"{KEY}.stamp", amount=money(lines.stamp_charged)))
    if lines.withholding:
        parts.append(ctx.text(f"{KEY}.total", amount=money(lines.total_document)))
        rate = percent(lines.withholding_rate) if lines.withholding_rate is not None else ""
        parts.append(ctx.text(f"{KEY}.withholding", rate=rate, amount=money(lines.withholding)))
    parts.append(ctx.text(f"{KEY}.payable", amount=money(lines.payable)))
    if lines.vat_number:  # a UK VAT invoice names the supplier's number and the time of supply
        parts.append(
            ctx.text(
                f"{KEY}.uk",
                number=lines.vat_number,
                tax_point=ctx.fmt.date(ctx.engagement.day_of(invoice.issued_at)),
            )
        )
    return ctx.text(f"{KEY}.line", parts=Markup("; ").join(parts))
