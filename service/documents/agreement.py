"""The mutual ending: a termination agreement both parties sign, not a notice one party sends.

It names one day the contract ends (never before the contract starts, the day the final report
gives too), lists what the client still owes with the bank details only when something is owed,
and keeps any claim of interest not yet paid or waived. Its acceptance block has a place for
each party's signature; the agreement binds once the client returns it signed (art. 1372 c.c.).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from service.documents.base import DocContext, DocumentRenderError
from service.documents.claims import remaining_claim, settled_claim
from service.documents.notices import letter
from service.documents.shapes import LetterContext

KEY = "notices.termination_agreement"


def termination_agreement(ctx: DocContext) -> LetterContext:
    e = ctx.engagement
    ends_on = ctx.event("ends_on", e.ends_on.isoformat() if e.ends_on else None)
    if ends_on is None:
        raise DocumentRenderError("A termination_agreement needs the day the contract ends.")
    values = {
        "ends_on": ctx.fmt.date(date.fromisoformat(ends_on)),
        "signed_on": ctx.fmt.date(e.day_of(e.created_at)),
        "explanation": ctx.event("explanation", e.offboarding_explanation),
        "handover_number": ctx.clause_numbers["termination"],
    }
    unpaid = e.unpaid_invoices()
    claim = remaining_claim(ctx)
    body = ctx.texts(f"{KEY}.body", **values)
    if unpaid or not claim:  # "no payment" only when no claim remains either
        body += ctx.texts(f"{KEY}.owed" if unpaid else f"{KEY}.nothing_owed")
    # The claim after the invoices "owed as follows", not between that line and its list.
    after = claim or settled_claim(ctx)
    after += ctx.texts(f"{KEY}.after_items", **values) + (ctx.payment_details(unpaid) if unpaid else [])
    result = letter(ctx, body, ctx.invoice_lines(unpaid), after, quote=False, **values)
    acceptance = {
        "title": ctx.text(f"{KEY}.acceptance.title"),
        "lines": ctx.texts(f"{KEY}.acceptance.lines", **values),
    }
    return replace(result, acceptance=acceptance)
