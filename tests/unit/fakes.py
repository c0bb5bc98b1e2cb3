"""An in-memory unit of work, so the application layer is tested at the speed of plain objects.

As in cosmicpython's ``tests/unit/test_handlers.py``: the repositories keep objects in lists,
with the methods the application layer calls: part of each interface in ``domain/repositories.py``
and ``domain/queues.py``, with the same parameters (``service.adapters`` holds the SQL ones, each
scoped to a tenant the same way; ``tests/unit/test_repository_interfaces.py`` checks all three
agree). The semantics the use cases rely on are kept:

- each unit of work works on its own copy of what was committed, and only ``commit`` makes its
  changes the committed state; leaving without a commit (an exception) leaves nothing behind;
- ``flush`` gives every new object its id (and a child its ``engagement_id``), as a database does;
- ``before_flush`` runs on each engagement the unit of work touched, before every flush and commit;
- a new unit of work sees each collection in the order the ORM loads it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Self

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.adapters.signing import HeadSigner
from service.application.deadlines import before_flush
from service.application.runtime import Runtime, workflow_engine
from service.config import ROOT
from service.documents import DocumentRenderer
from service.domain.engine import WorkflowEngine
from service.domain.messages import Message
from service.domain.model import (
    ApiKey,
    Document,
    Engagement,
    Event,
    StoredResponse,
    Tenant,
)
from service.domain.portal import PortalLink
from service.domain.repositories import StoredKey
from service.domain.search import search_key
from service.domain.webhooks import OutboxMessage

# The order in which the ORM loads each collection (adapters/orm.py): by these attributes.
COLLECTIONS = {
    "invoices": ("due_on", "id"),
    "payments": ("id",),
    "feedback_requests": ("id",),
    "approvals": ("id",),
    "incidents": ("id",),
    "work_log": ("day", "id"),
    "handover_items": ("id",),
}


@dataclass
class Stored:
    """Everything committed; a unit of work copies it, works on the copy, and commits it back."""

    tenants: list[Tenant] = field(default_factory=list)
    keys: list[ApiKey] = field(default_factory=list)
    engagements: list[Engagement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    responses: list[StoredResponse] = field(default_factory=list)
    invoice_counters: dict[tuple[int, int], int] = field(default_factory=dict)
    outbox: list[OutboxMessage] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    portal_links: list[PortalLink] = field(default_factory=list)
    last_id: int = 0
    commits: int = 0

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id


class FakeTenantRepository:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def add(self, tenant: Tenant) -> None:
        self.stored.tenants.append(tenant)

    def get(self, tenant_id: int, *, lock: bool = False) -> Tenant | None:
        return next((t for t in self.stored.tenants if t.id == tenant_id), None)

    def engagement_count(self, tenant_id: int) -> int:
        return sum(1 for e in self.stored.engagements if e.tenant_id == tenant_id)

    def add_key(self, key: ApiKey) -> None:
        self.stored.keys.append(key)


class FakeEngagementRepository:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def add(self, engagement: Engagement) -> None:
        self.stored.engagements.append(engagement)

    def get(self, tenant_id: int, engagement_id: int) -> Engagement | None:
        engagement = next(
            (e for e in self.stored.engagements if e.id == engagement_id and e.tenant_id == tenant_id), None
        )
        tenant = next((t for t in self.stored.tenants if t.id == tenant_id), None)
        if engagement is not None and tenant is not None:
            # The tenant's payment rules, read with the engagement as the SQL mapping reads them.
            engagement.payment_allocation = tenant.payment_allocation
            engagement.interest_holds_resume = tenant.interest_holds_resume
        return engagement

    def get_with_tenant(
        self, tenant_id: int, engagement_id: int, *, for_change: bool
    ) -> tuple[Engagement, Tenant] | None:
        engagement = self.get(tenant_id, engagement_id)
        if engagement is None:
            return None
        tenant = next(t for t in self.stored.tenants if t.id == tenant_id)
        return engagement, tenant

    def page(
        self,
        tenant_id: int,
        *,
        state: str | None,
        before_id: int | None,
        limit: int,
        client: str | None = None,
        for_health: bool = False,  # what to load up front: everything is loaded here
    ) -> Sequence[Engagement]:
        found = [
            e
            for e in self.stored.engagements
            if e.tenant_id == tenant_id
            and (state is None or e.state == state)
            and (not client or search_key(client) in search_key(e.client_name))
            and (before_id is None or (e.id or 0) < before_id)
        ]
        return sorted(found, key=lambda e: e.id or 0, reverse=True)[:limit]

    def owner_of_approval(self, tenant_id: int, approval_id: int) -> int | None:
        for engagement in self.stored.engagements:
            if engagement.tenant_id == tenant_id and any(a.id == approval_id for a in engagement.approvals):
                return engagement.id
        return None

    def due(
        self, tenant_id: int | None, as_of: datetime, limit: int, after: tuple[datetime, int] | None
    ) -> Sequence[tuple[datetime, int]]:
        found = sorted(
            (e.next_deadline, e.id or 0)
            for e in self.stored.engagements
            if e.next_deadline is not None
            and e.next_deadline <= as_of
            and (tenant_id is None or e.tenant_id == tenant_id)
        )
        return [pair for pair in found if after is None or pair > after][:limit]

    def tenants_due(
        self, live_now: datetime, real_now: datetime, tenant_id: int | None
    ) -> list[tuple[int, datetime]]:
        due: dict[int, datetime] = {}
        for tenant in self.stored.tenants:
            if tenant_id is not None and tenant.id != tenant_id:
                continue
            horizon = (tenant.clock_at or real_now) if tenant.sandbox else live_now
            if any(
                e.tenant_id == tenant.id and e.next_deadline is not None and e.next_deadline <= horizon
                for e in self.stored.engagements
            ):
                due[tenant.id or 0] = horizon
        return sorted(due.items())

    def invoiced_between(self, tenant_id: int, start: datetime, end: datetime) -> Sequence[int]:
        def within(moment: datetime | None) -> bool:
            return moment is not None and start <= moment < end

        return [
            e.id or 0
            for e in self.stored.engagements
            if e.tenant_id == tenant_id
            and any(within(i.issued_at) or within(i.cancelled_at) for i in e.invoices)
        ]

    def claim_due(self, engagement_id: int, as_of: datetime) -> Engagement | None:
        return next(
            (
                e
                for e in self.stored.engagements
                if e.id == engagement_id and e.next_deadline is not None and e.next_deadline <= as_of
            ),
            None,
        )


class FakeRecordRepository:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def add(self, event: Event) -> None:
        self.stored.events.append(event)

    def get(self, event_id: int) -> Event | None:
        return next((e for e in self.stored.events if e.id == event_id), None)

    def events(self, engagement_id: int) -> Sequence[Event]:
        return [e for e in self.stored.events if e.engagement_id == engagement_id]

    def last_at(self, engagement: Engagement) -> datetime | None:
        return next(
            (
                e.occurred_at
                for e in self.stored.events
                if e.engagement_id == engagement.id and e.seq == engagement.record_seq
            ),
            None,
        )


class FakeDocumentRepository:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def add(self, document: Document) -> None:
        self.stored.documents.append(document)

    def get(self, tenant_id: int, document_id: int) -> Document | None:
        return next(
            (d for d in self.stored.documents if d.id == document_id and d.tenant_id == tenant_id), None
        )

    def for_engagement(self, engagement_id: int) -> Sequence[Document]:
        return [d for d in self.stored.documents if d.engagement_id == engagement_id]


class FakeStoredResponseRepository:
    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def get(self, tenant_id: int, key: str, *, lock: bool = False) -> StoredResponse | None:
        return next((r for r in self.stored.responses if r.tenant_id == tenant_id and r.key == key), None)

    def delete_older_than(self, cutoff: datetime, limit: int) -> int:
        old = sorted((r for r in self.stored.responses if r.created_at < cutoff), key=lambda r: r.created_at)
        for stored in old[:limit]:
            self.stored.responses.remove(stored)
        return len(old[:limit])

    def add(self, stored: StoredResponse) -> None:
        self.stored.responses.append(stored)

    def delete(self, stored: StoredResponse) -> None:
        self.stored.responses.remove(stored)


class FakeInvoiceNumbers:
    def __init__(self, stored: Stored) -> None:
        self._counters = stored.invoice_counters

    def take(self, tenant_id: int, year: int) -> int:
        self._counters[tenant_id, year] = self._counters.get((tenant_id, year), 0) + 1
        return self._counters[tenant_id, year]

    def take_credit_note(self, tenant_id: int, year: int) -> int:
        key = (tenant_id, -year)  # a series of its own, beside the invoices' in the same store
        self._counters[key] = self._counters.get(key, 0) + 1
        return self._counters[key]


class FakeOutbox:
    """The outbox side of the webhook repository: what use cases announce."""

    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def announce(self, message: OutboxMessage) -> None:
        self.stored.outbox.append(message)

    def prune_delivered(self, cutoff: datetime, limit: int) -> tuple[int, int]:
        """Fanned out before ``cutoff`` (no deliveries are kept here, so none is pending)."""
        old = [m for m in self.stored.outbox if m.dispatched_at is not None and m.dispatched_at < cutoff]
        for message in old[:limit]:
            self.stored.outbox.remove(message)
        return len(old[:limit]), len(old[:limit])


class FakeMessages:
    """The side of the message repository that drafting a notice's e-mail and closing use."""

    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def add(self, message: Message) -> None:
        self.stored.messages.append(message)

    def smtp_account(self, tenant_id: int) -> None:
        return None  # no tenant has its own SMTP account here: messages go by e-mail

    def for_engagement(self, engagement_id: int) -> list[Message]:
        return [m for m in self.stored.messages if m.engagement_id == engagement_id]


class FakePortalLinks:
    """The side of the portal links' repository that drafting a message uses."""

    def __init__(self, stored: Stored) -> None:
        self.stored = stored

    def add(self, link: PortalLink) -> None:
        link.id = self.stored.next_id()
        self.stored.portal_links.append(link)

    def for_engagement(self, tenant_id: int, engagement_id: int) -> list[PortalLink]:
        found = [
            k
            for k in self.stored.portal_links
            if (k.tenant_id, k.engagement_id) == (tenant_id, engagement_id)
        ]
        return found[::-1]


class FakeUnitOfWork:
    """One transaction over a ``FakeDatabase``: the ``UnitOfWork`` protocol, in memory."""

    def __init__(
        self, database: FakeDatabase, before_flush: Callable[[Engagement], None] | None = None
    ) -> None:
        self._database = database
        self._before_flush = before_flush

    def __enter__(self) -> Self:
        self._working = copy.deepcopy(self._database.committed)
        for engagement in self._working.engagements:
            for name, order in COLLECTIONS.items():
                getattr(engagement, name).sort(key=lambda child: tuple(getattr(child, a) for a in order))
        self.tenants = FakeTenantRepository(self._working)
        self.engagements = FakeEngagementRepository(self._working)
        self.record = FakeRecordRepository(self._working)
        self.documents = FakeDocumentRepository(self._working)
        self.responses = FakeStoredResponseRepository(self._working)
        self.invoice_numbers = FakeInvoiceNumbers(self._working)
        self.webhooks = FakeOutbox(self._working)
        self.messages = FakeMessages(self._working)
        self.portal_links = FakePortalLinks(self._working)
        self._touched: dict[int, Engagement] = {}
        return self

    def __exit__(self, *exc: object) -> None:
        """Whatever was not committed is dropped with the working copy."""

    def touch(self, engagement: Engagement) -> None:
        if id(engagement) not in self._touched:
            self._touched[id(engagement)] = engagement
            engagement.version += 1

    def flush(self) -> None:
        if self._before_flush is not None:
            for engagement in self._touched.values():
                self._before_flush(engagement)
        self._assign_ids()

    def commit(self) -> None:
        self.flush()
        self._working.commits += 1
        # The objects stay readable after the commit (as with expire_on_commit=False); the next
        # unit of work copies them before changing anything.
        self._database.committed = self._working

    def _assign_ids(self) -> None:
        stored = self._working
        for item in (*stored.tenants, *stored.keys, *stored.engagements, *stored.responses):
            if item.id is None:
                item.id = stored.next_id()
        for engagement in stored.engagements:
            for name in COLLECTIONS:
                for child in getattr(engagement, name):
                    if child.id is None:
                        child.id = stored.next_id()
                    child.engagement_id = engagement.id
        for item in (*stored.events, *stored.documents):
            if item.id is None:
                item.id = stored.next_id()


@dataclass
class FakeDatabase:
    committed: Stored = field(default_factory=Stored)

    def unit_of_work(self, before_flush: Callable[[Engagement], None] | None = None) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, before_flush)


RENDERER = DocumentRenderer()
WORKFLOW = workflow_engine(ROOT / "workflows" / "engagement.yaml", RENDERER)  # as create_app does
SIGNER = HeadSigner(Ed25519PrivateKey.generate())  # the server's key, held in memory here


def fake_runtime(
    database: FakeDatabase,
    clock: Callable[[], datetime],
    workflow: WorkflowEngine = WORKFLOW,
    renderer: DocumentRenderer = RENDERER,
) -> Runtime:
    """A runtime wired as ``create_app`` wires it, over an in-memory database (another workflow
    file or templates: ``workflow_engine(file, renderer)``, as create_app builds it)."""
    return Runtime(
        reader=database.unit_of_work,
        writer=partial(database.unit_of_work, partial(before_flush, workflow, SIGNER)),
        keys=NoKeys(),
        workflow=workflow,
        renderer=renderer,
        signer=SIGNER,
        webhook_http=NoWebhooks(),
        clock=clock,
    )


class NoWebhooks:
    """Delivering the outbox is the dispatcher's business, tested against a real receiver."""

    def post(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("no use case under test posts a webhook")


class NoKeys:
    """Authentication is the API's business; the use cases under test never look a key up."""

    def candidates(self, prefix: str) -> list[StoredKey]:
        return []

    def mark_used(self, key: StoredKey, now: datetime) -> None:
        raise AssertionError("no use case under test authenticates")
