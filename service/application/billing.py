"""Invoices and payments. A payment that leaves nothing overdue resumes the work at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from service.application.deadlines import append_invoice_entry, invoicing_for
from service.application.loading import load_for_change, load_for_reading
from service.application.pages import clamp, page_of
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.transitions import apply_trigger
from service.application.unit_of_work import require_engagement
from service.application.views import engagement_view, event_view, taxes_view
from service.domain import billing, corrections, sdi
from service.domain.errors import InvalidInput
from service.domain.model import Engagement, Invoice, Payment

MAX_CREDIT = Decimal("9999999999.99")  # what the money columns hold


def add_invoice(rt: Runtime, tenant_id: int, engagement_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """A one-off invoice (extra work, expenses) beside the monthly ones."""
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id)
        engagement, now = change.engagement, change.now
        invoicing = invoicing_for(uow, engagement)
        invoice = billing.add_invoice(
            engagement, body["description"], body["amount"], body["due_on"], now, None, invoicing
        )
        append_invoice_entry(uow, engagement, invoice, now)
        view = invoice_view(engagement, invoice, engagement.day_of(now))
        uow.commit()
        return view


def list_invoices(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        engagement = loaded.engagement
        today = engagement.day_of(loaded.now)
        return [invoice_view(engagement, i, today) for i in engagement.invoices]


def list_payments(
    rt: Runtime, tenant_id: int, engagement_id: int, *, before_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """The payments received, newest first, a page at a time."""
    limit = clamp(limit)
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        rows = uow.engagements.payments(engagement.id or 0, before_id=before_id, limit=limit + 1)
        return page_of([payment_view(p) for p in rows], limit)


def record_payment(rt: Runtime, tenant_id: int, engagement_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Settle the oldest invoices first; resume in the same transaction when nothing is overdue.

    Also after closing: a late payer's money is recorded, and unlocks the accounts withheld.
    """
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id, after_close=True)
        tenant, engagement, now = change.tenant, change.engagement, change.now
        _check_payment(engagement, body, engagement.day_of(now))
        amount: Decimal = body["amount"]
        if not body.get("confirm_duplicate"):
            corrections.refuse_duplicate(engagement, amount, body["received_on"], body["reference"])
        payment = Payment(amount, body["received_on"], body["reference"], recorded_at=now)
        engagement.payments.append(payment)
        claim_before = engagement.claim_paid
        allocations = billing.apply_payment(engagement, amount, payment.received_on)
        uow.flush()
        payload = _payment_payload(engagement, payment, allocations, engagement.claim_paid - claim_before)
        event = append_entry(uow, engagement, "payment_received", payload, now)
        resumed = None
        trigger = rt.workflow.first_allowed(engagement, "payment", now)
        if trigger is not None:
            resumed = apply_trigger(rt, uow, tenant, engagement, trigger, now, actor="payment").event
        result = {
            "payment": payment_view(payment),
            "engagement": engagement_view(engagement),
            "event": event_view(event),
            "resume_event": event_view(resumed) if resumed else None,
        }
        uow.commit()
        return result


def _check_payment(engagement: Engagement, body: dict[str, Any], today: date) -> None:
    errors = {}
    currency = body.get("currency")
    if currency is not None and currency != engagement.currency:
        errors["currency"] = [
            f"This engagement is billed in {engagement.currency}, not {currency}: "
            f"record the amount received in {engagement.currency}."
        ]
    excess = body["amount"] - engagement.balance_due
    if engagement.credit + excess > MAX_CREDIT:
        errors["amount"] = ["This would leave more credit than an engagement can hold; check the amount."]
    if body["received_on"] > today:
        errors["received_on"] = [f"A payment cannot be received after today ({today.isoformat()})."]
    if errors:
        raise InvalidInput(errors)


def _payment_payload(
    engagement: Engagement, payment: Payment, allocations: list[billing.Allocation], to_claim: Decimal
) -> dict[str, Any]:
    """What the payment settled, and by which rule (the account's order, art. 1194 c.c. or not)."""
    return {
        "payment_id": payment.id,
        "amount": str(payment.amount),
        "currency": engagement.currency,
        "received_on": payment.received_on.isoformat(),
        "reference": payment.reference,
        "settled": [
            {"invoice_id": a.invoice.id, "number": a.invoice.number, "amount": str(a.amount)}
            for a in allocations
        ],
        "allocation": engagement.payment_allocation,
        "claim_settled": str(to_claim),
        "credit": str(engagement.credit),
        "balance_due": str(engagement.balance_due),
    }


def invoice_view(engagement: Engagement, invoice: Invoice, today: date) -> dict[str, Any]:
    status = (
        "cancelled"
        if invoice.cancelled_at is not None and invoice.outstanding <= 0
        else "paid"
        if invoice.outstanding <= 0
        else "overdue"
        if invoice.is_overdue(today)
        else "open"
    )
    return {
        "id": invoice.id,
        "number": invoice.number,
        "period": invoice.period,
        "description": invoice.description,
        "amount": invoice.amount,
        "payable": invoice.payable,
        "taxes": taxes_view(invoice, engagement.day_of(invoice.issued_at)),
        "due_on": invoice.due_on,
        "issued_at": invoice.issued_at,
        "paid_amount": invoice.paid_amount,
        "outstanding": invoice.outstanding,
        "paid_on": invoice.paid_on,
        "days_late": billing.days_late(invoice, today),
        "reminded_at": invoice.reminded_at,
        "status": status,
        "credited": invoice.credited,
        "credit_note_number": invoice.credit_note_number,
        "cancelled_at": invoice.cancelled_at,
        "cancellation_reason": invoice.cancellation_reason,
        "sdi_status": invoice.sdi_status,
        "credit_note_sdi_status": sdi.status_of(invoice, sdi.CREDIT_NOTE),
        "sdi_receipts": invoice.sdi_receipts,
    }


def payment_view(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "amount": payment.amount,
        "received_on": payment.received_on,
        "reference": payment.reference,
        "recorded_at": payment.recorded_at,
        "reversed_at": payment.reversed_at,
        "reversal_reason": payment.reversal_reason,
    }
