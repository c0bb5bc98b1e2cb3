"""Guards (each returns the sentences that explain why it does not hold), routing conditions,
and the clock's due rules: the day each clock guard starts to hold, stated next to the guard."""

from __future__ import annotations

from datetime import date, timedelta

from service.domain.calendar import as_utc
from service.domain.demand import first_day_after_demand, minimum_days
from service.domain.model import Engagement
from service.domain.rules import RULES, TransitionContext
from service.domain.termination import unresponsive_evidence

DAY = timedelta(days=1)


def _text(ctx: TransitionContext, key: str) -> str:
    value = (ctx.data or {}).get(key) or ""
    return value.strip() if isinstance(value, str) else ""


@RULES.guard
def feedback_reminder_due(ctx: TransitionContext) -> list[str]:
    request = ctx.engagement.open_feedback_request
    if request is None:
        return ["No feedback request is open."]
    if request.next_reminder_on and ctx.today < request.next_reminder_on:
        return [
            f"The request '{request.subject}' is due by {request.due_on.isoformat()}; "
            f"the next reminder is due on {request.next_reminder_on.isoformat()}."
        ]
    return []


@RULES.due_rule
def next_feedback_reminder_day(engagement: Engagement) -> date | None:
    request = engagement.open_feedback_request
    return request.next_reminder_on if request else None


@RULES.guard
def invoice_past_due(ctx: TransitionContext) -> list[str]:
    if ctx.engagement.overdue_invoices(ctx.today):
        return []
    return ["No invoice is unpaid after its due date."]


@RULES.due_rule
def first_overdue_day(engagement: Engagement) -> date | None:
    unpaid = engagement.unpaid_invoices()
    return unpaid[0].due_on + DAY if unpaid else None


@RULES.guard
def grace_period_over(ctx: TransitionContext) -> list[str]:
    engagement = ctx.engagement
    overdue = engagement.overdue_invoices(ctx.today)
    if not overdue:
        return ["Nothing is overdue any more."]
    reasons = []
    if not engagement.beyond_grace(ctx.today):
        last_day = engagement.grace_ends(overdue[0])
        reasons.append(f"The grace period for the overdue invoice runs until {last_day.isoformat()}.")
    if not any(invoice.reminded_at for invoice in overdue):
        reasons.append("No payment reminder has been sent for the overdue invoice yet.")
    return reasons


@RULES.due_rule
def first_day_after_grace(engagement: Engagement) -> date | None:
    unpaid = engagement.unpaid_invoices()
    if not any(i.reminded_at for i in unpaid):
        return None  # the client must have been reminded before work stops
    return engagement.grace_ends(unpaid[0]) + DAY


@RULES.guard
def nothing_overdue(ctx: TransitionContext) -> list[str]:
    return [
        f"Invoice '{invoice.description}' still has {invoice.outstanding} "
        f"{ctx.engagement.currency} outstanding (due {invoice.due_on.isoformat()})."
        for invoice in ctx.engagement.overdue_invoices(ctx.today)
    ]


@RULES.guard
def demand_term_long_enough(ctx: TransitionContext) -> list[str]:
    days = (ctx.data or {}).get("days")
    minimum = minimum_days(ctx.engagement)
    if days is None or days >= minimum:
        return []
    return [
        f"A formal demand under {ctx.engagement.jurisdiction} law gives the client at least "
        f"{minimum} days to pay; {days} is too few."
    ]


@RULES.guard
def conduct_documented(ctx: TransitionContext) -> list[str]:
    engagement = ctx.engagement
    if engagement.incidents or engagement.approval_overruns():
        return []
    return [
        "Document at least one incident, or an approval that went beyond the "
        f"{engagement.revision_rounds} agreed revision rounds, before issuing a conduct warning."
    ]


def _warning_unheeded(ctx: TransitionContext) -> list[str]:
    """A second warning, or the first one's time to comply passed with a new incident since."""
    e = ctx.engagement
    if not e.conduct_warnings:
        return ["A conduct warning must be issued before ending the engagement for controlling conduct."]
    if e.conduct_warnings >= 2 or e.comply_by is None or e.conduct_warned_at is None:
        return []  # warnings from before time to comply was recorded keep their earlier rule
    reasons = []
    if ctx.today <= e.comply_by:
        first_day = (e.comply_by + DAY).isoformat()
        reasons.append(
            f"The conduct warning gives the client until {e.comply_by.isoformat()} to comply; the "
            f"engagement can end for controlling conduct from {first_day}, or after a second warning."
        )
    warned_on = e.day_of(e.conduct_warned_at).isoformat()
    if not any(as_utc(i.recorded_at) > as_utc(e.conduct_warned_at) for i in e.incidents):
        reasons.append(
            f"No incident has been recorded since the conduct warning of {warned_on}: "
            "record one, or issue a second warning."
        )
    return reasons


def _non_payment(ctx: TransitionContext) -> list[str]:
    engagement = ctx.engagement
    if not (engagement.paused_at or engagement.beyond_grace(ctx.today)):
        return ["Work has never been paused and no invoice is overdue beyond the grace period."]
    if engagement.express_termination:
        return []  # the contract's clause (art. 1456 c.c.) ends it on the provider's declaration
    return _demand_expired(ctx)


def _demand_expired(ctx: TransitionContext) -> list[str]:
    """A client's breach ends the contract once a formal demand's term has passed unpaid."""
    engagement = ctx.engagement
    first_day = first_day_after_demand(engagement)
    if first_day is None:
        return [
            "Send a formal demand (send_formal_demand) first: ending for non-payment needs its "
            f"deadline, at least {minimum_days(engagement)} days away, to pass unpaid."
        ]
    if ctx.today < first_day:
        return [
            f"The formal demand of {engagement.formal_demand_on} gives the client until "
            f"{engagement.formal_demand_deadline} to pay; the engagement can end for non-payment "
            f"from {first_day.isoformat()}."
        ]
    if not engagement.overdue_invoices(ctx.today):
        return ["Nothing is overdue any more: the formal demand was met."]
    return []


def _explained(ctx: TransitionContext) -> list[str]:
    if _text(ctx, "explanation"):
        return []
    return ["Explain the reason for ending in 'explanation': the client will read it."]


# The evidence each reason (the choices of begin_offboarding's input) needs on record.
REASON_CHECKS = {
    "unresponsive": unresponsive_evidence,
    "controlling": _warning_unheeded,
    "non_payment": _non_payment,
    "mutual": _explained,
    "other": _explained,
}


@RULES.guard
def offboarding_reason_documented(ctx: TransitionContext) -> list[str]:
    if ctx.data is None:
        return []  # which reason applies is only known when the user names it
    reason = _text(ctx, "reason")
    check = REASON_CHECKS.get(reason)
    if check is None:
        return [f"No rule says what ending for '{reason}' needs; name one of {', '.join(REASON_CHECKS)}."]
    return check(ctx)


@RULES.guard
def handover_complete(ctx: TransitionContext) -> list[str]:
    still_open = [i for i in ctx.engagement.handover_items if i.status == "open"]
    if not still_open:
        return []
    listed = ", ".join(f"{i.action} on {i.platform} {i.handle}" for i in still_open)
    return [f"{len(still_open)} handover item(s) are neither completed nor waived: {listed}."]


@RULES.condition
def feedback_open(ctx: TransitionContext) -> bool:
    return ctx.engagement.open_feedback_request is not None


@RULES.condition
def prepayment_required(ctx: TransitionContext) -> bool:
    return ctx.engagement.late_payment_policy == "require_prepayment"
