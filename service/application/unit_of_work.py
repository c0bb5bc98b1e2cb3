"""The unit of work: one transaction per use case, committed whole or not at all.

The application sees it, and its repositories, only as the interfaces below
(``domain/repositories.py``, ``domain/queues.py``); ``adapters/unit_of_work.py`` is the SQL one
the app builds, ``tests/unit/fakes.py`` the in-memory one."""

from __future__ import annotations

from typing import Protocol, Self

from service.domain.acceptance import AcceptanceRepository
from service.domain.errors import NotFound
from service.domain.model import Engagement
from service.domain.portal import PortalLinkRepository
from service.domain.queues import MessageRepository, PdfRepository, WebhookRepository
from service.domain.repositories import (
    DocumentRepository,
    EngagementRepository,
    InvoiceNumberRepository,
    RecordRepository,
    StoredResponseRepository,
    TenantRepository,
)
from service.domain.sdi_files import ReceiptFileRepository


class UnitOfWork(Protocol):
    tenants: TenantRepository
    engagements: EngagementRepository
    record: RecordRepository
    documents: DocumentRepository
    responses: StoredResponseRepository
    invoice_numbers: InvoiceNumberRepository
    webhooks: WebhookRepository
    messages: MessageRepository
    pdfs: PdfRepository
    acceptances: AcceptanceRepository
    portal_links: PortalLinkRepository
    sdi_files: ReceiptFileRepository

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def flush(self) -> None: ...
    def commit(self) -> None: ...
    def touch(self, engagement: Engagement) -> None: ...


def require_engagement(uow: UnitOfWork, tenant_id: int, engagement_id: int) -> Engagement:
    """The tenant's engagement to read, or NotFound: another tenant's id is indistinguishable from
    none. Use cases that also need the tenant load through ``application.loading``."""
    engagement = uow.engagements.get(tenant_id, engagement_id)
    if engagement is None:
        raise NotFound("engagement", engagement_id)
    return engagement
