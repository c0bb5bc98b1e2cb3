"""The ``formal_demand`` letter (*diffida ad adempiere*, letter before action), in it and en.

It claims the statement's figures on the day it is sent (the same domain function as GET
.../statement), gives its term from the client's receipt and names how it is sent (the deadline
the record holds moves to the PEC delivery receipt's day, see ``domain.demand``), the payment
details, and says what happens when the term passes unpaid, in the words of the engagement's
jurisdiction.
"""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from service.documents.base import DocContext
from service.documents.notices import letter
from service.documents.shapes import LetterContext
from service.documents.statement import KEY as STATEMENT
from service.documents.statement import claimed_total, statement_figures, waiver_on
from service.domain.messages import route_for
from service.domain.rates import RateTable, default_rates
from service.domain.statement import statement

KEY = "notices.formal_demand"


def delivery_means(ctx: DocContext) -> Markup:
    """How the letter leaves, as its messages route it: its term runs from the client's receipt."""
    e = ctx.engagement
    route = route_for(ctx.kind, e.client_email, e.client_pec, "email")
    return ctx.text(f"letter.delivery.{route.channel}", address=(route.to or [""])[0])


def formal_demand(ctx: DocContext, rates: RateTable | None = None) -> LetterContext:
    e = ctx.engagement
    sent_on = ctx.event_date("demanded_on", e.formal_demand_on)
    deadline = ctx.event_date("deadline", e.formal_demand_deadline)
    days = int(ctx.event("days", (deadline - sent_on).days))
    figures = statement(e, sent_on, rates or default_rates())
    # A demand asks for what has fallen due by its day: an invoice issued but not yet due is not
    # in breach, and demanding it would overstate the sum the term is given for (issue 30).
    figures = replace(figures, lines=tuple(line for line in figures.lines if line.invoice.due_on <= sent_on))
    values = {
        "as_of": ctx.fmt.date(sent_on),
        "regime": figures.regime,
        "claimable": ctx.fmt.money(claimed_total(ctx, figures)),
        "deadline": ctx.fmt.date(deadline),
        "term": ctx.count("day", days),
        "means": delivery_means(ctx),
        "waived": waiver_on(ctx) is not None,  # no interest said to run once it was waived
    }
    items, after = statement_figures(ctx, figures, rates)
    after += ctx.texts(f"{KEY}.deadline", **values)
    after += ctx.texts(f"{KEY}.consequences.{e.jurisdiction}", **values)
    after += ctx.payment_details([line.invoice for line in figures.lines if line.outstanding > 0])
    after += ctx.texts(f"{KEY}.after_items", **values)
    subject_key = f"subjects.{e.jurisdiction}"
    body = ctx.texts(f"{STATEMENT}.waived.demand_body" if waiver_on(ctx) else f"{KEY}.body", **values)
    return letter(ctx, body, items, after, subject_key, **values)
