"""A realistic engagement built from the domain dataclasses, and a reader for the output."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from docx import Document

from service.documents import DocumentRenderer, DocumentRequest
from service.domain.model import (
    ApprovalRequest,
    Engagement,
    FeedbackRequest,
    HandoverItem,
    Incident,
    Invoice,
    Payment,
    Tenant,
    WorkLogEntry,
)

NOW = datetime(2026, 12, 9, 9, 30, tzinfo=UTC)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def make_tenant(language: str = "en") -> Tenant:
    return Tenant(
        name="Studio Aurora",
        language=language,
        sender_address="Via Roma 12\n20121 Milano",
        sender_email="ciao@studioaurora.example",
        vat_number="IT01234567890",
        signatory="Giulia Bianchi",
        id=1,
    )


def make_engagement(language: str = "en", **overrides: Any) -> Engagement:
    """Three months of work: one invoice paid late, one overdue, an open feedback request."""
    engagement = Engagement(
        tenant_id=1,
        client_name="Acme S.r.l.",
        client_email="marco@acme.example",
        client_contact_name="Marco Rossi",
        client_address="Corso Italia 5\n10121 Torino",
        language=language,
        currency="EUR",
        monthly_fee=Decimal("1200.00"),
        start_date=date(2026, 10, 1),
        due_day=1,
        grace_days=7,
        response_days=3,
        reminders_before_offboarding=2,
        revision_rounds=2,
        created_at=at(date(2026, 9, 25)),
        workflow_version="1",
        services=["Editorial calendar", "Community management"],
        accounts=[
            {"platform": "Instagram", "handle": "@acme"},
            {"platform": "LinkedIn", "handle": "acme-srl"},
        ],
        id=1,
    )
    for month, paid in ((10, Decimal("1200.00")), (11, Decimal("1200.00")), (12, Decimal("0"))):
        due = date(2026, month, 1)
        engagement.invoices.append(
            Invoice(
                description=f"Fee 2026-{month:02d}",
                amount=Decimal("1200.00"),
                due_on=due,
                issued_at=at(date(2026, month - 1, 25)),
                period=f"2026-{month:02d}",
                paid_amount=paid,
                paid_on=due if paid else None,
                id=month,
            )
        )
    engagement.payments += [
        Payment(Decimal("1200.00"), date(2026, 10, 1), "BON-1001", at(date(2026, 10, 1)), id=1),
        Payment(Decimal("1200.00"), date(2026, 11, 12), "BON-1002", at(date(2026, 11, 12)), id=2),
    ]
    engagement.feedback_requests += [
        FeedbackRequest(
            "Approve the October plan",
            at(date(2026, 10, 5)),
            date(2026, 10, 8),
            1,
            answered_at=at(date(2026, 10, 13)),
            days_late=5,
            id=1,
        ),
        FeedbackRequest(
            "Brand colours for December",
            at(date(2026, 12, 1)),
            date(2026, 12, 4),
            2,
            next_reminder_on=date(2026, 12, 14),
            id=2,
        ),
    ]
    engagement.approvals.append(ApprovalRequest("Christmas reel", at(date(2026, 11, 20)), rounds=4, id=1))
    engagement.incidents.append(
        Incident(
            "micromanagement",
            date(2026, 11, 24),
            "Asked to approve every story",
            at(date(2026, 11, 24)),
            id=1,
        )
    )
    engagement.work_log += [
        WorkLogEntry(
            date(2026, 10, 3),
            "October plan drafted",
            at(date(2026, 10, 3)),
            Decimal("4"),
            "planning",
            id=1,
        ),
        WorkLogEntry(
            date(2026, 10, 20),
            "12 posts published",
            at(date(2026, 10, 20)),
            Decimal("9.5"),
            "publishing",
            id=2,
        ),
        WorkLogEntry(
            date(2026, 11, 6), "Replies to comments", at(date(2026, 11, 6)), None, "community", id=3
        ),
    ]
    engagement.handover_items += [
        HandoverItem("Instagram", "@acme", "transfer_ownership", id=1),
        HandoverItem("LinkedIn", "acme-srl", "export_content", "waived", "Client exported it already", id=2),
    ]
    for key, value in overrides.items():
        setattr(engagement, key, value)
    return engagement


def payload_for(kind: str) -> dict[str, Any]:
    """What the workflow's effects put in the record for the transition making ``kind``."""
    base = {"trigger": kind, "from": "active", "to": "active", "data": {}, "note": None}
    extra: dict[str, dict[str, Any]] = {
        "feedback_request": {"subject": "Brand colours for December", "due_on": "2026-12-04"},
        "feedback_reminder": {
            "subject": "Brand colours for December",
            "due_on": "2026-12-04",
            "reminder_number": 2,
            "next_reminder_on": "2026-12-14",
        },
        "payment_reminder": {"invoices": ["Fee 2026-12"], "balance_due": "1200.00"},
        "conduct_warning": {
            "warning_number": 1,
            "comply_by": "2026-12-16",
            "data": {"summary": "Approvals take weeks"},
        },
        "formal_demand": {
            "days": 15,
            "demanded_on": "2026-12-09",
            "deadline": "2026-12-24",
            "balance_due": "1200.00",
        },
        "termination_notice": {
            "reason": "non_payment",
            "explanation": "Invoices keep arriving late",
            "handover_items": 2,
            "balance_due": "1200.00",
            "formal_demand_on": "2026-11-20",
            "formal_demand_deadline": "2026-12-07",
        },
        "termination_agreement": {
            "reason": "mutual",
            "explanation": "Budget moved in-house",
            "handover_items": 2,
            "balance_due": "1200.00",
            "ends_on": "2026-12-09",
        },
        "credit_note": {
            "invoice_id": 12,
            "number": "2026-0012",
            "credit_note_number": "NC-2027-0001",
            "amount": "1200.00",
            "reason": "Billed twice by mistake",
        },
        "final_notice": {
            "days": 7,
            "final_notice_deadline": "2026-12-16",
            "subject": "Brand colours for December",
        },
    }
    return {**base, **extra.get(kind, {})}


def read_docx(content: bytes) -> str:
    """All text a reader sees: the first page's letterhead, body paragraphs and every table
    cell. No-break spaces (inside dates and amounts) read as spaces; the document lint checks
    that they hold on the page."""
    document = Document(BytesIO(content))
    parts = [p.text for s in document.sections for p in s.first_page_header.paragraphs]
    parts += [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts).replace("\xa0", " ")


@pytest.fixture(scope="session")
def renderer() -> DocumentRenderer:
    return DocumentRenderer()


@pytest.fixture
def request_for() -> Callable[..., DocumentRequest]:
    def build(kind: str, language: str = "en", **overrides: Any) -> DocumentRequest:
        return DocumentRequest(
            kind=kind,
            engagement=make_engagement(language, **overrides),
            tenant=make_tenant(language),
            now=NOW,
            payload=payload_for(kind),
        )

    return build
