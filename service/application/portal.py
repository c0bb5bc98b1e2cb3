"""What the client sees in the portal: what is asked of them and by when, the letters sent to them,
and the statement. Read only: opening a page changes nothing (mail scanners open links).

Nothing internal is read here: no notes, drafts, incidents, work log or health signals. Letters are
the documents of messages that were sent; a draft's document is not the client's yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from service.application.documents import issue_documents
from service.application.loading import load_for_change, load_for_reading
from service.application.portal_links import Opened, open_link
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.statements import statement_view
from service.application.unit_of_work import UnitOfWork
from service.domain.messages import FRESH_LINK_LETTER
from service.domain.model import Document, Engagement, Tenant
from service.domain.portal import ACTIVE, PortalLink, contact_on_file
from service.domain.statement import statement


@dataclass(frozen=True)
class Portal:
    """One open link's view of its engagement."""

    link: PortalLink
    tenant: Tenant
    engagement: Engagement
    now: datetime
    letters: list[Document]
    acknowledged: frozenset[int]  # letters the client confirmed reading

    @property
    def today(self) -> date:
        return self.engagement.day_of(self.now)


class LinkClosed(Exception):
    """The token names no link, or one that expired or was revoked: no data is shown."""

    def __init__(self, opened: Opened | None) -> None:
        super().__init__("closed portal link")
        self.opened = opened


def sent_letters(uow: UnitOfWork, engagement: Engagement) -> list[Document]:
    """The documents of the engagement's sent messages, newest first, each once."""
    ids = {m.document_id for m in uow.messages.for_engagement(engagement.id or 0) if m.status == "sent"}
    found = [uow.documents.get(engagement.tenant_id, i) for i in ids]
    return sorted((d for d in found if d is not None), key=lambda d: (d.created_at, d.id or 0), reverse=True)


def portal_in(rt: Runtime, uow: UnitOfWork, token: str) -> Portal:
    """The portal behind a live token, read in the caller's unit of work; LinkClosed otherwise."""
    opened = open_link(rt, uow, token)
    if opened is None or opened.status != ACTIVE:
        raise LinkClosed(opened)
    loaded = load_for_reading(rt, uow, opened.link.tenant_id, opened.link.engagement_id)
    engagement = loaded.engagement
    read = frozenset(
        e.payload["item"]["id"]
        for e in uow.record.events(engagement.id or 0)
        if e.type == "client_answered" and e.payload.get("item", {}).get("kind") == "letter"
    )
    return Portal(opened.link, loaded.tenant, engagement, loaded.now, sent_letters(uow, engagement), read)


def needs(portal: Portal) -> dict[str, Any]:
    """What is asked of the client: open feedback requests, posts to approve, invoices due."""
    engagement = portal.engagement
    agreed = engagement.revision_rounds
    return {
        "feedback": [f for f in engagement.feedback_requests if f.is_open],
        "approvals": [
            {"approval": a, "rounds_left": max(0, agreed - a.rounds), "agreed": agreed}
            for a in engagement.approvals
            if a.status != "approved"
        ],
        "invoices": engagement.unpaid_invoices(),
    }


def account(rt: Runtime, portal: Portal) -> dict[str, Any]:
    """The statement with statutory interest, as of the account's today."""
    return statement_view(statement(portal.engagement, portal.today, rt.rates))


def payment_details(portal: Portal, amount: Decimal) -> dict[str, Any] | None:
    """Where to pay; an EPC QR code (SEPA credit transfer) only for euros, within its limits."""
    tenant = portal.tenant
    if not tenant.iban:
        return None
    euros = portal.engagement.currency == "EUR" and Decimal("0.01") <= amount <= Decimal("999999999.99")
    return {"name": tenant.name, "iban": tenant.iban, "bic": tenant.bic, "amount": amount, "epc": euros}


def portal_document(rt: Runtime, token: str, document_id: int) -> Document | None:
    """A letter sent to the client, for download through their link; None for anything else."""
    with rt.reader() as uow:
        portal = portal_in(rt, uow, token)
        return next((d for d in portal.letters if d.id == document_id), None)


def send_fresh_link(rt: Runtime, token: str) -> None:
    """On an expired link's page, the client asks for a fresh one: a short letter whose message (in
    the outbox, as every message to the client) carries a new link to the address on file.

    Nothing is sent for a revoked or unknown link, for a contact no longer on file, or twice for
    one expired link; the page answers the same in every case, so it tells a visitor nothing."""
    with rt.writer() as uow:
        opened = open_link(rt, uow, token)
        if opened is None or opened.status != "expired":
            return
        link = opened.link
        change = load_for_change(rt, uow, link.tenant_id, link.engagement_id)
        engagement = change.engagement
        asked = any(
            e.type == "document_requested" and e.payload.get("link_id") == link.id
            for e in uow.record.events(engagement.id or 0)
        )
        if asked or not contact_on_file(engagement, link.contact):
            return
        payload = {"kind": FRESH_LINK_LETTER, "by": "client", "link_id": link.id}
        cause = append_entry(uow, engagement, "document_requested", payload, change.now)
        issue_documents(rt, uow, change.tenant, engagement, (FRESH_LINK_LETTER,), cause, change.now)
        uow.commit()
