"""Documents as pictures and PDFs: the first page of each document's stored PDF as a PNG (drawn
once, kept by the PDF's digest), and the PDF itself; both read through the API's use case
(``pdfs.pdf_of``, tenant-scoped), which queues the conversion of a document never converted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from flask import current_app, send_file

from service.adapters.first_pages import FirstPageFailed, FirstPages
from service.application import pdfs
from service.desk.base import desk, page, runtime, tenant_id
from service.domain.errors import NotFound, Unavailable
from service.domain.pdfs import READY


@dataclass(frozen=True)
class Preview:
    status: str  # ready, pending (being made, or the account's queue is full) or failed
    error: str | None = None


def first_pages() -> FirstPages:
    return current_app.extensions["first_pages"]


def preview_states(document_ids: Iterable[int], *, ask: bool = True) -> dict[int, Preview]:
    """Where each document's PDF stands; with ``ask``, asking queues the ones never converted
    (a page of a few documents does; a long list only reads)."""
    wanted = list(dict.fromkeys(document_ids))
    if not ask:
        jobs = pdfs.pdf_jobs(runtime(), tenant_id(), wanted)
        return {d: Preview(job.status, job.error) if job else Preview("pending") for d, job in jobs.items()}
    states = {}
    for document_id in wanted:
        try:
            job = pdfs.pdf_of(runtime(), tenant_id(), document_id).job
        except Unavailable:  # the account's queue is full: this one waits its turn
            states[document_id] = Preview("pending")
            continue
        states[document_id] = Preview(job.status, job.error)
    return states


def _ready(document_id: int) -> pdfs.RequestedPdf:
    requested = pdfs.pdf_of(runtime(), tenant_id(), document_id)  # another account's: NotFound
    if requested.job.status != READY or requested.job.content is None:
        raise NotFound("PDF", document_id)  # not made yet: the page shows a placeholder instead
    return requested


@desk.get("/documents/<int:document_id>/first-page.png")
def document_preview(document_id: int) -> Any:
    job = _ready(document_id).job
    try:
        png = first_pages().png(job.sha256 or "", job.content or b"")
    except FirstPageFailed:
        return page("error.html", 503, problem="preview")
    return send_file(BytesIO(png), mimetype="image/png")


@desk.get("/documents/<int:document_id>/pdf")
def document_pdf(document_id: int) -> Any:
    requested = _ready(document_id)
    name = requested.filename.rsplit(".", 1)[0] + ".pdf"
    return send_file(
        BytesIO(requested.job.content or b""),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=name,
    )
