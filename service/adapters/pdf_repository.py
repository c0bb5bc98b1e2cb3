"""Stored PDFs and their conversion jobs (``document_pdfs``). Every request-side query takes the
tenant; the converter's claim looks across tenants, then names the tenant in each write. The wait
estimate counts across tenants too (one converter serves them all) and returns only numbers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, and_, func, or_, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.adapters.orm import document_pdfs, documents
from service.domain.pdfs import FAILED, PENDING, READY, PdfJob
from service.domain.queues import ClaimedPdf

CHANNEL = "pdf_jobs"  # PostgreSQL NOTIFY channel the converter LISTENs on (adapters/job_wake.py)


def _job(row: Row) -> PdfJob:
    return PdfJob(
        document_id=row.document_id,
        tenant_id=row.tenant_id,
        status=row.status,
        attempts=row.attempts,
        requested_at=row.requested_at,
        finished_at=row.finished_at,
        sha256=row.sha256,
        error=row.error,
        content=row.content,
    )


class PdfRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, tenant_id: int, document_id: int) -> PdfJob | None:
        c = document_pdfs.c
        query = select(document_pdfs).where(c.document_id == document_id, c.tenant_id == tenant_id)
        row = self.session.execute(query).first()
        return _job(row) if row else None

    def pending_count(self, tenant_id: int) -> int:
        c = document_pdfs.c
        query = select(func.count()).where(c.tenant_id == tenant_id, c.status == PENDING)
        return int(self.session.scalar(query) or 0)

    def request(self, tenant_id: int, document_id: int, now: datetime) -> None:
        """Queue a conversion: a new job, or a failed one again. Two requests at once make one job."""
        values = {
            "document_id": document_id,
            "tenant_id": tenant_id,
            "status": PENDING,
            "attempts": 0,
            "requested_at": now,
        }
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        self.session.execute(insert(document_pdfs).values(values).on_conflict_do_nothing())
        c = document_pdfs.c
        self.session.execute(
            update(document_pdfs)
            .where(c.document_id == document_id, c.tenant_id == tenant_id, c.status == FAILED)
            .values(status=PENDING, attempts=0, requested_at=now, finished_at=None, error=None)
        )
        if dialect == "postgresql":
            # Delivered at commit, so the converter wakes when the job is there to claim, and never
            # for a request that rolled back. Only a hint: the claim's query decides.
            self.session.execute(text(f"NOTIFY {CHANNEL}"))

    def ahead(self, job: PdfJob) -> int:
        """Pending jobs the converter takes before this one (oldest first, every tenant's): a count only."""
        c = document_pdfs.c
        query = select(func.count()).where(
            c.status == PENDING,
            tuple_(c.requested_at, c.document_id) < tuple_(job.requested_at, job.document_id),
        )
        return int(self.session.scalar(query) or 0)

    def recent_seconds(self, limit: int) -> list[float]:
        """How long each of the latest ``limit`` successful conversions took."""
        c = document_pdfs.c
        query = (
            select(c.started_at, c.finished_at)
            .where(c.status == READY, c.started_at.is_not(None))
            .order_by(c.finished_at.desc())
            .limit(limit)
        )
        rows = self.session.execute(query).all()
        return [max(0.0, (row.finished_at - row.started_at).total_seconds()) for row in rows]

    def claim(self, now: datetime, lease_until: datetime) -> ClaimedPdf | None:
        """The oldest pending job nobody holds, with its .docx, leased to this converter."""
        c = document_pdfs.c
        due = (
            select(c.document_id, c.tenant_id, c.attempts, documents.c.content)
            .join(documents, and_(documents.c.id == c.document_id, documents.c.tenant_id == c.tenant_id))
            .where(c.status == PENDING, or_(c.lease_until.is_(None), c.lease_until < now))
            .order_by(c.requested_at, c.document_id)
            .limit(1)
            .with_for_update(skip_locked=True, of=document_pdfs)
        )
        row = self.session.execute(due).first()
        if row is None:
            return None
        self.session.execute(
            update(document_pdfs)
            .where(c.document_id == row.document_id, c.tenant_id == row.tenant_id)
            .values(lease_until=lease_until, attempts=row.attempts + 1, started_at=now)
        )
        return ClaimedPdf(row.document_id, row.tenant_id, row.attempts + 1, row.content)

    def _finish(self, job: ClaimedPdf, **values: object) -> None:
        c = document_pdfs.c
        self.session.execute(
            update(document_pdfs)
            .where(c.document_id == job.document_id, c.tenant_id == job.tenant_id, c.status == PENDING)
            .values(lease_until=None, **values)
        )

    def store(self, job: ClaimedPdf, content: bytes, sha256: str, now: datetime) -> None:
        self._finish(job, status=READY, content=content, sha256=sha256, finished_at=now, error=None)

    def put(self, tenant_id: int, document_id: int, content: bytes, sha256: str, now: datetime) -> None:
        """A document that is a PDF already (the sealed acceptance): stored ready, never converted."""
        values = {"document_id": document_id, "tenant_id": tenant_id, "status": READY, "attempts": 0}
        values |= {"content": content, "sha256": sha256, "requested_at": now, "finished_at": now}
        self.session.execute(document_pdfs.insert().values(values))

    def fail(self, job: ClaimedPdf, error: str, now: datetime) -> None:
        self._finish(job, status=FAILED, error=error[:500], finished_at=now)

    def release(self, job: ClaimedPdf) -> None:
        """Back to the queue for another attempt."""
        self._finish(job)
