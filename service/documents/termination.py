"""The letters that end a contract: the final notice to a client who does not answer, and the
termination notice, worded per ground.

The final notice to a silent client announces one of two paths, the user's choice: a *recesso*
with the contract's notice period (no breach claimed), or, when the contract makes timely
feedback essential, a formal demand naming the missing feedback as the breach (art. 1454 c.c.).

The termination notice is a *recesso* with the contract's notice period for a reason that is no
breach (other) and for a silent client on the withdrawal path, and a termination for breach
otherwise: under the formal demand (art. 1454 c.c. in Italy, for payment or for feedback), under
the express termination clause, or after the conduct warning it cites. It names one day the
contract ends, or says that it ends when the client receives the letter; never both. A mutual
ending is no notice: it is the two-party agreement in ``documents/agreement.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from service.documents.base import DocContext, DocumentRenderError
from service.documents.claims import remaining_claim, settled_claim
from service.documents.demand import delivery_means
from service.documents.notices import letter
from service.documents.shapes import LetterContext
from service.domain.termination import (
    FEEDBACK_DEMAND_DAYS,
    FINAL_NOTICE_DAYS,
    FORMAL_DEMAND,
    MUTUAL,
    NOTICE_REASONS,
    WITHDRAWAL,
)

KEY = "notices.termination_notice"
# The clause a termination rests on, cited and quoted under the letter, per ground: the express
# termination clause (art. 1456 c.c.) or the essential-feedback clause, never the withdrawal
# clause those grounds do not use; any other ground cites the kind's own (withdrawal, handover).
CITED = {"express": "express_termination", "feedback": "feedback_essential"}


def final_notice(ctx: DocContext) -> LetterContext:
    e = ctx.engagement
    request = e.open_feedback_request or (e.feedback_requests[-1] if e.feedback_requests else None)
    if request is None:
        raise DocumentRenderError("A final_notice needs a feedback request, and none is on record.")
    path = ctx.event("path", e.final_notice_path or WITHDRAWAL)
    default_days = FEEDBACK_DEMAND_DAYS if path == FORMAL_DEMAND else FINAL_NOTICE_DAYS
    values = {
        "subject": ctx.event("subject", request.subject),
        "due_on": ctx.fmt.date(request.due_on),
        "term": ctx.count("day", int(ctx.event("days", default_days))),
        "means": delivery_means(ctx),
        "termination_number": ctx.clause_numbers["termination"],
        "notice": ctx.count("day", e.termination_notice_days),
    }
    if path != FORMAL_DEMAND:  # withdrawal: announces the notice period, claims no breach
        return letter(ctx, ctx.texts("notices.final_notice.body", **values), [], [], **values)
    # A formal demand rests on the essential-feedback clause: it cites and quotes that clause.
    values["essential_number"] = ctx.clause_numbers["feedback_essential"]
    key = f"notices.final_notice.demand.{{}}.{e.jurisdiction}"
    result = letter(
        ctx,
        ctx.texts(key.format("body"), **values),
        [],
        [],
        subject_key=f"demand.subject.{e.jurisdiction}",
        **values,
    )
    clause = ctx.clause("feedback_essential")
    return replace(result, citation=ctx.citation("feedback_essential"), clause_quote=clause["text"])


def _day(ctx: DocContext, key: str, fallback: date | None) -> str:
    value = ctx.event(key, fallback and fallback.isoformat())
    return ctx.fmt.date(date.fromisoformat(value)) if value else ""


def _ground(ctx: DocContext, reason: str) -> str:
    """Which letter this is: a notice period, the express clause, a demand (for payment or for
    the feedback the contract makes essential), or another breach. An unresponsive client's
    letter follows the path its final notice announced, never both."""
    if reason == "unresponsive":
        return "feedback" if ctx.event("final_notice_path", WITHDRAWAL) == FORMAL_DEMAND else "notice"
    if reason in NOTICE_REASONS or reason == MUTUAL:  # MUTUAL: a notice regenerated from before #30
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
    if ground == "feedback":
        cited = {
            "sent_on": _day(ctx, "final_notice_on", None),
            "deadline": _day(ctx, "final_notice_deadline", e.final_notice_deadline),
            "number": ctx.clause_numbers["feedback_essential"],
        }
        subject = f"subjects.feedback.{jurisdiction}"
        return subject, [ctx.text(f"{KEY}.feedback.{jurisdiction}", **cited)]
    return "subjects.breach", [ctx.text(f"{KEY}.opening.breach")]


def _cited(ctx: DocContext, reason: str) -> list[Markup]:
    """The earlier letter a termination for conduct rests on, with its date and its term."""
    e = ctx.engagement
    withdrawing = ctx.event("final_notice_path", WITHDRAWAL) != FORMAL_DEMAND
    if reason == "unresponsive" and withdrawing and ctx.event("final_notice_deadline"):
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
    # Only what has fallen due is owed now: the ending brings no due date forward (the contract
    # has no acceleration clause), so an invoice not yet due is named apart, with its own date,
    # rather than dropped, which could read as a waiver of it.
    owed = [i for i in unpaid if i.due_on <= ctx.today]
    later = [i for i in unpaid if i.due_on > ctx.today]
    claim = remaining_claim(ctx)
    if owed or not (claim or later):  # "nothing owed" only when nothing else is said to be due
        total = ctx.fmt.money(sum((i.outstanding for i in owed), Decimal(0)))
        body += ctx.texts(f"{KEY}.owed" if owed else f"{KEY}.nothing_owed", balance=total)
    # The claim after the invoices "still owed as follows", not between that line and its list.
    after = claim or settled_claim(ctx)
    if later:
        after += [ctx.plural("falling_due", len(later))]
        after += ctx.invoice_lines(later, "letter.falling_due_line")
    # The handover is promised under the withdrawal and handover clause, named by its number: the
    # clause cited under the letter may be another (the express termination clause).
    handover = ctx.clause_numbers["termination"]
    after += ctx.texts(f"{KEY}.after_items", handover_number=handover)
    after += ctx.payment_details(unpaid) if unpaid else []
    ends_on = _day(ctx, "ends_on", e.ends_on)
    number = ctx.clause_numbers.get("feedback_essential", "")
    return letter(
        ctx,
        body,
        ctx.invoice_lines(owed),
        after,
        subject_key=subject_key,
        clause_key=CITED.get(ground),
        ends_on=ends_on,
        number=number,
    )
