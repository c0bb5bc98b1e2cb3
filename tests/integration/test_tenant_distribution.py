"""The schema is ready to be distributed by tenant (``docs/scaling.md``, "Past one PostgreSQL"),
as far as today's schema holds it; every exception is listed here and in that file, so the list
can only shrink: a new table, key or query that breaks the rule fails this file.

The rule applied: a tenant-owned table carries ``tenant_id`` (NOT NULL), or is a child reached
only through foreign keys to tenant-owned parents (its rows then live on the parent's tenant:
in Citus, the child gains ``tenant_id`` before it is distributed, ``docs/scaling.md``). A unique
key includes ``tenant_id``, or the engagement's id (co-located with the engagement), or is one
of the lookups that find the tenant. A foreign key points at ``tenants`` or at another
tenant-owned table. Every comparison of two tables' columns in a query of the application
layer follows a declared foreign key or equates ``tenant_id`` with ``tenant_id``: no join
across tenants.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Column, Table, UniqueConstraint, event
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression

from service.adapters import people_tables
from service.adapters.orm import metadata
from service.adapters.webhook_http import WebhookHttp
from service.application.clock import sweep
from service.application.dispatcher import deliver_until_idle
from service.application.retention import prune
from service.application.today import today_items
from tests.conftest import Api, FakeClock

TENANT = "tenant_id"
# Children with no tenant_id of their own, and the parent whose tenant they share (gap 1).
THROUGH_PARENT = {
    "approvals": "engagements",
    "feedback_requests": "engagements",
    "handover_items": "engagements",
    "incidents": "engagements",
    "payments": "engagements",
    "work_log": "engagements",
    "webhook_attempts": "webhook_deliveries",
}
# Tenant-owned tables whose tenant_id may be NULL (gap 2): set when the invoice is first flushed.
NULLABLE_TENANT = {"invoices"}
# Unique keys found before the tenant is known: the lookup that tells which tenant it is (gap 3).
TENANT_FINDERS = {
    ("api_keys", ("key_hash",)),  # a bearer key
    ("users", ("email",)),  # signing in to the desk
    ("desk_sessions", ("token_hash",)),
    ("signin_links", ("token_hash",)),
    ("portal_links", ("token_hash",)),  # a client's portal link
    ("messages", ("message_id",)),  # a mail server's receipt names only the Message-ID
}
# Unique keys with neither tenant_id nor the engagement's id (gap 4).
UNIQUE_WITHOUT_TENANT = {("webhook_deliveries", ("endpoint_id", "outbox_id"))}
SERVICE = Path(__file__).resolve().parents[2] / "service"


def tables() -> list[Table]:
    assert people_tables.users.metadata is metadata  # the desk's tables are in the same schema
    return list(metadata.sorted_tables)


def owned(table: Table) -> bool:
    return TENANT in table.c or table.name in THROUGH_PARENT


def test_every_table_is_owned_by_a_tenant_or_reached_through_one_that_is() -> None:
    for table in tables():
        if table.name == "tenants":
            continue
        if table.name in THROUGH_PARENT:
            assert TENANT not in table.c, f"{table.name} has tenant_id now: take it off THROUGH_PARENT"
            parents = {fk.column.table.name for fk in table.foreign_keys}
            assert parents == {THROUGH_PARENT[table.name]}, (table.name, parents)
            continue
        assert TENANT in table.c, f"{table.name} has no tenant_id and no tenant-owned parent"
        nullable = table.c[TENANT].nullable
        assert nullable == (table.name in NULLABLE_TENANT), f"{table.name}.tenant_id nullable: {nullable}"


def unique_keys(table: Table) -> Iterator[tuple[str, ...]]:
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            yield tuple(c.name for c in constraint.columns)
    for index in table.indexes:
        if index.unique:
            yield tuple(c.name for c in index.columns)
    for column in table.c:
        if column.unique:
            yield (column.name,)


def test_every_unique_key_holds_within_a_tenant_or_finds_the_tenant() -> None:
    """Primary keys are surrogate ids from one sequence, outside this rule (``docs/scaling.md``)."""
    finders, without = set(), set()
    for table in tables():
        if table.name == "tenants":
            continue
        for key in unique_keys(table):
            if TENANT in key or "engagement_id" in key:
                continue
            (finders if (table.name, key) in TENANT_FINDERS else without).add((table.name, key))
    assert finders == TENANT_FINDERS
    assert without == UNIQUE_WITHOUT_TENANT


def test_every_foreign_key_stays_among_tenant_owned_tables() -> None:
    for table in filter(owned, tables()):
        for fk in table.foreign_keys:
            target = fk.column.table
            assert target.name == "tenants" or owned(target), (
                f"{table.name}.{fk.parent.name} -> {target.name}"
            )


def test_the_application_writes_no_join_in_raw_sql() -> None:
    """Raw SQL would escape the query check below; the service has none that joins."""
    for path in SERVICE.rglob("*.py"):
        assert not re.search(r"\bJOIN\b", path.read_text()), path


def base(column: Any) -> Column[Any] | None:
    """The table column behind an ORM attribute, an alias's column or a label; None for a value."""
    if not isinstance(column, Column) and not hasattr(column, "base_columns"):
        return None
    found = next(iter(getattr(column, "base_columns", {column})), None)
    return found if isinstance(found, Column) and isinstance(found.table, Table) else None


def crossings(statement: Any) -> Iterator[str]:
    """Each equality between two tables' columns that follows no foreign key and is not
    tenant_id = tenant_id."""
    for element in visitors.iterate(statement):
        if not (isinstance(element, BinaryExpression) and element.operator is operators.eq):
            continue
        left, right = base(element.left), base(element.right)
        if left is None or right is None or left.table is right.table:
            continue
        if left.references(right) or right.references(left) or left.name == right.name == TENANT:
            continue
        yield f"{left.table.name}.{left.name} = {right.table.name}.{right.name}"


@pytest.fixture
def statements(app: Flask) -> Iterator[list[Any]]:
    seen: list[Any] = []

    def keep(conn: Any, clauseelement: Any, *args: Any) -> None:
        seen.append(clauseelement)

    engines = [app.extensions["sql_engine"], app.extensions["key_lookup_sql_engine"]]
    for engine in engines:
        event.listen(engine, "before_execute", keep)
    yield seen
    for engine in engines:
        event.remove(engine, "before_execute", keep)


def test_no_query_of_the_application_joins_across_tenants(
    app: Flask,
    api: Api,
    other_api: Api,
    clock: FakeClock,
    statements: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The service's paths (create, transitions with letters, lists, record, verify, export,
    Today, the sweep, the webhook dispatcher, retention) for two tenants, every statement checked."""
    runtime = app.extensions["runtime"]
    monkeypatch.setattr(runtime, "webhook_http", WebhookHttp(allow_private=True))  # a loopback hook
    for tenant in (api, other_api):
        engagement_id = tenant.create_engagement()["id"]
        assert tenant.fire(engagement_id, "request_feedback", subject="The plan").status_code == 200
        hook = {"url": "http://127.0.0.1:9/hooks", "events": ["*"]}  # refused at once: a failed try
        assert tenant.post("/v1/webhook-endpoints", json=hook).status_code == 201
        for path in ("", f"/{engagement_id}", f"/{engagement_id}/events", f"/{engagement_id}/events/verify"):
            assert tenant.get(f"/v1/engagements{path}").status_code == 200, path
        assert tenant.get(f"/v1/engagements/{engagement_id}/export").status_code == 200
        assert tenant.get(f"/v1/engagements/{engagement_id}/documents").status_code == 200
        assert tenant.get("/v1/engagements?state=awaiting_feedback").status_code == 200
    clock.advance(days=40)  # reminders, the overdue invoice and the next month's fall due
    sweep(runtime)
    deliver_until_idle(runtime)
    today_items(runtime, api.tenant_id)
    prune(runtime)
    runtime.webhook_http.close()
    assert len(statements) > 100
    found = sorted({crossing for statement in statements for crossing in crossings(statement)})
    assert found == []
