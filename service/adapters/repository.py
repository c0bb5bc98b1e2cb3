"""Repositories: every query is scoped to a tenant, so isolation cannot be forgotten."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from service.adapters.orm import engagements, invoices
from service.domain.model import (
    ApiKey,
    ApprovalRequest,
    Engagement,
    Event,
    Payment,
    StoredResponse,
    Tenant,
)
from service.domain.search import search_key

# What the difficult-client signals read besides invoices (domain/health.py).
HEALTH_READS = ("feedback_requests", "approvals", "incidents")


class TenantRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, tenant: Tenant) -> None:
        self.session.add(tenant)

    def get(self, tenant_id: int, *, lock: bool = False) -> Tenant | None:
        return self.session.get(Tenant, tenant_id, with_for_update=lock or None)

    def add_key(self, key: ApiKey) -> None:
        self.session.add(key)

    def keys(self, tenant_id: int, *, before_id: int | None = None, limit: int | None = None) -> list[ApiKey]:
        """Newest first."""
        query = select(ApiKey).where(ApiKey.tenant_id == tenant_id).order_by(ApiKey.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(ApiKey.id < before_id)
        return list(self.session.scalars(query))

    def key(self, key_id: int, tenant_id: int | None) -> ApiKey | None:
        """The key, if it is the tenant's (any tenant's when None: operators only)."""
        query = select(ApiKey).where(ApiKey.id == key_id)
        if tenant_id is not None:
            query = query.where(ApiKey.tenant_id == tenant_id)
        return self.session.scalars(query).first()

    def engagement_count(self, tenant_id: int) -> int:
        query = select(func.count(Engagement.id)).where(Engagement.tenant_id == tenant_id)
        return self.session.scalars(query).one()

    def with_engagement_counts(self) -> list[tuple[Tenant, int]]:
        query = (
            select(Tenant, func.count(Engagement.id))
            .outerjoin(Engagement, Engagement.tenant_id == Tenant.id)
            .group_by(Tenant.id)
            .order_by(Tenant.id)
        )
        return [(row[0], row[1]) for row in self.session.execute(query)]


class EngagementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, engagement: Engagement) -> None:
        self.session.add(engagement)

    def get(self, tenant_id: int, engagement_id: int) -> Engagement | None:
        """For reading: collections load when a view first asks for them."""
        ids = {"tenant_id": tenant_id, "engagement_id": engagement_id}
        return self.session.scalars(_engagement(), ids).first()

    def get_with_tenant(
        self, tenant_id: int, engagement_id: int, *, for_change: bool
    ) -> tuple[Engagement, Tenant] | None:
        """The engagement and its tenant in one statement; for a change, locked and with the
        collections every change reads."""
        query = _engagement_for_change() if for_change else _engagement_with_tenant()
        row = self.session.execute(query, {"tenant_id": tenant_id, "engagement_id": engagement_id}).first()
        if row is None:
            return None
        engagement, tenant = row[0], row[1]
        if for_change:
            self._load_collections_for_change(engagement)
        return engagement, tenant

    def _load_collections_for_change(self, engagement: Engagement) -> None:
        """What every change reads (balance, deadlines), loaded up front: a lazy load in the middle
        of a change would flush it half-made. Prebuilt statements, set as loaded: selectinload
        built and compiled its IN query on every load, a fifth of a transition's CPU."""
        for name, statement in _collections_for_change():
            found = self.session.scalars(statement, {"engagement_id": engagement.id}).all()
            set_committed_value(engagement, name, list(found))

    def page(
        self,
        tenant_id: int,
        *,
        state: str | None,
        before_id: int | None,
        limit: int,
        client: str | None = None,
        for_health: bool = False,
    ) -> Sequence[Engagement]:
        """Newest first; ``before_id`` is the cursor (the last id of the previous page).
        ``client`` matches any part of the client's name, ignoring case and accents."""
        loads = [selectinload(Engagement.invoices)]
        if for_health:
            loads += [selectinload(getattr(Engagement, name)) for name in HEALTH_READS]
        query = (
            select(Engagement)
            .where(Engagement.tenant_id == tenant_id)
            .options(*loads)
            .order_by(Engagement.id.desc())
            .limit(limit)
        )
        if state:
            query = query.where(Engagement.state == state)
        if client:
            query = query.where(engagements.c.client_search.contains(search_key(client), autoescape=True))
        if before_id is not None:
            query = query.where(Engagement.id < before_id)
        return self.session.scalars(query).all()

    def payments(self, engagement_id: int, *, before_id: int | None, limit: int) -> Sequence[Payment]:
        """Newest first, a page at a time (the caller has checked the engagement is the tenant's)."""
        query = select(Payment).where(Payment.engagement_id == engagement_id).order_by(Payment.id.desc())
        if before_id is not None:
            query = query.where(Payment.id < before_id)
        return self.session.scalars(query.limit(limit)).all()

    def owner_of_approval(self, tenant_id: int, approval_id: int) -> int | None:
        """The engagement an approval request belongs to, if the tenant owns it."""
        query = (
            select(ApprovalRequest.engagement_id)
            .join(Engagement, Engagement.id == ApprovalRequest.engagement_id)
            .where(ApprovalRequest.id == approval_id, Engagement.tenant_id == tenant_id)
        )
        return self.session.scalars(query).first()

    def due(
        self, tenant_id: int | None, as_of: datetime, limit: int, after: tuple[datetime, int] | None
    ) -> Sequence[tuple[datetime, int]]:
        """(deadline, id) of engagements whose next automatic step is due, read through the
        deadline index in order; ``after`` is the last pair of the previous batch."""
        query = (
            select(Engagement.next_deadline, Engagement.id)
            .where(Engagement.next_deadline <= as_of)
            .order_by(Engagement.next_deadline, Engagement.id)
            .limit(limit)
        )
        if tenant_id is not None:
            query = query.where(Engagement.tenant_id == tenant_id)
        if after is not None:
            deadline, last_id = after
            query = query.where(
                or_(
                    Engagement.next_deadline > deadline,
                    and_(Engagement.next_deadline == deadline, Engagement.id > last_id),
                )
            )
        return [(row[0], row[1]) for row in self.session.execute(query)]

    def tenants_due(
        self, live_now: datetime, real_now: datetime, tenant_id: int | None
    ) -> list[tuple[int, datetime]]:
        """Each tenant with an automatic step due, with the time it lives at: a sandbox that
        moved its clock lives at that time, a live tenant at ``live_now``. Live tenants are
        found through the deadline index (the cost follows the work due); sandboxes, few, one
        indexed probe each."""
        live = (
            select(Engagement.tenant_id)
            .join(Tenant, Tenant.id == Engagement.tenant_id)
            .where(Engagement.next_deadline <= live_now, Tenant.sandbox.is_(False))
            .distinct()
        )
        sandboxes = select(Tenant.id, Tenant.clock_at).where(Tenant.sandbox.is_(True))
        if tenant_id is not None:
            live = live.where(Engagement.tenant_id == tenant_id)
            sandboxes = sandboxes.where(Tenant.id == tenant_id)
        due = {found: live_now for found in self.session.scalars(live)}
        for sandbox_id, clock_at in self.session.execute(sandboxes).all():
            horizon = clock_at or real_now
            probe = select(Engagement.id).where(
                Engagement.tenant_id == sandbox_id, Engagement.next_deadline <= horizon
            )
            if self.session.scalars(probe.limit(1)).first() is not None:
                due[sandbox_id] = horizon
        return sorted(due.items())

    def ids_after(self, after: int, limit: int) -> Sequence[int]:
        """Every tenant's engagement ids in order, a batch at a time: for operator commands only."""
        query = select(Engagement.id).where(Engagement.id > after).order_by(Engagement.id).limit(limit)
        return self.session.scalars(query).all()

    def invoiced_between(self, tenant_id: int, start: datetime, end: datetime) -> Sequence[int]:
        issued = (invoices.c.issued_at >= start) & (invoices.c.issued_at < end)
        credited = (invoices.c.cancelled_at >= start) & (invoices.c.cancelled_at < end)
        query = (
            select(invoices.c.engagement_id)
            .where(invoices.c.tenant_id == tenant_id, or_(issued, credited))
            .distinct()
            .order_by(invoices.c.engagement_id)
        )
        return self.session.scalars(query).all()

    def lock_for_operator(self, engagement_id: int) -> Engagement | None:
        """One engagement of any tenant, locked: for operator commands only (never the API)."""
        query = select(Engagement).where(Engagement.id == engagement_id).with_for_update(of=Engagement)
        return self.session.scalars(query).first()

    def claim_due(self, engagement_id: int, as_of: datetime) -> Engagement | None:
        """Lock the engagement if it is still due and no other sweeper holds it.

        PostgreSQL skips rows another transaction has locked; SQLite ignores the clause, its
        writers being serialised by BEGIN IMMEDIATE already.
        """
        query = (
            select(Engagement)
            .where(Engagement.id == engagement_id, Engagement.next_deadline <= as_of)
            .with_for_update(skip_locked=True, of=Engagement)
        )
        engagement = self.session.scalars(query).first()
        if engagement is not None:
            self._load_collections_for_change(engagement)
        return engagement


# The statements every request runs are built once per process (after the mappers exist):
# SQLAlchemy then reuses their cache key instead of building and hashing a new one each time.


def _by_tenant_and_id(query: Select[Any]) -> Select[Any]:
    return query.where(
        Engagement.id == bindparam("engagement_id"), Engagement.tenant_id == bindparam("tenant_id")
    )


@cache
def _engagement() -> Select[Any]:
    return _by_tenant_and_id(select(Engagement))


@cache
def _engagement_with_tenant() -> Select[Any]:
    return _by_tenant_and_id(select(Engagement, Tenant).join(Tenant, Tenant.id == Engagement.tenant_id))


@cache
def _engagement_for_change() -> Select[Any]:
    # Only the engagement row is locked: a change to an engagement reads its tenant, never writes it.
    return _engagement_with_tenant().with_for_update(of=Engagement)


@cache
def _collections_for_change() -> tuple[tuple[str, Select[Any]], ...]:
    """Each collection a change reads, in the order its relationship declares."""
    statements = []
    for name in ("invoices", "feedback_requests"):
        relationship = getattr(Engagement, name).property
        child = relationship.mapper.class_
        query = select(child).where(child.engagement_id == bindparam("engagement_id"))
        statements.append((name, query.order_by(*relationship.order_by)))
    return tuple(statements)


class StoredResponseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, tenant_id: int, key: str, *, lock: bool = False) -> StoredResponse | None:
        query = select(StoredResponse).where(StoredResponse.tenant_id == tenant_id, StoredResponse.key == key)
        if lock:
            query = query.with_for_update()
        return self.session.scalars(query).first()

    def delete_older_than(self, cutoff: datetime, limit: int) -> int:
        """Delete up to ``limit`` rows created before ``cutoff`` (every tenant's: the sweeper's job)."""
        oldest = (
            select(StoredResponse.id)
            .where(StoredResponse.created_at < cutoff)
            .order_by(StoredResponse.created_at)
            .limit(limit)
        )
        ids = list(self.session.scalars(oldest))
        if ids:
            self.session.execute(delete(StoredResponse).where(StoredResponse.id.in_(ids)))
        return len(ids)

    def add(self, stored: StoredResponse) -> None:
        self.session.add(stored)

    def delete(self, stored: StoredResponse) -> None:
        self.session.delete(stored)


class RecordRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, event: Event) -> None:
        self.session.add(event)

    def get(self, event_id: int) -> Event | None:
        return self.session.get(Event, event_id)

    def events(self, engagement_id: int) -> Sequence[Event]:
        query = select(Event).where(Event.engagement_id == engagement_id).order_by(Event.id)
        return self.session.scalars(query).all()

    def last_at(self, engagement: Engagement) -> datetime | None:
        """When the latest entry happened: later entries must not be dated before it."""
        query = select(Event.occurred_at).where(
            Event.engagement_id == engagement.id, Event.seq == engagement.record_seq
        )
        return self.session.scalars(query).first()
