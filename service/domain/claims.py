"""Interest and compensation once claimed stay claimed, until paid or waived.

The statement of account computes the statutory interest and the fixed compensation of every
invoice paid late or still unpaid (``domain/statement.py``). Sending them to the client in a
statement or a formal demand *claims* them (``claimed_on``). From then on every letter that
says what is owed (the resume notice, the termination notice, the closing record) states what
remains of the claim: a letter silent about it could be read as a waiver (art. 1236 c.c.
needs the creditor's declaration; silence in a later letter is evidence a court may weigh).

By default a payment settles capital first (the invoices, so work resumes as soon as they are
paid); what exceeds the invoices goes to the claim, then to credit. The creditor may choose this
order over art. 1194 c.c.'s (costs and interest before capital): that article protects the
creditor, who may consent to another imputation. An account may keep the statutory order
instead (``payment_allocation: statutory``), and may let the claim still due hold the resume
(``interest_holds_resume``); the letters say which order was applied. A waiver is the user's
act (``waive_interest``, with a reason), recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from service.domain.model import Engagement
from service.domain.money import ZERO
from service.domain.rates import RateTable, default_rates
from service.domain.statement import statement

# The letters whose sending claims interest and compensation.
CLAIMING_KINDS = frozenset({"statement", "formal_demand"})


def mark_claimed(engagement: Engagement, day: date) -> None:
    """The first letter that claimed interest and compensation: from then on they stay claimed."""
    if engagement.claimed_on is None and engagement.claim_waiver is None:
        engagement.claimed_on = day


def is_claimed(engagement: Engagement) -> bool:
    return engagement.claimed_on is not None and engagement.claim_waiver is None


def claimed_total(engagement: Engagement, day: date, rates: RateTable | None = None) -> Decimal:
    """Interest and compensation accrued by ``day`` on the invoices, once claimed."""
    if not is_claimed(engagement):
        return ZERO
    figures = statement(engagement, day, rates or default_rates())
    return figures.interest_total + figures.compensation_total


def claim_due(engagement: Engagement, day: date, rates: RateTable | None = None) -> Decimal:
    """What remains of the claim on ``day``: accrued, less what payments settled of it."""
    return max(ZERO, claimed_total(engagement, day, rates) - engagement.claim_paid)


def settle_claim(engagement: Engagement, amount: Decimal, day: date) -> Decimal:
    """The part of ``amount`` (left after the invoices) that settles the claim; returns the rest."""
    share = min(amount, claim_due(engagement, day))
    engagement.claim_paid += share
    return amount - share


def holds_resume(engagement: Engagement, day: date) -> Decimal:
    """The claim still due that keeps work suspended: only where the account chose so."""
    return claim_due(engagement, day) if engagement.interest_holds_resume else ZERO


def waive(engagement: Engagement, day: date, reason: str) -> Decimal:
    """The user's waiver of what remains of the claim; returns the amount waived."""
    amount = claim_due(engagement, day)
    engagement.claim_waiver = {"on": day.isoformat(), "reason": reason, "amount": str(amount)}
    return amount
