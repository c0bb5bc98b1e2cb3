"""Rendering, storing and reading documents; each one is also an entry in the record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from service.application.loading import load_for_change
from service.application.messages import draft_for_notice
from service.application.pages import clamp, page_of
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork, require_engagement
from service.application.views import document_view
from service.documents import DocumentRenderError, DocumentRequest
from service.domain.calendar import start_of_local_day
from service.domain.claims import CLAIMING_KINDS, mark_claimed
from service.domain.errors import InvalidInput, NotFound, SenderIncomplete
from service.domain.model import Document, Engagement, Event, Tenant
from service.domain.repositories import DocumentFilters
from service.domain.sender import missing_sender_details
from service.domain.suspensions import Suspension, suspension_periods

# Kinds that read the record itself (the final report's suspension periods).
REPORTS_NEEDING_RECORD = frozenset({"final_report"})


def issue_documents(
    rt: Runtime,
    uow: UnitOfWork,
    tenant: Tenant,
    engagement: Engagement,
    kinds: tuple[str, ...],
    cause: Event,
    now: datetime,
) -> list[Document]:
    """Render each kind for the event that caused it, in the caller's transaction.

    Every document is written here, so this is where a live account without its sender details
    is stopped: the whole change rolls back (a sandbox's letters carry marked placeholders).
    """
    documents: list[Document] = []
    if kinds:
        require_sender(tenant)
        uow.flush()  # gives the cause its id, which each document cites
    suspensions: tuple[Suspension, ...] = ()
    if REPORTS_NEEDING_RECORD.intersection(kinds):
        stopped = rt.workflow.definition.states_with("work_stopped")
        suspensions = tuple(suspension_periods(uow.record.events(engagement.id or 0), stopped))
    for kind in kinds:
        try:
            request = DocumentRequest(kind, engagement, tenant, now, cause.payload, suspensions)
            document = rt.renderer.render(request)
        except DocumentRenderError as exc:
            # The whole change rolls back: a notice that cannot be written must not be implied sent.
            raise InvalidInput({"documents": [f"{kind}: {exc}"]}) from exc
        document.tenant_id, document.engagement_id = tenant.id, engagement.id
        document.event_id, document.event_seq = cause.id, cause.seq
        uow.documents.add(document)
        uow.flush()
        append_entry(
            uow,
            engagement,
            "document_generated",
            {
                "document_id": document.id,
                "kind": kind,
                "sha256": document.sha256,
                "filename": document.filename,
                "template": document.template_name,
                "template_sha256": document.template_sha256,
                "cause_seq": cause.seq,
            },
            now,
        )
        draft_for_notice(rt, uow, tenant, engagement, document, cause, now)
        if kind in CLAIMING_KINDS:  # sent to the client, the interest stays claimed from now on
            mark_claimed(engagement, engagement.day_of(now))
        documents.append(document)
    return documents


def require_sender(tenant: Tenant) -> None:
    """A live account's letters name who sends them: refuse (422, naming each field) until set."""
    missing = missing_sender_details(tenant)
    if missing and not tenant.sandbox:
        raise SenderIncomplete(missing)


def list_documents(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        return [document_view(d) for d in uow.documents.for_engagement(engagement.id or 0)]


def list_tenant_documents(
    rt: Runtime,
    tenant_id: int,
    *,
    kind: str | None,
    engagement_id: int | None,
    since: date | None,
    until: date | None,
    before_id: int | None,
    limit: int,
) -> tuple[list[dict[str, Any]], int | None]:
    """Documents across the tenant's engagements, newest first (e.g. this month's stop-work
    notices); ``since`` and ``until`` are whole days in the tenant's time zone, both included."""
    limit = clamp(limit)
    with rt.reader() as uow:
        zone = _zone(uow, tenant_id) if since or until else "UTC"
        filters = DocumentFilters(
            kind=kind,
            engagement_id=engagement_id,
            since=start_of_local_day(since, zone) if since else None,
            before=start_of_local_day(until + timedelta(days=1), zone) if until else None,
        )
        rows = uow.documents.page(tenant_id, filters, before_id=before_id, limit=limit + 1)
        sizes = uow.documents.sizes([d.id for d in rows if d.id is not None])
        return page_of([document_view(d, sizes[d.id or 0]) for d in rows], limit)


def get_document(rt: Runtime, tenant_id: int, document_id: int) -> Document:
    with rt.reader() as uow:
        document = uow.documents.get(tenant_id, document_id)
        if document is None:
            raise NotFound("document", document_id)
        return document


def regenerate_document(rt: Runtime, tenant_id: int, engagement_id: int, kind: str) -> dict[str, Any]:
    """Render a kind again from today's data, citing the same event as its latest copy."""
    if kind not in rt.renderer.kinds:
        raise InvalidInput(
            {"kind": [f"Unknown document kind; one of {', '.join(sorted(rt.renderer.kinds))}."]}
        )
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id)
        tenant, engagement, now = change.tenant, change.engagement, change.now
        cause = _latest_cause(uow, engagement, kind)
        if cause is None:
            cause = append_entry(uow, engagement, "document_requested", {"kind": kind}, now)
        [document] = issue_documents(rt, uow, tenant, engagement, (kind,), cause, now)
        view = document_view(document)
        uow.commit()
        return view


def _latest_cause(uow: UnitOfWork, engagement: Engagement, kind: str) -> Event | None:
    latest = next(
        (d for d in reversed(uow.documents.for_engagement(engagement.id or 0)) if d.kind == kind), None
    )
    if latest is None or latest.event_id is None:
        return None
    return uow.record.get(latest.event_id)


def _zone(uow: UnitOfWork, tenant_id: int) -> str:
    tenant = uow.tenants.get(tenant_id)
    if tenant is None:
        raise NotFound("account", tenant_id)
    return tenant.timezone
