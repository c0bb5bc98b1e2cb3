"""Creating, reading and listing engagements."""

from __future__ import annotations

from typing import Any

from service.application import fatturapa
from service.application.deadlines import issue_due_invoices
from service.application.documents import issue_documents
from service.application.health import worst_level
from service.application.pages import clamp, page_of
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.unit_of_work import require_engagement
from service.application.views import TERMS, engagement_view
from service.domain import health
from service.domain.billing import MOST_BACK_DATED_MONTHS, back_dated_months, too_far_back
from service.domain.errors import InvalidInput, NotFound
from service.domain.model import Engagement
from service.domain.sayings import Listing, Said, say

HEALTH_BATCH = 100


def create_engagement(rt: Runtime, tenant_id: int, terms: dict[str, Any]) -> dict[str, Any]:
    with rt.writer() as uow:
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("account", tenant_id)
        now = rt.now_for(tenant)
        terms = {"language": tenant.language, "jurisdiction": tenant.jurisdiction, **terms}
        engagement = Engagement(
            tenant_id=tenant_id,
            created_at=now,
            workflow_version=rt.workflow.definition.version,
            state=rt.workflow.definition.initial,
            timezone=tenant.timezone,
            payment_allocation=tenant.payment_allocation,
            interest_holds_resume=tenant.interest_holds_resume,
            **terms,
        )
        if too_far_back(engagement.start_date, engagement.day_of(now)):
            raise InvalidInput(
                {
                    "start_date": [
                        f"A start more than {MOST_BACK_DATED_MONTHS} months before today cannot be billed "
                        "from its start; check the year, or start from a later month and add the earlier "
                        "ones as one-off invoices."
                    ]
                }
            )
        fatturapa.check_client(tenant, engagement)
        uow.engagements.add(engagement)
        uow.flush()
        created = append_entry(uow, engagement, "engagement_created", _terms_payload(engagement), now)
        issue_documents(rt, uow, tenant, engagement, ("contract",), created, now)
        issue_due_invoices(rt.workflow, uow, engagement, now)
        view = {**engagement_view(engagement), "warnings": back_dated_warnings(engagement)}
        uow.commit()
        return view


def back_dated_warnings(engagement: Engagement) -> list[str]:
    """What a start before today did: the past months billed today, said to the user."""
    months = back_dated_months(engagement)
    if not months:
        return []
    said = Said(
        "back_dated.months",
        start=engagement.start_date.isoformat(),
        today=engagement.day_of(engagement.created_at).isoformat(),
        count=len(months),
        periods=Listing(tuple(m.period for m in months)),  # "ottobre 2026, novembre 2026 e …"
        due_on=min(m.due_on for m in months).isoformat(),
    )
    return [say(said, engagement.language)]


def _terms_payload(engagement: Engagement) -> dict[str, Any]:
    """The agreed terms as JSON-safe values, so the record states what was agreed."""
    payload = {}
    for name in TERMS:
        value = getattr(engagement, name)
        payload[name] = value if isinstance(value, int | str | list) else str(value)
    payload["workflow_version"] = engagement.workflow_version
    return payload


def get_engagement(rt: Runtime, tenant_id: int, engagement_id: int) -> dict[str, Any]:
    with rt.reader() as uow:
        return engagement_view(require_engagement(uow, tenant_id, engagement_id))


def engagement_language(rt: Runtime, tenant_id: int, engagement_id: int) -> str | None:
    """The language a refusal about this engagement is said in; None for one the tenant lacks."""
    with rt.reader() as uow:
        engagement = uow.engagements.get(tenant_id, engagement_id)
        return engagement.language if engagement is not None else None


def list_engagements(
    rt: Runtime,
    tenant_id: int,
    *,
    state: str | None,
    before_id: int | None,
    limit: int,
    client: str | None = None,
    health_level: str | None = None,
) -> tuple[list[dict[str, Any]], int | None]:
    """A page newest first, and the cursor for the next page (None on the last one).

    ``health_level`` keeps engagements whose most pressing signal is at that level: signals are
    computed, not stored, so the engagements are read in batches until the page is full.
    """
    limit = clamp(limit)
    with rt.reader() as uow:
        if health_level is None:
            rows = uow.engagements.page(
                tenant_id, state=state, client=client, before_id=before_id, limit=limit + 1
            )
            return page_of([engagement_view(e) for e in rows], limit)
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("account", tenant_id)
        now, found = rt.now_for(tenant), []
        while len(found) <= limit:
            batch = uow.engagements.page(
                tenant_id,
                state=state,
                client=client,
                before_id=before_id,
                limit=HEALTH_BATCH,
                for_health=True,
            )
            for engagement in batch:
                events = list(uow.record.events(engagement.id or 0))
                assessed = health.assess(engagement, engagement.day_of(now), events, rt.workflow.definition)
                if worst_level(assessed) == health_level:
                    found.append(engagement_view(engagement))
            if len(batch) < HEALTH_BATCH:
                break
            before_id = batch[-1].id
        return page_of(found, limit)
