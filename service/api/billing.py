"""Invoices, payments, the clock and the forecast."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from service.api.auth import tenant_id
from service.api.billing_schemas import (
    CancellationResultSchema,
    ClockResetSchema,
    ClockSchema,
    CorrectionSchema,
    ForecastQuerySchema,
    ForecastSchema,
    InvoiceCreateSchema,
    InvoiceSchema,
    PaymentCreateSchema,
    PaymentPageSchema,
    PaymentResultSchema,
    ReversalResultSchema,
    TickRequestSchema,
    TickResultSchema,
)
from service.api.common import etag, runtime
from service.api.fields import ID
from service.api.idempotency import commits_in_parts
from service.api.schemas import PageQuerySchema, before_id
from service.application import billing, clock, corrections, sandbox_clock

blp = Blueprint("billing", __name__, url_prefix="/v1", description="Invoices, payments and the clock")


@blp.route(f"/engagements/<{ID}:engagement_id>/invoices")
class Invoices(MethodView):
    @blp.response(200, InvoiceSchema(many=True))
    def get(self, engagement_id: int) -> list[dict[str, Any]]:
        """Every invoice, oldest due first, with what is paid, outstanding and how late."""
        return billing.list_invoices(runtime(), tenant_id(), engagement_id)

    @blp.arguments(InvoiceCreateSchema())
    @blp.response(201, InvoiceSchema)
    def post(self, body: dict[str, Any], engagement_id: int) -> tuple[dict[str, Any], int]:
        """Add a one-off invoice; credit from an earlier overpayment settles it first."""
        return billing.add_invoice(runtime(), tenant_id(), engagement_id, body), 201


@blp.route(f"/engagements/<{ID}:engagement_id>/payments")
class Payments(MethodView):
    @blp.arguments(PageQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, PaymentPageSchema)
    def get(self, query: dict[str, Any], engagement_id: int) -> dict[str, Any]:
        """The payments received, newest first, a page at a time."""
        items, next_cursor = billing.list_payments(
            runtime(), tenant_id(), engagement_id, before_id=before_id(query), limit=query["limit"]
        )
        return {"items": items, "next_cursor": str(next_cursor) if next_cursor else None}

    @blp.arguments(PaymentCreateSchema())
    @blp.response(201, PaymentResultSchema)
    @blp.alt_response(422, description="Bad input, another currency, or a date in the future")
    def post(self, body: dict[str, Any], engagement_id: int) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Record a payment: oldest invoice first, any excess kept as credit; resumes work when
        nothing is overdue any more."""
        result = billing.record_payment(runtime(), tenant_id(), engagement_id, body)
        return result, 201, {"ETag": etag(result["engagement"]["version"])}


@blp.route(f"/engagements/<{ID}:engagement_id>/payments/<{ID}:payment_id>/reversal", methods=["POST"])
@blp.arguments(CorrectionSchema())
@blp.response(201, ReversalResultSchema)
@blp.alt_response(404, description="No such payment on this engagement")
@blp.alt_response(409, description="The payment is already reversed")
def reverse_payment(body: dict[str, Any], engagement_id: int, payment_id: int) -> tuple[dict[str, Any], int]:
    """Reverse a payment (a bounced transfer, a typing error): it stays on record, marked reversed
    with its reason; the invoices are settled again without it. Letters already sent stay."""
    result = corrections.reverse_payment(runtime(), tenant_id(), engagement_id, payment_id, body["reason"])
    return result, 201


@blp.route(f"/engagements/<{ID}:engagement_id>/invoices/<{ID}:invoice_id>/cancellation", methods=["POST"])
@blp.arguments(CorrectionSchema())
@blp.response(201, CancellationResultSchema)
@blp.alt_response(404, description="No such invoice on this engagement")
@blp.alt_response(409, description="The invoice is paid or already cancelled")
def cancel_invoice(body: dict[str, Any], engagement_id: int, invoice_id: int) -> tuple[dict[str, Any], int]:
    """Cancel an invoice's unpaid part by a credit note (numbered NC-YYYY-NNNN, its own series),
    written as a document and drafted as a message to the client."""
    result = corrections.cancel_invoice(runtime(), tenant_id(), engagement_id, invoice_id, body["reason"])
    return result, 201


@blp.route(f"/engagements/<{ID}:engagement_id>/forecast")
@blp.arguments(ForecastQuerySchema(), location="query", unknown=RAISE)
@blp.response(200, ForecastSchema)
def forecast(query: dict[str, Any], engagement_id: int) -> dict[str, Any]:
    """The automatic steps that will happen by ``until`` if nothing changes; writes nothing."""
    return clock.forecast(runtime(), tenant_id(), engagement_id, query["until"])


@blp.route("/clock/tick", methods=["POST"])
@blp.arguments(TickRequestSchema(), required=False)
@blp.response(200, TickResultSchema)
@blp.alt_response(403, description="as_of given by an account that is not a sandbox")
@blp.alt_response(409, description="as_of is earlier than the sandbox clock")
@blp.alt_response(422, description="as_of over 400 days ahead of the sandbox clock, or outside 2000–2200")
@blp.alt_response(503, description="A step due could not be taken; the failure is named, the rest kept")
@commits_in_parts
def tick(body: dict[str, Any]) -> dict[str, Any]:
    """Take the automatic steps due for this account; a sandbox may first move its clock on."""
    return clock.tick(runtime(), tenant_id(), body.get("as_of"))


@blp.route("/clock/reset", methods=["POST"])
@blp.arguments(ClockResetSchema())
@blp.response(200, ClockSchema)
@blp.alt_response(403, description="The account is not a sandbox")
@blp.alt_response(409, description="The sandbox already has engagements, dated on its clock")
@blp.alt_response(422, description="as_of missing, or outside 2000–2200")
def reset_clock(body: dict[str, Any]) -> dict[str, Any]:
    """Start a sandbox's rehearsal over: its clock to any time, while it has no engagements."""
    return sandbox_clock.reset(runtime(), tenant_id(), body["as_of"])
