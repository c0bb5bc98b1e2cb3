"""A sandbox account's own clock: it may start at any time (``make run``'s starts where the
README's stories start), ticks move it forward only, and it can be reset to any time while the
account has no engagements. A live account has no clock of its own: it runs on real time.

Why a reset needs an empty account: every record entry, deadline and invoice of an engagement
is dated on this clock, and a record runs forward; an account with nothing dated yet can start
its rehearsal over on any day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from service.application.runtime import Runtime
from service.domain.calendar import OUTSIDE_SUPPORTED_YEARS, in_supported_years, in_zone
from service.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.domain.model import Tenant

# How far one tick may move a sandbox clock: a year and a month covers every cycle the workflow
# knows (monthly invoices, grace periods, reminders) while keeping one request's work bounded.
CLOCK_HORIZON = timedelta(days=400)


def _checked(tenant: Tenant, field: str, moment: datetime, zone: str = "UTC") -> datetime:
    """The time a sandbox's clock may be set to, as UTC; a naive one is read in ``zone`` (the
    API's rule, as everywhere: UTC)."""
    if not tenant.sandbox:
        raise Forbidden("Only a sandbox account can set its clock; a live account runs on real time.")
    if not in_supported_years(moment):
        raise InvalidInput({field: [OUTSIDE_SUPPORTED_YEARS]})
    return in_zone(moment, zone)


def start(tenant: Tenant, at: datetime) -> None:
    """A new sandbox's clock starts at ``at`` (a naive time is the account's own local time)."""
    tenant.clock_at = _checked(tenant, "clock", at, tenant.timezone)


def move_forward(rt: Runtime, tenant: Tenant, as_of: datetime) -> None:
    """A tick's ``as_of``: forward only (409), at most ``CLOCK_HORIZON`` at once (422)."""
    as_of = _checked(tenant, "as_of", as_of)
    current = rt.now_for(tenant)
    if as_of < current:
        raise Conflict(
            f"The sandbox clock is at {current.isoformat()}; it only moves forward, "
            f"so it cannot go back to {as_of.isoformat()}."
        )
    if as_of - current > CLOCK_HORIZON:
        furthest = (current + CLOCK_HORIZON).isoformat()
        message = (
            f"One tick moves the sandbox clock at most {CLOCK_HORIZON.days} days; it is at "
            f"{current.isoformat()}, so the furthest as_of is {furthest}. Move it in several ticks."
        )
        raise InvalidInput({"as_of": [message]})
    tenant.clock_at = as_of


def reset(rt: Runtime, tenant_id: int, as_of: datetime) -> dict[str, Any]:
    """Set the sandbox's clock to any time, earlier or later, while it has no engagements."""
    with rt.writer() as uow:
        tenant = uow.tenants.get(tenant_id, lock=True)
        if tenant is None:
            raise NotFound("account", tenant_id)
        as_of = _checked(tenant, "as_of", as_of)
        held = uow.tenants.engagement_count(tenant_id)
        if held:
            raise Conflict(
                f"The sandbox clock can be reset only while the account has no engagements, and it "
                f"has {held}: their records are dated on this clock. Move it forward with "
                "POST /v1/clock/tick, or rehearse in a new sandbox account."
            )
        tenant.clock_at = as_of
        uow.commit()
    return {"as_of": as_of}
