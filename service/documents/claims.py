"""What remains of the interest and compensation claimed, in every letter that says what is owed
(resume, termination, closing): once claimed, never silently dropped (``domain/claims.py``)."""

from __future__ import annotations

from markupsafe import Markup

from service.documents.base import DocContext
from service.domain.claims import claim_due
from service.domain.statement import REGIME_NAMES


def remaining_claim(ctx: DocContext) -> list[Markup]:
    """The sentence naming the claim still due on the letter's day, and the order payments were
    applied in; nothing when nothing was claimed, or it was paid or waived."""
    e = ctx.engagement
    amount = claim_due(e, ctx.today)
    if amount <= 0 or e.claimed_on is None:
        return []
    return [
        ctx.text(
            "claims.remaining",
            amount=ctx.fmt.money(amount),
            claimed_on=ctx.fmt.date(e.claimed_on),
            regime=REGIME_NAMES[e.jurisdiction],
        )
    ]
