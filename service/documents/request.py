"""The values that cross the boundary with the application layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.domain.model import Engagement, Tenant

DOCUMENT_KINDS: frozenset[str] = frozenset(
    {
        "contract",
        "feedback_request",
        "feedback_reminder",
        "payment_reminder",
        "stop_work_notice",
        "resume_notice",
        "contract_amendment",
        "conduct_warning",
        "termination_notice",
        "handover_checklist",
        "final_report",
        "closing_record",
    }
)


@dataclass(frozen=True)
class DocumentRequest:
    kind: str
    engagement: Engagement
    tenant: Tenant
    now: datetime  # timezone-aware UTC: the document's date
    payload: dict[str, Any]  # the transition's record payload; {} for the contract


@dataclass(frozen=True)
class RenderedDocument:
    kind: str
    language: str
    template_name: str
    template_sha256: str
    filename: str
    content: bytes
    sha256: str
