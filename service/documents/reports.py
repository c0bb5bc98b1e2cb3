"""Builders for the contract and the offboarding documents with tables.

A section with nothing to list says so in a sentence (``*_empty``): the templates show the
table only when it has rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from service.documents.base import DocContext, account_name, platform_name
from service.documents.shapes import ChecklistContext, ContractContext, ReportContext, Row
from service.domain.model import HANDOVER_ACTIONS, HandoverItem, WorkLogEntry
from service.domain.money import ZERO

REPORT = "documents.final_report"

# The clauses art. 1341 c.c. wants approved one by one (tacit renewal, suspension, withdrawal
# and termination, limits of liability, choice of court), by key: each is numbered as the
# engagement's contract numbers it, and a key the contract does not hold is left out.
ONEROUS_CLAUSES = (
    "duration",
    "suspension",
    "feedback_essential",
    "termination",
    "express_termination",
    "liability",
    "court",
)
BLANK = "_" * 26  # a line to write on


def signatories(ctx: DocContext) -> dict[str, Row]:
    tenant, e = ctx.request.tenant, ctx.engagement
    client_name = e.client_legal_representative or e.client_contact_name
    role = ""
    # The role on its own line, in the language's form: for the legal representative, or for the
    # contact who signs when only the role was given.
    if e.client_legal_representative or e.client_legal_representative_role:
        role = ctx.text("signature_role", role=e.client_legal_representative_role, client=e.client_name)
    return {
        "provider": {"name": tenant.signatory or BLANK, "role": BLANK},
        "client": {"name": client_name or BLANK, "role": role or BLANK},
    }


def onerous_clauses(ctx: DocContext) -> list[dict[str, str]]:
    """The clauses to approve one by one ({number, title}), in the contract's order (a clause added
    later is numbered "9-bis"); none outside Italian law and Italian contracts. The acceptance asks
    for exactly these, so the contract and the consent never name different numbers."""
    e = ctx.engagement
    if e.jurisdiction != "IT" and e.language != "it":
        return []
    return [
        {"number": str(clause["number"]), "title": str(clause["title"])}
        for clause in (ctx.clause(key) for key in ctx.clause_numbers if key in ONEROUS_CLAUSES)
    ]


def onerous_approval(ctx: DocContext) -> str:
    """The Italian specific approval, under Italian law or in an Italian contract; else ""."""
    items = [ctx.text("contract.onerous_item", **clause) for clause in onerous_clauses(ctx)]
    if not items:
        return ""
    return ctx.text("contract.onerous_approval", clauses=Markup("; ".join(items)))


def contract(ctx: DocContext) -> ContractContext:
    e = ctx.engagement
    accounts = [{"platform": platform_name(a["platform"]), "handle": a["handle"]} for a in e.accounts]
    annex_values = {"handover_number": ctx.clause_numbers["termination"]}
    return ContractContext(
        **ctx.common(),
        title=ctx.text("contract.title"),
        intro=ctx.text("contract.intro"),
        services_intro=ctx.text("contract.services_intro"),
        services=list(e.services),
        accounts_intro=ctx.text("contract.accounts_intro"),
        accounts=accounts,
        accounts_empty=ctx.text("contract.accounts_empty"),
        clauses=[ctx.clause(key) for key in ctx.clause_numbers],
        signatures=ctx.text("contract.signatures"),
        signatories=signatories(ctx),
        onerous_approval=onerous_approval(ctx),
        annex={
            "title": ctx.text("contract.annex.title"),
            "paragraphs": ctx.texts("contract.annex.paragraphs"),
            "accounts_intro": ctx.text("contract.annex.accounts_intro"),
            "after": ctx.texts("contract.annex.after", **annex_values),
        },
    )


def _hours(ctx: DocContext, entries: list[WorkLogEntry]) -> str:
    """ "13,5 ore" when any entry recorded hours; "" when none did (nothing to total)."""
    hours = [entry.hours for entry in entries if entry.hours is not None]
    if not hours:
        return ""
    total = sum(hours, Decimal(0))
    return ctx.plural("hours", total, n=ctx.fmt.number(total))


def _work_rows(ctx: DocContext, entries: list[WorkLogEntry]) -> list[Row]:
    groups: dict[tuple[date, str], list[WorkLogEntry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda entry: entry.day):
        groups[(entry.day.replace(day=1), entry.category)].append(entry)
    rows = []
    for (month, category), group in sorted(groups.items()):
        hours = [entry.hours for entry in group if entry.hours is not None]
        rows.append(
            {
                "month": ctx.fmt.month(month),
                "category": category,
                "entries": len(group),
                "hours": ctx.fmt.number(sum(hours, Decimal(0))) if hours else "",
                "summary": "; ".join(entry.summary for entry in group),
            }
        )
    return rows


def _work_months(ctx: DocContext, entries: list[WorkLogEntry]) -> list[Markup]:
    """Per month: the entries and the hours where recorded."""
    months: dict[date, list[WorkLogEntry]] = defaultdict(list)
    for entry in entries:
        months[entry.day.replace(day=1)].append(entry)
    return [
        ctx.text(
            f"{REPORT}.work_month",
            month=ctx.fmt.month(month),
            entries=ctx.plural("work_entries", len(group)),
            hours=_hours(ctx, group),
        )
        for month, group in sorted(months.items())
    ]


def _suspensions(ctx: DocContext) -> Markup:
    periods = [
        ctx.text(f"{REPORT}.suspension_period", start=ctx.fmt.date(s.start), end=ctx.fmt.date(s.end))
        if s.end
        else ctx.text(f"{REPORT}.suspension_open", start=ctx.fmt.date(s.start))
        for s in ctx.request.suspensions
    ]
    if not periods:
        return ctx.text(f"{REPORT}.no_suspension")
    return ctx.text(f"{REPORT}.suspensions", periods=Markup("; ").join(periods))


def final_report(ctx: DocContext) -> ReportContext:
    e, fmt, labels = ctx.engagement, ctx.fmt, ctx.wording.raw("labels")
    delay_rows, waited = [], 0
    for request in sorted(e.feedback_requests, key=lambda r: r.requested_at):
        answered = ctx.engagement.day_of(request.answered_at) if request.answered_at else None
        late = max(0, ((answered or ctx.today) - request.due_on).days)
        waited += late
        delay_rows.append(
            {
                "subject": request.subject,
                "requested": fmt.date(ctx.engagement.day_of(request.requested_at)),
                "due": fmt.date(request.due_on),
                "answered": fmt.date(answered) if answered else labels["not_answered"],
                "days_late": late,
            }
        )
    invoices = sorted(e.invoices, key=lambda i: i.due_on)
    payments = sorted(e.payments, key=lambda p: p.received_on)
    work = e.work_log
    # Never a backwards period: an engagement ended before its start says so.
    intro = f"{REPORT}.intro" if ctx.today >= e.start_date else f"{REPORT}.intro_before_start"
    if ctx.today < e.start_date and e.ends_on is not None:
        intro = f"{REPORT}.intro_ends_before_work"  # the end day the termination letter names
    ends_on = ctx.fmt.date(e.ends_on) if e.ends_on else ""
    return ReportContext(
        **ctx.common(),
        title=ctx.text(f"{REPORT}.title"),
        intro=ctx.text(intro, ends_on=ends_on),
        suspensions=_suspensions(ctx),
        work_rows=_work_rows(ctx, work),
        work_empty=ctx.text(f"{REPORT}.work_none"),
        work_months=_work_months(ctx, work),
        work_total=ctx.text(
            f"{REPORT}.work_total", entries=ctx.plural("work_entries", len(work)), hours=_hours(ctx, work)
        )
        if work
        else "",
        delay_rows=delay_rows,
        delays_empty=ctx.text(f"{REPORT}.delays_none"),
        delays_total=ctx.text(f"{REPORT}.delays_total", waited=ctx.count("day", waited)),
        invoice_rows=[
            {
                "description": ctx.invoice_row_label(i),
                "due": fmt.date(i.due_on),
                "amount": fmt.money(i.payable),
                "paid": fmt.money(i.paid_amount),
                "outstanding": fmt.money(i.outstanding),
            }
            for i in invoices
        ],
        invoices_empty=ctx.text(f"{REPORT}.invoices_none"),
        payment_rows=[
            {
                "received": fmt.date(p.received_on),
                "reference": p.reference,
                "amount": fmt.money(p.amount),
            }
            for p in payments
        ],
        payments_empty=ctx.text(f"{REPORT}.payments_none"),
        totals=ctx.text(
            f"{REPORT}.totals",
            invoiced=fmt.money(sum((i.payable for i in invoices), ZERO)),
            paid=fmt.money(sum((p.amount for p in payments), ZERO)),
        ),
        citation=ctx.citation(ctx.wording.raw(f"{REPORT}.clause")),
    )


ACTION_ORDER = {action: n for n, action in enumerate(HANDOVER_ACTIONS)}


def handover_order(ctx: DocContext, items: list[HandoverItem]) -> list[HandoverItem]:
    """Account by account as the contract lists them, each in the order the steps are done."""
    accounts = {(a["platform"].casefold(), a["handle"]): n for n, a in enumerate(ctx.engagement.accounts)}

    def position(item: HandoverItem) -> tuple[int, int]:
        account = accounts.get((item.platform.casefold(), item.handle), len(accounts))
        return account, ACTION_ORDER.get(item.action, len(ACTION_ORDER))

    return sorted(items, key=position)


def handover_checklist(ctx: DocContext) -> ChecklistContext:
    key = "documents.handover_checklist"
    w = ctx.wording

    return ChecklistContext(
        **ctx.common(),
        title=ctx.text(f"{key}.title"),
        intro=ctx.text(f"{key}.intro"),
        rows=[
            {
                "account": account_name(item.platform, item.handle),
                "action": w.raw(f"actions.{item.action}"),
                "status": str(w.raw(f"statuses.{item.status}")),
                "reason": item.reason,
                # A receipt: the day each step was done, or a line to write it on.
                "completed_on": ctx.fmt.date(ctx.engagement.day_of(item.resolved_at))
                if item.resolved_at
                else "",
            }
            for item in handover_order(ctx, ctx.engagement.handover_items)
        ],
        rows_empty=ctx.text(f"{key}.none"),
        note=ctx.text(f"{key}.note"),
        citation=ctx.citation(w.raw(f"{key}.clause")),
        signatories=signatories(ctx),
    )
