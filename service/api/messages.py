"""Messages to clients: the "what to send today" list, editing drafts, approval, proof of sending."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from service.api.auth import tenant_id
from service.api.common import FORM_TYPE, runtime, upload_body, uploaded_bytes
from service.api.fields import ID, MAX_ID, EmailAddress, Line, Text
from service.api.schemas import StrictSchema
from service.application import messages
from service.application import receipts as pec_receipts
from service.domain.messages import CHANNELS, STATUSES

blp = Blueprint(
    "messages", __name__, url_prefix="/v1", description="E-mail and PEC messages carrying notices"
)
EML_TYPE = "message/rfc822"


@blp.before_request
def _require_body() -> None:
    if request.method == "PATCH" and not request.get_data():
        abort(422, messages={"json": {"_body": ["Send a JSON object with the fields to change."]}})


def _addresses(**kwargs: Any) -> Any:
    return fields.List(EmailAddress(), validate=validate.Length(max=20), **kwargs)


class MessageSchema(Schema):
    id = fields.Integer()
    engagement_id = fields.Integer()
    document_id = fields.Integer(metadata={"description": "The notice attached as .docx"})
    channel = fields.String(
        metadata={
            "description": "email, pec, or post (printed and sent by registered post, recorded with "
            "mark-sent). A formal demand, final notice or termination goes by PEC when the client has one"
        }
    )
    to = fields.List(fields.String())
    cc = fields.List(fields.String())
    subject = fields.String()
    body = fields.String()
    status = fields.String(metadata={"description": ", ".join(STATUSES)})
    sent_at = fields.DateTime(allow_none=True)
    message_id = fields.String(metadata={"description": "The RFC 5322 Message-ID"})
    reference = fields.String(allow_none=True, metadata={"description": "Given with mark-sent"})
    reason = fields.String(allow_none=True, metadata={"description": "Why it was discarded or failed"})
    sha256 = fields.String(allow_none=True, metadata={"description": "Of the exact bytes sent"})
    note = fields.String(
        allow_none=True,
        metadata={"description": "Advice on how it must leave: registered post advised, or print it"},
    )
    waiting_for = fields.String(
        allow_none=True, metadata={"description": "While approved: what it waits for before it leaves"}
    )
    next_attempt_at = fields.DateTime(
        allow_none=True, metadata={"description": "While approved: when the dispatcher next takes it"}
    )
    created_at = fields.DateTime()


class ReceiptSchema(Schema):
    id = fields.Integer()
    message_id = fields.Integer()
    kind = fields.String(
        metadata={"description": "The X-Ricevuta type: accettazione, avvenuta-consegna, ..."}
    )
    issued_at = fields.DateTime(metadata={"description": "The receipt's Date"})
    filename = fields.String()
    sha256 = fields.String()
    created_at = fields.DateTime()


class MessageWithReceiptsSchema(MessageSchema):
    receipts = fields.List(fields.Nested(ReceiptSchema))


class MessagePageSchema(Schema):
    items = fields.List(fields.Nested(MessageSchema))
    next_cursor = fields.String(allow_none=True)


class MessageQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(
        validate=validate.Regexp(r"^[0-9]{1,10}$", error="Not a cursor this service issued.")
    )


class MessagePatchSchema(StrictSchema):
    to = _addresses()
    cc = _addresses()
    subject = Line(500, min_length=1)
    body = Text(20_000, min_length=1)


class DiscardSchema(StrictSchema):
    reason = Text(1000, required=True, min_length=1)


class MarkSentSchema(StrictSchema):
    sent_at = fields.AwareDateTime(required=True, default_timezone=None)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    reference = Line(500, required=True, min_length=1, metadata={"example": "PEC receipt 2026-12-02"})


@blp.route("/messages")
@blp.arguments(MessageQuerySchema(), location="query", unknown=RAISE)
@blp.response(200, MessagePageSchema)
def list_messages(query: dict[str, Any]) -> dict[str, Any]:
    """Messages across engagements, newest first; ?status=draft is what waits for your approval."""
    cursor = query.get("cursor")
    before = min(int(cursor), MAX_ID) if cursor else None
    return messages.list_messages(runtime(), tenant_id(), query.get("status"), query["limit"], before)


@blp.route(f"/messages/<{ID}:message_id>")
class MessageResource(MethodView):
    @blp.response(200, MessageWithReceiptsSchema)
    def get(self, message_id: int) -> dict[str, Any]:
        """One message, with its PEC receipts."""
        return messages.get_message(runtime(), tenant_id(), message_id)

    @blp.arguments(MessagePatchSchema())
    @blp.response(200, MessageSchema)
    @blp.alt_response(409, description="Only a draft can be edited")
    def patch(self, changes: dict[str, Any], message_id: int) -> dict[str, Any]:
        """Edit recipients, subject and body of a draft; the attachment is the document."""
        return messages.update_message(runtime(), tenant_id(), message_id, changes)


@blp.route(f"/messages/<{ID}:message_id>/approve", methods=["POST"])
@blp.response(200, MessageSchema)
@blp.alt_response(409, description="Not a draft (or failed) message, or delivery mode manual")
def approve(message_id: int) -> dict[str, Any]:
    """Let the message go: the dispatcher sends it within seconds."""
    return messages.approve_message(runtime(), tenant_id(), message_id)


@blp.route(f"/messages/<{ID}:message_id>/discard", methods=["POST"])
@blp.arguments(DiscardSchema())
@blp.response(200, MessageSchema)
@blp.alt_response(409, description="Already sent, sending or discarded")
def discard(body: dict[str, Any], message_id: int) -> dict[str, Any]:
    """Never send this message; the reason joins the record."""
    return messages.discard_message(runtime(), tenant_id(), message_id, body["reason"])


@blp.route(f"/messages/<{ID}:message_id>/mark-sent", methods=["POST"])
@blp.arguments(MarkSentSchema())
@blp.response(200, MessageSchema)
@blp.alt_response(409, description="Already sent, sending or discarded")
def mark_sent(body: dict[str, Any], message_id: int) -> dict[str, Any]:
    """Record a message you sent yourself (from your mail or PEC client)."""
    return messages.mark_sent(runtime(), tenant_id(), message_id, body)


@blp.route(f"/messages/<{ID}:message_id>/eml")
@blp.doc(
    responses={
        "200": {
            "description": "RFC 5322 message with the notice attached",
            "content": {EML_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def eml(message_id: int) -> Response:
    """The message as an .eml file: open it in your mail or PEC client and send it."""
    filename, data = messages.eml(runtime(), tenant_id(), message_id)
    response = Response(data, mimetype=EML_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blp.route(f"/messages/<{ID}:message_id>/receipts", methods=["POST"])
@blp.doc(
    requestBody=upload_body(
        "The receipt .eml exactly as the PEC provider delivered it (at most 1 MiB): "
        "the raw message, or the same file as the form field `file` (which client generators produce)",
        (EML_TYPE,),
    )
)
@blp.response(201, ReceiptSchema)
@blp.alt_response(409, description="The message is not sent")
@blp.alt_response(415, description=f"The body is neither {EML_TYPE} nor {FORM_TYPE}")
def receipts(message_id: int) -> tuple[dict[str, Any], int]:
    """Upload a PEC receipt (accettazione, avvenuta consegna): kept as evidence in the record."""
    data = uploaded_bytes((EML_TYPE,), "receipt's .eml")
    return pec_receipts.add_receipt(runtime(), tenant_id(), message_id, data), 201
