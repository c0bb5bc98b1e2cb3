"""Domain objects for unit tests, built without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from service.domain.model import Engagement, Invoice

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def engagement(**changes: Any) -> Engagement:
    values: dict[str, Any] = dict(
        tenant_id=1,
        client_name="Bottega Rossi S.r.l.",
        client_email="giulia@bottegarossi.it",
        language="it",
        currency="EUR",
        monthly_fee=Decimal("1200.00"),
        start_date=date(2026, 12, 1),
        due_day=1,
        grace_days=7,
        response_days=3,
        reminders_before_offboarding=2,
        revision_rounds=2,
        created_at=NOW,
        workflow_version="1",
        state="active",
        accounts=[{"platform": "instagram", "handle": "@bottegarossi"}],
        id=1,
    )
    values.update(changes)
    return Engagement(**values)


def invoice(due_on: date, amount: str = "1200.00", **changes: Any) -> Invoice:
    values: dict[str, Any] = dict(
        description=f"Fee {due_on:%Y-%m}", amount=Decimal(amount), due_on=due_on, issued_at=NOW
    )
    values.update(changes)
    return Invoice(**values)
