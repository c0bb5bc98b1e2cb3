"""Messages to the client: drafted with each notice, edited, approved, discarded, downloaded."""

from __future__ import annotations

import logging
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from service.application.loading import Loaded, load_for_change
from service.application.portal_links import default_contact, issue_link
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.documents import DocumentRequest
from service.documents.emails import Letter, compose
from service.documents.pdf import convert_to_pdf
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.messages import (
    CLIENT_NOTICES,
    FRESH_LINK_LETTER,
    Message,
    Receipt,
    route_for,
)
from service.domain.model import Document, Engagement, Event, Tenant
from service.domain.pdfs import READY, ConversionFailed, ConverterUnavailable
from service.domain.sayings import sentence

logger = logging.getLogger(__name__)
EDITABLE = ("to", "cc", "subject", "body")


def message_view(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "engagement_id": message.engagement_id,
        "document_id": message.document_id,
        "channel": message.channel,
        "to": list(message.to),
        "cc": list(message.cc),
        "subject": message.subject,
        "body": message.body,
        "status": message.status,
        "sent_at": message.sent_at,
        "message_id": message.message_id,
        "reference": message.reference,
        "reason": message.reason,
        "sha256": message.sha256,
        "note": message.note,
        "waiting_for": message.reason if message.status == "approved" else None,
        "next_attempt_at": message.next_attempt_at if message.status == "approved" else None,
        "created_at": message.created_at,
    }


def draft_for_notice(
    rt: Runtime,
    uow: UnitOfWork,
    tenant: Tenant,
    engagement: Engagement,
    document: Document,
    cause: Event,
    now: datetime,
) -> Message | None:
    """A message carrying the notice, in the caller's transaction; None for documents that are
    not notices to the client."""
    if document.kind not in CLIENT_NOTICES:
        return None
    request = DocumentRequest(document.kind, engagement, tenant, now, cause.payload)
    contact = default_contact(engagement)
    # Every message to the client carries its own link to the portal, for its contact on file.
    portal = issue_link(rt, uow, engagement, contact, now) if contact else None
    subject, body = (
        rt.renderer.message_for(request, portal.url, engagement.day_of(portal.link.expires_at))
        if portal
        else rt.renderer.message_for(request)
    )
    route = route_for(
        document.kind, engagement.client_email, engagement.client_pec, _channel(uow, tenant.id or 0)
    )
    message = Message(
        tenant_id=tenant.id or 0,
        engagement_id=engagement.id or 0,
        document_id=document.id or 0,
        channel=route.channel,
        to=route.to,
        subject=subject[:500],
        body=body,
        created_at=now,
        message_id=make_msgid(domain=_domain(tenant)),
        note=sentence(engagement.language, f"notes.{route.note}", {}) if route.note else None,
    )
    if (tenant.delivery_mode == "auto" or document.kind == FRESH_LINK_LETTER) and route.channel != "post":
        message.approve(rt.clock())  # the dispatcher's queue runs on real time, a sandbox's too
        message.reason = sentence(engagement.language, "notes.queued", {})
    uow.messages.add(message)
    return message


def _channel(uow: UnitOfWork, tenant_id: int) -> str:
    account = uow.messages.smtp_account(tenant_id)
    return account.channel if account is not None else "email"


def say_about(uow: UnitOfWork, message: Message, key: str) -> str:
    """A sentence for the sender about one message (``messages.notes.<key>``), in its
    engagement's language."""
    engagement = uow.engagements.get(message.tenant_id, message.engagement_id)
    return sentence(engagement.language if engagement else "en", f"notes.{key}", {})


def _domain(tenant: Tenant) -> str:
    return tenant.sender_email.rpartition("@")[2] or "engagement-service.invalid"


def require_message(uow: UnitOfWork, tenant_id: int, message_id: int, *, lock: bool = False) -> Message:
    message = uow.messages.get(tenant_id, message_id, lock=lock)
    if message is None:
        raise NotFound("message", message_id)
    return message


def list_messages(
    rt: Runtime, tenant_id: int, status: str | None, limit: int, before: int | None
) -> dict[str, Any]:
    with rt.reader() as uow:
        page = list(uow.messages.page(tenant_id, status, limit + 1, before))
        items = [message_view(m) for m in page[:limit]]
        more = len(page) > limit
        return {"items": items, "next_cursor": str(page[limit - 1].id) if more else None}


def get_message(rt: Runtime, tenant_id: int, message_id: int) -> dict[str, Any]:
    with rt.reader() as uow:
        view = message_view(require_message(uow, tenant_id, message_id))
        view["receipts"] = [receipt_view(r) for r in uow.messages.receipts([message_id])]
        return view


def update_message(rt: Runtime, tenant_id: int, message_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Recipients, subject and body, while a draft; the attachment is the document, unchangeable."""
    with rt.writer() as uow:
        message = require_message(uow, tenant_id, message_id, lock=True)
        message.require("edit")
        for name in EDITABLE:
            if name in changes:
                setattr(message, name, changes[name])
        uow.commit()
        return message_view(message)


def _change(
    rt: Runtime, tenant_id: int, message_id: int, entry: str, act: Any, payload: dict[str, Any]
) -> dict[str, Any]:
    """Apply ``act(message, change)`` and record it on the engagement, in one transaction."""
    with rt.writer() as uow:
        message = require_message(uow, tenant_id, message_id)
        change = load_for_change(rt, uow, tenant_id, message.engagement_id)
        message = require_message(uow, tenant_id, message_id, lock=True)
        act(message, change)
        append_entry(uow, change.engagement, entry, {"message_id": message.id, **payload}, change.now)
        uow.commit()
        return message_view(message)


def approve_message(rt: Runtime, tenant_id: int, message_id: int) -> dict[str, Any]:
    def approve(message: Message, change: Loaded) -> None:
        tenant = change.tenant
        message.require("approve")
        if tenant.delivery_mode == "manual":
            raise Conflict(
                "Your delivery mode is manual: the service sends nothing. Download the .eml, send it "
                "yourself, then record it with mark-sent."
            )
        if not tenant.sender_email:
            raise InvalidInput({"email": ["Set your sender e-mail (PATCH /v1/tenant) before sending."]})
        if message.channel == "post":
            raise Conflict(message.note or "")
        message.approve(rt.clock())  # queued on real time; it leaves dated on the sandbox's clock
        # What an approved message waits for, said until the dispatcher takes it.
        message.reason = sentence(change.engagement.language, "notes.queued", {})

    return _change(rt, tenant_id, message_id, "message_approved", approve, {})


def discard_message(rt: Runtime, tenant_id: int, message_id: int, reason: str) -> dict[str, Any]:
    return _change(
        rt, tenant_id, message_id, "message_discarded", lambda m, c: m.discard(reason), {"reason": reason}
    )


def mark_sent(rt: Runtime, tenant_id: int, message_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    def mark(message: Message, change: Loaded) -> None:
        if fields["sent_at"] > change.now:
            raise InvalidInput({"sent_at": ["A message cannot have been sent in the future."]})
        message.mark_sent(fields["sent_at"], fields["channel"], fields["reference"])

    payload = {
        "by": "hand",
        "channel": fields["channel"],
        "reference": fields["reference"],
        "sent_at": fields["sent_at"].isoformat(),
    }
    return _change(rt, tenant_id, message_id, "message_sent", mark, payload)


def receipt_view(receipt: Receipt) -> dict[str, Any]:
    return {
        "id": receipt.id,
        "message_id": receipt.message_id,
        "kind": receipt.kind,
        "issued_at": receipt.issued_at,
        "filename": receipt.filename,
        "sha256": receipt.sha256,
        "created_at": receipt.created_at,
    }


def eml(rt: Runtime, tenant_id: int, message_id: int) -> tuple[str, bytes]:
    """(file name, RFC 5322 bytes): the exact bytes sent when sent by the service, else the
    message as it stands, with the notice attached, to send from one's own mail or PEC client."""
    with rt.reader() as uow:
        message = require_message(uow, tenant_id, message_id)
        if message.eml is not None:
            return f"message-{message.id}.eml", message.eml
        tenant = uow.tenants.get(tenant_id)
        document = uow.documents.get(tenant_id, message.document_id)
        assert tenant is not None and document is not None
    letter = letter_for(message, tenant, document, rt.now_for(tenant), pdf=pdf_copy(rt, document))
    return f"message-{message.id}.eml", compose(letter)


def pdf_copy(rt: Runtime, document: Document) -> bytes | None:
    """The notice as PDF when this deployment attaches one; None when LibreOffice cannot (the
    .docx still goes)."""
    if not rt.pdf_copies or document.filename.endswith(".pdf"):
        return None  # not asked for, or the document is a PDF already (a sealed acceptance)
    with rt.reader() as uow:
        stored = uow.pdfs.get(document.tenant_id, document.id)
    if stored is not None and stored.status == READY:
        return stored.content  # made once already (a download asked for it): the same bytes
    try:
        return convert_to_pdf(document.content)
    except (ConversionFailed, ConverterUnavailable):
        logger.warning("no PDF copy for document %s: LibreOffice could not convert it", document.id)
        return None


def letter_for(
    message: Message,
    tenant: Tenant,
    document: Document,
    at: datetime,
    *,
    sender: str | None = None,
    pdf: bytes | None = None,
) -> Letter:
    return Letter(
        sender_name=tenant.name,
        sender_address=sender or tenant.sender_email,
        reply_to=tenant.sender_email,
        to=list(message.to),
        cc=list(message.cc),
        subject=message.subject,
        body=message.body,
        message_id=message.message_id,
        date=at,
        attachment_name=document.download_name,
        attachment=document.content,
        pdf_copy=pdf,
    )
