"""Where every change to an engagement starts: one locked read, the tenant's time, due invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.application.runtime import Runtime
from service.application.schedule import issue_due_invoices
from service.application.unit_of_work import UnitOfWork
from service.domain.errors import NotFound, PreconditionFailed
from service.domain.model import Engagement, Tenant


@dataclass(frozen=True)
class Change:
    tenant: Tenant
    engagement: Engagement
    now: datetime


def load_for_change(
    rt: Runtime,
    uow: UnitOfWork,
    tenant_id: int,
    engagement_id: int,
    *,
    expected_version: int | None = None,
) -> Change:
    """The tenant's engagement, locked, at the tenant's time, with the invoices due by then issued.

    ``expected_version`` (from If-Match) is checked before anything is issued, so a stale
    request changes nothing. Another tenant's id is indistinguishable from none.
    """
    loaded = uow.engagements.get_for_change(tenant_id, engagement_id)
    if loaded is None:
        raise NotFound("engagement", engagement_id)
    engagement, tenant = loaded
    if expected_version is not None and expected_version != engagement.version:
        raise PreconditionFailed(
            f"The engagement is at version {engagement.version}, not {expected_version}; reload it."
        )
    now = rt.now_for(tenant)
    # Invoices whose day has come go into the record first, so it stays in time order.
    issue_due_invoices(rt.engine, uow, engagement, now)
    return Change(tenant, engagement, now)
