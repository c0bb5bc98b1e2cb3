"""Documents: metadata, the Word file itself (or its stored PDF), and regeneration on demand."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from flask import Response, jsonify, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, MAX_ID, CalendarDate
from service.api.schemas import DocumentSchema, PageQuerySchema, StrictSchema, before_id, page_schema
from service.application import documents, pdfs
from service.application.views import document_view
from service.documents import builtin_kinds
from service.domain.errors import PdfFailed
from service.domain.pdfs import FAILED, PENDING, READY

blp = Blueprint("documents", __name__, url_prefix="/v1", description="Contracts and notices")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def _known_kind(kind: str) -> None:
    """The app's own kinds (its renderer's: a letter added in the wording is one), not a list
    fixed at import."""
    known = runtime().renderer.kinds
    if kind not in known:
        raise ValidationError(f"Unknown document kind; one of {', '.join(sorted(known))}.")


class RegenerateSchema(StrictSchema):
    kind = fields.String(
        required=True,
        validate=_known_kind,
        metadata={"example": "contract", "enum": sorted(builtin_kinds())},
    )


class ContentQuery(Schema):
    format = fields.String(load_default="docx", validate=validate.OneOf(("docx", "pdf")))


@blp.route(f"/engagements/<{ID}:engagement_id>/documents")
class EngagementDocuments(MethodView):
    @blp.response(200, DocumentSchema(many=True))
    def get(self, engagement_id: int) -> list[dict[str, Any]]:
        """Every document of the engagement, oldest first."""
        return documents.list_documents(runtime(), tenant_id(), engagement_id)

    @blp.arguments(RegenerateSchema())
    @blp.response(201, DocumentSchema)
    def post(self, body: dict[str, Any], engagement_id: int) -> dict[str, Any]:
        """Render a document again from the engagement's current data (e.g. the contract)."""
        return documents.regenerate_document(runtime(), tenant_id(), engagement_id, body["kind"])


class DocumentQuerySchema(PageQuerySchema):
    kind = fields.String(
        validate=_known_kind,
        metadata={"description": "Only documents of this kind", "enum": sorted(builtin_kinds())},
    )
    engagement = fields.Integer(
        validate=validate.Range(1, MAX_ID), metadata={"description": "Only this engagement's documents"}
    )
    since = CalendarDate(metadata={"description": "Created on or after this day (in your time zone)"})
    until = CalendarDate(metadata={"description": "Created on or before this day (in your time zone)"})

    @validates_schema
    def _in_order(self, data: dict[str, Any], **_: Any) -> None:
        if "since" in data and "until" in data and data["since"] > data["until"]:
            raise ValidationError("The period ends before it starts.", field_name="until")


@blp.route("/documents")
@blp.arguments(DocumentQuerySchema(), location="query", unknown=RAISE)
@blp.response(200, page_schema("DocumentPage", DocumentSchema))
def all_documents(query: dict[str, Any]) -> dict[str, Any]:
    """Documents across your engagements, newest first, a page at a time (e.g. every
    stop_work_notice this month: ?kind=stop_work_notice&since=2026-12-01)."""
    items, next_cursor = documents.list_tenant_documents(
        runtime(),
        tenant_id(),
        kind=query.get("kind"),
        engagement_id=query.get("engagement"),
        since=query.get("since"),
        until=query.get("until"),
        before_id=before_id(query),
        limit=query["limit"],
    )
    return {"items": items, "next_cursor": str(next_cursor) if next_cursor else None}


@blp.route(f"/documents/<{ID}:document_id>")
@blp.response(200, DocumentSchema)
def document(document_id: int) -> dict[str, Any]:
    """One document's metadata: kind, language, template, sha256 and the event that produced it."""
    return document_view(documents.get_document(runtime(), tenant_id(), document_id))


class PdfStatusSchema(Schema):
    document_id = fields.Integer()
    status = fields.String(metadata={"enum": [PENDING, READY]})
    requested_at = fields.DateTime()
    sha256 = fields.String(allow_none=True, metadata={"description": "The stored PDF's sha256, once ready"})


_POLL_HEADERS = {
    "Location": {"description": "Where to poll: the PDF's status", "schema": {"type": "string"}},
    "Retry-After": {
        "description": "Seconds until the PDF is expected: the jobs ahead of it and itself, each at the "
        "median of the recent conversions; at least 1",
        "schema": {"type": "integer"},
    },
}
_PDF_FAILED = (
    "PDF requested and it could not be made (LibreOffice missing, failing or too slow): "
    "problem+json pdf-conversion-failed, and a request after Retry-After converts it again; or "
    "this account already has 20 PDFs waiting to be made: retry after Retry-After"
)


def _file(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def content_disposition(filename: str) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients and the exact name as ``filename*``."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", fallback).strip("-") or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _pdf_or_wait(document_id: int) -> tuple[pdfs.RequestedPdf, Response | None]:
    """The stored PDF's job when ready; else the 202 to answer (or PdfFailed raised)."""
    requested = pdfs.pdf_of(runtime(), tenant_id(), document_id)
    job = requested.job
    if job.status == FAILED:
        raise PdfFailed(f"The PDF could not be made: {job.error}", requested.retry_after)
    if job.status == READY:
        return requested, None
    response = jsonify(PdfStatusSchema().dump(job))
    response.status_code = 202
    response.headers["Location"] = url_for("documents.DocumentPdf", document_id=document_id)
    response.headers["Retry-After"] = str(requested.retry_after)
    return requested, response


@blp.route(f"/documents/<{ID}:document_id>/content")
@blp.arguments(ContentQuery(), location="query", unknown=RAISE)
@blp.doc(
    responses={
        "200": {
            "description": "The file, with a Content-Disposition file name",
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in (DOCX_TYPE, PDF_TYPE)
            },
        }
    }
)
@blp.alt_response(
    202,
    schema=PdfStatusSchema,
    headers=_POLL_HEADERS,
    description="PDF requested and not made yet: it is queued; poll Location after Retry-After",
)
@blp.alt_response(503, description=_PDF_FAILED)
def content(query: dict[str, Any], document_id: int) -> Response:
    """The .docx bytes; with ?format=pdf, its PDF: converted once by the service's converter
    process and stored, so the first request may answer 202 and later ones get the stored file."""
    if query["format"] == "docx":
        stored = documents.get_document(runtime(), tenant_id(), document_id)
        # A sealed acceptance or a client's signed copy is kept as the file it is (a PDF, a .p7m).
        kept = {".pdf": PDF_TYPE, ".p7m": "application/pkcs7-mime"}.get(stored.filename[-4:], DOCX_TYPE)
        return _file(stored.content, kept, stored.download_name)
    requested, waiting = _pdf_or_wait(document_id)
    if waiting is not None:
        return waiting
    assert requested.job.content is not None  # a ready job holds its PDF
    return _file(requested.job.content, PDF_TYPE, requested.filename.removesuffix(".docx") + ".pdf")


@blp.route(f"/documents/<{ID}:document_id>/pdf")
class DocumentPdf(MethodView):
    @blp.response(
        303,
        PdfStatusSchema,
        headers={"Location": {"description": "The PDF itself", "schema": {"type": "string"}}},
        description="The PDF is ready: See Other, its content",
    )
    @blp.alt_response(
        202, schema=PdfStatusSchema, headers=_POLL_HEADERS, description="Not made yet: poll again"
    )
    @blp.alt_response(503, description=_PDF_FAILED)
    def get(self, document_id: int) -> Response:
        """Where a document's PDF stands (what a 202 from the content points to); asking queues it."""
        requested, waiting = _pdf_or_wait(document_id)
        if waiting is not None:
            return waiting
        response = jsonify(PdfStatusSchema().dump(requested.job))
        response.status_code = 303
        response.headers["Location"] = url_for("documents.content", document_id=document_id, format="pdf")
        return response
