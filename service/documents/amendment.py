"""The contract_amendment letter: a proposal of new terms, or the prepayment clause applied.

A change of terms the user asks for (PATCH) is a proposal (``proposal``): it says "we propose",
names one effective day, summarises each term, quotes the full replacement text of every clause
it touches under the contract's own numbering (a clause it adds is "9-bis", never a renumbered
"10"), and ends with a block the client signs *per accettazione*. The prepayment clause the
client signed at the start is applied by notice instead (``prepayment_applied``), citing it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from service.documents.base import DocContext
from service.documents.notices import letter
from service.documents.shapes import LetterContext
from service.domain.grammar import choose_form
from service.domain.schedule import clone

KEY = "notices.contract_amendment"


def contract_amendment(ctx: DocContext) -> LetterContext:
    if "effective_on" in ctx.payload:
        return proposal(ctx)
    payment = ctx.clause("payment")
    values = {
        "number": payment["number"],
        "title": payment["title"],
        "suspension_number": ctx.clause_numbers["suspension"],
    }
    if ctx.engagement.prepayment_after_late_payment:
        return prepayment_applied(ctx, values)
    body = ctx.texts(f"{KEY}.body", **values) + ctx.texts(f"{KEY}.unchanged")
    # Quoted texts, each labelled: never a bare bullet, never an unlabelled quote below.
    body.append(ctx.text(f"{KEY}.current_text", text=payment["text"]))
    return letter(ctx, body, [], ctx.texts(f"{KEY}.after_items", **values), quote=False)


def prepayment_applied(ctx: DocContext, values: dict[str, Any]) -> LetterContext:
    """The prepayment clause the client signed, applied from the day the late payment was
    settled: a statement of what now applies, not a proposal awaiting their agreement."""
    key = f"{KEY}.prepayment_applied"
    clause = ctx.clause("prepayment")
    values = {
        **values,
        "clause_number": clause["number"],
        "clause_title": clause["title"],
        "from_day": ctx.fmt.date(ctx.event_date("prepayment_from", ctx.today)),
    }
    body = ctx.texts(f"{key}.body", **values)
    body.append(ctx.text(f"{KEY}.current_text", text=clause["text"]))
    return letter(
        ctx,
        body,
        [],
        ctx.texts(f"{key}.after_items", **values),
        subject_key="prepayment_applied.subject",
        quote=False,
        **values,
    )


def proposal(ctx: DocContext) -> LetterContext:
    """The proposal of new terms from one day: a summary line per term, then the replacement
    text of each clause it touches, then the acceptance block."""
    effective_on = date.fromisoformat(ctx.payload["effective_on"])
    changes: dict[str, dict[str, Any]] = ctx.payload["changes"]
    values = {
        "effective_on": ctx.fmt.date(effective_on),
        "signed_on": ctx.fmt.date(ctx.engagement.day_of(ctx.engagement.created_at)),
    }
    before = _with_terms(ctx, {t: c["from"] for t, c in changes.items()})
    after = _with_terms(ctx, {t: c["to"] for t, c in changes.items()})
    # The amended fee runs from the amendment's day, not from the contract's start.
    after.values.update(fee_from=values["effective_on"], back_dated_terms="")
    items = [_term_line(ctx, before, after, term) for term in changes]
    quoted, numbers = _replaced_clauses(ctx, before, after)
    after_items = (ctx.texts(f"{KEY}.terms_clauses") + quoted if quoted else []) + ctx.texts(
        f"{KEY}.terms_after_items", **values
    )
    listed = Markup(", ").join(str(n) for n in numbers)
    forms = ctx.wording.raw(f"{KEY}.terms_articles")
    articles = ctx.wording.render(choose_form(forms, ctx.engagement.language, len(numbers)), {"list": listed})
    result = letter(
        ctx,
        ctx.texts(f"{KEY}.terms_body", **values),
        items,
        after_items,
        subject_key="terms_subject",
        quote=False,
        **values,
    )
    acceptance = {
        "title": ctx.text(f"{KEY}.acceptance.title"),
        "lines": ctx.texts(f"{KEY}.acceptance.lines", **values),
    }
    return replace(
        result,
        citation=ctx.text(f"{KEY}.terms_citation", articles=articles, **values),
        acceptance=acceptance,
    )


def _term_line(ctx: DocContext, before: DocContext, after: DocContext, term: str) -> Markup:
    """ "Monthly fee: new (instead of old)"; a policy that adds or removes the prepayment clause
    says that, citing the clause (never a second list of what the clause itself says)."""
    name = ctx.wording.raw(f"{KEY}.term_names.{term}")
    if term == "late_payment_policy":
        number = after.clause_numbers.get("prepayment") or before.clause_numbers.get("prepayment", "")
        policy = after.engagement.late_payment_policy
        return ctx.text(f"{KEY}.terms_policy_line.{policy}", term=name, prepayment_number=number)
    return ctx.text(f"{KEY}.terms_line", term=name, old=_term_text(before, term), new=_term_text(after, term))


def _replaced_clauses(
    ctx: DocContext, before: DocContext, after: DocContext
) -> tuple[list[Markup], list[Any]]:
    """Each clause whose text changes, as its heading and full new text (or its deletion), in
    the contract's order, with the numbers cited."""
    quoted: list[Markup] = []
    numbers: list[Any] = []
    order = [c["key"] for c in ctx.wording.raw("clauses")]
    previous: dict[str, Any] = {}
    last_number: Any = 0
    for name in order:
        old = before.clause(name) if name in before.clause_numbers else None
        new = after.clause(name) if name in after.clause_numbers else None
        previous[name] = last_number
        if old is not None:
            last_number = old["number"]
        if old is not None and new is not None and old["text"] == new["text"]:
            continue
        if new is not None and old is not None:
            quoted += [
                ctx.text(f"{KEY}.terms_article", **new),
                ctx.text(f"{KEY}.terms_text", text=new["text"]),
            ]
        elif new is not None:
            heading = ctx.text(f"{KEY}.terms_added", after=previous[name], **new)
            quoted += [heading, ctx.text(f"{KEY}.terms_text", text=new["text"])]
        elif old is not None:
            quoted.append(ctx.text(f"{KEY}.terms_removed", **old))
        else:
            continue
        numbers.append((new or old or {})["number"])
    return quoted, numbers


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
        "response_days": lambda: ctx.count("business_day", e.response_days),
        "reminders_before_offboarding": lambda: str(e.reminders_before_offboarding),
        "revision_rounds": lambda: ctx.count("round", e.revision_rounds),
        "termination_notice_days": lambda: ctx.count("day", e.termination_notice_days),
    }[term]()
