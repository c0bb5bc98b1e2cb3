"""Schemas of invoices, payments, the clock and the forecast."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.api.fields import SUPPORTED_YEARS_PATTERN, Amount, CalendarDate, Line, Money, Text
from service.api.schemas import DocumentSchema, EngagementSchema, EventSchema, StrictSchema, page_schema
from service.domain.money import CURRENCIES
from service.domain.sdi import ALL_STATUSES, CREDIT_NOTE, INVOICE, OUTCOMES, STATUSES


class InvoiceCreateSchema(StrictSchema):
    description = Line(500, required=True, min_length=1, metadata={"example": "Extra campaign, March"})
    amount = Money(required=True)
    due_on = CalendarDate(required=True)


class SdiErrorSchema(Schema):
    code = fields.String(metadata={"description": "SdI's error code (Codice)", "example": "00404"})
    description = fields.String(metadata={"description": "SdI's words (Descrizione)"})


class SdiReceiptSchema(Schema):
    document = fields.String(
        metadata={"enum": [INVOICE, CREDIT_NOTE], "description": "The invoice's file, or its credit note's"}
    )
    kind = fields.String(metadata={"enum": [*STATUSES, "NE"], "description": "The SdI message type"})
    status = fields.String(metadata={"enum": list(ALL_STATUSES)})
    identifier = fields.String(metadata={"description": "IdentificativoSdI", "example": "1234567890"})
    file_name = fields.String(metadata={"description": "NomeFile", "example": "IT01234567890_00001.xml"})
    at = fields.String(
        allow_none=True, metadata={"description": "When SdI received (RC: delivered) the file, as it says"}
    )
    errors = fields.List(fields.Nested(SdiErrorSchema), metadata={"description": "A rejection's (NS) errors"})
    outcome = fields.String(allow_none=True, metadata={"enum": [*OUTCOMES, None]})
    description = fields.String()
    sha256 = fields.String(metadata={"description": "Of the receipt file as uploaded"})
    recorded_at = fields.String()


class InvoiceTaxesSchema(Schema):
    """The invoice's lines, as its FatturaPA file (Italy) or UK VAT invoice has them."""

    fee = Amount()
    pension_surcharge = Amount(metadata={"description": "The pension fund's 4 % (rivalsa), Italy"})
    taxable = Amount(metadata={"description": "Fee and surcharge: the VAT base, or the amount outside VAT"})
    vat_rate = Amount(metadata={"description": "Percent; 0.00 with a nature", "example": "22.00"})
    vat = Amount()
    vat_nature = fields.String(allow_none=True, metadata={"description": "N2.2 for a forfettario"})
    stamp_duty = Amount(metadata={"description": "Stamp duty due on the document (2.00 above 77.47)"})
    stamp_charged = Amount(metadata={"description": "The part of the stamp duty charged to the client"})
    total = Amount(metadata={"description": "The document total (ImportoTotaleDocumento)"})
    withholding = Amount(metadata={"description": "Ritenuta d'acconto the client withholds and pays over"})
    payable = Amount(metadata={"description": "What the client transfers: the total less the withholding"})
    supplier_vat_number = fields.String(
        allow_none=True, metadata={"description": "A UK VAT invoice's supplier VAT number"}
    )
    tax_point = fields.Date(metadata={"description": "The issue day: the time of supply"})


class InvoiceSchema(Schema):
    id = fields.Integer()
    number = fields.String(
        allow_none=True,
        metadata={
            "description": "Per account and calendar year, sequential and gap-free",
            "example": "2026-0007",
        },
    )
    period = fields.String(allow_none=True, metadata={"description": "YYYY-MM for a monthly fee"})
    description = fields.String()
    amount = Amount(metadata={"description": "The fee, before taxes"})
    payable = Amount(
        metadata={
            "description": "What the client owes on it: the fee with its taxes, less any withholding "
            "(the fee itself when the account's invoices carry no taxes). Balance, reminders and "
            "interest run on it."
        }
    )
    taxes = fields.Nested(
        InvoiceTaxesSchema,
        allow_none=True,
        metadata={"description": "The lines besides the fee; null when the invoice carries the fee alone"},
    )
    due_on = fields.Date()
    issued_at = fields.DateTime()
    paid_amount = Amount()
    outstanding = Amount()
    paid_on = fields.Date(allow_none=True)
    days_late = fields.Integer(metadata={"description": "Days paid after the due date, or unpaid so far"})
    reminded_at = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"enum": ["open", "overdue", "paid", "cancelled"]})
    credited = Amount(metadata={"description": "What a credit note took off it"})
    credit_note_number = fields.String(
        allow_none=True, metadata={"description": "The credit note's own series", "example": "NC-2027-0001"}
    )
    cancelled_at = fields.DateTime(allow_none=True)
    cancellation_reason = fields.String(allow_none=True)
    sdi_status = fields.String(
        allow_none=True,
        metadata={
            "enum": [*ALL_STATUSES, None],
            "description": "What SdI last said of the invoice's FatturaPA file (null: no receipt recorded)",
        },
    )
    credit_note_sdi_status = fields.String(
        allow_none=True,
        metadata={"enum": [*ALL_STATUSES, None], "description": "The same for its credit note's file"},
    )
    sdi_receipts = fields.List(
        fields.Nested(SdiReceiptSchema), metadata={"description": "Every SdI receipt recorded, oldest first"}
    )


class PaymentCreateSchema(StrictSchema):
    amount = Money(required=True)
    received_on = CalendarDate(required=True)
    reference = Line(200, load_default="", metadata={"example": "Bank transfer 2026-12-03"})
    currency = fields.String(
        validate=validate.OneOf(CURRENCIES, error="Not an ISO 4217 currency code."),
        metadata={"description": "If given, must be the engagement's currency"},
    )
    confirm_duplicate = fields.Boolean(
        load_default=False,
        metadata={
            "description": "A payment with the same amount and reference received within 7 days of "
            "another is refused (409 naming it) unless this is true"
        },
    )


class PaymentSchema(Schema):
    id = fields.Integer()
    amount = Amount()
    received_on = fields.Date()
    reference = fields.String()
    recorded_at = fields.DateTime()
    reversed_at = fields.DateTime(
        allow_none=True, metadata={"description": "A reversed payment counts for nothing"}
    )
    reversal_reason = fields.String(allow_none=True)


PaymentPageSchema = page_schema("PaymentPage", PaymentSchema)


class PaymentResultSchema(Schema):
    payment = fields.Nested(PaymentSchema)
    engagement = fields.Nested(EngagementSchema)
    event = fields.Nested(EventSchema, metadata={"description": "The payment's record entry"})
    resume_event = fields.Nested(
        EventSchema, allow_none=True, metadata={"description": "The resume it caused, if any"}
    )


class CorrectionSchema(StrictSchema):
    reason = Text(1000, required=True, min_length=1, metadata={"example": "The transfer bounced"})


class ReversalResultSchema(Schema):
    payment = fields.Nested(PaymentSchema)
    engagement = fields.Nested(EngagementSchema)
    event = fields.Nested(EventSchema, metadata={"description": "The payment_reversed entry"})


class CancellationResultSchema(Schema):
    invoice = fields.Nested(InvoiceSchema)
    engagement = fields.Nested(EngagementSchema)
    event = fields.Nested(EventSchema, metadata={"description": "The invoice_cancelled entry"})
    documents = fields.List(fields.Nested(DocumentSchema), metadata={"description": "The credit note"})
    resume_event = fields.Nested(
        EventSchema, allow_none=True, metadata={"description": "The resume it caused"}
    )


class TickRequestSchema(StrictSchema):
    # Range-checked by the use case after the account check: a live account gets 403 whatever it sends.
    as_of = fields.DateTime(
        metadata={
            "description": "Sandbox accounts only: move the account's clock forward to this time, "
            "at most 400 days per tick (further: 422). Years 2000–2200.",
            "pattern": SUPPORTED_YEARS_PATTERN,
        }
    )


class ClockResetSchema(StrictSchema):
    # Range-checked by the use case after the account check, as the tick's as_of.
    as_of = fields.DateTime(
        required=True,
        metadata={
            "description": "Sandbox accounts only, while they have no engagements: set the "
            "account's clock to this time, earlier or later (without an offset: UTC). Years 2000–2200.",
            "pattern": SUPPORTED_YEARS_PATTERN,
        },
    )


class ClockSchema(Schema):
    as_of = fields.DateTime(metadata={"description": "The time the sandbox now lives at"})


class TakenStepSchema(Schema):
    engagement_id = fields.Integer()
    trigger = fields.String(metadata={"description": "A workflow trigger, or issue_invoice"})
    at = fields.DateTime(metadata={"description": "When it fell due: the record entry's time"})
    seq = fields.Integer(metadata={"description": "The record entry's seq"})


class TickResultSchema(Schema):
    as_of = fields.DateTime()
    steps = fields.List(fields.Nested(TakenStepSchema))
    more_due = fields.Boolean(
        metadata={
            "description": "Steps beyond this tick's bounded share are still due; the background "
            "sweeper takes them, or tick again"
        }
    )


class ForecastQuerySchema(Schema):
    until = CalendarDate(required=True, metadata={"description": "Last day to simulate (at most 5 years on)"})


class ForecastStepSchema(Schema):
    trigger = fields.String(metadata={"description": "A workflow trigger, issue_invoice or terms_in_force"})
    at = fields.DateTime()
    documents = fields.List(fields.String())
    amount = Amount(metadata={"description": "issue_invoice: the fee in force on that day"})


class ForecastSchema(Schema):
    until = fields.Date(metadata={"description": "The last day simulated"})
    steps = fields.List(fields.Nested(ForecastStepSchema))
