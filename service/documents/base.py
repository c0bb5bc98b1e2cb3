"""What every builder needs: the engagement's terms as values, wording, formatting, citations."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from markupsafe import Markup

from service.documents.formatting import Formatter
from service.documents.invoice_taxes import tax_line
from service.documents.numbering import contract_numbers
from service.documents.request import DocumentRequest
from service.documents.wording import Wording
from service.domain.billing import back_dated_months
from service.domain.grammar import choose_form
from service.domain.model import Invoice

# Platforms as their owners write them; a platform not listed is shown as the user typed it.
PLATFORM_NAMES = {
    name.casefold(): name
    for name in (
        "Instagram",
        "Facebook",
        "LinkedIn",
        "TikTok",
        "YouTube",
        "X",
        "Twitter",
        "Threads",
        "Pinterest",
        "Snapchat",
        "WhatsApp",
        "Telegram",
        "Bluesky",
        "Mastodon",
        "Twitch",
        "Reddit",
        "Tumblr",
        "Vimeo",
        "Google Business Profile",
    )
}


def platform_name(platform: str) -> str:
    return PLATFORM_NAMES.get(platform.strip().casefold(), platform.strip())


def account_name(platform: str, handle: str) -> str:
    """ "Instagram @acme": the platform properly capitalised, the handle as given."""
    return f"{platform_name(platform)} {handle}".strip()


# The contract's wording for the jurisdiction (``jurisdictions.<IT|GB|EU>.<name>``).
JURISDICTION_TEXTS = (
    "governing_law",
    "court",
    "late_payment_terms",
    "vat_terms",
    "data_protection_law",
    "liability_exceptions",
)
# The contract's initial term (its wording says "twelve months"; renewals are as long).
INITIAL_TERM_MONTHS = 12


def first_term_end(start: date) -> date:
    """The last day of the initial term: the day before the same date INITIAL_TERM_MONTHS on."""
    month = start.month - 1 + INITIAL_TERM_MONTHS
    year, month = start.year + month // 12, month % 12 + 1
    last = monthrange(year, month)[1]
    if start.day > last:  # 29 February: the term ends on the last day of February
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


class DocumentRenderError(ValueError):
    """The engagement lacks what this document needs (e.g. no feedback request to remind of)."""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _labelled(labels: dict[str, str], **values: str) -> list[str]:
    """ "Label: value" lines for the values given, in order; empty ones are left out."""
    return [f"{labels[name]}: {value}" for name, value in values.items() if value.strip()]


class DocContext:
    """One render's view of the request, in the engagement's language."""

    def __init__(self, request: DocumentRequest, wording: Wording) -> None:
        self.request = request
        self.engagement = request.engagement
        self.kind = request.kind
        self.wording = wording
        self.fmt = Formatter(self.engagement.language, self.engagement.currency)
        self.today = request.day  # the letter's date: the tenant's day, in its time zone
        self.payload = request.payload
        self.data: dict[str, Any] = request.payload.get("data") or {}
        # A clause with `when` (an engagement term) is in the contract only when that term holds.
        self.clauses = [
            c for c in wording.raw("clauses") if getattr(self.engagement, c.get("when", ""), True)
        ]
        self.clause_numbers = contract_numbers(
            wording.raw("clauses"), self.engagement, wording.raw("added_clause_suffixes")
        )

    def count(self, unit: str, n: int) -> str:
        """'1 giorno', '3 giorni': the unit's form by the language's plural rules."""
        return f"{n} {choose_form(self.wording.raw(f'units.{unit}'), self.engagement.language, n)}"

    def plural(self, key: str, count: int | Decimal, **values: Any) -> Markup:
        """A phrase whose words agree with ``n`` (``plurals.<key>``), with ``n`` as a value
        (a caller may pass ``n=`` to show it formatted, e.g. "13,5")."""
        form = choose_form(self.wording.raw(f"plurals.{key}"), self.engagement.language, count)
        return self.wording.render(form, {"n": count, **values})

    @cached_property
    def city(self) -> str:
        """The provider's city as the letter's language names it: "Turin" in an English letter
        from Torino. A city the wording does not list keeps the account's spelling."""
        city = (self.request.tenant.city or "").strip()
        return str(self.wording.raw("place_names").get(city, city))

    def invoice_label(self, invoice: Invoice) -> Markup:
        """What the invoice is for, in the letter's language: a monthly fee by its period; a
        one-off by the user's own description, quoted. Never the stored English prose."""
        if invoice.period:
            month = date.fromisoformat(f"{invoice.period}-01")
            return self.wording.text("invoices.monthly_fee", month=self.fmt.month(month))
        return self.wording.text("invoices.one_off", description=invoice.description)

    def invoice_row_label(self, invoice: Invoice) -> Markup:
        """A table cell naming the invoice: its number and what it is for."""
        return self.wording.text(
            "invoices.row", number=invoice.number or "", label=self.invoice_label(invoice)
        )

    @cached_property
    def values(self) -> dict[str, Any]:
        """The terms every clause and notice may cite, formatted for the language."""
        e, fmt = self.engagement, self.fmt
        values = {
            "client": e.client_name,
            # Empty without a contact person: the salutation then addresses the firm.
            "contact": e.contact_greeted_as,
            "sender": self.request.tenant.name,
            "fee": fmt.money(e.monthly_fee),
            "start": fmt.date(e.start_date),
            # The day the contract was made and is dated (its creation), which letters cite it by;
            # its start date is when the work runs from, often a later day.
            "agreement_date": fmt.date(e.day_of(e.created_at)),
            "fee_from": fmt.date(e.start_date),  # an amendment's proposal: its own day
            "today": fmt.date(self.today),
            "due_phrase": fmt.payment_day(e.due_day),
            "grace_period": self.count("day", e.grace_days),
            "response_time": self.count("business_day", e.response_days),
            "rounds": self.count("round", e.revision_rounds),
            "account_count": len(e.accounts),
            "on_accounts": self.plural("on_accounts", len(e.accounts)),
            "to_all_accounts": self.plural("to_all_accounts", len(e.accounts)),
            "balance": fmt.money(e.balance_due),
            "first_term_end": fmt.date(first_term_end(e.start_date)),
            "city": self.city,
            # The jurisdiction's clauses: plain wording; the court names the provider's city.
            **{
                name: self.wording.text(f"jurisdictions.{e.jurisdiction}.{name}", city=self.city)
                for name in JURISDICTION_TEXTS
            },
            "termination_notice": self.count("day", e.termination_notice_days),
            # The withdrawal and the term cite each other, so neither reads as excluding the other.
            "duration_number": self.clause_numbers.get("duration", ""),
            "termination_number": self.clause_numbers.get("termination", ""),
        }
        values["back_dated_terms"] = self._back_dated_terms()
        # The express termination clause in the jurisdiction's own terms (art. 1456 c.c. only in Italy).
        clause = f"termination_law.express_clause.{e.jurisdiction}"
        values["express_termination_terms"] = self.wording.text(clause, **values)
        # Timely feedback as an essential obligation: the formal demand it allows, per jurisdiction.
        feedback = f"termination_law.feedback_clause.{e.jurisdiction}"
        values["feedback_essential_terms"] = self.wording.text(feedback, **values)
        return values

    def _back_dated_terms(self) -> Markup | str:
        """The fee clause's sentence on the months a back-dated start bills on signing."""
        months = back_dated_months(self.engagement)
        if not months:
            return ""
        return self.wording.text(
            "contract.back_dated",
            months=", ".join(self.fmt.month(date.fromisoformat(f"{m.period}-01")) for m in months),
            signed_on=self.fmt.date(self.engagement.day_of(self.engagement.created_at)),
            due_on=self.fmt.date(min(m.due_on for m in months)),
        )

    def text(self, key: str, **extra: Any) -> Markup:
        return self.wording.text(key, **{**self.values, **extra})

    def texts(self, key: str, **extra: Any) -> list[Markup]:
        return self.wording.texts(key, **{**self.values, **extra})

    def event(self, key: str, fallback: Any = None) -> Any:
        """What only the event knows, falling back to the aggregate on regeneration."""
        value = self.payload.get(key)
        return fallback if value in (None, "") else value

    def event_date(self, key: str, fallback: date | None) -> date:
        value = self.payload.get(key)
        day = date.fromisoformat(value) if value else fallback
        if day is None:
            raise DocumentRenderError(f"A {self.kind} needs '{key}', and none is on record.")
        return day

    def clause(self, key: str) -> dict[str, Any]:
        number = self.clause_numbers[key]
        clause = next(c for c in self.clauses if c["key"] == key)
        text = self.wording.render(clause["text"], self.values)
        return {"number": number, "title": clause["title"], "text": text}

    def citation(self, key: str) -> Markup:
        clause = self.clause(key)
        return self.text("letter.citation", number=clause["number"], title=clause["title"])

    def invoice_lines(self, invoices: list[Invoice], key: str = "letter.invoice_line") -> list[Markup]:
        """One item per invoice; its taxes, when it carries any, as a line under it."""
        return [
            Markup("\n").join(
                [
                    self.text(
                        key,
                        number=invoice.number or "",
                        description=self.invoice_label(invoice),
                        due_on=self.fmt.date(invoice.due_on),
                        outstanding=self.fmt.money(invoice.outstanding),
                    ),
                    *filter(None, [tax_line(self, invoice)]),
                ]
            )
            for invoice in invoices
        ]

    def payment_details(self, invoices: list[Invoice]) -> list[Markup]:
        """Where to pay, citing the invoices' numbers; nothing when no IBAN is on file."""
        tenant = self.request.tenant
        if not tenant.iban:
            return []
        numbers = ", ".join(i.number for i in invoices if i.number)
        return [self.text("letter.payment_details", iban=tenant.iban, bic=tenant.bic, numbers=numbers)]

    def unpaid_invoices(self) -> list[Invoice]:
        """Overdue invoices; on regeneration after the fact, any still unpaid."""
        return self.engagement.overdue_invoices(self.today) or self.engagement.unpaid_invoices()

    def common(self) -> dict[str, Any]:
        tenant, e = self.request.tenant, self.engagement
        labels = self.wording.raw("labels")
        sender_lines = _lines(tenant.sender_address)
        if tenant.sender_email:
            sender_lines.append(f"{labels['email']}: {tenant.sender_email}")
        sender_lines += _labelled(labels, vat_number=tenant.vat_number, pec=tenant.pec)
        # The letterhead: the address, then every way to reach the sender on one line.
        contacts = [f"{labels['email']}: {tenant.sender_email}"] if tenant.sender_email else []
        contacts += _labelled(labels, pec=tenant.pec, vat_number=tenant.vat_number)
        letterhead = _lines(tenant.sender_address) + ([" · ".join(contacts)] if contacts else [])
        attention = []
        if e.client_contact_name:
            attention.append(f"{labels['for_attention']} {e.client_contact_name}")
        address = _lines(e.client_address)
        details = _labelled(
            labels,
            registered_office=e.client_registered_office,
            legal_representative=e.client_legal_representative,
            vat_number=e.client_vat_number,
            tax_code=e.client_tax_code,
            pec=e.client_pec,
            sdi_code=e.client_sdi_code,
        )
        email = [e.client_email] if e.client_email else []
        # "Spett.le Acme S.r.l." in Italian; the bare name where the language has no such form.
        heading = " ".join(filter(None, [labels["addressee"], e.client_name]))
        return {
            "labels": labels,
            "sender": {
                "name": tenant.name,
                "lines": sender_lines,
                "signatory": tenant.signatory or tenant.name,
                # One paragraph: docxtpl turns each newline into a line break.
                "letterhead": "".join(f"\n{line}" for line in letterhead),
                "details": "".join(f"\n{line}" for line in sender_lines),
            },
            "recipient": {
                "name": e.client_name,
                "lines": attention + address + email + details,
                "heading": heading,
                # A letter's addressee block: attention, postal address, certified e-mail.
                "block": "".join(f"\n{line}" for line in attention + address),
                # The contract's party block: the address and every registered detail.
                "details": "".join(f"\n{line}" for line in address + email + details),
            },
            # The "place, date" line of a letter: the city when the account has one.
            "date": ", ".join(filter(None, [self.city, self.fmt.date(self.today)])),
        }
