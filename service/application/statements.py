"""The statement of account: outstanding invoices with statutory interest and compensation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from service.application.loading import load_for_reading
from service.application.runtime import Runtime
from service.domain.calendar import local_day
from service.domain.claims import claim_due
from service.domain.errors import InvalidInput
from service.domain.interest import percent
from service.domain.statement import Statement, StatementLine, statement

MAX_YEARS_AHEAD = 5


def get_statement(rt: Runtime, tenant_id: int, engagement_id: int, as_of: date | None) -> dict[str, Any]:
    """As of ``as_of``, by default the tenant's today; a later day shows the interest by then."""
    with rt.reader() as uow:
        loaded = load_for_reading(rt, uow, tenant_id, engagement_id)
        today = local_day(loaded.now, loaded.tenant.timezone)
        day = as_of or today
        if day > today + timedelta(days=366 * MAX_YEARS_AHEAD):
            raise InvalidInput(
                {"as_of": [f"At most {MAX_YEARS_AHEAD} years after today ({today.isoformat()})."]}
            )
        engagement = loaded.engagement
        view = statement_view(statement(engagement, day, rt.rates))
        # Once claimed in a letter, interest and compensation stay due until paid or waived.
        view["claim"] = {
            "claimed_on": engagement.claimed_on,
            "paid": engagement.claim_paid,
            "due": claim_due(engagement, day, rt.rates),
            "waiver": engagement.claim_waiver,
            "allocation": engagement.payment_allocation,
            "holds_resume": engagement.interest_holds_resume,
        }
        return view


def statement_view(s: Statement) -> dict[str, Any]:
    return {
        "as_of": s.as_of,
        "jurisdiction": s.jurisdiction,
        "regime": s.regime,
        "currency": s.currency,
        "rates_version": s.rates_version,
        "provisional": s.provisional,
        "compensation_applies": s.compensation_applies,
        "invoices": [_line_view(line) for line in s.lines],
        "outstanding_total": s.outstanding_total,
        "interest_total": s.interest_total,
        "compensation_total": s.compensation_total,
        "claimable_total": s.claimable_total,
    }


def _line_view(line: StatementLine) -> dict[str, Any]:
    invoice = line.invoice
    return {
        "id": invoice.id,
        "number": invoice.number,
        "description": invoice.description,
        "amount": invoice.amount,
        "payable": invoice.payable,
        "outstanding": line.outstanding,
        "due_on": invoice.due_on,
        "paid_on": invoice.paid_on if line.outstanding == 0 else None,
        "days_late": line.accrual.days_late,
        "interest": line.accrual.interest,
        "compensation": line.compensation,
        "rate_periods": [
            {
                "from": p.start,
                "to": p.end,
                "rate": percent(p.rate),
                "days": p.days,
                "interest": p.interest,
                "provisional": p.provisional,
                "source": p.applied.reference.source,
            }
            for p in line.accrual.periods
        ],
    }
