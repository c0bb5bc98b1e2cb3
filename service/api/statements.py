"""The statement of account: what the client owes today, with statutory interest and fixed sums."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, Amount, CalendarDate
from service.application.statements import get_statement

blp = Blueprint("statements", __name__, url_prefix="/v1", description="Statement of account")


class StatementQuerySchema(Schema):
    as_of = CalendarDate(metadata={"description": "The day to draw up the statement for; default your today"})


class RatePeriodSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from", metadata={"description": "First day, inclusive"})
    to = fields.Date(metadata={"description": "Last day, inclusive"})
    rate = fields.String(metadata={"description": "Statutory rate in percent a year", "example": "10.15"})
    days = fields.Integer()
    interest = Amount()
    provisional = fields.Boolean(metadata={"description": "The half-year's rate is not on file yet"})
    source = fields.String(metadata={"description": "Where the reference rate was published"})


class StatementInvoiceSchema(Schema):
    id = fields.Integer()
    number = fields.String(allow_none=True)
    description = fields.String()
    amount = Amount(metadata={"description": "The fee, before taxes"})
    payable = Amount(
        metadata={"description": "What the client owes on it, with its taxes, less any withholding"}
    )
    outstanding = Amount(metadata={"description": "Of the amount payable; interest runs on it"})
    due_on = fields.Date()
    paid_on = fields.Date(allow_none=True)
    days_late = fields.Integer()
    interest = Amount()
    compensation = Amount(metadata={"description": "Fixed sum for this late debt"})
    rate_periods = fields.List(fields.Nested(RatePeriodSchema))


class ClaimSchema(Schema):
    """Interest and compensation once claimed in a letter: due until paid or waived."""

    claimed_on = fields.Date(
        allow_none=True, metadata={"description": "First claimed in a letter; null if never"}
    )
    paid = Amount(metadata={"description": "What payments beyond the invoices settled of the claim"})
    due = Amount(metadata={"description": "What remains due of the claim on as_of"})
    waiver = fields.Dict(
        allow_none=True, metadata={"description": "The waiver (waive_interest): on, reason, amount"}
    )
    allocation = fields.String(
        metadata={
            "description": "How payments are applied (the account's payment_allocation): capital_first "
            "(invoices, then the claim) or statutory (the claim, then the invoices; art. 1194 c.c.)"
        }
    )
    holds_resume = fields.Boolean(
        metadata={"description": "Whether the claim still due holds the resume (interest_holds_resume)"}
    )


class StatementSchema(Schema):
    as_of = fields.Date()
    jurisdiction = fields.String(metadata={"description": "IT, GB or EU"})
    regime = fields.String(metadata={"description": "The law the interest and fixed sums come from"})
    currency = fields.String()
    rates_version = fields.String()
    provisional = fields.Boolean(
        metadata={"description": "Some rate is the last known, not the half-year's own"}
    )
    compensation_applies = fields.Boolean(
        metadata={"description": "False when the engagement's currency is not the regime's (EUR, GBP)"}
    )
    invoices = fields.List(fields.Nested(StatementInvoiceSchema))
    outstanding_total = Amount()
    interest_total = Amount()
    compensation_total = Amount()
    claimable_total = Amount(metadata={"description": "Outstanding plus interest plus fixed sums"})
    claim = fields.Nested(ClaimSchema)


@blp.route(f"/engagements/<{ID}:engagement_id>/statement")
@blp.arguments(StatementQuerySchema(), location="query", unknown=RAISE)
@blp.response(200, StatementSchema)
@blp.alt_response(422, description="as_of is not a date, or more than 5 years ahead")
def statement(query: dict[str, Any], engagement_id: int) -> dict[str, Any]:
    """Outstanding and late invoices with statutory interest per rate period, fixed compensation
    and the totals a formal demand may claim; writes nothing."""
    return get_statement(runtime(), tenant_id(), engagement_id, query.get("as_of"))
