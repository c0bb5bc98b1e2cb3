"""The contract signed with the client's own digital signature, uploaded and checked."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID
from service.api.schemas import DocumentSchema
from service.application import signed_copies

blp = Blueprint("signed_copies", __name__, url_prefix="/v1", description="The client's signed contract")

FORM_TYPE = "multipart/form-data"
FIELD = signed_copies.FIELD


class SignedCopySchema(Schema):
    document = fields.Nested(DocumentSchema, metadata={"description": "The signed file, kept as uploaded"})
    format = fields.String(metadata={"enum": ["pades", "cades"]})
    signer = fields.String(metadata={"description": "The signing certificate's subject"})
    signed_sha256 = fields.String(metadata={"description": "sha256 of the signed content: the contract PDF"})


PDF_TYPE, P7M_TYPE = "application/pdf", "application/pkcs7-mime"
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@blp.route(f"/engagements/<{ID}:engagement_id>/contract/signed-copy", methods=["POST"])
@blp.doc(
    requestBody={
        "required": True,
        "description": "The contract PDF signed with the client's own digital signature: a PAdES "
        "PDF (signed as an incremental update of the PDF the service made) or a CAdES .p7m "
        f"enveloping it; as the raw body, or as the form field `{FIELD}` (which client generators "
        "produce)",
        "content": {
            PDF_TYPE: _BINARY,
            P7M_TYPE: _BINARY,
            FORM_TYPE: {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {FIELD: {"type": "string", "format": "binary"}},
                }
            },
        },
    }
)
@blp.response(201, SignedCopySchema)
@blp.alt_response(404, description="No such engagement")
@blp.alt_response(409, description="The contract's PDF has not been made yet")
def signed_copy(engagement_id: int) -> tuple[dict[str, Any], int]:
    """Keep the contract as the client signed it digitally, after checking that the signature is
    intact and covers exactly the contract's PDF; recorded as ``signed_copy_received``. A file
    that is not that (unsigned, altered, another document) is a 422 naming ``file``."""
    if request.mimetype == FORM_TYPE:
        upload = request.files.get(FIELD)
        data = upload.read() if upload is not None else b""
    else:  # whatever its declared type: the signature check decides what it is
        data = request.get_data()
    if not data:
        abort(
            422,
            messages={"form": {FIELD: ["Attach the signed contract as this field, or send it as the body."]}},
        )
    return signed_copies.receive_signed_copy(runtime(), tenant_id(), engagement_id, data), 201
