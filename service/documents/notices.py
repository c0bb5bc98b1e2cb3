"""Builders for the letters: every notice shares letter.docx and cites its clause."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from service.documents.base import DocContext, DocumentRenderError, account_name
from service.documents.shapes import LetterContext
from service.domain.model import FeedbackRequest
from service.domain.schedule import clone


def letter(
    ctx: DocContext,
    body: list[Markup],
    items: list[Markup] | None = None,
    after_items: list[Markup] | None = None,
    subject_key: str = "subject",
    quote: bool = True,
    **values: Any,
) -> LetterContext:
    """Assemble a letter; ``values`` fill the subject alongside the engagement's terms.
    ``quote=False`` when the body already quotes the clause (an amendment's labelled texts)."""
    key = f"notices.{ctx.kind}"
    clause_key = ctx.wording.raw(f"{key}.clause")
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
    return letter(ctx, ctx.texts("notices.resume_notice.body"), [], [])


def contract_amendment(ctx: DocContext) -> LetterContext:
    if "effective_on" in ctx.payload:
        return amended_terms(ctx)
    key = "notices.contract_amendment"
    payment = ctx.clause("payment")
    values = {
        "number": payment["number"],
        "title": payment["title"],
        "suspension_number": ctx.clause_numbers["suspension"],
    }
    if ctx.engagement.prepayment_after_late_payment:
        return prepayment_applied(ctx, values)
    body = ctx.texts(f"{key}.body", **values) + ctx.texts(f"{key}.unchanged")
    # Quoted texts, each labelled: never a bare bullet, never an unlabelled quote below.
    body.append(ctx.text(f"{key}.current_text", text=payment["text"]))
    return letter(ctx, body, [], ctx.texts(f"{key}.after_items", **values), quote=False)


def prepayment_applied(ctx: DocContext, values: dict[str, Any]) -> LetterContext:
    """The prepayment clause the client signed, applied from the day the late payment was
    settled: a statement of what now applies, not a proposal awaiting their agreement."""
    key = "notices.contract_amendment.prepayment_applied"
    clause = ctx.clause("prepayment")
    values = {
        **values,
        "clause_number": clause["number"],
        "clause_title": clause["title"],
        "from_day": ctx.fmt.date(ctx.event_date("prepayment_from", ctx.today)),
    }
    body = ctx.texts(f"{key}.body", **values)
    body.append(ctx.text("notices.contract_amendment.current_text", text=clause["text"]))
    return letter(
        ctx,
        body,
        [],
        ctx.texts(f"{key}.after_items", **values),
        subject_key="prepayment_applied.subject",
        quote=False,
        **values,
    )


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
    body.append(ctx.text(f"{key}.balance" if e.balance_due > 0 else f"{key}.nothing_owed"))
    after = ctx.texts(f"{key}.after_items")
    if e.balance_due > 0 and any(i.withheld_until_paid for i in waived):
        after.insert(0, ctx.text(f"{key}.withheld"))
    return letter(ctx, body, lines, after)


payment_reminder = _unpaid_letter
stop_work_notice = _unpaid_letter


def amended_terms(ctx: DocContext) -> LetterContext:
    """A change of terms from a date (PATCH): each term old and new, and each clause it touches
    quoted as agreed and as amended."""
    key = "notices.contract_amendment"
    effective_on = date.fromisoformat(ctx.payload["effective_on"])
    changes: dict[str, dict[str, Any]] = ctx.payload["changes"]
    values = {
        "effective_on": ctx.fmt.date(effective_on),
        "until": ctx.fmt.date(effective_on - timedelta(days=1)),
    }
    before = _with_terms(ctx, {t: c["from"] for t, c in changes.items()})
    after = _with_terms(ctx, {t: c["to"] for t, c in changes.items()})
    items = [
        ctx.text(
            f"{key}.terms_line",
            term=ctx.wording.raw(f"{key}.term_names.{term}"),
            old=_term_text(before, term),
            new=_term_text(after, term),
            **values,
        )
        for term in changes
    ]
    # The clauses it touches, as paragraphs (not bullets): the article, then each text labelled.
    quoted = []
    # A clause shown only under some terms (the prepayment clause) may appear or disappear.
    for name in dict.fromkeys([*before.clause_numbers, *after.clause_numbers]):
        old = before.clause(name) if name in before.clause_numbers else None
        new = after.clause(name) if name in after.clause_numbers else None
        if old is not None and new is not None and old["text"] == new["text"]:
            continue
        quoted.append(ctx.text(f"{key}.terms_article", **(new or old)))
        if old is not None:
            quoted.append(ctx.text(f"{key}.terms_before", text=old["text"], **values))
        if new is not None:
            quoted.append(ctx.text(f"{key}.terms_after", text=new["text"], **values))
    after_items = (ctx.texts(f"{key}.terms_clauses") + quoted if quoted else []) + ctx.texts(
        f"{key}.terms_after_items"
    )
    body = ctx.texts(f"{key}.terms_body", **values)
    return letter(ctx, body, items, after_items, subject_key="terms_subject", **values)


def _with_terms(ctx: DocContext, terms: dict[str, Any]) -> DocContext:
    """The same letter's context over a copy of the engagement holding these terms."""
    engagement = clone(ctx.engagement)
    for term, value in terms.items():
        setattr(engagement, term, Decimal(value) if term == "monthly_fee" else value)
    return DocContext(replace(ctx.request, engagement=engagement), ctx.wording)


def _term_text(ctx: DocContext, term: str) -> str:
    e = ctx.engagement
    return {
        "monthly_fee": lambda: ctx.fmt.money(e.monthly_fee),
        "due_day": lambda: ctx.fmt.payment_day(e.due_day),
        "grace_days": lambda: ctx.count("day", e.grace_days),
        "late_payment_policy": lambda: ctx.wording.raw(
            f"notices.contract_amendment.policies.{e.late_payment_policy}"
        ),
        "response_days": lambda: ctx.count("business_day", e.response_days),
        "reminders_before_offboarding": lambda: str(e.reminders_before_offboarding),
        "revision_rounds": lambda: ctx.count("round", e.revision_rounds),
        "termination_notice_days": lambda: ctx.count("day", e.termination_notice_days),
    }[term]()
