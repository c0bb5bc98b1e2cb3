"""What remains of the interest and compensation claimed, in every letter that says what is owed
(resume, termination, closing): once claimed, never silently dropped (``domain/claims.py``);
and the order payments were applied in, the account's own (capital first, or art. 1194 c.c.)."""

from __future__ import annotations

from markupsafe import Markup

from service.documents.base import DocContext
from service.domain.claims import claim_due
from service.domain.statement import REGIME_NAMES


def allocation_rule(ctx: DocContext) -> Markup:
    """The sentence naming the order payments are applied in (the account's setting)."""
    e = ctx.engagement
    return ctx.text(f"claims.allocation.{e.payment_allocation}", italian_law=e.jurisdiction == "IT")


def remaining_claim(ctx: DocContext) -> list[Markup]:
    """The sentence naming the claim still due on the letter's day, and the order payments were
    applied in; nothing when nothing was claimed, or it was paid or waived."""
    e = ctx.engagement
    amount = claim_due(e, ctx.today)
    if amount <= 0 or e.claimed_on is None:
        return []
    remaining = ctx.text(
        "claims.remaining",
        amount=ctx.fmt.money(amount),
        claimed_on=ctx.fmt.date(e.claimed_on),
        regime=REGIME_NAMES[e.jurisdiction],
    )
    return [remaining, allocation_rule(ctx)]


def settled_claim(ctx: DocContext) -> list[Markup]:
    """Once payments settled the whole claim, the order they were applied in (nothing else is
    said of it: nothing remains); nothing when no payment went to a claim."""
    e = ctx.engagement
    if e.claimed_on is None or e.claim_waiver is not None or e.claim_paid <= 0:
        return []
    return [] if claim_due(e, ctx.today) > 0 else [allocation_rule(ctx)]
