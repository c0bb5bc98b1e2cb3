"""Money typed wrong can be corrected, and the record keeps both the mistake and the correction.

A payment that repeats an earlier one (same amount and reference, received within a week of
it) is most likely the same bank transfer entered twice: it is refused unless the user confirms
it. A payment can be reversed (a bounced transfer, a typing error): it stays in the table and
the record, marked reversed with its reason, and the invoices are settled again from the
payments that remain, so the balance and the ladder of reminders follow. An invoice's unpaid
part can be cancelled by a credit note, numbered in its own series (``NC-2027-0001``).
Letters already sent are never rewritten: they stay what the client received.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from service.domain.billing import apply_payment
from service.domain.errors import Conflict
from service.domain.model import Engagement, Invoice, Payment
from service.domain.money import ZERO
from service.domain.sayings import Money, Said

DUPLICATE_WINDOW = timedelta(days=7)
CREDIT_NOTE_PREFIX = "NC"


def _same_reference(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def refuse_duplicate(engagement: Engagement, amount: Decimal, received_on: date, reference: str) -> None:
    """409 naming the standing payment this one seems to repeat (confirm_duplicate overrides)."""
    earlier = _earlier_duplicate(engagement, amount, received_on, reference)
    if earlier is not None:
        said = Said(
            "conflicts.duplicate_payment",
            payment=earlier.id,
            amount=Money(earlier.amount, engagement.currency),
            received_on=earlier.received_on.isoformat(),
            reference=earlier.reference,
        )
        raise Conflict(said, language=engagement.language)


def _earlier_duplicate(
    engagement: Engagement, amount: Decimal, received_on: date, reference: str
) -> Payment | None:
    for payment in reversed(engagement.payments):
        if (
            payment.reversed_at is None
            and payment.amount == amount
            and _same_reference(payment.reference, reference)
            and abs(payment.received_on - received_on) <= DUPLICATE_WINDOW
        ):
            return payment
    return None


def resettle(engagement: Engagement) -> None:
    """Settle every invoice again from the standing payments, in the order they were recorded."""
    for invoice in engagement.invoices:
        invoice.paid_amount, invoice.paid_on = ZERO, None
    # What the payments settled of the claim is settled again too: in the statutory order the
    # claim comes first, and a reversed payment's share of it must not stay counted.
    engagement.credit = engagement.claim_paid = ZERO
    for payment in sorted(engagement.payments, key=lambda p: p.id or 0):
        if payment.reversed_at is None:
            apply_payment(engagement, payment.amount, payment.received_on)


def reverse_payment(engagement: Engagement, payment: Payment, reason: str, at: datetime) -> None:
    if payment.reversed_at is not None:
        on = engagement.day_of(payment.reversed_at)
        raise Conflict(
            Said("conflicts.payment_reversed", payment=payment.id, on=on), language=engagement.language
        )
    payment.reversed_at, payment.reversal_reason = at, reason
    resettle(engagement)


def cancel_invoice(engagement: Engagement, invoice: Invoice, reason: str, at: datetime) -> Decimal:
    """Take the invoice's unpaid part off by a credit note; returns the amount credited."""
    if invoice.cancelled_at is not None:
        said = Said("conflicts.invoice_cancelled", number=invoice.number or invoice.id)
        raise Conflict(said, language=engagement.language)
    if invoice.outstanding <= ZERO:
        said = Said("conflicts.invoice_paid", number=invoice.number or invoice.id)
        raise Conflict(said, language=engagement.language)
    credited = invoice.outstanding
    invoice.credited += credited
    invoice.cancelled_at, invoice.cancellation_reason = at, reason
    return credited


def credit_note_number(year: int, counter: int) -> str:
    return f"{CREDIT_NOTE_PREFIX}-{year:04d}-{counter:04d}"
