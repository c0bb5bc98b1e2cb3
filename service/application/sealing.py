"""The sealed copy of an accepted PDF: the account's certificate, the final page, the stored
document, the ``client_accepted`` entry, the copy sent to the client. Used inside the
acceptance's own transaction (``application/acceptance.py``)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from service.application.acceptance_target import Target
from service.application.amendments import accept_in
from service.application.record import append_entry
from service.application.runtime import Runtime, Sealer, SecretBox
from service.application.unit_of_work import UnitOfWork
from service.domain.acceptance import SEALED_KIND, AcceptanceCode, ClientAction, SealingCertificate
from service.domain.calendar import utc_timestamp
from service.domain.errors import Unavailable
from service.domain.messages import Message
from service.domain.model import Document, Engagement, Event, Tenant
from service.domain.sayings import sentence


def tools(rt: Runtime, language: str) -> tuple[Sealer, SecretBox]:
    """The sealer and the box its key is stored in; without them nothing can be sealed (503)."""
    if rt.sealer is None or rt.secrets is None:
        raise Unavailable(sentence(language, "acceptance.no_secrets", {}))
    return rt.sealer, rt.secrets


def account_certificate(rt: Runtime, uow: UnitOfWork, tenant: Tenant, now: datetime) -> tuple[str, str]:
    """(certificate PEM, key PEM) of the account, issued by itself on first use."""
    sealer, box = tools(rt, "en")
    stored = uow.acceptances.certificate(tenant.id or 0)
    if stored is None:
        certificate_pem, key_pem = sealer.issue_certificate(tenant.name, now)
        stored = SealingCertificate(certificate_pem, box.seal(key_pem))
        uow.acceptances.add_certificate(tenant.id or 0, stored, now)
        return certificate_pem, key_pem
    return stored.certificate_pem, box.open(stored.private_key_sealed)


def certificate_sha256(certificate_pem: str) -> str:
    return hashlib.sha256(certificate_pem.encode()).hexdigest()


def store_pdf(
    rt: Runtime,
    uow: UnitOfWork,
    engagement: Engagement,
    cause: Event,
    kind: str,
    name: str,
    content: bytes,
    now: datetime,
) -> Document:
    """A PDF (or .p7m) kept as one of the engagement's documents, citing the entry that caused it;
    a PDF is also stored as its own ready PDF, so ``?format=pdf`` serves it without converting."""
    document = Document(
        kind=kind,
        language=engagement.language,
        template_name="",
        template_sha256="",
        filename=name,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_at=now,
        tenant_id=engagement.tenant_id,
        engagement_id=engagement.id,
        event_id=cause.id,
        event_seq=cause.seq,
    )
    uow.documents.add(document)
    uow.flush()
    if name.endswith(".pdf"):
        uow.pdfs.put(engagement.tenant_id, document.id or 0, content, document.sha256, now)
    payload = {
        "document_id": document.id,
        "kind": kind,
        "sha256": document.sha256,
        "filename": name,
        "template": "",
        "template_sha256": "",
        "cause_seq": cause.seq,
    }
    append_entry(uow, engagement, "document_generated", payload, now)
    return document


def send_sealed_copy(
    rt: Runtime, uow: UnitOfWork, tenant: Tenant, engagement: Engagement, sealed: Document, subject: str
) -> Message:
    """The client's copy, approved at once whatever the delivery mode: it is the receipt of what
    the client just did, not a letter the freelancer decides to send."""
    language, contact = engagement.language, (engagement.client_contact_name or "").strip()
    sender = tenant.signatory or tenant.name
    [title] = rt.renderer.plain(language, "acceptance.sealed_subject", subject=subject)
    body = rt.renderer.plain(language, "acceptance.sealed_body", contact=contact, sender=sender)
    message = Message(
        tenant_id=tenant.id or 0,
        engagement_id=engagement.id or 0,
        document_id=sealed.id or 0,
        channel="email",
        to=[engagement.client_email],
        subject=title[:500],
        body="\n\n".join(body) + "\n",
        created_at=sealed.created_at,
        message_id=make_msgid(domain=tenant.sender_email.rpartition("@")[2] or "engagement-service.invalid"),
    )
    message.approve(rt.clock())
    uow.messages.add(message)
    return message


def seal_and_record(
    rt: Runtime,
    uow: UnitOfWork,
    target: Target,
    row: AcceptanceCode,
    client: ClientAction,
    now: datetime,
) -> dict[str, Any]:
    tenant, engagement = target.tenant, target.engagement
    sealer, _ = tools(rt, engagement.language)
    certificate_pem, key_pem = account_certificate(rt, uow, tenant, now)
    wording = target.consent_wording()
    values = {
        "subject": target.title,
        "pdf_sha256": target.pdf_sha256,
        "contact": client.contact,
        "client": engagement.client_name,
        "at": now.strftime("%Y-%m-%d %H:%M:%S"),
        "address": client.address,
        "user_agent": client.user_agent,
        "code_id": row.public_id,
        "email": engagement.client_email,
        "sender": tenant.name,
    }
    plain = rt.renderer.plain
    page = plain(engagement.language, "acceptance.page", **values) + [f"- {text}" for text in wording]
    page += plain(engagement.language, "acceptance.page_end", **values)
    [reason] = plain(engagement.language, "acceptance.sealed_reason", **values)
    sealed = sealer.seal(target.pdf, page, certificate_pem, key_pem, reason)
    payload = {
        **target.named(),
        "contact": client.contact,
        "link_id": client.link_id,
        "accepted_at": utc_timestamp(now),
        "address": client.address,
        "user_agent": client.user_agent,
        "shown_sha256": target.pdf_sha256,
        "consents": wording,
        "onerous_clauses": list(target.onerous_numbers),
        "code_id": row.public_id,
        "sealed_sha256": hashlib.sha256(sealed).hexdigest(),
        "certificate_sha256": certificate_sha256(certificate_pem),
    }
    entry = append_entry(uow, engagement, "client_accepted", payload, now)
    uow.flush()
    [name] = plain(engagement.language, "acceptance.filename")
    document = store_pdf(rt, uow, engagement, entry, SEALED_KIND, f"{name}.pdf", sealed, now)
    send_sealed_copy(rt, uow, tenant, engagement, document, target.title)
    result: dict[str, Any] = {"sealed_document_id": document.id, "sealed_sha256": document.sha256}
    if target.amendment_id is not None:
        acceptance_by = {
            "accepted_by": client.contact,
            "accepted_on": engagement.day_of(now),
            "method": "portal",
        }
        acceptance_by["note"] = f"code {row.public_id}, sealed document {document.id}"
        result["amendment"] = accept_in(uow, engagement, now, target.amendment_id, acceptance_by)
    return result
