"""An invoice's FatturaPA file (and its credit note's), for the account's intermediary to send to
SdI; the receipts SdI gave back through it; a month's files in one zip."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from service.api.auth import tenant_id
from service.api.billing_schemas import InvoiceSchema, SdiReceiptSchema
from service.api.common import FORM_TYPE, runtime, upload_body, uploaded_bytes
from service.api.documents import content_disposition
from service.api.fields import ID, SUPPORTED_YEARS_PATTERN
from service.api.schemas import EventSchema, StrictSchema
from service.application import fatturapa, fatturapa_month, sdi_receipts
from service.domain.sdi import CREDIT_NOTE

blp = Blueprint("fatturapa", __name__, url_prefix="/v1", description="Italian e-invoices (FatturaPA)")
XML_TYPE = "application/xml"
ZIP_TYPE = "application/zip"
XML_TYPES = (XML_TYPE, "text/xml")  # both taken; the first is the one documented
INVOICE_PATH = f"/engagements/<{ID}:engagement_id>/invoices/<{ID}:invoice_id>/fatturapa"
NAMED = "validated against the official schema, named IT<partita IVA>_<progressivo>.xml"
NOT_VALID = "The file cannot be valid; `errors` names the field to correct"


def _file(name: str, content: bytes, mimetype: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


@blp.route(INVOICE_PATH)
@blp.response(200, description=f"The FPR12 file (TD01), {NAMED}", content_type=XML_TYPE)
@blp.alt_response(422, description=NOT_VALID)
def invoice_file(engagement_id: int, invoice_id: int) -> Response:
    """The invoice as a FatturaPA file (TD01), with the account's tax profile applied."""
    return _file(*fatturapa.invoice_file(runtime(), tenant_id(), engagement_id, invoice_id), XML_TYPE)


@blp.route(f"{INVOICE_PATH}/credit-note")
@blp.response(200, description=f"The FPR12 file (TD04), {NAMED}", content_type=XML_TYPE)
@blp.alt_response(404, description="No such invoice, or it has no credit note")
@blp.alt_response(422, description=NOT_VALID)
def credit_note_file(engagement_id: int, invoice_id: int) -> Response:
    """The credit note that cancelled the invoice, as a FatturaPA file (TD04): it cites the invoice
    it corrects (DatiFattureCollegate) and takes off what the credit note credited."""
    name, content = fatturapa.invoice_file(runtime(), tenant_id(), engagement_id, invoice_id, CREDIT_NOTE)
    return _file(name, content, XML_TYPE)


class ReceiptResultSchema(Schema):
    receipt = fields.Nested(SdiReceiptSchema)
    invoice = fields.Nested(InvoiceSchema, metadata={"description": "With its SdI status"})
    event = fields.Nested(EventSchema, metadata={"description": "The sdi_receipt record entry"})


@blp.route(f"{INVOICE_PATH}/receipts", methods=["POST"])
@blp.doc(
    requestBody=upload_body(
        "An SdI receipt of the invoice's file or of its credit note's, the XML exactly as the "
        "intermediary gave it (RicevutaConsegna, NotificaScarto, NotificaMancataConsegna, NotificaEsito, "
        "NotificaDecorrenzaTermini, AttestazioneTrasmissioneFattura; at most 1 MiB): the raw body, "
        "or the same file as the form field `file`",
        (XML_TYPE,),
    )
)
@blp.response(201, ReceiptResultSchema)
@blp.alt_response(
    409, description="Recorded already, or of another transmission (another IdentificativoSdI) of the file"
)
@blp.alt_response(415, description=f"The body is neither {XML_TYPE} nor {FORM_TYPE}")
@blp.alt_response(
    422, description="Not an SdI receipt, or one of another file (NomeFile); `errors` names the field"
)
def receipts(engagement_id: int, invoice_id: int) -> tuple[dict[str, Any], int]:
    """Record an SdI receipt: a record entry, and the invoice's SdI status (a rejection's error codes)."""
    data = uploaded_bytes(XML_TYPES, "receipt's XML")
    return sdi_receipts.add_receipt(runtime(), tenant_id(), engagement_id, invoice_id, data), 201


MONTH = SUPPORTED_YEARS_PATTERN + "(0[1-9]|1[0-2])$"  # the calendar's years (2000-2200)


class MonthQuerySchema(StrictSchema):
    month = fields.String(
        required=True,
        validate=validate.Regexp(MONTH, error="A month is YYYY-MM, e.g. 2027-01, in the years 2000 to 2200."),
        metadata={
            "example": "2027-01",
            "pattern": MONTH,
            "description": "The month of issue, in the account's time zone",
        },
    )


@blp.route("/fatturapa")
@blp.arguments(MonthQuerySchema(), location="query", unknown=RAISE)
@blp.response(
    200,
    description="A zip of every FatturaPA file (invoices TD01, credit notes TD04) the account issued "
    f"in the month, each {NAMED}",
    content_type=ZIP_TYPE,
)
@blp.alt_response(422, description="A bad month, or a file that cannot be valid (`errors` names it)")
def month_files(query: dict[str, str]) -> Response:
    """The month's FatturaPA files in one zip, for an intermediary that takes them in bulk."""
    year, month = (int(part) for part in query["month"].split("-"))
    return _file(*fatturapa_month.month_zip(runtime(), tenant_id(), year, month), ZIP_TYPE)
