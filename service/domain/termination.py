"""Ending the contract: the evidence an unresponsive client's termination needs, the final
notice that gives them a last date, and the day the contract ends for each reason.

An unresponsive client is ended only after the reminders the contract promised went unanswered
**and** a final notice named a date that passed with no answer recorded since it went out.
A contract the provider ends without a breach (reason ``other``, or an unresponsive client
under the withdrawal path) runs until its notice period is over (art. 1373 c.c.); one ended by
agreement (``mutual``) ends on the agreed day, never before it starts; one ended under a formal
demand in Italy, for payment or for the feedback the contract makes essential, ends by law when
the demand's term expires (art. 1454 c.c.); every other ground ends it when the client receives
the declaration.
See docs/legal.md, sections 6 and 6b.
"""

from __future__ import annotations

from datetime import date, timedelta

from service.domain.calendar import as_utc
from service.domain.demand import demand_deadline
from service.domain.model import Engagement
from service.domain.rules import RULES, TransitionContext
from service.domain.sayings import Said

FINAL_NOTICE_DAYS = 7  # calendar days a final notice gives by default
# A final notice that is a formal demand gives at least this (art. 1454 c.c.; in England a
# "reasonable time" to make time of the essence, for which the service keeps the same floor).
FEEDBACK_DEMAND_DAYS = 15
# The two paths the user chooses between with the final notice (send_final_notice's ``path``).
WITHDRAWAL, FORMAL_DEMAND = "withdrawal", "formal_demand"
# A reason that is no breach of the client's: the contract ends after its notice period.
NOTICE_REASONS = ("other",)
# Both parties agree: a termination agreement, ending on one agreed day (art. 1372 c.c.).
MUTUAL = "mutual"
DAY = timedelta(days=1)


def reminders_missing(engagement: Engagement) -> list[str]:
    required = engagement.reminders_before_offboarding
    sent = engagement.unanswered_reminders()
    if sent >= required:
        return []
    return [Said("guards.reminders_short", count=sent, sent=sent, required=required)]


@RULES.guard
def promised_reminders_sent(ctx: TransitionContext) -> list[str]:
    """A final notice comes after the reminders the contract promised, never instead of them."""
    return reminders_missing(ctx.engagement)


def _chosen_path(ctx: TransitionContext) -> str:
    return (ctx.data or {}).get("path") or WITHDRAWAL


@RULES.guard
def final_notice_path_allowed(ctx: TransitionContext) -> list[str]:
    """A formal demand for missing feedback needs the contract to make feedback essential (else
    silence is the client's delay as creditor, art. 1206 c.c., not a breach) and 15 days."""
    if _chosen_path(ctx) != FORMAL_DEMAND:
        return []
    if not ctx.engagement.feedback_essential:
        return [Said("guards.feedback_not_essential")]
    days = (ctx.data or {}).get("days")
    if days is not None and days < FEEDBACK_DEMAND_DAYS:
        return [Said("guards.feedback_demand_too_short", minimum=FEEDBACK_DEMAND_DAYS, days=days)]
    return []


@RULES.effect
def record_final_notice(ctx: TransitionContext) -> None:
    engagement = ctx.engagement
    path = _chosen_path(ctx)
    default = FEEDBACK_DEMAND_DAYS if path == FORMAL_DEMAND else FINAL_NOTICE_DAYS
    days = (ctx.data or {}).get("days") or default
    engagement.final_notice_at = ctx.now
    engagement.final_notice_deadline = demand_deadline(engagement, ctx.today, days)
    engagement.final_notice_path = path
    request = engagement.open_feedback_request
    ctx.payload.update(
        path=path,
        days=days,
        final_notice_deadline=engagement.final_notice_deadline.isoformat(),
        subject=request.subject if request else "",
    )


def unresponsive_evidence(ctx: TransitionContext) -> list[str]:
    """The promised reminders, then a final notice whose date passed with no answer since."""
    e = ctx.engagement
    sent_at, deadline = e.final_notice_at, e.final_notice_deadline
    sent_on = e.day_of(sent_at).isoformat() if sent_at else ""
    if sent_at is not None:
        answers = [r.answered_at for r in e.feedback_requests if r.answered_at is not None]
        later = [as_utc(a) for a in answers if as_utc(a) >= as_utc(sent_at)]
        if later:
            return [
                Said("guards.answered_after_final_notice", answered_on=e.day_of(min(later)), sent_on=sent_on)
            ]
    missing = reminders_missing(e)
    if missing:
        return missing
    if sent_at is None or deadline is None:
        return [Said("guards.final_notice_first")]
    if ctx.today <= deadline:
        return [
            Said(
                "guards.final_notice_running",
                sent_on=sent_on,
                deadline=deadline.isoformat(),
                first_day=(deadline + DAY).isoformat(),
            )
        ]
    return []


def demands_feedback(engagement: Engagement, reason: str) -> bool:
    """An unresponsive client's ending rests on a formal demand for the missing feedback."""
    return reason == "unresponsive" and engagement.final_notice_path == FORMAL_DEMAND


def withdraws_for_silence(engagement: Engagement, reason: str) -> bool:
    """An unresponsive client's ending is a withdrawal with the notice period, no breach claimed."""
    return reason == "unresponsive" and not demands_feedback(engagement, reason)


@RULES.condition
def ended_by_agreement(ctx: TransitionContext) -> bool:
    """Both parties end it: a termination agreement both sign, not a notice."""
    return ctx.engagement.offboarding_reason == MUTUAL


@RULES.condition
def ended_by_one_party(ctx: TransitionContext) -> bool:
    return not ended_by_agreement(ctx)


def contract_ends_on(engagement: Engagement, reason: str, today: date) -> date | None:
    """The last day the contract is in force, when a date is known; None: it ends on the day the
    client receives the termination notice (a declaration of termination for breach)."""
    if reason == MUTUAL:  # one agreed day, never before the contract starts
        return max(today, engagement.start_date)
    if reason in NOTICE_REASONS or withdraws_for_silence(engagement, reason):
        return today + timedelta(days=engagement.termination_notice_days)
    if demands_feedback(engagement, reason) and engagement.jurisdiction == "IT":
        return engagement.final_notice_deadline  # art. 1454 c.c.: ended by law when the term expired
    demanded = reason == "non_payment" and engagement.formal_demand_deadline is not None
    if demanded and not engagement.express_termination and engagement.jurisdiction == "IT":
        return engagement.formal_demand_deadline  # art. 1454 c.c.: ended by law when the term expired
    return None


def termination_payload(engagement: Engagement, reason: str) -> dict[str, str | bool]:
    """What the termination notice cites for its ground, kept in the record with the event."""
    payload: dict[str, str | bool] = {}
    if engagement.ends_on is not None:
        payload["ends_on"] = engagement.ends_on.isoformat()
    if reason == "unresponsive":
        payload["final_notice_path"] = engagement.final_notice_path or WITHDRAWAL
    if reason in NOTICE_REASONS or withdraws_for_silence(engagement, reason):
        payload["notice_days"] = str(engagement.termination_notice_days)
    if reason == "non_payment" and engagement.express_termination:
        payload["express_termination"] = True
    elif reason == "non_payment" and engagement.formal_demand_deadline and engagement.formal_demand_on:
        payload["formal_demand_on"] = engagement.formal_demand_on.isoformat()
        payload["formal_demand_deadline"] = engagement.formal_demand_deadline.isoformat()
    if reason == "unresponsive" and engagement.final_notice_at and engagement.final_notice_deadline:
        payload["final_notice_on"] = engagement.day_of(engagement.final_notice_at).isoformat()
        payload["final_notice_deadline"] = engagement.final_notice_deadline.isoformat()
    if reason == "controlling" and engagement.conduct_warned_at and engagement.comply_by:
        payload["conduct_warned_on"] = engagement.day_of(engagement.conduct_warned_at).isoformat()
        payload["comply_by"] = engagement.comply_by.isoformat()
    return payload
