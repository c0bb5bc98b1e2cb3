"""A document's PDF: asked for by a request, made by the converter process, then served stored.

``pdf_of`` is the request side: it never converts, it reads the stored PDF or queues the job (a
document never changes after it is written, so one conversion serves every later download).
``convert_next`` is the converter process's one step: claim the oldest job under a lease and
commit, convert outside any transaction, then store the PDF with its sha256 (or the failure).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Protocol

from service.application.runtime import Runtime
from service.domain.errors import NotFound, Unavailable
from service.domain.model import download_name
from service.domain.pdfs import (
    BUSY_RETRY_AFTER,
    LEASE,
    PENDING,
    PENDING_PER_TENANT,
    RECENT_CONVERSIONS,
    ConversionFailed,
    ConverterUnavailable,
    PdfJob,
    expected_wait,
    gives_up,
)

logger = logging.getLogger(__name__)


class PdfConverter(Protocol):
    def convert(self, docx: bytes) -> bytes:
        """The PDF, or ConversionFailed / ConverterUnavailable."""
        ...


@dataclass(frozen=True)
class RequestedPdf:
    job: PdfJob
    filename: str  # the .docx's download name; the PDF is served as the same name ending in .pdf
    retry_after: int  # seconds until it is worth asking again: the real wait while pending


def pdf_of(rt: Runtime, tenant_id: int, document_id: int) -> RequestedPdf:
    """The stored PDF, or its job: queued now if it was never asked for (or failed long enough ago)."""
    with rt.reader() as uow:
        filename = uow.documents.filename(tenant_id, document_id)
        if filename is None:
            raise NotFound("document", document_id)
        job = uow.pdfs.get(tenant_id, document_id)
    now = rt.clock()
    if job is None or job.may_retry(now):
        with rt.writer() as uow:
            if uow.pdfs.pending_count(tenant_id) >= PENDING_PER_TENANT:
                raise Unavailable(
                    f"Your account already has {PENDING_PER_TENANT} PDFs waiting to be made; "
                    "ask for more once some are ready.",
                    retry_after=BUSY_RETRY_AFTER,
                )
            uow.pdfs.request(tenant_id, document_id, now)
            job = uow.pdfs.get(tenant_id, document_id)
            uow.commit()
        assert job is not None  # the row was just written (or a concurrent request wrote it)
    return RequestedPdf(job, download_name(document_id, filename), _retry_after(rt, job))


def _retry_after(rt: Runtime, job: PdfJob) -> int:
    if job.status != PENDING:
        return job.retry_after(rt.clock())
    with rt.reader() as uow:
        return expected_wait(uow.pdfs.ahead(job), uow.pdfs.recent_seconds(RECENT_CONVERSIONS))


def pdf_jobs(rt: Runtime, tenant_id: int, document_ids: list[int]) -> dict[int, PdfJob | None]:
    """Where each document's PDF stands, asking for none (a list of many must not fill the
    account's conversion queue by being looked at)."""
    with rt.reader() as uow:
        return {document_id: uow.pdfs.get(tenant_id, document_id) for document_id in document_ids}


@dataclass(frozen=True)
class Converted:
    document_id: int
    status: str  # what the job is now: ready, failed, or pending again (released for a retry)
    error: str | None = None


def convert_next(rt: Runtime, converter: PdfConverter) -> Converted | None:
    """Convert the oldest pending PDF; None when there is none."""
    now = rt.clock()
    with rt.writer() as uow:
        claimed = uow.pdfs.claim(now, now + LEASE)
        uow.commit()
    if claimed is None:
        return None
    pdf, error, retry = None, None, False
    try:
        pdf = converter.convert(claimed.docx)
    except ConversionFailed as exc:
        error = str(exc)
    except ConverterUnavailable as exc:
        error, retry = str(exc), not gives_up(claimed.attempts)
    with rt.writer() as uow:
        if pdf is not None:
            uow.pdfs.store(claimed, pdf, hashlib.sha256(pdf).hexdigest(), rt.clock())
            outcome = Converted(claimed.document_id, "ready")
        elif retry:
            uow.pdfs.release(claimed)
            outcome = Converted(claimed.document_id, "pending", error)
        else:
            uow.pdfs.fail(claimed, error or "The conversion failed.", rt.clock())
            outcome = Converted(claimed.document_id, "failed", error)
        uow.commit()
    if error:
        logger.warning("PDF of document %s: %s (%s)", claimed.document_id, error, outcome.status)
    return outcome


def convert_until_idle(rt: Runtime, converter: PdfConverter) -> int:
    """Every pending conversion, one after another; how many were attempted."""
    attempted = 0
    while convert_next(rt, converter) is not None:
        attempted += 1
    return attempted
