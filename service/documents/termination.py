"""The letters that end a contract: the final notice to a client who does not answer, and the
termination notice, worded per ground.

The termination notice is a *recesso* with the contract's notice period for the reasons that
are no breach (mutual, other), and a termination for breach otherwise: under the formal demand
(art. 1454 c.c. in Italy), under the express termination clause, or after the conduct warning or
the final notice it cites. It names one day the contract ends, or says that it ends when the
client receives the letter; never both.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from service.documents.base import DocContext, DocumentRenderError
from service.documents.claims import remaining_claim
from service.documents.demand import delivery_means
from service.documents.notices import letter
from service.documents.shapes import LetterContext
from service.domain.termination import FINAL_NOTICE_DAYS, NOTICE_REASONS

KEY = "notices.termination_notice"


def final_notice(ctx: DocContext) -> LetterContext:
    e = ctx.engagement
    request = e.open_feedback_request or (e.feedback_requests[-1] if e.feedback_requests else None)
    if request is None:
        raise DocumentRenderError("A final_notice needs a feedback request, and none is on record.")
    values = {
        "subject": ctx.event("subject", request.subject),
        "due_on": ctx.fmt.date(request.due_on),
        "term": ctx.count("day", int(ctx.event("days", FINAL_NOTICE_DAYS))),
        "means": delivery_means(ctx),
    }
    return letter(ctx, ctx.texts("notices.final_notice.body", **values), [], [], **values)


def _day(ctx: DocContext, key: str, fallback: date | None) -> str:
    value = ctx.event(key, fallback and fallback.isoformat())
    return ctx.fmt.date(date.fromisoformat(value)) if value else ""


def _ground(ctx: DocContext, reason: str) -> str:
    """Which letter this is: a notice period, the express clause, a demand, or another breach."""
    if reason in NOTICE_REASONS:
        return "notice"
    if reason == "non_payment" and ctx.event("express_termination", False):
        return "express"
    if reason == "non_payment" and ctx.event("formal_demand_deadline"):
        return "demand"
    return "breach"


def _opening(ctx: DocContext, ground: str) -> tuple[str, list[Markup]]:
    """The subject's key and the paragraphs that say on what ground, and when, the contract ends."""
    e, jurisdiction = ctx.engagement, ctx.engagement.jurisdiction
    if ground == "notice":
        notice = ctx.count("day", int(ctx.event("notice_days", e.termination_notice_days)))
        ends_on = _day(ctx, "ends_on", e.ends_on)
        opening = ctx.text(
            f"{KEY}.opening.notice",
            notice=notice,
            ends_on=ends_on,
            number=ctx.clause_numbers["termination"],
        )
        return "subjects.notice", [opening]
    if ground == "express":
        number = ctx.clause_numbers["express_termination"]
        return f"subjects.express.{jurisdiction}", [ctx.text(f"{KEY}.express.{jurisdiction}", number=number)]
    if ground == "demand":
        demand = {
            "demand_on": _day(ctx, "formal_demand_on", e.formal_demand_on),
            "deadline": _day(ctx, "formal_demand_deadline", e.formal_demand_deadline),
        }
        return f"subjects.demand.{jurisdiction}", [ctx.text(f"{KEY}.demand.{jurisdiction}", **demand)]
    return "subjects.breach", [ctx.text(f"{KEY}.opening.breach")]


def _cited(ctx: DocContext, reason: str) -> list[Markup]:
    """The earlier letter a termination for conduct rests on, with its date and its term."""
    e = ctx.engagement
    if reason == "unresponsive" and ctx.event("final_notice_deadline"):
        return [
            ctx.text(
                f"{KEY}.cites.unresponsive",
                sent_on=_day(ctx, "final_notice_on", None),
                deadline=_day(ctx, "final_notice_deadline", e.final_notice_deadline),
            )
        ]
    if reason == "controlling" and ctx.event("comply_by"):
        return [
            ctx.text(
                f"{KEY}.cites.controlling",
                sent_on=_day(ctx, "conduct_warned_on", None),
                comply_by=_day(ctx, "comply_by", e.comply_by),
            )
        ]
    return []


def termination_notice(ctx: DocContext) -> LetterContext:
    e = ctx.engagement
    reason = ctx.event("reason", e.offboarding_reason) or "other"
    ground = _ground(ctx, reason)
    subject_key, body = _opening(ctx, ground)
    body += [ctx.text(f"reasons.{reason}"), *_cited(ctx, reason)]
    explanation = ctx.event("explanation", e.offboarding_explanation)
    if explanation:
        body.append(ctx.text(f"{KEY}.explanation", explanation=explanation))
    unpaid = e.unpaid_invoices()
    claim = remaining_claim(ctx)
    if unpaid or not claim:  # "nothing owed" only when no claim remains either
        body += ctx.texts(f"{KEY}.owed" if unpaid else f"{KEY}.nothing_owed")
    body += claim
    after = ctx.texts(f"{KEY}.after_items") + ctx.payment_details(unpaid)
    ends_on = _day(ctx, "ends_on", e.ends_on)
    return letter(ctx, body, ctx.invoice_lines(unpaid), after, subject_key=subject_key, ends_on=ends_on)
