"""The next deadline of an engagement, and issuing the invoices that have fallen due.

``refresh_deadline`` runs on every engagement a unit of work changed, before each flush
(wired in ``create_app``), so no use case has to remember it; call it directly only where an
engagement is saved without a record entry (the sweep, when nothing was due after all).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from service.application.record import append_entry, seal_head
from service.application.unit_of_work import UnitOfWork
from service.domain import amendments
from service.domain.calendar import local_day
from service.domain.engine import WorkflowEngine
from service.domain.invoicing import Invoicing, invoicing_of
from service.domain.model import Engagement, Event, Invoice
from service.domain.record import Signer
from service.domain.schedule import TERMS_IN_FORCE, Step, issue_monthly, next_step, run_due


def before_flush(workflow: WorkflowEngine, signer: Signer, engagement: Engagement) -> None:
    """On every engagement a unit of work changed, before each flush: its next deadline, and the
    signature of its record head (so no use case can forget either)."""
    refresh_deadline(workflow, engagement)
    seal_head(signer, engagement)


def refresh_deadline(engine: WorkflowEngine, engagement: Engagement) -> None:
    """The earliest automatic step (binding amended terms coming into force are one)."""
    step = next_step(engagement, engine)
    engagement.next_deadline = step.at if step else None


def issue_due_invoices(
    engine: WorkflowEngine, uow: UnitOfWork, engagement: Engagement, now: datetime
) -> None:
    """Issue every monthly invoice whose day has come: on creation and before any change."""
    if engagement.next_deadline is not None and engagement.next_deadline > now:
        return  # the stored deadline is the earliest step, invoices included: nothing is due

    def issue(step: Step, at: datetime) -> Event:
        return take_calendar_step(uow, engagement, step, at)

    run_due(engagement, engine, now, uow.record.last_at(engagement), issue, triggers=())


def bring_terms_into_force(
    uow: UnitOfWork, engagement: Engagement, now: datetime, day: date | None = None
) -> list[Event]:
    """Binding amendments whose day (``day``, else today) has come become the engagement's
    terms, each with a record entry dated ``now``."""
    day = engagement.day_of(now) if day is None else day
    return [
        append_entry(uow, engagement, TERMS_IN_FORCE, amendment_payload(amendment), now)
        for amendment in amendments.bring_into_force(engagement, day)
    ]


def take_calendar_step(uow: UnitOfWork, engagement: Engagement, step: Step, at: datetime) -> Event:
    """A step that is no workflow trigger: amended terms coming into force at 00:00 of their
    day (dated ``at``, never before the record's last entry), or a monthly invoice."""
    if step.trigger == TERMS_IN_FORCE:
        return bring_terms_into_force(uow, engagement, at, engagement.day_of(step.at))[-1]
    return issue_invoice_step(uow, engagement, step, at)


def amendment_payload(amendment: amendments.Amendment) -> dict[str, Any]:
    return {
        "amendment_id": amendment.id,
        "effective_on": amendment.effective_on.isoformat(),
        "fields": list(amendment.changes),
        "changes": {t: {"from": _json(old), "to": _json(new)} for t, (old, new) in amendment.changes.items()},
    }


def _json(value: Any) -> Any:
    return value if isinstance(value, int | str) else str(value)


def issue_invoice_step(uow: UnitOfWork, engagement: Engagement, step: Step, at: datetime) -> Event:
    assert step.invoice is not None, "not an invoice step"
    invoice = issue_monthly(engagement, step.invoice, at, invoicing_for(uow, engagement))
    return append_invoice_entry(uow, engagement, invoice, at)


def invoicing_for(uow: UnitOfWork, engagement: Engagement) -> Invoicing:
    """The taxes the engagement's account puts on an invoice issued now."""
    tenant = uow.tenants.get(engagement.tenant_id)  # already loaded with the engagement: no query
    assert tenant is not None
    return invoicing_of(tenant.jurisdiction, tenant.vat_number, tenant.tax_profile)


def append_invoice_entry(uow: UnitOfWork, engagement: Engagement, invoice: Invoice, at: datetime) -> Event:
    """Every invoice is issued through here: it takes its number, then its record entry."""
    number_invoice(uow, engagement, invoice, at)
    uow.flush()  # gives the invoice its id for the record
    return append_entry(uow, engagement, "invoice_issued", invoice_payload(invoice), at)


def number_invoice(uow: UnitOfWork, engagement: Engagement, invoice: Invoice, at: datetime) -> None:
    """The next number of the tenant's calendar year, the year of the issue day in its time zone."""
    if invoice.number is not None:
        return
    tenant = uow.tenants.get(engagement.tenant_id)  # already loaded with the engagement: no query
    assert tenant is not None
    year = local_day(at, tenant.timezone).year
    invoice.tenant_id = engagement.tenant_id
    invoice.number = format_number(year, uow.invoice_numbers.take(engagement.tenant_id, year))


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:04d}"


def invoice_payload(invoice: Invoice) -> dict[str, Any]:
    return {
        "invoice_id": invoice.id,
        "number": invoice.number,
        "period": invoice.period,
        "description": invoice.description,
        "amount": str(invoice.amount),
        "payable": str(invoice.payable),
        "due_on": invoice.due_on.isoformat(),
        "paid_from_credit": str(invoice.paid_amount),
    }
