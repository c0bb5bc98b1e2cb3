"""Guards (each returns the sentences that explain why it does not hold), routing conditions,
and the clock's due rules: each gives the first day its step may happen, and the registry derives
that step's guard from it (``rules.Due``), so a clock rule is written once."""

from __future__ import annotations

from datetime import timedelta

from service.domain.calendar import add_business_days, as_utc
from service.domain.claims import holds_resume, is_claimed
from service.domain.demand import first_day_after_demand, minimum_days
from service.domain.model import Engagement
from service.domain.rules import RULES, Due, TransitionContext
from service.domain.sayings import Listing, Money, Said, handover_item
from service.domain.termination import unresponsive_evidence

DAY = timedelta(days=1)


def _text(ctx: TransitionContext, key: str) -> str:
    value = (ctx.data or {}).get(key) or ""
    return value.strip() if isinstance(value, str) else ""


@RULES.due_rule
def feedback_reminder_due(engagement: Engagement) -> Due:
    request = engagement.open_feedback_request
    if request is None:
        return Due.never(Said("guards.no_open_feedback"))
    ladder_over = _reminders_over(engagement)
    if ladder_over:
        return Due.never(*ladder_over)
    # Set on every open request; a row without one is reminded as a first reminder would be.
    next_on = request.next_reminder_on or add_business_days(request.due_on, 1, engagement.working_calendar)
    waiting = Said(
        "guards.reminder_not_due",
        subject=request.subject,
        due_on=request.due_on.isoformat(),
        next_on=next_on.isoformat(),
    )
    return Due(next_on, (waiting,))


def _reminders_over(engagement: Engagement) -> list[str]:
    """The ladder ends where the contract says: after the agreed number of reminders, and after
    a final notice, no ordinary reminder follows (it would waive the notice by conduct)."""
    request = engagement.open_feedback_request
    assert request is not None
    sent_at = engagement.final_notice_at
    if sent_at is not None and as_utc(sent_at) >= as_utc(request.requested_at):
        return [Said("ladder.after_final_notice", sent_on=engagement.day_of(sent_at).isoformat())]
    if request.reminders_sent >= engagement.reminders_before_offboarding:
        return [Said("ladder.reminders_done", count=request.reminders_sent, subject=request.subject)]
    return []


@RULES.due_rule
def invoice_past_due(engagement: Engagement) -> Due:
    """The day after the oldest unpaid invoice's due date (``Invoice.is_overdue``)."""
    unpaid = engagement.unpaid_invoices()
    return Due(unpaid[0].due_on + DAY if unpaid else None, (Said("guards.nothing_past_due"),))


@RULES.due_rule
def grace_period_over(engagement: Engagement) -> Due:
    """The day after the oldest unpaid invoice's grace period (the contract's ``grace_days``),
    once the client has been reminded: work never stops without a reminder first."""
    unpaid = engagement.unpaid_invoices()
    if not unpaid:
        return Due.never(Said("guards.nothing_overdue"))
    if not any(invoice.reminded_at for invoice in unpaid):
        return Due.never(Said("guards.not_reminded"))
    last_day = engagement.grace_ends(unpaid[0])
    return Due(last_day + DAY, (Said("guards.grace_runs", last_day=last_day.isoformat()),))


@RULES.guard
def nothing_overdue(ctx: TransitionContext) -> list[str]:
    """Resume once no invoice is overdue; where the account chose so, once the claimed interest
    and compensation are paid too (by default they stay due apart and do not hold the resume)."""
    currency = ctx.engagement.currency
    held = holds_resume(ctx.engagement, ctx.today)
    claim = [Said("guards.claim_outstanding", amount=Money(held, currency))] if held > 0 else []
    return claim + [
        Said(
            "guards.invoice_outstanding",
            invoice=invoice.description,
            number=invoice.number or "-",
            outstanding=invoice.outstanding,
            currency=currency,
            amount=Money(invoice.outstanding, currency),
            due_on=invoice.due_on.isoformat(),
        )
        for invoice in ctx.engagement.overdue_invoices(ctx.today)
    ]


@RULES.guard
def demand_term_long_enough(ctx: TransitionContext) -> list[str]:
    days = (ctx.data or {}).get("days")
    minimum = minimum_days(ctx.engagement)
    if days is None or days >= minimum:
        return []
    return [
        Said("guards.demand_too_short", jurisdiction=ctx.engagement.jurisdiction, minimum=minimum, days=days)
    ]


@RULES.guard
def conduct_documented(ctx: TransitionContext) -> list[str]:
    engagement = ctx.engagement
    if engagement.incidents or engagement.approval_overruns():
        return []
    return [Said("guards.conduct_undocumented", rounds=engagement.revision_rounds)]


def _warning_unheeded(ctx: TransitionContext) -> list[str]:
    """A second warning, or the first one's time to comply passed with a new incident since."""
    e = ctx.engagement
    if not e.conduct_warnings:
        return [Said("guards.no_warning")]
    if e.conduct_warnings >= 2 or e.comply_by is None or e.conduct_warned_at is None:
        return []  # warnings from before time to comply was recorded keep their earlier rule
    reasons: list[str] = []
    if ctx.today <= e.comply_by:
        first_day = (e.comply_by + DAY).isoformat()
        reasons.append(Said("guards.comply_window", comply_by=e.comply_by.isoformat(), first_day=first_day))
    warned_on = e.day_of(e.conduct_warned_at).isoformat()
    if not any(as_utc(i.recorded_at) > as_utc(e.conduct_warned_at) for i in e.incidents):
        reasons.append(Said("guards.no_new_incident", warned_on=warned_on))
    return reasons


def _non_payment(ctx: TransitionContext) -> list[str]:
    engagement = ctx.engagement
    if not (engagement.paused_at or engagement.beyond_grace(ctx.today)):
        return [Said("guards.never_paused")]
    if engagement.express_termination:
        return []  # the contract's clause (art. 1456 c.c.) ends it on the provider's declaration
    return _demand_expired(ctx)


def _demand_expired(ctx: TransitionContext) -> list[str]:
    """A client's breach ends the contract once a formal demand's term has passed unpaid."""
    engagement = ctx.engagement
    first_day = first_day_after_demand(engagement)
    if first_day is None:
        return [Said("guards.demand_first", minimum=minimum_days(engagement))]
    if ctx.today < first_day:
        return [
            Said(
                "guards.demand_running",
                demanded_on=engagement.formal_demand_on,
                deadline=engagement.formal_demand_deadline,
                first_day=first_day.isoformat(),
            )
        ]
    if not engagement.overdue_invoices(ctx.today):
        return [Said("guards.demand_met")]
    return []


def _explained(ctx: TransitionContext) -> list[str]:
    if _text(ctx, "explanation"):
        return []
    return [Said("guards.explain")]


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
        return [Said("guards.unknown_reason", reason=reason, reasons=", ".join(REASON_CHECKS))]
    return check(ctx)


@RULES.guard
def handover_complete(ctx: TransitionContext) -> list[str]:
    still_open = [i for i in ctx.engagement.handover_items if i.status == "open"]
    if not still_open:
        return []
    listed = Listing(tuple(handover_item(i.action, i.platform, i.handle) for i in still_open))
    return [Said("guards.handover_open", count=len(still_open), listed=listed)]


@RULES.guard
def interest_claimed(ctx: TransitionContext) -> list[str]:
    """A claim to waive: sent in a letter, not waived yet (what it amounts to may still grow)."""
    if is_claimed(ctx.engagement):
        return []
    return [Said("claims.nothing_to_waive")]


@RULES.condition
def feedback_open(ctx: TransitionContext) -> bool:
    return ctx.engagement.open_feedback_request is not None


@RULES.condition
def prepayment_required(ctx: TransitionContext) -> bool:
    return ctx.engagement.late_payment_policy == "require_prepayment"
