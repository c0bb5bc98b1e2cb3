"""Documents: by id, by engagement, and listed across a tenant's engagements."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from service.domain.model import Document
from service.domain.repositories import DocumentFilters


class DocumentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, document: Document) -> None:
        self.session.add(document)

    def get(self, tenant_id: int, document_id: int) -> Document | None:
        query = select(Document).where(Document.id == document_id, Document.tenant_id == tenant_id)
        return self.session.scalars(query).first()

    def filename(self, tenant_id: int, document_id: int) -> str | None:
        """The document's file name, without loading its bytes; None if not this tenant's."""
        query = select(Document.filename).where(Document.id == document_id, Document.tenant_id == tenant_id)
        return self.session.scalar(query)

    def kinds(self, tenant_id: int, document_ids: list[int]) -> dict[int, str]:
        """Each document's kind, without loading its bytes; only this tenant's."""
        query = select(Document.id, Document.kind).where(
            Document.tenant_id == tenant_id, Document.id.in_(document_ids)
        )
        return {row[0]: row[1] for row in self.session.execute(query)}

    def page(
        self, tenant_id: int, filters: DocumentFilters, *, before_id: int | None, limit: int
    ) -> list[Document]:
        """Newest first across the tenant's engagements; the bytes stay in the database."""
        query = (
            select(Document)
            .where(Document.tenant_id == tenant_id)
            .options(defer(Document.content))
            .order_by(Document.id.desc())
            .limit(limit)
        )
        if filters.kind:
            query = query.where(Document.kind == filters.kind)
        if filters.engagement_id is not None:
            query = query.where(Document.engagement_id == filters.engagement_id)
        if filters.since is not None:
            query = query.where(Document.created_at >= filters.since)
        if filters.before is not None:
            query = query.where(Document.created_at < filters.before)
        if before_id is not None:
            query = query.where(Document.id < before_id)
        return list(self.session.scalars(query))

    def sizes(self, document_ids: list[int]) -> dict[int, int]:
        query = select(Document.id, func.length(Document.content)).where(Document.id.in_(document_ids))
        return {row[0]: row[1] for row in self.session.execute(query)}

    def for_engagement(self, engagement_id: int) -> Sequence[Document]:
        query = select(Document).where(Document.engagement_id == engagement_id).order_by(Document.id)
        return self.session.scalars(query).all()
