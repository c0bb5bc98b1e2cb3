"""Effects: what a transition changes in the aggregate besides its state."""

from __future__ import annotations

from datetime import timedelta

from service.domain.amendments import amend_from_today
from service.domain.calendar import add_business_days, next_working_day
from service.domain.claims import waive
from service.domain.demand import demand_deadline, minimum_days
from service.domain.model import HANDOVER_ACTIONS, FeedbackRequest, HandoverItem
from service.domain.rules import RULES, TransitionContext
from service.domain.termination import contract_ends_on, termination_payload

DAYS_TO_COMPLY = 7  # calendar days a conduct warning gives by default
PREPAYMENT_DUE_DAY = 1  # under the prepayment clause each invoice is due on the 1st of its month


def _data(ctx: TransitionContext, key: str, default: str = "") -> str:
    return str((ctx.data or {}).get(key) or default).strip()


@RULES.effect
def open_feedback_request(ctx: TransitionContext) -> None:
    days, working = ctx.engagement.response_days, ctx.engagement.working_calendar
    due_on = add_business_days(ctx.today, days, working)
    request = FeedbackRequest(
        subject=_data(ctx, "subject"),
        requested_at=ctx.now,
        due_on=due_on,
        # The first reminder goes out on the first business day after the deadline.
        next_reminder_on=add_business_days(due_on, 1, working),
    )
    ctx.engagement.feedback_requests.append(request)
    ctx.payload.update(subject=request.subject, due_on=due_on.isoformat())


@RULES.effect
def count_feedback_reminder(ctx: TransitionContext) -> None:
    request = ctx.engagement.open_feedback_request
    assert request is not None  # the guard feedback_reminder_due ensured it
    request.reminders_sent += 1
    # Counted from the scheduled date, so a late tick keeps the same rhythm.
    scheduled = request.next_reminder_on or ctx.today
    request.next_reminder_on = add_business_days(
        scheduled, ctx.engagement.response_days, ctx.engagement.working_calendar
    )
    ctx.payload.update(
        subject=request.subject,
        due_on=request.due_on.isoformat(),
        reminder_number=request.reminders_sent,
        next_reminder_on=request.next_reminder_on.isoformat(),
    )


@RULES.effect
def close_feedback_request(ctx: TransitionContext) -> None:
    request = ctx.engagement.open_feedback_request
    if request is None:
        return
    request.answered_at = ctx.now
    request.days_late = max(0, (ctx.today - request.due_on).days)
    request.next_reminder_on = None
    ctx.payload.update(subject=request.subject, days_late=request.days_late)


@RULES.effect
def mark_invoices_reminded(ctx: TransitionContext) -> None:
    reminded = []
    for invoice in ctx.engagement.overdue_invoices(ctx.today):
        if invoice.reminded_at is None:
            invoice.reminded_at = ctx.now
        reminded.append(invoice.description)
    ctx.payload.update(invoices=reminded, balance_due=str(ctx.engagement.balance_due))


@RULES.effect
def record_pause(ctx: TransitionContext) -> None:
    ctx.engagement.paused_at = ctx.now


@RULES.effect
def record_formal_demand(ctx: TransitionContext) -> None:
    engagement = ctx.engagement
    days = (ctx.data or {}).get("days") or minimum_days(engagement)
    engagement.formal_demand_on = ctx.today
    engagement.formal_demand_deadline = demand_deadline(engagement, ctx.today, days)
    ctx.payload.update(
        days=days,
        demanded_on=ctx.today.isoformat(),
        deadline=engagement.formal_demand_deadline.isoformat(),
        balance_due=str(engagement.balance_due),
    )


@RULES.effect
def count_conduct_warning(ctx: TransitionContext) -> None:
    engagement = ctx.engagement
    engagement.conduct_warnings += 1
    engagement.conduct_warned_at = ctx.now
    days = (ctx.data or {}).get("days_to_comply") or DAYS_TO_COMPLY
    engagement.comply_by = next_working_day(ctx.today + timedelta(days=days), engagement.working_calendar)
    ctx.payload.update(warning_number=engagement.conduct_warnings, comply_by=engagement.comply_by.isoformat())


@RULES.effect
def start_offboarding(ctx: TransitionContext) -> None:
    engagement = ctx.engagement
    engagement.offboarding_reason = _data(ctx, "reason")
    engagement.offboarding_explanation = _data(ctx, "explanation")
    for account in engagement.accounts:
        for action in HANDOVER_ACTIONS:
            engagement.handover_items.append(
                HandoverItem(platform=account["platform"], handle=account["handle"], action=action)
            )
    ctx.payload.update(
        reason=engagement.offboarding_reason,
        explanation=engagement.offboarding_explanation,
        handover_items=len(engagement.handover_items),
        balance_due=str(engagement.balance_due),
    )
    engagement.ends_on = contract_ends_on(engagement, engagement.offboarding_reason, ctx.today)
    ctx.payload.update(termination_payload(engagement, engagement.offboarding_reason))


@RULES.effect
def prepay_from_today(ctx: TransitionContext) -> None:
    """The contract's prepayment clause, applied on the day a late payment is settled: every
    monthly invoice issued from today is due on the 1st of its month (invoices already issued
    keep their due dates). Nothing changes under the remind-only policy."""
    engagement = ctx.engagement
    if not engagement.prepayment_after_late_payment:
        return
    amendment = amend_from_today(engagement, ctx.today, {"due_day": PREPAYMENT_DUE_DAY})
    ctx.payload.update(prepayment_from=ctx.today.isoformat())
    if "due_day" in amendment.changes:
        old, new = amendment.changes["due_day"]
        ctx.payload.update(due_day={"from": old, "to": new})


@RULES.effect
def waive_claimed_interest(ctx: TransitionContext) -> None:
    """The user's waiver of the interest and compensation claimed (art. 1236 c.c.), recorded."""
    reason = _data(ctx, "waiver_reason")
    amount = waive(ctx.engagement, ctx.today, reason)
    ctx.payload.update(waived=str(amount), currency=ctx.engagement.currency, reason=reason)


@RULES.effect
def record_closing(ctx: TransitionContext) -> None:
    ctx.engagement.closed_at = ctx.now
