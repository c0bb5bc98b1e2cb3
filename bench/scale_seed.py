"""Seeding a deployment-sized PostgreSQL database fast: set-based INSERT ... SELECT over
``generate_series`` from rows made once through the use cases, and multi-row inserts for a
long record. Nothing goes through the API except the templates.

What one seeded database holds (``seed_deployment``):
- ``tenants`` tenants (the template's row copied), engagements copied from one made through the
  use cases: the first ``big_tenant`` of them belong to tenant 1 (a deep list to page through),
  the rest spread evenly over the others; states cycle through the workflow's states; ``due``
  of them (spread over tenants) are due at the sweep, with their invoices, every other one
  has its deadline far ahead.
- ``delivered`` outbox rows fanned out long ago with one succeeded delivery each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, insert, select, text, update

from bench.common import BENCH_CONFIG
from service import create_app
from service.adapters.database import close_connections
from service.adapters.orm import documents, engagements, events, invoices, tenants
from service.api.schemas import EngagementCreateSchema
from service.application.engagements import create_engagement
from service.application.runtime import Runtime
from service.application.tenants import create_tenant
from service.application.transitions import fire_transition
from service.domain import record, webhooks
from tests.conftest import engagement_body, with_sender

CREATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SWEEP_AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
NOT_DUE = datetime(2099, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Deployment:
    url: str
    key: str  # tenant 1's API key
    template_id: int  # the engagement every copy was made from
    endpoint_id: int


def _columns(table: Any, *skip: str) -> list[str]:
    return [c.name for c in table.c if c.name not in ("id", *skip)]


def seed_deployment(
    url: str, *, engagement_count: int, tenant_count: int, big_tenant: int, due: int, delivered: int
) -> Deployment:
    app = create_app({**BENCH_CONFIG, "DATABASE_URL": url, "CLOCK": lambda: CREATED})
    rt: Runtime = app.extensions["runtime"]
    tenant, key = create_tenant(rt, "Bench")
    assert tenant.id is not None
    with_sender(rt, tenant.id)  # a live account writes no letter without it; copies inherit it
    template = create_engagement(rt, tenant.id, EngagementCreateSchema().load(engagement_body()))["id"]
    with rt.writer() as uow:
        endpoint = webhooks.WebhookEndpoint(
            tenant.id, "http://127.0.0.1:9/", ["*"], "", webhooks.new_secret(), CREATED
        )
        uow.webhooks.add_endpoint(endpoint)
        uow.commit()
    states = list(rt.workflow.definition.state_names)
    with app.extensions["sql_engine"].begin() as c:
        _copy_tenants(c, tenant.id, tenant_count - 1)
        _copy_engagements(c, template, engagement_count - 1, tenant_count, big_tenant, due, states)
        # The due ones keep the template's state and get its invoices (the step they take needs them).
        c.execute(
            update(engagements)
            .where(engagements.c.id > template, engagements.c.id < template + due)
            .values(state=select(engagements.c.state).where(engagements.c.id == template).scalar_subquery())
        )
        c.execute(update(engagements).where(engagements.c.id >= template + due).values(next_deadline=NOT_DUE))
        cols = _columns(invoices, "engagement_id", "number", "tenant_id")
        c.execute(
            text(
                f"INSERT INTO invoices (engagement_id, tenant_id, {', '.join(cols)}) "
                f"SELECT e.id, e.tenant_id, {', '.join('i.' + x for x in cols)} FROM invoices i "
                "JOIN engagements e ON e.id BETWEEN :first AND :last WHERE i.engagement_id = :id"
            ),
            {"id": template, "first": template + 1, "last": template + due - 1},
        )
        _delivered_outbox(c, tenant.id, endpoint.id or 0, delivered)
    # As a running deployment's tables are: vacuumed (visibility map and hint bits set), so that
    # autovacuum does not wake on the freshly loaded million rows in the middle of a figure, and
    # checkpointed, so that the load's write-ahead log is not being flushed under one either.
    autocommit = app.extensions["sql_engine"].execution_options(isolation_level="AUTOCOMMIT")
    with autocommit.connect() as c:
        c.execute(text("VACUUM ANALYZE"))
        c.execute(text("CHECKPOINT"))
    close_connections(app)
    return Deployment(url, key, template, endpoint.id or 0)


def _copy_tenants(c: Connection, template: int, copies: int) -> None:
    cols = _columns(tenants, "name")
    c.execute(
        text(
            f"INSERT INTO tenants (name, {', '.join(cols)}) SELECT 'Tenant ' || n, "
            f"{', '.join('t.' + x for x in cols)} FROM tenants t, "
            "generate_series(1, CAST(:copies AS integer)) n "
            "WHERE t.id = :id"
        ),
        {"id": template, "copies": copies},
    )


def _copy_engagements(
    c: Connection, template: int, copies: int, tenant_count: int, big_tenant: int, due: int, states: list[str]
) -> None:
    cols = _columns(engagements, "tenant_id", "state")
    first_tenant = c.execute(select(engagements.c.tenant_id).where(engagements.c.id == template)).scalar_one()
    state_of = "(ARRAY[" + ", ".join(f"'{s}'" for s in states) + f"])[1 + n % {len(states)}]"
    # Copy n (1-based): the due ones round-robin over every tenant, the next ``big`` to tenant 1,
    # the rest round-robin over the others.
    tenant_of = (
        f"CASE WHEN n < :due THEN {first_tenant} + (n % {tenant_count}) "
        f"WHEN n < :due + :big THEN {first_tenant} "
        f"ELSE {first_tenant} + 1 + (n % {max(tenant_count - 1, 1)}) END"
    )
    c.execute(
        text(
            f"INSERT INTO engagements (tenant_id, state, {', '.join(cols)}) "
            f"SELECT {tenant_of}, {state_of}, {', '.join('e.' + x for x in cols)} "
            "FROM engagements e, generate_series(1, CAST(:copies AS integer)) n WHERE e.id = :id ORDER BY n"
        ),
        {"id": template, "copies": copies, "big": big_tenant, "due": due},
    )


def _delivered_outbox(c: Connection, tenant_id: int, endpoint_id: int, count: int) -> None:
    if not count:
        return
    long_ago = CREATED - timedelta(days=7)
    body = webhooks.body("engagement.transitioned", long_ago, {"pad": "x" * 300})
    c.execute(
        text(
            "INSERT INTO outbox (tenant_id, type, body, created_at, dispatched_at) "
            "SELECT :tenant, 'engagement.transitioned', :body, :at, :at "
            "FROM generate_series(1, CAST(:count AS integer))"
        ),
        {"tenant": tenant_id, "body": body, "at": long_ago, "count": count},
    )
    c.execute(
        text(
            "INSERT INTO webhook_deliveries (tenant_id, endpoint_id, outbox_id, status, attempts, "
            "completed_at, created_at, last_status_code) "
            "SELECT :tenant, :endpoint, id, 'succeeded', 1, :at, :at, 204 "
            "FROM outbox WHERE dispatched_at IS NOT NULL"
        ),
        {"tenant": tenant_id, "endpoint": endpoint_id, "at": long_ago},
    )


def long_record(rt: Runtime, tenant_id: int, entries: int, document_count: int) -> int:
    """A new engagement (through the use cases) whose record is ``entries`` long, about
    ``document_count`` of them ``document_generated`` entries citing their own stored document
    (the contract's bytes), the rest transitions back and forth; chained, its head signed: it
    verifies. One more document entry when needed for the transitions to come in pairs, so the
    record ends where the engagement stands and is exactly ``entries`` long, whatever number of
    entries the use cases wrote first (an engagement created on its start date writes its first
    invoice at once, one created the day before does not)."""
    engagement_id = create_engagement(rt, tenant_id, EngagementCreateSchema().load(engagement_body()))["id"]
    for trigger, data in (("request_feedback", {"subject": "Plan"}), ("receive_feedback", {})):
        fire_transition(rt, tenant_id, engagement_id, trigger, data=data, note=None)
    with rt.writer() as uow:
        engagement = uow.engagements.get(tenant_id, engagement_id)
        assert engagement is not None
        known = list(uow.record.events(engagement_id))
        there, back = [e.payload for e in known if e.type == "transition"][-2:]
        contract = next(iter(uow.documents.for_engagement(engagement_id)))
        head = SimpleNamespace(
            id=engagement_id,
            tenant_id=tenant_id,
            record_seq=engagement.record_seq,
            record_head=engagement.record_head,
        )
        at = known[-1].occurred_at
        new = entries - head.record_seq
        document_count += (new - document_count) % 2  # transitions in pairs: there and back
        document_rows = []
        for n in range(document_count):
            row = {c: getattr(contract, c) for c in _columns(documents)}
            document_rows.append({**row, "filename": f"bulk-{n:04}-{contract.filename}"})
        session = uow.session  # type: ignore[attr-defined]
        ids = list(session.scalars(insert(documents).returning(documents.c.id), document_rows))
        rows: list[dict[str, Any]] = []
        every = max(1, new // max(document_count, 1))
        going_there = True
        for n in range(new):
            if ids and n % every == 0:
                document_id = ids.pop()
                payload = {
                    "document_id": document_id,
                    "kind": contract.kind,
                    "sha256": contract.sha256,
                    "filename": f"bulk-{document_id}-{contract.filename}",
                    "template": contract.template_name,
                    "template_sha256": contract.template_sha256,
                    "cause_seq": head.record_seq,
                }
                event = record.append(head, "document_generated", payload, at)  # type: ignore[arg-type]
            else:
                event = record.append(head, "transition", there if going_there else back, at)  # type: ignore[arg-type]
                going_there = not going_there
            rows.append({c: getattr(event, c) for c in _columns(events)})
        assert going_there and not ids, "the record ends where the engagement stands, every document cited"
        session.execute(insert(events), rows)
        # Documents name their entry; each got its filename from the entry that cites it.
        session.execute(
            text(
                "UPDATE documents d SET event_id = e.id, event_seq = e.seq, "
                "filename = e.payload->>'filename' FROM events e "
                "WHERE e.engagement_id = :id AND e.type = 'document_generated' "
                "AND (e.payload->>'document_id')::int = d.id"
            ),
            {"id": engagement_id},
        )
        signature = rt.signer.sign(engagement_id, head.record_seq, head.record_head)
        session.execute(
            update(engagements)
            .where(engagements.c.id == engagement_id)
            .values(
                record_seq=head.record_seq,
                record_head=head.record_head,
                record_signature=signature,
                version=engagements.c.version + 1,
            )
        )
        session.commit()
    return engagement_id


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
