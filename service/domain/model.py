"""Entities of an engagement. Plain classes: the ORM maps them in ``adapters.orm``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from service.domain.calendar import (
    DEFAULT_JURISDICTION,
    DEFAULT_TIMEZONE,
    WorkingCalendar,
    calendar_for,
    local_day,
    start_of_local_day,
)
from service.domain.invoicing import from_stored
from service.domain.money import ZERO
from service.domain.tax import InvoiceLines

# The client's details on an engagement (each stored as ``client_<name>``), all correctable.
CLIENT_FIELDS = (
    "name",
    "contact_name",
    "contact_salutation",  # "Ms Harlow", "Sig.ra Rossi": how the letters greet the contact
    "email",
    "address",
    "vat_number",
    "tax_code",
    "pec",
    "sdi_code",
    "registered_office",
    "legal_representative",
    "legal_representative_role",  # "socio accomandatario", "Director": beside the name, never in it
)
LANGUAGES = ("it", "en")  # every language needs its wording file (checked at start-up)
LATE_PAYMENT_POLICIES = ("remind_only", "require_prepayment")
# How a payment is imputed (an account setting, see domain/claims.py): capital first, so work
# resumes once the invoices are paid; or the statutory order, interest and costs before capital
# (art. 1194 c.c.).
PAYMENT_ALLOCATIONS = ("capital_first", "statutory")
INCIDENT_KINDS = ("unresponsive", "micromanagement", "late_payment", "scope", "abuse", "other")
# Actions that give the client access to an account may only be completed once nothing is owed.
# In the order they are done: export while we still have access, remove our access last.
HANDOVER_ACTIONS = {
    "export_content": False,
    "transfer_ownership": True,
    "hand_over_credentials": True,
    "remove_our_access": False,
}


@dataclass(eq=False)
class Tenant:
    name: str
    language: str = "en"
    sandbox: bool = False
    sender_address: str = ""
    sender_email: str = ""
    vat_number: str = ""
    signatory: str = ""
    jurisdiction: str = ""  # IT | GB | EU; empty: from the language (it -> IT, en -> GB)
    timezone: str = ""  # IANA zone every "day" rule uses; empty: from the language
    iban: str = ""
    bic: str = ""
    city: str = ""  # for the letters' "place, date" line
    pec: str = ""
    clock_at: datetime | None = None  # a sandbox tenant's frozen clock
    delivery_mode: str = "approve"  # approve | auto | manual: whether notices leave by themselves
    tax_code: str = ""  # codice fiscale
    tax_profile: dict[str, Any] | None = None  # domain.tax.TaxProfile.as_stored(); None: no e-invoices
    payment_allocation: str = "capital_first"  # one of PAYMENT_ALLOCATIONS
    interest_holds_resume: bool = False  # unpaid claimed interest keeps work suspended
    id: int | None = None
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        self.jurisdiction = self.jurisdiction or DEFAULT_JURISDICTION.get(self.language, "EU")
        self.timezone = self.timezone or DEFAULT_TIMEZONE.get(self.language, "UTC")


@dataclass(eq=False)
class ApiKey:
    tenant_id: int
    prefix: str  # the first characters, to find the row without storing the key
    key_hash: str
    created_at: datetime
    name: str = ""
    last_used_at: datetime | None = None  # refreshed at most once a minute
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    id: int | None = None

    def works_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or moment < self.expires_at)


@dataclass(eq=False)
class Invoice:
    description: str
    amount: Decimal  # the fee, before any tax
    due_on: date
    issued_at: datetime
    period: str | None = None  # "2026-12" for the monthly fee, None for a one-off
    paid_amount: Decimal = ZERO
    paid_on: date | None = None
    reminded_at: datetime | None = None
    number: str | None = None  # "2026-0007": per tenant and calendar year, given when first stored
    tenant_id: int | None = None
    id: int | None = None
    engagement_id: int | None = None
    credited: Decimal = ZERO  # what a credit note took off it (a cancelled invoice)
    cancelled_at: datetime | None = None
    cancellation_reason: str | None = None
    credit_note_number: str | None = None  # "NC-2027-0001", the credit note's own series
    # What SdI said of its FatturaPA file (domain/sdi.py): the last receipt's status, and every
    # receipt recorded for the invoice's file and its credit note's, oldest first.
    sdi_status: str | None = None
    sdi_receipts: list[dict[str, Any]] = field(default_factory=list)
    # What the client owes on it, fixed when issued (domain.invoicing): the fee with the taxes
    # the account's invoices carry, less any withholding; the fee itself when they carry none.
    payable: Decimal = None  # type: ignore[assignment]  # the fee unless given
    taxes: dict[str, Any] | None = None  # the lines (domain.invoicing.stored); None: the fee alone

    def __post_init__(self) -> None:
        if self.payable is None:
            self.payable = self.amount

    @property
    def lines(self) -> InvoiceLines | None:
        """The invoice's lines as its XML and letters show them; None without taxes."""
        return None if self.taxes is None else from_stored(self.taxes)

    @property
    def outstanding(self) -> Decimal:
        return self.payable - self.paid_amount - self.credited

    def is_overdue(self, today: date) -> bool:
        return self.outstanding > ZERO and today > self.due_on


@dataclass(eq=False)
class Payment:
    amount: Decimal
    received_on: date
    reference: str
    recorded_at: datetime
    id: int | None = None
    engagement_id: int | None = None
    reversed_at: datetime | None = None  # a reversed payment stays, and counts for nothing
    reversal_reason: str | None = None


@dataclass(eq=False)
class FeedbackRequest:
    subject: str
    requested_at: datetime
    due_on: date
    reminders_sent: int = 0
    next_reminder_on: date | None = None
    answered_at: datetime | None = None
    days_late: int | None = None
    id: int | None = None
    engagement_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


@dataclass(eq=False)
class ApprovalRequest:
    item: str
    sent_at: datetime
    description: str = ""
    rounds: int = 0  # times the client asked for changes
    status: str = "pending"  # pending | approved | changes_requested
    decided_at: datetime | None = None
    id: int | None = None
    engagement_id: int | None = None


@dataclass(eq=False)
class Incident:
    kind: str
    occurred_on: date
    description: str
    recorded_at: datetime
    id: int | None = None
    engagement_id: int | None = None


@dataclass(eq=False)
class WorkLogEntry:
    day: date
    summary: str
    recorded_at: datetime
    hours: Decimal | None = None
    category: str = "general"
    id: int | None = None
    engagement_id: int | None = None


@dataclass(eq=False)
class HandoverItem:
    platform: str
    handle: str
    action: str
    status: str = "open"  # open | completed | waived
    reason: str = ""
    resolved_at: datetime | None = None
    withheld_until_paid: bool = False  # waived because money was owed: completed once paid
    id: int | None = None
    engagement_id: int | None = None

    @property
    def grants_access(self) -> bool:
        return HANDOVER_ACTIONS.get(self.action, False)


@dataclass(eq=False)
class Event:
    """One entry of the record; hash-chained per engagement (see ``domain.record``)."""

    engagement_id: int
    seq: int
    type: str
    occurred_at: datetime
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    tenant_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Document:
    kind: str
    language: str
    template_name: str
    template_sha256: str
    filename: str
    content: bytes
    sha256: str
    created_at: datetime
    tenant_id: int | None = None
    engagement_id: int | None = None
    event_id: int | None = None
    event_seq: int | None = None
    id: int | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def download_name(self) -> str:
        return download_name(self.id, self.filename) if self.id is not None else self.filename


def download_name(document_id: int, filename: str) -> str:
    """ "42-sollecito-di-pagamento.docx": the id makes it unique (``curl -OJ`` never meets an
    existing file), the stored name says the kind in the document's language."""
    return f"{document_id}-{filename}"


@dataclass(eq=False)
class StoredResponse:
    """The first answer to a request sent with an Idempotency-Key, replayed to its retries."""

    tenant_id: int
    key: str
    fingerprint: str  # sha256 of method, path and body: the same key with another body is refused
    created_at: datetime
    status: int | None = None  # None while the first request is still running
    content_type: str = ""
    body: bytes = b""
    id: int | None = None


@dataclass(eq=False)
class Engagement:
    """The aggregate: terms, state and everything guards need to decide a transition."""

    tenant_id: int
    client_name: str
    client_email: str
    language: str
    currency: str
    monthly_fee: Decimal
    start_date: date
    due_day: int
    grace_days: int
    response_days: int
    reminders_before_offboarding: int
    revision_rounds: int
    created_at: datetime
    workflow_version: str
    client_contact_name: str = ""
    client_contact_salutation: str = ""  # title and surname after "Dear" / "Gentile"
    client_address: str = ""
    client_vat_number: str = ""
    client_tax_code: str = ""  # codice fiscale
    client_pec: str = ""  # certified e-mail (posta elettronica certificata)
    client_sdi_code: str = ""  # recipient code for Italian e-invoices
    client_registered_office: str = ""
    client_legal_representative: str = ""
    client_legal_representative_role: str = ""
    jurisdiction: str = "EU"  # IT | GB | EU: interest regime, holidays, governing law
    # The tenant's IANA zone, read with the engagement (not stored on it): every "day" rule is
    # a day there. Set from the tenant when created; the mapping reads the tenant's column.
    timezone: str = "UTC"
    # The tenant's payment rules, read the same way (never stored on the engagement): the order
    # a payment is imputed in, and whether claimed interest still unpaid holds the resume.
    payment_allocation: str = "capital_first"
    interest_holds_resume: bool = False
    late_payment_policy: str = "remind_only"
    # The contract's express termination clause (art. 1456 c.c.): non-payment ends it on notice.
    express_termination: bool = False
    # The contract makes timely feedback an essential obligation: an unanswered request is then
    # a breach a formal demand can rest on (art. 1454-1455 c.c.); without it, silence is the
    # creditor's delay (art. 1206 c.c.) and the contract ends only by withdrawal.
    feedback_essential: bool = False
    # Days of notice a party gives to end the contract without a breach (reasons mutual, other).
    termination_notice_days: int = 15
    services: list[str] = field(default_factory=list)
    accounts: list[dict[str, str]] = field(default_factory=list)
    # Every amendment of the terms, with its effective day (see domain/amendments.py).
    term_changes: list[dict[str, Any]] = field(default_factory=list)
    state: str = ""  # set from the workflow's initial state when created
    version: int = 0  # 0 until stored; each request that changes the engagement adds one
    next_deadline: datetime | None = None
    credit: Decimal = ZERO
    paused_at: datetime | None = None
    conduct_warnings: int = 0
    # The last formal demand: the day it was sent and the last day it gave the client to pay.
    formal_demand_on: date | None = None
    formal_demand_deadline: date | None = None
    # The last conduct warning: when it went out and the last day it gave the client to comply.
    conduct_warned_at: datetime | None = None
    comply_by: date | None = None
    # The final notice to a client who does not answer: when it went out, the day it gave them.
    final_notice_at: datetime | None = None
    final_notice_deadline: date | None = None
    # The path the final notice announced: "formal_demand" or "withdrawal" ("" before one).
    final_notice_path: str = ""
    # The day the contract ends when a date is known (a notice period, a formal demand's term
    # passed); None when it ends on the client's receipt of the termination notice.
    ends_on: date | None = None
    # Interest and compensation claimed in a letter (see domain/claims.py): the first day they
    # were claimed, what payments settled of them, and the user's waiver (day, reason, amount).
    claimed_on: date | None = None
    claim_paid: Decimal = ZERO
    claim_waiver: dict[str, str] | None = None
    offboarding_reason: str | None = None
    offboarding_explanation: str = ""
    closed_at: datetime | None = None
    record_seq: int = 0
    record_head: str = ""
    record_signature: str = ""  # the server's Ed25519 signature of the head (adapters/signing.py)
    id: int | None = None
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    feedback_requests: list[FeedbackRequest] = field(default_factory=list)
    approvals: list[ApprovalRequest] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    work_log: list[WorkLogEntry] = field(default_factory=list)
    handover_items: list[HandoverItem] = field(default_factory=list)

    # Days: the one place an instant becomes a day and a day becomes an instant (the tenant's
    # zone), and where business days are counted (the jurisdiction's public holidays).

    def day_of(self, instant: datetime) -> date:
        """The tenant's calendar day at ``instant`` (stored instants are UTC)."""
        return local_day(instant, self.timezone)

    def start_of(self, day: date) -> datetime:
        """The UTC instant ``day`` begins in the tenant's zone: when a dated step falls due."""
        return start_of_local_day(day, self.timezone)

    @property
    def working_calendar(self) -> WorkingCalendar:
        """Weekends and the public holidays of the engagement's jurisdiction."""
        return calendar_for(self.jurisdiction, self.language)

    # Derived facts: computed here once, read by guards, the schedule, health and the notices.

    @property
    def open_feedback_request(self) -> FeedbackRequest | None:
        for request in self.feedback_requests:  # a loop: every feedback transition asks
            if request.is_open:
                return request
        return None

    @property
    def contact_greeted_as(self) -> str:
        """Who a letter's salutation names: the title and surname given ("Ms Harlow", "Sig.ra
        Rossi"), else the contact's full name, a form neutral as to title ("Sarah Harlow"); empty
        without a contact person (the letter then greets the firm)."""
        return (self.client_contact_salutation or self.client_contact_name or "").strip()

    def unpaid_invoices(self) -> list[Invoice]:
        """Everything still owed, oldest due first (issued, not necessarily due yet)."""
        return sorted(
            (i for i in self.invoices if i.outstanding > ZERO), key=lambda i: (i.due_on, i.issued_at)
        )

    def overdue_invoices(self, today: date) -> list[Invoice]:
        return [i for i in self.unpaid_invoices() if i.is_overdue(today)]

    def grace_ends(self, invoice: Invoice) -> date:
        """The last day of the grace period after ``invoice``'s due date."""
        return invoice.due_on + timedelta(days=self.grace_days)

    def beyond_grace(self, today: date) -> list[Invoice]:
        """Overdue invoices whose grace period is over."""
        return [i for i in self.overdue_invoices(today) if today > self.grace_ends(i)]

    @property
    def balance_due(self) -> Decimal:
        return sum((i.outstanding for i in self.invoices), ZERO)

    @property
    def interest_first(self) -> bool:
        """Payments settle the claimed interest and costs before the invoices (art. 1194 c.c.)."""
        return self.payment_allocation == "statutory"

    def unanswered_reminders(self) -> int:
        return sum(r.reminders_sent for r in self.feedback_requests if r.is_open)

    @property
    def prepayment_after_late_payment(self) -> bool:
        """The contract's prepayment clause: after a late payment, invoices are due in advance."""
        return self.late_payment_policy == "require_prepayment"

    def approval_overruns(self) -> list[ApprovalRequest]:
        return [a for a in self.approvals if a.rounds > self.revision_rounds]
