"""Rules for the record of work, problems and approvals, and for the handover steps."""

from __future__ import annotations

from datetime import date, datetime

from service.domain.errors import Conflict, InvalidInput
from service.domain.model import ApprovalRequest, Engagement, HandoverItem
from service.domain.money import ZERO, formatted

APPROVAL_DECISIONS = ("approved", "changes_requested")
HANDOVER_STEPS = ("complete", "waive")


def ensure_open(engagement: Engagement) -> None:
    """A closed engagement's record is complete: evidence must not grow after the fact."""
    if engagement.state == "closed":
        raise Conflict("The engagement is closed; its record is complete and takes no new entries.")


def ensure_not_future(field: str, day: date, today: date) -> None:
    # Work done and problems met are facts: a date after today cannot be one yet.
    if day > today:
        raise InvalidInput({field: [f"The date {day.isoformat()} is after today ({today.isoformat()})."]})


def decide(approval: ApprovalRequest, decision: str, now: datetime) -> None:
    """Apply the client's decision; each request for changes is one more revision round."""
    if approval.status == "approved":
        raise Conflict(f"'{approval.item}' is already approved; a new version needs a new approval request.")
    approval.status = decision
    approval.decided_at = now
    if decision == "changes_requested":
        approval.rounds += 1


def resolve_handover(
    engagement: Engagement, item: HandoverItem, step: str, reason: str, now: datetime
) -> None:
    """Complete or waive an open item; access is handed over only once nothing is owed (SPEC §2)."""
    if item.status != "open":
        what = f"{item.action} on {item.platform} {item.handle}"
        raise Conflict(f"The handover item {what} is already {item.status}.")
    owed = engagement.balance_due
    if step == "complete" and item.grants_access and owed > ZERO:
        raise Conflict(
            f"{item.action} on {item.platform} {item.handle} gives the client access, and "
            f"{formatted(owed, engagement.currency)} is still owed: waive it with a reason, "
            "or complete it once payment arrives."
        )
    item.status = "completed" if step == "complete" else "waived"
    item.reason = reason
    item.resolved_at = now
