"""Where every use case on one engagement starts: the engagement, its tenant, the tenant's time.

Another tenant's id is indistinguishable from none: both answer NotFound. The rules that hold
for every change are enforced here, once: If-Match, and "a complete record takes no new
entries" (a state with ``record_complete`` in the workflow file; only the use cases that pass
``after_close`` may still write: a late payment, and the handover it unlocks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.application.deadlines import issue_due_invoices
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.domain.errors import Conflict, NotFound, PreconditionFailed
from service.domain.model import Engagement, Tenant
from service.domain.sayings import Said


@dataclass(frozen=True)
class Loaded:
    tenant: Tenant
    engagement: Engagement
    now: datetime


def load_for_reading(rt: Runtime, uow: UnitOfWork, tenant_id: int, engagement_id: int) -> Loaded:
    """The engagement and its tenant in one statement; collections load when first read."""
    return _load(rt, uow, tenant_id, engagement_id, for_change=False)


def load_for_change(
    rt: Runtime,
    uow: UnitOfWork,
    tenant_id: int,
    engagement_id: int,
    *,
    expected_version: int | None = None,
    after_close: bool = False,
) -> Loaded:
    """The engagement locked, with the invoices due by the tenant's time issued.

    ``expected_version`` (from If-Match) is checked before anything is issued, so a stale
    request changes nothing.
    """
    loaded = _load(rt, uow, tenant_id, engagement_id, for_change=True)
    if rt.workflow.definition.has_role(loaded.engagement.state, "record_complete") and not after_close:
        raise Conflict(Said("conflicts.closed"), language=loaded.engagement.language)
    version = loaded.engagement.version
    if expected_version is not None and expected_version != version:
        raise PreconditionFailed(
            f"The engagement is at version {version}, not {expected_version}; reload it."
        )
    # Invoices whose day has come go into the record first, so it stays in time order.
    issue_due_invoices(rt.workflow, uow, loaded.engagement, loaded.now)
    return loaded


def _load(rt: Runtime, uow: UnitOfWork, tenant_id: int, engagement_id: int, *, for_change: bool) -> Loaded:
    found = uow.engagements.get_with_tenant(tenant_id, engagement_id, for_change=for_change)
    if found is None:
        raise NotFound("engagement", engagement_id)
    engagement, tenant = found
    return Loaded(tenant, engagement, rt.now_for(tenant))
