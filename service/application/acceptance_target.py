"""What a client accepts: the contract or a pending amendment, as the PDF they are shown.

The PDF is the stored one (``application/pdfs.py`` made it, and the portal showed it): its
sha256 is what the code, the consents and the seal all refer to. The clauses to approve one by
one (art. 1341-1342 c.c.) are the contract's own, numbered as the contract numbers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.documents import DocumentRequest
from service.domain import amendments
from service.domain.acceptance import AMENDMENT, CONTRACT
from service.domain.errors import Conflict, NotFound
from service.domain.model import Document, Engagement, Tenant
from service.domain.pdfs import READY
from service.domain.sayings import Said


@dataclass
class Target:
    rt: Runtime
    tenant: Tenant
    engagement: Engagement
    subject: str  # CONTRACT or AMENDMENT
    amendment_id: int | None
    document: Document
    pdf: bytes
    pdf_sha256: str
    onerous: list[dict[str, str]] = field(default_factory=list)  # {number, title}

    @property
    def language(self) -> str:
        return self.engagement.language

    @property
    def title(self) -> str:
        key = f"acceptance.subjects.{self.subject}"
        return self.rt.renderer.plain(self.language, key, id=self.amendment_id)[0]

    @property
    def onerous_numbers(self) -> tuple[str, ...]:
        return tuple(clause["number"] for clause in self.onerous)

    def consent_wording(self) -> list[str]:
        """The sentences the client consents to, as the record keeps them."""
        plain = self.rt.renderer.plain
        wording = plain(self.language, "acceptance.consent_terms", subject=self.title)
        if self.onerous:
            items = [plain(self.language, "contract.onerous_item", **clause)[0] for clause in self.onerous]
            wording += plain(self.language, "acceptance.consent_clauses", clauses="; ".join(items))
        return wording

    def named(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "amendment_id": self.amendment_id,
            "document_id": self.document.id,
            "pdf_sha256": self.pdf_sha256,
        }

    def view(self) -> dict[str, Any]:
        """What the portal shows and asks: the PDF to display, then each consent."""
        return {
            **self.named(),
            "title": self.title,
            "consents": self.consent_wording(),
            "onerous_clauses": self.onerous,
        }


def target_of(
    rt: Runtime,
    uow: UnitOfWork,
    tenant: Tenant,
    engagement: Engagement,
    now: datetime,
    amendment_id: int | None,
) -> Target:
    if amendment_id is not None:
        amendment = amendments.find(engagement, amendment_id)
        if amendment is None:
            raise NotFound("amendment", amendment_id)
        status = amendments.status(amendment)
        if status != amendments.PROPOSED:
            said = Said("amendments.not_pending", id=amendment_id, status=status)
            raise Conflict(said, language=engagement.language)
    document = document_of(uow, engagement, amendment_id)
    if document is None:
        raise Conflict(Said("acceptance.no_document"), language=engagement.language)
    job = uow.pdfs.get(tenant.id or 0, document.id or 0)
    if job is None or job.status != READY or job.content is None or job.sha256 is None:
        raise Conflict(Said("acceptance.no_pdf"), language=engagement.language)
    onerous: list[dict[str, str]] = []
    if amendment_id is None:
        onerous = rt.renderer.onerous_clauses(DocumentRequest("contract", engagement, tenant, now, {}))
    subject = CONTRACT if amendment_id is None else AMENDMENT
    return Target(rt, tenant, engagement, subject, amendment_id, document, job.content, job.sha256, onerous)


def document_of(uow: UnitOfWork, engagement: Engagement, amendment_id: int | None) -> Document | None:
    """The document the client accepts: the newest contract, or the amendment's letter. The portal
    asks for its PDF before the terms can be shown (``target_of`` wants it ready)."""
    if amendment_id is None:
        return _latest(uow, engagement, "contract", lambda _: True)
    return _latest(uow, engagement, "contract_amendment", lambda p: p.get("amendment_id") == amendment_id)


def _latest(uow: UnitOfWork, engagement: Engagement, kind: str, matches: Any) -> Document | None:
    """The newest document of ``kind`` whose cause's payload ``matches``."""
    for document in reversed(uow.documents.for_engagement(engagement.id or 0)):
        if document.kind != kind:
            continue
        cause = uow.record.get(document.event_id) if document.event_id is not None else None
        if matches(cause.payload if cause is not None else {}):
            return document
    return None
