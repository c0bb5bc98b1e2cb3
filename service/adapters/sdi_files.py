"""The SdI receipts' bytes: their table and its repository (core statements in the unit of
work's session, written in the same transaction as the receipt's record entry)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table, insert, select
from sqlalchemy.orm import Session

from service.adapters.orm import UTC_TIME, metadata
from service.domain.sdi_files import ReceiptFile

sdi_receipt_files = Table(
    "sdi_receipt_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False),
    Column("invoice_id", Integer, nullable=False),
    Column("kind", String(2), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Index("ix_sdi_receipt_files_engagement_id", "engagement_id", "id"),
)
_FIELDS = ("tenant_id", "engagement_id", "invoice_id", "kind", "sha256", "content", "created_at")


def _file(row: Any) -> ReceiptFile:
    return ReceiptFile(id=row.id, **{name: getattr(row, name) for name in _FIELDS})


class ReceiptFileRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, file: ReceiptFile) -> None:
        values = {name: getattr(file, name) for name in _FIELDS}
        file.id = self.session.execute(
            insert(sdi_receipt_files).values(**values).returning(sdi_receipt_files.c.id)
        ).scalar_one()

    def for_engagement(self, engagement_id: int) -> list[ReceiptFile]:
        t = sdi_receipt_files.c
        rows = self.session.execute(
            select(sdi_receipt_files).where(t.engagement_id == engagement_id).order_by(t.id)
        )
        return [_file(row) for row in rows]
