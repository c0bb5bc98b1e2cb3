"""What each template receives: one dataclass per template, so start-up can check its tags."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

Text = Any  # a str or the Markup the wording produces
Row = dict[str, Text]


@dataclass(frozen=True)
class Common:
    labels: dict[str, Text]
    sender: dict[str, Any]  # name, lines, signatory
    recipient: dict[str, Any]  # name, lines
    date: Text


@dataclass(frozen=True)
class LetterContext(Common):
    subject: Text
    salutation: Text
    body: list[Text]
    items: list[Text]
    after_items: list[Text]
    citation: Text
    clause_quote: Text
    closing: Text
    # A proposal's "per accettazione" block: title and the lines the client fills in; {} if none.
    acceptance: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ContractContext(Common):
    title: Text
    intro: Text
    services_intro: Text
    services: list[Text]
    accounts_intro: Text
    accounts: list[Row]
    accounts_empty: Text
    clauses: list[Row]
    signatures: Text
    signatories: dict[str, Row]  # provider, client: name and role ("" left blank to write in)
    onerous_approval: Text  # art. 1341-1342 c.c. approval, naming clauses by number; "" if none
    annex: dict[str, Any]  # the processing annex (GDPR art. 28): title, paragraphs, after


@dataclass(frozen=True)
class ReportContext(Common):
    title: Text
    intro: Text
    suspensions: Text
    work_rows: list[Row]
    work_empty: Text
    work_months: list[Text]
    work_total: Text
    delay_rows: list[Row]
    delays_empty: Text
    delays_total: Text
    invoice_rows: list[Row]
    invoices_empty: Text
    payment_rows: list[Row]
    payments_empty: Text
    totals: Text
    citation: Text


@dataclass(frozen=True)
class ChecklistContext(Common):
    title: Text
    intro: Text
    rows: list[Row]
    rows_empty: Text
    note: Text
    citation: Text
    signatories: dict[str, Row]


def context_keys(shape: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(shape))


def as_context(value: Common) -> dict[str, Any]:
    # Shallow: nested rows are already plain dicts, and Markup must reach the template as is.
    return {f.name: getattr(value, f.name) for f in fields(value)}
