"""Tenants: created with their first API key (see ``keys``), listed, and their sender details."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from service.application import sandbox_clock
from service.application.keys import FIRST_KEY_NAME, issue_key
from service.application.runtime import Runtime
from service.domain.errors import NotFound
from service.domain.model import Tenant
from service.domain.sender import missing_sender_details

SHOWN_TENANTS = 5
# The first sandbox's clock, in its own zone: the README's stories are dated from this morning
# on, and hold on any real day because the sandbox lives on their calendar.
STORIES_START = datetime(2026, 11, 30, 9, 0)
SENDER_EXAMPLE = {
    "name": "Studio Bianchi",
    "address": "Via Po 2, 10123 Torino",
    "email": "studio@bianchi.example",
    "signatory": "Anna Bianchi",
}
SENDER_FIELDS = (
    "name",
    "sender_address",
    "sender_email",
    "vat_number",
    "signatory",
    "language",
    "jurisdiction",
    "timezone",
    "iban",
    "bic",
    "city",
    "pec",
    "delivery_mode",
    "tax_code",
    "tax_profile",
    "payment_allocation",
    "interest_holds_resume",
)


def create_tenant(
    rt: Runtime, name: str, *, sandbox: bool = False, language: str = "en", clock: datetime | None = None
) -> tuple[Tenant, str]:
    """Create a tenant and its first key; the key itself is returned once and never stored.
    A sandbox may start its own clock at ``clock`` (naive: the account's local time)."""
    with rt.writer() as uow:
        now = rt.clock()
        tenant = Tenant(name=name, language=language, sandbox=sandbox, created_at=now)
        if clock is not None:
            sandbox_clock.start(tenant, clock)
        uow.tenants.add(tenant)
        uow.flush()
        assert tenant.id is not None
        _, secret = issue_key(uow, tenant.id, now, FIRST_KEY_NAME)
        uow.commit()
        return tenant, secret


def list_tenants(rt: Runtime) -> list[dict[str, Any]]:
    """Every tenant with its number of engagements, oldest first: what an operator looks up."""
    with rt.reader() as uow:
        return [
            {
                "id": t.id,
                "name": t.name,
                "sandbox": t.sandbox,
                "engagements": count,
                "created_at": t.created_at,
                "missing_sender": missing_sender_details(t),
            }
            for t, count in uow.tenants.with_engagement_counts()
        ]


def first_start(runtime: Runtime, say: Callable[[str], None]) -> str | None:
    """The first start creates a sandbox tenant and returns its key; every later start says how
    to get a new key for the tenants that exist (a lost key is not a lost account)."""
    existing = list_tenants(runtime)
    if not existing:
        tenant, key = create_tenant(runtime, "My practice", sandbox=True, clock=STORIES_START)
        say(
            f"First start: created the sandbox tenant {tenant.id} 'My practice', its clock at "
            f"{STORIES_START:%Y-%m-%d %H:%M} ({tenant.timezone}), where the README's stories start."
        )
        return key
    for row in existing[:SHOWN_TENANTS]:
        command = f"flask --app service keys create --tenant {row['id']}"
        say(f"Tenant {row['id']} '{row['name']}': for a new API key run: {command}")
        if row["missing_sender"]:
            missing = ", ".join(row["missing_sender"])
            say(f"Tenant {row['id']}: sender details missing ({missing}); set them with PATCH /v1/tenant.")
    if len(existing) > SHOWN_TENANTS:
        say(f"... and {len(existing) - SHOWN_TENANTS} more: flask --app service tenants list")
    return None


def how_to_set_sender(url: str, key: str) -> list[str]:
    """What `make run` prints before the first key: the exact request that sets the sender."""
    body = json.dumps(SENDER_EXAMPLE)
    return [
        "Before the first letter, set who your letters are from (name, postal address, e-mail, "
        "signatory); until then this sandbox's letters show marked placeholders, and a live "
        "account's are refused (422). With your own details:",
        f'  curl -s -X PATCH {url}/v1/tenant -H "Authorization: Bearer {key}" '
        f"-H 'Content-Type: application/json' -d '{body}'",
    ]


def get_tenant(rt: Runtime, tenant_id: int) -> Tenant:
    with rt.reader() as uow:
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("account", tenant_id)
        return tenant


def update_tenant(rt: Runtime, tenant_id: int, changes: dict[str, Any]) -> Tenant:
    with rt.writer() as uow:
        tenant = uow.tenants.get(tenant_id)
        if tenant is None:
            raise NotFound("account", tenant_id)
        for field in SENDER_FIELDS:
            if field in changes:
                setattr(tenant, field, changes[field])
        uow.commit()
        return tenant
