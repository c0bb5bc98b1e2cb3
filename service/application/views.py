"""Read models: plain dicts built inside the transaction, so nothing lazy escapes it."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.domain import amendments
from service.domain.health import Health
from service.domain.model import (
    ApprovalRequest,
    Document,
    Engagement,
    Event,
    HandoverItem,
    Incident,
    Invoice,
    WorkLogEntry,
)
from service.domain.sayings import say

TERMS = (
    "client_name",
    "client_contact_name",
    "client_contact_salutation",
    "client_email",
    "client_address",
    "client_vat_number",
    "client_tax_code",
    "client_pec",
    "client_sdi_code",
    "client_registered_office",
    "client_legal_representative",
    "client_legal_representative_role",
    "jurisdiction",
    "language",
    "currency",
    "monthly_fee",
    "start_date",
    "due_day",
    "grace_days",
    "late_payment_policy",
    "express_termination",
    "feedback_essential",
    "response_days",
    "reminders_before_offboarding",
    "revision_rounds",
    "termination_notice_days",
    "services",
    "accounts",
)


def engagement_view(engagement: Engagement) -> dict[str, Any]:
    """The API's shape: terms grouped as SPEC §3 groups them."""
    e = engagement
    return {
        "id": e.id,
        "state": e.state,
        "version": e.version,
        "client": {
            "name": e.client_name,
            "contact_name": e.client_contact_name,
            "contact_salutation": e.client_contact_salutation,
            "email": e.client_email,
            "address": e.client_address,
            "vat_number": e.client_vat_number,
            "tax_code": e.client_tax_code,
            "pec": e.client_pec,
            "sdi_code": e.client_sdi_code,
            "registered_office": e.client_registered_office,
            "legal_representative": e.client_legal_representative,
            "legal_representative_role": e.client_legal_representative_role,
        },
        "language": e.language,
        "jurisdiction": e.jurisdiction,
        "currency": e.currency,
        "monthly_fee": e.monthly_fee,
        "start_date": e.start_date,
        "payment_terms": {
            "due_day": e.due_day,
            "grace_days": e.grace_days,
            "late_payment_policy": e.late_payment_policy,
            "express_termination": e.express_termination,
        },
        "feedback_terms": {
            "response_days": e.response_days,
            "reminders_before_offboarding": e.reminders_before_offboarding,
            "feedback_essential": e.feedback_essential,
        },
        "approval_terms": {"revision_rounds": e.revision_rounds},
        "termination_terms": {"termination_notice_days": e.termination_notice_days},
        "services": list(e.services),
        "accounts": [dict(a) for a in e.accounts],
        "balance_due": e.balance_due,
        "credit": e.credit,
        "next_deadline": e.next_deadline,
        "workflow_version": e.workflow_version,
        "offboarding_reason": e.offboarding_reason,
        "pending_terms": [
            {
                "id": int(a.get("id", 0)),
                "status": amendments.status(a),
                "effective_on": a["effective_on"],
                "changes": a["changes"],
            }
            for a in amendments.pending(e)
        ],
        "created_at": e.created_at,
    }


def event_view(event: Event) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "type": event.type,
        "occurred_at": event.occurred_at,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def work_log_view(entry: WorkLogEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "date": entry.day,
        "summary": entry.summary,
        "hours": entry.hours,
        "category": entry.category,
        "recorded_at": entry.recorded_at,
    }


def incident_view(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "kind": incident.kind,
        "occurred_on": incident.occurred_on,
        "description": incident.description,
        "recorded_at": incident.recorded_at,
    }


def approval_view(approval: ApprovalRequest, agreed_rounds: int) -> dict[str, Any]:
    return {
        "id": approval.id,
        "engagement_id": approval.engagement_id,
        "item": approval.item,
        "description": approval.description,
        "status": approval.status,
        "rounds": approval.rounds,
        "agreed_rounds": agreed_rounds,
        "beyond_agreed_rounds": approval.rounds > agreed_rounds,
        "sent_at": approval.sent_at,
        "decided_at": approval.decided_at,
    }


def handover_view(item: HandoverItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "platform": item.platform,
        "handle": item.handle,
        "action": item.action,
        "grants_access": item.grants_access,
        "status": item.status,
        "reason": item.reason,
        "resolved_at": item.resolved_at,
    }


def health_view(health: Health, language: str) -> dict[str, Any]:
    """The signals said in ``language``, the engagement's."""
    signals = {
        name: {"level": s.level, "summary": say(s.summary, language), "evidence": s.evidence}
        for name, s in (
            ("unresponsive", health.unresponsive),
            ("controlling", health.controlling),
            ("late_payment", health.late_payment),
        )
    }
    return {**signals, "recommendation": say(health.recommendation, language)}


def document_view(document: Document, size: int | None = None) -> dict[str, Any]:
    """``size`` when the bytes were not loaded (a list reads only their length)."""
    return {
        "id": document.id,
        "engagement_id": document.engagement_id,
        "kind": document.kind,
        "language": document.language,
        "template_name": document.template_name,
        "template_sha256": document.template_sha256,
        "filename": document.download_name,
        "sha256": document.sha256,
        "size": document.size if size is None else size,
        "event_seq": document.event_seq,
        "created_at": document.created_at,
    }


def taxes_view(invoice: Invoice, issued_on: date) -> dict[str, Any] | None:
    """The invoice's lines as its XML and letters have them; None when it carries the fee alone.
    ``tax_point`` is the issue day (a UK VAT invoice's time of supply; FatturaPA's Data)."""
    lines = invoice.lines
    if lines is None:
        return None
    return {
        "fee": lines.fee,
        "pension_surcharge": lines.surcharge,
        "taxable": lines.taxable,
        "vat_rate": lines.vat_rate,
        "vat": lines.vat,
        "vat_nature": lines.nature,
        "stamp_duty": lines.stamp,
        "stamp_charged": lines.stamp_charged,
        "total": lines.total_document,
        "withholding": lines.withholding,
        "payable": lines.payable,
        "supplier_vat_number": lines.vat_number or None,
        "tax_point": issued_on,
    }
