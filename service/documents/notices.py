"""Builders for the letters: every notice shares letter.docx and cites its clause."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from service.documents.base import DocContext, DocumentRenderError, account_name
from service.documents.claims import remaining_claim, settled_claim
from service.documents.shapes import LetterContext
from service.domain.model import FeedbackRequest


def letter(
    ctx: DocContext,
    body: list[Markup],
    items: list[Markup] | None = None,
    after_items: list[Markup] | None = None,
    subject_key: str = "subject",
    quote: bool = True,
    clause_key: str | None = None,
    **values: Any,
) -> LetterContext:
    """Assemble a letter; ``values`` fill the subject alongside the engagement's terms.
    ``quote=False`` when the body already quotes the clause (an amendment's labelled texts);
    ``clause_key`` when the letter rests on another clause than its kind's (a termination under
    the express termination clause cites that clause, not the withdrawal one)."""
    key = f"notices.{ctx.kind}"
    clause_key = clause_key or ctx.wording.raw(f"{key}.clause")
    return LetterContext(
        **ctx.common(),
        subject=ctx.text(f"{key}.{subject_key}", **values),
        salutation=ctx.text("letter.salutation"),
        body=body,
        items=items or [],
        after_items=after_items if after_items is not None else ctx.texts(f"{key}.after_items"),
        citation=ctx.citation(clause_key),
        clause_quote=ctx.clause(clause_key)["text"] if quote else "",
        closing=ctx.text("letter.closing"),
    )


def standard_letter(ctx: DocContext) -> LetterContext:
    """A letter that needs only the terms and the transition's input (``data``) as values."""
    values = dict(ctx.data)
    return letter(ctx, ctx.texts(f"notices.{ctx.kind}.body", **values), [], [], **values)


def _feedback_request(ctx: DocContext) -> FeedbackRequest:
    request = ctx.engagement.open_feedback_request
    if request is None and ctx.engagement.feedback_requests:
        request = ctx.engagement.feedback_requests[-1]
    if request is None:
        raise DocumentRenderError(f"A {ctx.kind} needs a feedback request, and none is on record.")
    return request


def feedback_request(ctx: DocContext) -> LetterContext:
    request = _feedback_request(ctx)
    values = {
        "subject": ctx.event("subject", request.subject),
        "due_on": ctx.fmt.date(ctx.event_date("due_on", request.due_on)),
    }
    return letter(ctx, ctx.texts("notices.feedback_request.body", **values), [], [], **values)


def feedback_reminder(ctx: DocContext) -> LetterContext:
    request = _feedback_request(ctx)
    due_on = ctx.event_date("due_on", request.due_on)
    next_on = ctx.event_date("next_reminder_on", request.next_reminder_on or ctx.today)
    values = {
        "subject": ctx.event("subject", request.subject),
        "due_on": ctx.fmt.date(due_on),
        "waited_since_due": ctx.plural("waited_since_due", max(0, (ctx.today - due_on).days)),
        "next_reminder_on": ctx.fmt.date(next_on),
        "reminder_number": ctx.event("reminder_number", request.reminders_sent),
        # The agreed count reached: the letter promises a final notice, not another reminder.
        "last": int(ctx.event("reminder_number", request.reminders_sent))
        >= ctx.engagement.reminders_before_offboarding,
        "reminders_agreed": ctx.engagement.reminders_before_offboarding,
    }
    return letter(ctx, ctx.texts("notices.feedback_reminder.body", **values), [], [], **values)


def _unpaid_letter(ctx: DocContext) -> LetterContext:
    """payment_reminder and stop_work_notice: both speak of the oldest unpaid invoice."""
    invoices = ctx.unpaid_invoices()
    if not invoices:
        raise DocumentRenderError(f"A {ctx.kind} needs an unpaid invoice, and none is on record.")
    grace_end = ctx.engagement.grace_ends(invoices[0])
    values = {
        "due_on": ctx.fmt.date(invoices[0].due_on),
        "grace_end": ctx.fmt.date(grace_end),
        "suspension_from": ctx.fmt.date(grace_end + timedelta(days=1)),
        "overdue_count": len(invoices),
        # The total of the invoices listed: one issued but not yet due is not part of it (issue 30).
        "balance": ctx.fmt.money(sum((i.outstanding for i in invoices), Decimal(0))),
    }
    key = f"notices.{ctx.kind}"
    return letter(
        ctx,
        ctx.texts(f"{key}.body", **values),
        ctx.invoice_lines(invoices),
        ctx.texts(f"{key}.after_items", **values) + ctx.payment_details(invoices),
        **values,
    )


def resume_notice(ctx: DocContext) -> LetterContext:
    """Work resumes when the invoices are paid; interest and compensation claimed stay due."""
    claim = remaining_claim(ctx)
    body = ctx.texts("notices.resume_notice.body", claim_remains=bool(claim))
    return letter(ctx, body + (claim or settled_claim(ctx)), [], [])


def conduct_warning(ctx: DocContext) -> LetterContext:
    e = ctx.engagement
    items = [
        ctx.text("letter.incident_line", day=ctx.fmt.date(i.occurred_on), description=i.description)
        for i in sorted(e.incidents, key=lambda i: i.occurred_on)
    ]
    items += [
        ctx.text(
            "letter.overrun_line",
            item=a.item,
            used=ctx.plural("rounds_used", a.rounds),
            agreed=ctx.plural("rounds_agreed", e.revision_rounds),
        )
        for a in e.approval_overruns()
    ]
    after = ctx.texts("notices.conduct_warning.after_items")
    comply_by = ctx.event("comply_by", e.comply_by and e.comply_by.isoformat())
    if comply_by:
        after.insert(
            0,
            ctx.text(
                "notices.conduct_warning.comply_by", comply_by=ctx.fmt.date(date.fromisoformat(comply_by))
            ),
        )
    summary = str(ctx.data.get("summary") or "").strip()
    if summary:
        after.insert(0, ctx.text("notices.conduct_warning.summary", summary=summary))
    number = ctx.event("warning_number", e.conduct_warnings)
    return letter(ctx, ctx.texts("notices.conduct_warning.body"), items, after, warning_number=number)


def closing_record(ctx: DocContext) -> LetterContext:
    """What was handed over and what was not. An access item withheld because money was owed is
    completed when a payment arrives, even after closing (``record_payment``, ``handover_step``):
    the letter says exactly that, and promises nothing else."""
    key = "notices.closing_record"
    e = ctx.engagement
    waived = [i for i in e.handover_items if i.status == "waived"]
    values = {
        "completed": ctx.plural(
            "handover_completed", sum(1 for i in e.handover_items if i.status == "completed")
        ),
        "waived": ctx.plural("handover_waived", len(waived)),
    }
    lines = [
        ctx.text(
            "letter.withheld_line" if i.withheld_until_paid else "letter.waived_line",
            account=account_name(i.platform, i.handle),
            action=ctx.wording.raw(f"actions.{i.action}"),
            reason=i.reason,
        )
        for i in waived
    ]
    body = ctx.texts(f"{key}.body", **values)
    claim = remaining_claim(ctx)
    if e.balance_due > 0 or not claim:  # "nothing owed" only when no claim remains either
        body.append(ctx.text(f"{key}.balance" if e.balance_due > 0 else f"{key}.nothing_owed"))
    body += claim or settled_claim(ctx)
    after = ctx.texts(f"{key}.after_items")
    if e.balance_due > 0 and any(i.withheld_until_paid for i in waived):
        after.insert(0, ctx.text(f"{key}.withheld"))
    return letter(ctx, body, lines, after)


payment_reminder = _unpaid_letter
stop_work_notice = _unpaid_letter
