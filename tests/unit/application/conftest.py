"""The application layer over the in-memory unit of work: no database, no HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from service.application.engagements import create_engagement
from service.application.runtime import Runtime
from service.application.tenants import create_tenant
from service.domain.model import Engagement, Event
from tests.conftest import FakeClock, with_sender
from tests.unit.fakes import FakeDatabase, fake_runtime


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))  # Tuesday 1 December 2026


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def rt(database: FakeDatabase, clock: FakeClock) -> Runtime:
    return fake_runtime(database, clock)


@pytest.fixture
def tenant_id(rt: Runtime) -> int:
    tenant, _ = create_tenant(rt, "Studio Bianchi", language="it")
    assert tenant.id is not None
    with_sender(rt, tenant.id)
    return tenant.id


def terms(**changes: Any) -> dict[str, Any]:
    """The terms as the API hands them to the use case, once its schema has parsed the body."""
    values: dict[str, Any] = dict(
        client_name="Bottega Rossi S.r.l.",
        client_contact_name="Giulia Rossi",
        client_email="giulia@bottegarossi.it",
        client_address="Via Roma 1, 20121 Milano",
        currency="EUR",
        monthly_fee=Decimal("1200.00"),
        start_date=date(2026, 12, 1),
        due_day=1,
        grace_days=7,
        late_payment_policy="remind_only",
        response_days=3,
        reminders_before_offboarding=2,
        revision_rounds=2,
        services=["Instagram editorial plan"],
        accounts=[{"platform": "instagram", "handle": "@bottegarossi"}],
    )
    values.update(changes)
    return values


@pytest.fixture
def engagement_id(rt: Runtime, tenant_id: int) -> int:
    """Created on Tue 1 Dec: its contract and December's invoice (due that day) are issued."""
    return create_engagement(rt, tenant_id, terms())["id"]


def stored(database: FakeDatabase, engagement_id: int) -> Engagement:
    return next(e for e in database.committed.engagements if e.id == engagement_id)


def record(database: FakeDatabase, engagement_id: int) -> list[Event]:
    return [e for e in database.committed.events if e.engagement_id == engagement_id]
