"""The credit note (*nota di credito*): the document that cancels an invoice's unpaid part.

Numbered in its own series (``NC-2027-0001``), it names the invoice it cancels, the amount taken
off, the user's reason quoted, and what the client still owes afterwards, or that nothing is
owed (it asks for no payment then).
"""

from __future__ import annotations

from decimal import Decimal

from service.documents.base import DocContext, DocumentRenderError
from service.documents.notices import letter
from service.documents.shapes import LetterContext

KEY = "notices.credit_note"


def credit_note(ctx: DocContext) -> LetterContext:
    e = ctx.engagement
    invoice_id = ctx.event("invoice_id")
    invoice = next((i for i in e.invoices if i.id == invoice_id), None)
    number = ctx.event("credit_note_number", invoice.credit_note_number if invoice else None)
    if invoice is None or number is None:
        raise DocumentRenderError("A credit_note needs a cancelled invoice, and none is on record.")
    values = {
        "credit_note": number,
        "invoice": ctx.event("number", invoice.number) or "",
        "label": ctx.invoice_label(invoice),
        "issued_on": ctx.fmt.date(e.day_of(invoice.issued_at)),
        "amount": ctx.fmt.money(Decimal(ctx.event("amount", invoice.credited))),
        "reason": ctx.event("reason", invoice.cancellation_reason or ""),
        "balance": ctx.fmt.money(e.balance_due),
    }
    body = ctx.texts(f"{KEY}.body", **values)
    body.append(ctx.text(f"{KEY}.balance" if e.balance_due > 0 else f"{KEY}.nothing_owed", **values))
    return letter(ctx, body, [], None, **values)
