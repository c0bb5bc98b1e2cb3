"""Rules for the record of work, problems and approvals, and for the handover steps."""

from __future__ import annotations

from datetime import date, datetime

from service.domain.errors import Conflict, InvalidInput
from service.domain.model import ApprovalRequest, Engagement, HandoverItem
from service.domain.money import ZERO
from service.domain.sayings import Money, Said, handover_item, handover_status

APPROVAL_DECISIONS = ("approved", "changes_requested")
HANDOVER_STEPS = ("complete", "waive")


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
    engagement: Engagement, item: HandoverItem, step: str, reason: str, now: datetime, *, closed: bool
) -> None:
    """Complete or waive an open item; access is handed over only once nothing is owed (SPEC §2).

    After closing, the one step left is completing an access item withheld while money was owed,
    once it is paid: the late payer still gets their accounts.
    """
    what = handover_item(item.action, item.platform, item.handle)
    if not reason.strip() and step == "waive":
        raise InvalidInput({"reason": ["Say why this item is waived: the record keeps it."]})
    owed = engagement.balance_due
    if closed:
        if not (step == "complete" and item.withheld_until_paid and item.status == "waived"):
            raise Conflict(Said("conflicts.closed_handover"), language=engagement.language)
    elif item.status != "open":
        raise Conflict(
            Said("conflicts.handover_resolved", what=what, status=handover_status(item.status)),
            language=engagement.language,
        )
    if step == "complete" and item.grants_access and owed > ZERO:
        raise Conflict(
            Said("conflicts.access_while_owed", what=what, owed=Money(owed, engagement.currency)),
            language=engagement.language,
        )
    item.withheld_until_paid = step == "waive" and item.grants_access and owed > ZERO
    item.status = "completed" if step == "complete" else "waived"
    item.reason = reason
    item.resolved_at = now
