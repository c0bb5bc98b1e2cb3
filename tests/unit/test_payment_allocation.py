"""Issue 30: the order a payment is applied in is the account's choice, and so is whether the
claimed interest still unpaid holds the resume. Figures computed by hand:

An invoice of 1,200.00 € due 1 December 2026, interest claimed on 20 December, paid in full on
31 December: 30 days late (2-31 December) at 2.40 % + 8 = 10.40 % a year (D.Lgs. 231/2002),
1,200.00 x 10.40 % x 30 / 365 = 10.2575, so 10.26 €, plus the fixed 40.00 € (art. 6): the
claim is 50.26 € on the day of payment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from service.domain.billing import apply_payment
from service.domain.claims import claim_due
from service.domain.corrections import reverse_payment
from service.domain.guards import nothing_overdue
from service.domain.model import Engagement, Payment
from service.domain.rules import TransitionContext
from tests.unit import builders

PAID_ON = date(2026, 12, 31)
CLAIM = Decimal("50.26")


def _claimed(allocation: str, holds_resume: bool = False) -> Engagement:
    engagement = builders.engagement(
        jurisdiction="IT", payment_allocation=allocation, interest_holds_resume=holds_resume
    )
    engagement.invoices.append(builders.invoice(date(2026, 12, 1)))
    engagement.claimed_on = date(2026, 12, 20)
    return engagement


def test_the_claim_is_the_hand_computed_figure() -> None:
    assert claim_due(_claimed("capital_first"), PAID_ON) == CLAIM


def test_capital_first_settles_the_invoice_and_leaves_the_claim_due() -> None:
    engagement = _claimed("capital_first")
    [allocation] = apply_payment(engagement, Decimal("1200.00"), PAID_ON)
    assert allocation.amount == Decimal("1200.00")
    invoice = engagement.invoices[0]
    assert invoice.outstanding == Decimal("0.00") and invoice.paid_on == PAID_ON
    assert engagement.claim_paid == Decimal("0") and engagement.credit == Decimal("0")
    assert claim_due(engagement, PAID_ON) == CLAIM  # due apart, never dropped


def test_the_statutory_order_settles_the_claim_before_the_invoice() -> None:
    engagement = _claimed("statutory")
    [allocation] = apply_payment(engagement, Decimal("1200.00"), PAID_ON)
    # 1,200.00 - 50.26 = 1,149.74 to the invoice; 50.26 of capital stays unpaid.
    assert engagement.claim_paid == CLAIM
    assert allocation.amount == Decimal("1149.74")
    assert engagement.invoices[0].outstanding == Decimal("50.26")
    assert engagement.invoices[0].paid_on is None and engagement.credit == Decimal("0")


@pytest.mark.parametrize("allocation", ["capital_first", "statutory"])
def test_either_order_settles_everything_when_the_payment_covers_it(allocation: str) -> None:
    engagement = _claimed(allocation)
    apply_payment(engagement, Decimal("1300.00"), PAID_ON)
    # 1,300.00 = 1,200.00 + 50.26 + 49.74 of credit, whatever the order.
    assert engagement.invoices[0].outstanding == Decimal("0.00")
    assert engagement.claim_paid == CLAIM and engagement.credit == Decimal("49.74")


def test_a_reversal_takes_back_the_share_of_the_claim_too() -> None:
    engagement = _claimed("statutory")
    payment = Payment(
        Decimal("1200.00"), PAID_ON, "Bonifico", recorded_at=datetime(2027, 1, 2, tzinfo=UTC), id=1
    )
    engagement.payments.append(payment)
    apply_payment(engagement, payment.amount, PAID_ON)
    reverse_payment(engagement, payment, "Bounced", datetime(2027, 1, 3, tzinfo=UTC))
    assert engagement.claim_paid == Decimal("0") and engagement.invoices[0].outstanding == Decimal("1200.00")


def _resume_blockers(engagement: Engagement) -> list[str]:
    return nothing_overdue(TransitionContext(engagement, datetime(2027, 1, 2, 9, 0, tzinfo=UTC)))


def test_by_default_the_claim_does_not_hold_the_resume() -> None:
    engagement = _claimed("capital_first")
    apply_payment(engagement, Decimal("1200.00"), PAID_ON)
    assert _resume_blockers(engagement) == []


def test_an_account_may_let_the_unpaid_claim_hold_the_resume() -> None:
    engagement = _claimed("capital_first", holds_resume=True)
    apply_payment(engagement, Decimal("1200.00"), PAID_ON)
    [blocker] = _resume_blockers(engagement)
    assert blocker.key == "guards.claim_outstanding"
    apply_payment(engagement, CLAIM, PAID_ON)  # the claim paid: nothing holds the resume
    assert _resume_blockers(engagement) == []
