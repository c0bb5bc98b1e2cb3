"""The engagement's own page: everything the service knows about one engagement, read through the
same use cases as the API, and the workflow diagram drawn from the API's own Mermaid text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import g

from service.api.workflow import mermaid
from service.application import (
    billing,
    clock,
    documents,
    engagements,
    entries,
    handover,
    portal_links,
    record,
    statements,
    tenants,
    transitions,
)
from service.desk import labels
from service.desk.base import desk, draws_diagram, fragment, page, runtime, tenant_id, wants_fragment
from service.desk.previews import preview_states

FORECAST_DAYS = 90  # "if nothing changes": the next three months, as far as a person plans ahead


@desk.get("/engagements/<int:engagement_id>")
def engagement(engagement_id: int, status: int = 200, problem: str | None = None) -> Any:
    rt, tenant = runtime(), tenant_id()
    shown = engagements.get_engagement(rt, tenant, engagement_id)
    statement = statements.get_statement(rt, tenant, engagement_id, None)  # as of the account's today
    until = statement["as_of"] + timedelta(days=FORECAST_DAYS)
    listed = documents.list_documents(rt, tenant, engagement_id)
    draws_diagram()
    # htmx (a trigger fired in place): the page's main part alone; a full page otherwise.
    return (fragment if wants_fragment() else page)(
        "engagement_fragment.html" if wants_fragment() else "engagement.html",
        status,
        problem=problem,
        engagement=shown,
        triggers=transitions.trigger_statuses(rt, tenant, engagement_id, labels.reason)["transitions"],
        inputs={name: spec.input for name, spec in rt.workflow.definition.triggers.items()},
        events=record.list_events(rt, tenant, engagement_id),
        verified=record.verify_record(rt, tenant, engagement_id),
        documents=listed,
        previews=preview_states(d["id"] for d in listed),
        invoices=billing.list_invoices(rt, tenant, engagement_id),
        # An account with a tax profile issues FatturaPA files: each invoice shows what SdI said.
        fatturapa=issues_fatturapa(rt, tenant),
        statement=statement,
        forecast=clock.forecast(rt, tenant, engagement_id, until),
        work_log=entries.list_work_log(rt, tenant, engagement_id),
        incidents=entries.list_incidents(rt, tenant, engagement_id),
        approvals=entries.list_approvals(rt, tenant, engagement_id),
        handover=handover.list_handover(rt, tenant, engagement_id),
        diagram=mermaid(rt.workflow.definition, shown["state"], labels.label),
        portal_links=portal_links.list_links(rt, tenant, engagement_id),
        issued_portal_link=g.get("issued_portal_link"),
    )


def issues_fatturapa(rt: Any, tenant: int) -> bool:
    return tenants.get_tenant(rt, tenant).tax_profile is not None
