"""The document lint: every kind in both languages, on edge data, read from the PDF a client gets.

Each document is rendered, converted by LibreOffice with the fonts of the PDF path (one batch for
all of them, see lint_pages.py) and read back page by page. A page after the first that holds a
signature alone, a page without its "n / N", an English word in an Italian letter (or the other
way round), a date or an amount broken across two lines, or a fallback font fails here.
"""

from __future__ import annotations

import os
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from conftest import NOW, at, make_engagement, make_tenant, payload_for
from docx import Document
from lint_pages import Rendered, missing_tools, shared

from service.application import record_csv
from service.documents import DOCUMENT_KINDS, DocumentRenderer, DocumentRequest
from service.domain.billing import monthly_description
from service.domain.model import Engagement, Event, HandoverItem, Invoice, Tenant
from service.domain.record import WRITTEN_TYPES
from service.domain.sayings import entry

LANGUAGES = ("it", "en")
MIN_WORDS = 20  # fewer on a page after the first: a signature or a firm's name left alone
LONG_NAME = "Cooperativa Agricola Produttori Ortofrutticoli della Bassa Pianura Padana S.c.a.r.l."
PLATFORMS = [("Instagram", "@acme"), ("LinkedIn", "acme-srl"), ("TikTok", "@acme.official")]


def _invoices(engagement: Engagement, months: list[int], unpaid: set[int]) -> list[Invoice]:
    invoices = []
    for month in months:
        period = f"2026-{month:02d}"
        paid = Decimal("0") if month in unpaid else Decimal("1200.00")
        invoices.append(
            Invoice(
                description=monthly_description(engagement, period),
                amount=Decimal("1200.00"),
                due_on=date(2026, month, 1),
                issued_at=at(date(2026, month - 1, 25)),
                period=period,
                paid_amount=paid,
                number=f"2026-{month:04d}",
                id=month,
            )
        )
    return invoices


def _accounts(engagement: Engagement, count: int) -> None:
    engagement.accounts = [{"platform": p, "handle": h} for p, h in PLATFORMS[:count]]
    actions = ["export_content", "transfer_ownership", "hand_over_credentials", "remove_our_access"]
    engagement.handover_items = [
        HandoverItem(p, h, action, id=n * 10 + i)
        for n, (p, h) in enumerate(PLATFORMS[:count])
        for i, action in enumerate(actions)
    ]


def _variant(name: str, language: str) -> Engagement:
    """typical: contact, 2 accounts, work log; sparse: no contact, 0 accounts, no work log;
    single: 1 account, 1 invoice; busy: 3 accounts, long names, several unpaid invoices."""
    e = make_engagement(language)
    if name == "typical":
        e.invoices = _invoices(e, [10, 11, 12], unpaid={12})
    elif name == "sparse":
        e.client_contact_name = ""
        e.work_log = []
        _accounts(e, 0)
        e.invoices = _invoices(e, [11, 12], unpaid={12})
    elif name == "single":
        _accounts(e, 1)
        e.invoices = _invoices(e, [12], unpaid={12})
    elif name in ("busy", "proposal"):
        e.client_name = LONG_NAME
        e.client_contact_name = "Maria Antonietta Bevilacqua Santangelo di Roccaforte"
        e.client_address = "Strada Provinciale 415 Paullese, km 12,300\n26010 Bagnolo Cremasco (CR)"
        e.client_vat_number, e.client_pec = "IT09876543210", "amministrazione@pec.cooperativa.example"
        e.services = [*e.services, "Monthly analytics report with recommendations for the next quarter"]
        _accounts(e, 3)
        e.invoices = _invoices(e, [7, 8, 9, 10, 11, 12], unpaid={9, 10, 11, 12})
    if name == "proposal":  # on record as a proposal when its letter is written, as the service does
        e.term_changes = [{**PROPOSAL, "status": "proposed", "id": 1}]
    return e


VARIANTS = ("typical", "sparse", "single", "busy")
CASES = [
    (kind, language, variant)
    for kind in sorted(DOCUMENT_KINDS)
    for language in LANGUAGES
    for variant in VARIANTS
]
# The amendment proposal (issue 30): the busy client, every kind of change, a clause added.
PROPOSAL = {
    "effective_on": "2027-03-01",
    "changes": {
        "monthly_fee": {"from": "1200.00", "to": "1350.00"},
        "due_day": {"from": 1, "to": 10},
        "late_payment_policy": {"from": "remind_only", "to": "require_prepayment"},
    },
}
CASES += [("contract_amendment", language, "proposal") for language in LANGUAGES]


def _tenant(language: str) -> Tenant:
    tenant = make_tenant(language)
    tenant.city, tenant.pec = "Milano", "studioaurora@pec.example"
    return tenant


def _name(case: tuple[str, str, str]) -> str:
    return "-".join(case)


def _render_all() -> dict[str, bytes]:
    renderer = DocumentRenderer()
    return {
        _name(case): renderer.render(
            DocumentRequest(
                case[0],
                _variant(case[2], case[1]),
                _tenant(case[1]),
                NOW,
                PROPOSAL if case[2] == "proposal" else payload_for(case[0]),
            )
        ).content
        for case in CASES
    }


@pytest.fixture(scope="session")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    missing = missing_tools()
    if missing:
        pytest.fail(f"The document lint needs {', '.join(missing)}: run scripts/system-packages.sh")
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist every worker's directory sits in the run's: convert once for all.
    return shared(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base, _render_all)


@pytest.fixture(scope="session")
def sources() -> dict[str, str]:
    """Each case's text as rendered in the .docx (no-break spaces kept): what must survive."""
    texts = {}
    for name, content in _render_all().items():
        document = Document(BytesIO(content))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        texts[name] = "\n".join([p.text for p in document.paragraphs] + cells)
    return texts


# ---------------------------------------------------------------- what a reader would stop at

MONTHS = {
    "it": "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre",
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
}
AMOUNT = {"it": r"\d{1,3}(?:\.\d{3})*,\d{2}[ \xa0]€", "en": r"€\d{1,3}(?:,\d{3})*\.\d{2}"}
# Words of the other language that no wording of this one should leave on the page.
FOREIGN = {
    "it": [r"Monthly fee", r"\binvoice", r"\bDear\b", r"\baccounts\b", r"Kind regards", r"\bclause\b"],
    "en": [
        r"\bfattur[ae]\b",
        r"\bGentile\b",
        r"Cordiali saluti",
        r"\barticolo\b",
        r"\bgiorni\b",
        r"Spett\.le",
        # The place of the "place, date" line and the court in English (issue 30): Milan.
        r"\bMilano, \d",
        r"\bcourts? of Milano\b",
    ],
}
ISO_DATE = r"\b20\d{2}-(?:0[1-9]|1[0-2])\b(?!\d)"
# Forms issue 16 found: counts not inflected, a preposition not articulated, a subject phrase
# dropped into a sentence, two colons in a subject line.
BROKEN = {
    "it": [
        r"\b(?:sui|i) [01] account\b",
        r"\btrascorsi 1 giorno\b",
        r"\b1 (?:non eseguite|completate)\b",
        r"\bsu l'",
        r"Oggetto: [^:\n]*: ",
        # No elision before a date that starts with a vowel sound: "dell'8", "l'11", never "del 8".
        r"\b(?:il|del|al|dal|nel|sul)[ \xa0](?:8|11)[ \xa0]",
        # The first of a month is "1°" in Italian legal text, in a date and as a payment day.
        r"\bgiorno 1 di ogni mese\b",
        r"\b1[ \xa0](?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\b",
        # Issue 30: two accounts are "entrambi"; the interest claimed is the D.Lgs. 231/2002 rate
        # of late payment, not the (much lower) "tasso legale" of art. 1284 c.c.
        r"\btutti i 2 account\b",
        # An interest period is a line under its invoice, never a bullet of its own (issue 30).
        r"•\s*(?:–\s*)?dal \d",
        r"\btasso legale\b",
        # A month or a day in ISO form ("Monthly fee 2026-12", "scadenza 2026-12-01"): Italian
        # text writes dates in words (issue 30); an invoice number (2026-0012) is not one.
        ISO_DATE,
    ],
    "en": [
        r"\ball [012] accounts\b",
        r"\b1 (?:days|accounts|rounds)\b",
        r"feedback on [A-Z]",
        r"\bstatutory rate\b",  # which statute: the letter names it (issue 30)
        r"•\s*(?:–\s*)?from \d",
        ISO_DATE,
    ],
}


def _words(page: str) -> int:
    lines = [line for line in page.splitlines() if not re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", line)]
    return len(re.findall(r"[^\W\d_][\w'’.-]*", "\n".join(lines))) - len(["Studio", "Aurora"])


def _one_line(text: str) -> str:
    return re.sub(r"[ \xa0]+", " ", text)


def _lines(rendered: Rendered) -> str:
    return "\n".join(_one_line(line) for page in rendered.pages for line in page.splitlines())


@pytest.mark.parametrize(("kind", "language", "variant"), CASES)
def test_every_page_is_numbered_and_none_after_the_first_is_nearly_empty(
    documents: dict[str, Rendered], kind: str, language: str, variant: str
) -> None:
    pages = documents[_name((kind, language, variant))].pages
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"^\s*{number}\s*/\s*{total}\s*$", page, re.M), (
            f"page {number} has no '{number} / {total}'"
        )
        if number > 1:
            assert _words(page) >= MIN_WORDS, f"page {number} of {total} holds only:\n{page}"


@pytest.mark.parametrize(("kind", "language", "variant"), CASES)
def test_only_the_templates_font_is_embedded(
    documents: dict[str, Rendered], kind: str, language: str, variant: str
) -> None:
    fonts = documents[_name((kind, language, variant))].fonts
    assert fonts and all(font.startswith("Carlito") for font in fonts), fonts


@pytest.mark.parametrize(("kind", "language", "variant"), CASES)
def test_dates_and_amounts_are_never_broken(
    documents: dict[str, Rendered], sources: dict[str, str], kind: str, language: str, variant: str
) -> None:
    name = _name((kind, language, variant))
    source = sources[name]
    dates = re.findall(rf"\d{{1,2}}°?[ \xa0](?:{MONTHS[language]})[ \xa0]\d{{4}}", source)
    amounts = re.findall(AMOUNT[language], source)
    assert dates or kind == "handover_checklist", "no date found: the pattern is out of date"
    loose = [text for text in dates + amounts if " " in text]
    assert not loose, f"joined by ordinary spaces, free to break: {loose}"
    page_text = _lines(documents[name])
    broken = [text for text in dates + amounts if _one_line(text) not in page_text]
    assert not broken, f"broken across lines on the page: {broken}"


@pytest.mark.parametrize(("kind", "language", "variant"), CASES)
def test_no_words_of_the_other_language(
    documents: dict[str, Rendered], kind: str, language: str, variant: str
) -> None:
    text = _lines(documents[_name((kind, language, variant))])
    found = [pattern for pattern in FOREIGN[language] if re.search(pattern, text)]
    assert not found, f"{found} in a document in '{language}':\n{text}"


@pytest.mark.parametrize(("kind", "language", "variant"), CASES)
def test_no_broken_forms(documents: dict[str, Rendered], kind: str, language: str, variant: str) -> None:
    text = _lines(documents[_name((kind, language, variant))])
    found = [pattern for pattern in BROKEN[language] if re.search(pattern, text)]
    client = LONG_NAME if variant == "busy" else "Acme S.r.l."
    if variant == "sparse":  # no contact person: the salutation must not greet the company
        greeting = {"it": "Gentile", "en": "Dear"}[language]
        found += [f"{greeting} {client},"] if f"{greeting} {client}," in text else []
    assert not found, f"{found}:\n{text}"


# The record's summaries (record.csv, the desk's records) follow the same word lists (issue 30,
# list 9): an Italian summary writes its days, instants and amounts as the letters do.
_ISO_INSTANT = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"


def _edge_value(name: str) -> str:
    if name.endswith("_on") or name in ("date", "due_on"):
        return "2026-12-01"
    if name.endswith("_at"):
        return "2026-12-03T09:15:00+00:00"
    if name in record_csv.MONEY_FIELDS:
        return "1200.00"
    return "EUR" if name == "currency" else "x"


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_summaries_follow_the_word_lists(language: str) -> None:
    for type_ in WRITTEN_TYPES:
        template = str(entry(language, f"record.{type_}"))
        payload = {name: _edge_value(name) for name in re.findall(r"\{\{\s*(\w+)", template)}
        payload.setdefault("currency", "EUR")
        event = Event(1, 1, type_, NOW, payload, "", "")
        said = record_csv.summary(event, language, currency="EUR", zone="Europe/Rome")
        patterns = FOREIGN[language] + (
            BROKEN[language] + [_ISO_INSTANT, r"\bEUR\b"] if language == "it" else []
        )
        found = [pattern for pattern in patterns if re.search(pattern, said)]
        assert not found, f"{type_}: {found} in {said!r}"


def test_the_cases_cover_issue_30s_new_kinds() -> None:
    """The page check renders the amendment proposal, the credit note and the mutual termination
    agreement in both languages (issue 30's "Done when"); a registry change must not drop them."""
    for language in LANGUAGES:
        assert ("contract_amendment", language, "proposal") in CASES
        for kind in ("credit_note", "termination_agreement"):
            assert {variant for k, lang, variant in CASES if (k, lang) == (kind, language)} == set(VARIANTS)
