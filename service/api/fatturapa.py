"""An invoice's FatturaPA file, for the account's intermediary to send to SdI."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.documents import content_disposition
from service.api.fields import ID
from service.application import fatturapa

blp = Blueprint("fatturapa", __name__, url_prefix="/v1", description="Italian e-invoices (FatturaPA)")
XML_TYPE = "application/xml"


@blp.route(f"/engagements/<{ID}:engagement_id>/invoices/<{ID}:invoice_id>/fatturapa")
@blp.response(
    200,
    description="The FPR12 file, validated against the official schema, "
    "named IT<partita IVA>_<progressivo>.xml",
    content_type=XML_TYPE,
)
@blp.alt_response(
    422, description="The invoice cannot make a valid file; `errors` names the field to correct"
)
def invoice_file(engagement_id: int, invoice_id: int) -> Response:
    """The invoice as a FatturaPA file (TD01), with the account's tax profile applied."""
    name, content = fatturapa.invoice_file(runtime(), tenant_id(), engagement_id, invoice_id)
    response = Response(content, mimetype=XML_TYPE)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response
