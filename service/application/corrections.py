"""Correcting money typed wrong: reversing a payment, cancelling an invoice by a credit note.

Both keep what was there (the payment row and its entry, the invoice and its entry) and add an
entry for the correction; the invoices are settled again, so the balance, the next deadline and
the ladder follow. Documents already written are never rewritten. See ``domain.corrections``.
"""

from __future__ import annotations

from typing import Any

from service.application.billing import invoice_view, payment_view
from service.application.documents import issue_documents
from service.application.loading import Loaded, load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.transitions import apply_trigger
from service.application.unit_of_work import UnitOfWork
from service.application.views import document_view, engagement_view, event_view
from service.domain import corrections
from service.domain.calendar import local_day
from service.domain.errors import NotFound
from service.domain.model import Event


def reverse_payment(
    rt: Runtime, tenant_id: int, engagement_id: int, payment_id: int, reason: str
) -> dict[str, Any]:
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id)
        engagement, now = change.engagement, change.now
        payment = next((p for p in engagement.payments if p.id == payment_id), None)
        if payment is None:
            raise NotFound("payment", payment_id)
        corrections.reverse_payment(engagement, payment, reason, now)
        payload = {
            "payment_id": payment.id,
            "amount": str(payment.amount),
            "currency": engagement.currency,
            "reference": payment.reference,
            "reason": reason,
            "credit": str(engagement.credit),
            "balance_due": str(engagement.balance_due),
        }
        event = append_entry(uow, engagement, "payment_reversed", payload, now)
        result = {
            "payment": payment_view(payment),
            "engagement": engagement_view(engagement),
            "event": event_view(event),
        }
        uow.commit()
        return result


def cancel_invoice(
    rt: Runtime, tenant_id: int, engagement_id: int, invoice_id: int, reason: str
) -> dict[str, Any]:
    """Cancel the invoice's unpaid part by a credit note in its own series, sent as a document;
    work resumes at once when nothing is overdue any more, as after a payment."""
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id)
        tenant, engagement, now = change.tenant, change.engagement, change.now
        invoice = next((i for i in engagement.invoices if i.id == invoice_id), None)
        if invoice is None:
            raise NotFound("invoice", invoice_id)
        credited = corrections.cancel_invoice(engagement, invoice, reason, now)
        year = local_day(now, tenant.timezone).year
        number = uow.invoice_numbers.take_credit_note(tenant_id, year)
        invoice.credit_note_number = corrections.credit_note_number(year, number)
        payload = {
            "invoice_id": invoice.id,
            "number": invoice.number,
            "credit_note_number": invoice.credit_note_number,
            "amount": str(credited),
            "currency": engagement.currency,
            "reason": reason,
            "balance_due": str(engagement.balance_due),
        }
        event = append_entry(uow, engagement, "invoice_cancelled", payload, now)
        documents = issue_documents(rt, uow, tenant, engagement, ("credit_note",), event, now)
        resumed = _resume_if_settled(rt, uow, change)
        result = {
            "invoice": invoice_view(engagement, invoice, engagement.day_of(now)),
            "engagement": engagement_view(engagement),
            "event": event_view(event),
            "documents": [document_view(d) for d in documents],
            "resume_event": event_view(resumed) if resumed else None,
        }
        uow.commit()
        return result


def _resume_if_settled(rt: Runtime, uow: UnitOfWork, change: Loaded) -> Event | None:
    trigger = rt.workflow.first_allowed(change.engagement, "payment", change.now)
    if trigger is None:
        return None
    return apply_trigger(
        rt, uow, change.tenant, change.engagement, trigger, change.now, actor="payment"
    ).event
