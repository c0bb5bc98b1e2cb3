"""The repositories the application works through, as interfaces (cosmicpython's abstract
repository, written as Protocols): the unit of work hands the application SQL ones
(``service/adapters``), the unit tests in-memory ones (``tests/unit/fakes.py``), and
``tests/unit/test_ports.py`` checks both offer every method named here, with the same parameters.

Every query that a request makes takes the tenant; the few that look across tenants are for the
clock, the dispatcher and operator commands, and say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol

from service.domain.model import ApiKey, Document, Engagement, Event, Payment, StoredResponse, Tenant


@dataclass(frozen=True)
class DocumentFilters:
    kind: str | None = None
    engagement_id: int | None = None
    since: datetime | None = None  # created at or after
    before: datetime | None = None  # created before


class StoredKey(NamedTuple):
    """An unrevoked API key as the key store reads it, before any unit of work."""

    id: int
    tenant_id: int
    key_hash: str
    expires_at: datetime | None
    last_used_at: datetime | None


class TenantRepository(Protocol):
    def add(self, tenant: Tenant) -> None: ...

    def get(self, tenant_id: int, *, lock: bool = False) -> Tenant | None: ...

    def add_key(self, key: ApiKey) -> None: ...

    def keys(self, tenant_id: int, *, before_id: int | None = None, limit: int | None = None) -> list[ApiKey]:
        """Newest first."""
        ...

    def key(self, key_id: int, tenant_id: int | None) -> ApiKey | None:
        """The key, if it is the tenant's (any tenant's when None: operators only)."""
        ...

    def engagement_count(self, tenant_id: int) -> int: ...

    def with_engagement_counts(self) -> list[tuple[Tenant, int]]: ...


class EngagementRepository(Protocol):
    def add(self, engagement: Engagement) -> None: ...

    def get(self, tenant_id: int, engagement_id: int) -> Engagement | None:
        """For reading: collections load when a view first asks for them."""
        ...

    def get_with_tenant(
        self, tenant_id: int, engagement_id: int, *, for_change: bool
    ) -> tuple[Engagement, Tenant] | None:
        """The engagement and its tenant in one statement; for a change, locked and with the
        collections every change reads."""
        ...

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
        ...

    def payments(self, engagement_id: int, *, before_id: int | None, limit: int) -> Sequence[Payment]:
        """Newest first, a page at a time (the caller has checked the engagement is the tenant's)."""
        ...

    def owner_of_approval(self, tenant_id: int, approval_id: int) -> int | None:
        """The engagement an approval request belongs to, if the tenant owns it."""
        ...

    def due(
        self, tenant_id: int | None, as_of: datetime, limit: int, after: tuple[datetime, int] | None
    ) -> Sequence[tuple[datetime, int]]:
        """(deadline, id) of engagements whose next automatic step is due, read through the
        deadline index in order; ``after`` is the last pair of the previous batch."""
        ...

    def tenants_due(
        self, live_now: datetime, real_now: datetime, tenant_id: int | None
    ) -> list[tuple[int, datetime]]:
        """Each tenant with an automatic step due, with the time it lives at: a sandbox that
        moved its clock lives at that time, a live tenant at ``live_now``. Live tenants are
        found through the deadline index (the cost follows the work due); sandboxes, few, one
        indexed probe each."""
        ...

    def ids_after(self, after: int, limit: int) -> Sequence[int]:
        """Every tenant's engagement ids in order, a batch at a time: for operator commands only."""
        ...

    def invoiced_between(self, tenant_id: int, start: datetime, end: datetime) -> Sequence[int]:
        """The tenant's engagements with an invoice issued, or credited, from ``start`` to before ``end``."""
        ...

    def lock_for_operator(self, engagement_id: int) -> Engagement | None:
        """One engagement of any tenant, locked: for operator commands only (never the API)."""
        ...

    def claim_due(self, engagement_id: int, as_of: datetime) -> Engagement | None:
        """Lock the engagement if it is still due and no other sweeper holds it.

        PostgreSQL skips rows another transaction has locked; SQLite ignores the clause, its
        writers being serialised by BEGIN IMMEDIATE already."""
        ...


class StoredResponseRepository(Protocol):
    def get(self, tenant_id: int, key: str, *, lock: bool = False) -> StoredResponse | None: ...

    def delete_older_than(self, cutoff: datetime, limit: int) -> int:
        """Delete up to ``limit`` rows created before ``cutoff`` (every tenant's: the sweeper's job)."""
        ...

    def add(self, stored: StoredResponse) -> None: ...

    def delete(self, stored: StoredResponse) -> None: ...


class RecordRepository(Protocol):
    def add(self, event: Event) -> None: ...

    def get(self, event_id: int) -> Event | None: ...

    def events(self, engagement_id: int) -> Sequence[Event]: ...

    def last_at(self, engagement: Engagement) -> datetime | None:
        """When the latest entry happened: later entries must not be dated before it."""
        ...


class DocumentRepository(Protocol):
    def add(self, document: Document) -> None: ...

    def get(self, tenant_id: int, document_id: int) -> Document | None: ...

    def filename(self, tenant_id: int, document_id: int) -> str | None:
        """The document's file name, without loading its bytes; None if not this tenant's."""
        ...

    def kinds(self, tenant_id: int, document_ids: list[int]) -> dict[int, str]:
        """Each document's kind, without loading its bytes; only this tenant's."""
        ...

    def page(
        self, tenant_id: int, filters: DocumentFilters, *, before_id: int | None, limit: int
    ) -> list[Document]:
        """Newest first across the tenant's engagements; the bytes stay in the database."""
        ...

    def sizes(self, document_ids: list[int]) -> dict[int, int]: ...

    def for_engagement(self, engagement_id: int) -> Sequence[Document]: ...


class InvoiceNumberRepository(Protocol):
    def take(self, tenant_id: int, year: int) -> int:
        """The next invoice number of the tenant's year, counted from 1."""
        ...

    def take_credit_note(self, tenant_id: int, year: int) -> int:
        """The next credit note number of the tenant's year: a series of its own."""
        ...
