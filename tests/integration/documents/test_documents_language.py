"""Issue 16, language and content: every kind in both languages, over edge data, reads as a
professional wrote it. Each test names the exact corrected wording and refuses the broken form
a client saw before (counts not inflected, stored English invoice prose, two colons in a subject,
a firm greeted as a person, empty tables, a handover promise the service cannot keep)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from conftest import NOW, at, make_engagement, make_tenant, payload_for, read_docx

from service.documents import DOCUMENT_KINDS, DocumentRenderer, DocumentRequest
from service.domain.model import HandoverItem, Invoice
from service.domain.suspensions import Suspension

ONE = [{"platform": "instagram", "handle": "@acme"}]
THREE = [
    {"platform": "instagram", "handle": "@acme"},
    {"platform": "linkedin", "handle": "acme-srl"},
    {"platform": "tiktok", "handle": "@acme.video"},
]
LONG_NAME = "Società Cooperativa Agricola dei Produttori Riuniti della Valle dell'Adige S.r.l."

EDGES: dict[str, dict[str, Any]] = {
    "no_contact": {"client_contact_name": None},
    "no_accounts": {"accounts": [], "handover_items": []},
    "one_account": {"accounts": ONE},
    "three_accounts": {"accounts": THREE},
    "long_name_no_log": {"client_name": LONG_NAME, "client_contact_name": "", "work_log": []},
}

# Forms a reader stopped at (issue 16): none may appear in any document, in either language.
BROKEN = [
    "sui 1 account",
    "sui 0 account",
    "tutti i 1 account",
    "tutti i 0 account",
    "all 0 accounts",
    "all 1 accounts",
    "sono trascorsi 1 giorno",
    "1 non eseguite",
    "1 attività completate",
    "su l'",
    "1 giorni",
    "1 days",
    "1 cicli",
    "round di revisione",
    "Monthly fee 20",
    "Fee 2026-",
    "feedback on Approve",
    "Richiesta di riscontro:",
    "Your feedback is needed:",
    "Gentile Acme",
    "Gentile Società",
    "Dear Acme",
    "Dear Società",
    "{{",
    "}}",
]
# Words of the other language that must not leak into a document.
FOREIGN = {
    "it": ["Monthly fee", "Invoice", "Dear ", "accounts", "Subject:", "waived", "days"],
    "en": ["Fattura", "Compenso", "Gentile", "Spettabile", "giorni", "Oggetto:", "non eseguit"],
}
# The user's own phrases in the fixture (English on purpose): theirs to word, not ours.
USER_TEXT = ["Invoices keep arriving late", "Approvals take weeks", "Asked to approve every story"]
LETTERS = sorted(DOCUMENT_KINDS - {"contract", "final_report", "handover_checklist"})
# One renderer for the module, as the service keeps one per app: building one loads and compiles
# all the wording (~0.5 s), and each of the ~180 renders here used to build its own.
RENDERER = DocumentRenderer()


def render(
    kind: str, language: str, payload: dict[str, Any] | None = None, **overrides: Any
) -> tuple[str, DocumentRequest]:
    suspensions = overrides.pop("suspensions", ())
    request = DocumentRequest(
        kind,
        make_engagement(language, **overrides),
        make_tenant(language),
        NOW,
        payload if payload is not None else payload_for(kind),
        suspensions,
    )
    return read_docx(RENDERER.render(request).content), request


@pytest.fixture(scope="module")
def renderer() -> DocumentRenderer:
    return RENDERER


@pytest.mark.parametrize("edge", sorted(EDGES))
@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
def test_no_broken_form_and_no_foreign_word_in_any_document(kind: str, language: str, edge: str) -> None:
    text, _ = render(kind, language, **EDGES[edge])
    found = [form for form in BROKEN if form in text]
    assert not found, f"{kind}/{language}/{edge} has {found}:\n{text}"
    ours = text
    for phrase in USER_TEXT:
        ours = ours.replace(phrase, "")
    foreign = [word for word in FOREIGN[language] if word in ours]
    assert not foreign, f"{kind}/{language}/{edge} has {foreign}:\n{text}"
    subjects = [line for line in text.splitlines() if line.startswith(("Oggetto: ", "Subject: "))]
    assert len(subjects) == (1 if kind in LETTERS else 0)
    assert all(line.count(":") == 1 for line in subjects), f"two colons in the subject line: {subjects}"


@pytest.mark.parametrize(("engagement_language", "tenant_language"), [("en", "it"), ("it", "en")])
def test_a_letter_is_worded_in_the_engagements_language_not_the_accounts(
    engagement_language: str, tenant_language: str
) -> None:
    """An Italian agency writing to a London client writes in English, and the other way round."""
    request = DocumentRequest(
        "payment_reminder",
        make_engagement(engagement_language),
        make_tenant(tenant_language),
        NOW,
        payload_for("payment_reminder"),
    )
    document = RENDERER.render(request)
    text = read_docx(document.content)
    assert document.language == engagement_language
    assert document.filename == f"{RENDERER.kind_slug('payment_reminder', engagement_language)}.docx"
    assert not [word for word in FOREIGN[engagement_language] if word in text], text
    subject, body = RENDERER.message_for(request)
    assert not [word for word in FOREIGN[engagement_language] if word in subject + body], body


@pytest.mark.parametrize(
    ("language", "overrides", "greeting"),
    [
        ("it", {}, "Gentile Marco Rossi,"),
        ("it", {"client_contact_name": None}, "Spettabile Acme S.r.l.,"),
        ("it", {"client_contact_name": "  ", "client_name": LONG_NAME}, f"Spettabile {LONG_NAME},"),
        ("en", {}, "Dear Marco Rossi,"),
        ("en", {"client_contact_name": None}, "Dear Sir or Madam,"),
    ],
)
def test_the_salutation_greets_the_person_or_else_the_firm(
    language: str, overrides: dict[str, Any], greeting: str
) -> None:
    text, _ = render("payment_reminder", language, **overrides)
    assert greeting in text.splitlines()


@pytest.mark.parametrize(
    ("language", "accounts", "services", "handover"),
    [
        ("it", [], "sugli account che il Cliente indicherà per iscritto", "a ogni account che abbiamo"),
        ("it", ONE, "sull'account indicato", "all'account che abbiamo gestito per voi"),
        ("it", THREE, "sui 3 account indicati", "a tutti i 3 account che abbiamo gestito per voi"),
        ("en", [], "on the accounts the Client names in writing", "to every account we managed"),
        ("en", ONE, "on the account listed above", "to the account we managed for you"),
        ("en", THREE, "on the 3 accounts listed above", "to all 3 accounts we managed for you"),
    ],
)
def test_account_counts_agree_in_the_contract_and_the_termination(
    language: str, accounts: list[dict[str, str]], services: str, handover: str
) -> None:
    contract, _ = render("contract", language, accounts=accounts)
    assert services in contract
    notice, _ = render("termination_notice", language, accounts=accounts)
    assert handover in notice


def test_a_contract_without_accounts_says_so_instead_of_an_empty_table() -> None:
    text, _ = render("contract", "it", accounts=[])
    assert "Non è ancora indicato alcun account: il Cliente li indicherà per iscritto." in text
    assert "Piattaforma" not in text  # the table's header is gone with its rows


@pytest.mark.parametrize(
    ("language", "reminded", "says"),
    [
        ("it", "2026-12-08", "attesa entro il giorno 8 dicembre 2026; da quella data è trascorso 1 giorno."),
        ("it", "2026-12-04", "da quella data sono trascorsi 5 giorni."),
        ("it", "2026-12-09", "il termine scade oggi."),
        ("en", "2026-12-08", "which was due by 8 December 2026; today is 1 day past that date."),
        ("en", "2026-12-04", "today is 5 days past that date."),
    ],
)
def test_the_feedback_reminder_counts_the_days_waited(language: str, reminded: str, says: str) -> None:
    payload = {**payload_for("feedback_reminder"), "due_on": reminded}
    text, _ = render("feedback_reminder", language, payload)
    assert says in text


@pytest.mark.parametrize(
    ("language", "subject_line", "body"),
    [
        (
            "it",
            "Oggetto: Richiesta di riscontro sul punto «Approve the January calendar»",
            "un vostro riscontro sul punto seguente: «Approve the January calendar».",
        ),
        (
            "en",
            "Subject: Your feedback is needed on “Approve the January calendar”",
            "we need your answer on the following point: “Approve the January calendar”.",
        ),
    ],
)
def test_the_users_phrase_is_quoted_not_infixed(language: str, subject_line: str, body: str) -> None:
    payload = {**payload_for("feedback_request"), "subject": "Approve the January calendar"}
    text, _ = render("feedback_request", language, payload)
    assert subject_line in text.splitlines()
    assert body in text


def several_invoices(language: str) -> list[Invoice]:
    invoices = make_engagement(language).invoices
    for invoice in invoices:
        invoice.number = f"2026-{invoice.id:04d}"
    invoices.append(
        Invoice(
            "Shooting fotografico extra",
            Decimal("300.00"),
            date(2026, 11, 30),
            at(date(2026, 11, 20)),
            number="2026-0099",
            id=99,
        )
    )
    return invoices


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "it",
            [
                "Fattura n. 2026-0099 («Shooting fotografico extra»): scadenza 30 novembre 2026, "
                "importo da saldare 300,00 €",
                "Fattura n. 2026-0012 (Compenso mensile dicembre 2026): scadenza 1° dicembre 2026",
            ],
        ),
        (
            "en",
            [
                "Invoice no. 2026-0099 (“Shooting fotografico extra”): due on 30 November 2026, "
                "€300.00 outstanding",
                "Invoice no. 2026-0012 (Monthly fee, December 2026): due on 1 December 2026",
            ],
        ),
    ],
)
def test_invoices_are_named_from_their_period_in_the_letters_language(
    language: str, lines: list[str]
) -> None:
    for kind in ("payment_reminder", "stop_work_notice", "termination_notice"):
        text, _ = render(kind, language, invoices=several_invoices(language))
        for line in lines:
            assert line in text, f"{kind}: {line}\n{text}"
    for kind in ("statement", "formal_demand", "final_report"):
        text, _ = render(kind, language, invoices=several_invoices(language))
        assert ("dicembre 2026" if language == "it" else "December 2026") in text
        assert "2026-0099" in text and "Shooting fotografico extra" in text


def test_a_stored_description_never_reaches_a_letter() -> None:
    invoices = make_engagement("it").invoices
    for invoice in invoices:
        invoice.description = "Monthly fee 2026-12 (Bottega Rossi S.r.l.)"
    for kind in ("payment_reminder", "statement", "formal_demand", "final_report", "termination_notice"):
        text, _ = render(kind, "it", invoices=invoices)
        assert "Monthly fee" not in text and "Bottega Rossi" not in text, kind
        assert "Compenso mensile dicembre 2026" in text, kind


@pytest.mark.parametrize(
    ("language", "empty"),
    [
        (
            "it",
            [
                "Per questo incarico non è stato tenuto un registro del lavoro svolto.",
                "Non sono state inviate richieste di riscontro.",
                "Non è stata emessa alcuna fattura.",
                "Non è stato ricevuto alcun pagamento.",
                "Il lavoro non è mai stato sospeso.",
            ],
        ),
        (
            "en",
            [
                "No log of the work done was kept for this engagement.",
                "No requests for feedback were sent.",
                "No invoice was issued.",
                "No payment was received.",
                "Work was never suspended.",
            ],
        ),
    ],
)
def test_an_empty_report_says_so_in_sentences_not_empty_tables(language: str, empty: list[str]) -> None:
    text, _ = render("final_report", language, work_log=[], feedback_requests=[], invoices=[], payments=[])
    for sentence in empty:
        assert sentence in text
    headers = ["Mese", "Richiesta", "Scadenza", "Ricevuto il"] if language == "it" else ["Month"]
    assert not any(line in headers for line in text.splitlines()), text
    assert "rimasto in attesa per 0 giorni" not in text and "waited 0 days" not in text


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            "it",
            [
                "ottobre 2026: 2 interventi, 13,5 ore",
                "novembre 2026: 1 intervento",
                "In totale: 3 interventi, 13,5 ore.",
                "Il lavoro è stato sospeso in attesa del pagamento nei seguenti periodi: dal 9 novembre "
                "2026 al 12 novembre 2026; dal 9 dicembre 2026, ancora in corso.",
                "Fatturato: 3.600,00 €. Pagato: 2.400,00 €.",
            ],
        ),
        (
            "en",
            [
                "October 2026: 2 entries, 13.5 hours",
                "November 2026: 1 entry",
                "In total: 3 entries, 13.5 hours.",
                "Work was suspended pending payment in these periods: from 9 November 2026 to "
                "12 November 2026; from 9 December 2026, still in progress.",
                "Invoiced: €3,600.00. Paid: €2,400.00.",
            ],
        ),
    ],
)
def test_the_final_report_gives_totals_and_suspensions(language: str, says: list[str]) -> None:
    suspensions = (Suspension(date(2026, 11, 9), date(2026, 11, 12)), Suspension(date(2026, 12, 9), None))
    text, _ = render("final_report", language, suspensions=suspensions)
    for line in says:
        assert line in text, f"{line}\n{text}"


@pytest.mark.parametrize(
    ("language", "intro"),
    [
        ("it", "che doveva iniziare il giorno 1° gennaio 2027, si è concluso il giorno 9 dicembre 2026"),
        ("en", "due to start on 1 January 2027, ended on 9 December 2026, before it began"),
    ],
)
def test_the_report_period_never_runs_backwards(language: str, intro: str) -> None:
    text, _ = render("final_report", language, start_date=date(2027, 1, 1))
    assert intro in text
    assert "dal giorno 1° gennaio 2027 al giorno 9 dicembre 2026" not in text
    assert "from 1 January 2027 to 9 December 2026" not in text


def handover_items() -> list[HandoverItem]:
    done = datetime(2026, 12, 7, 15, tzinfo=UTC)
    return [
        HandoverItem("instagram", "@acme", "remove_our_access", id=4),
        HandoverItem("instagram", "@acme", "transfer_ownership", "completed", resolved_at=done, id=2),
        HandoverItem("instagram", "@acme", "export_content", "completed", resolved_at=done, id=1),
        HandoverItem("youtube", "@acme", "export_content", id=5),
    ]


@pytest.mark.parametrize(
    ("language", "rows"),
    [
        (
            "it",
            [
                "Instagram @acme",
                "Esportare contenuti e report",
                "Completata",
                "",
                "7 dicembre 2026",
                "Instagram @acme",
                "Trasferire al cliente la proprietà e i diritti di amministrazione",
                "Completata",
                "",
                "7 dicembre 2026",
                "Instagram @acme",
                "Rimuovere il nostro accesso",
                "Da completare",
                "",
                "",
                "YouTube @acme",
            ],
        ),
        ("en", ["Instagram @acme", "Export content and reports", "Completed", "", "7 December 2026"]),
    ],
)
def test_the_checklist_lists_steps_in_working_order_with_dates(language: str, rows: list[str]) -> None:
    accounts = [{"platform": "instagram", "handle": "@acme"}, {"platform": "youtube", "handle": "@acme"}]
    text, _ = render("handover_checklist", language, accounts=accounts, handover_items=handover_items())
    lines = text.splitlines()
    start = lines.index(rows[0])
    assert lines[start : start + len(rows)] == rows, lines[start:]
    assert "instagram @acme" not in text and "youtube @acme" not in text


@pytest.mark.parametrize(
    ("language", "withheld", "promise"),
    [
        (
            "it",
            "Instagram @acme, Trasferire al cliente la proprietà e i diritti di amministrazione: trattenuta "
            "finché l'importo dovuto non è saldato (Da consegnare a pagamento avvenuto)",
            "Gli accessi trattenuti vi saranno consegnati non appena riceveremo il saldo di "
            "1.200,00 €: anche dopo la chiusura dell'incarico registriamo il pagamento",
        ),
        (
            "en",
            "Instagram @acme, Transfer ownership and admin rights to the client: withheld until the amount "
            "owed is paid (Da consegnare a pagamento avvenuto)",
            "The access withheld will be handed over to you as soon as we receive the €1,200.00 "
            "outstanding: we record a payment even after the engagement has closed",
        ),
    ],
)
def test_the_closing_record_states_what_the_service_does_after_closing(
    language: str, withheld: str, promise: str
) -> None:
    """After closing, a late payment is recorded and unlocks a withheld access item
    (tests/api/test_after_closing.py): the letter says exactly that."""
    items = [
        HandoverItem("instagram", "@acme", "export_content", "completed", id=1),
        HandoverItem(
            "instagram",
            "@acme",
            "transfer_ownership",
            "waived",
            "Da consegnare a pagamento avvenuto",
            withheld_until_paid=True,
            id=2,
        ),
    ]
    text, _ = render("closing_record", language, accounts=ONE, handover_items=items)
    assert withheld in text
    assert promise in text
    counts = (
        "Passaggio di consegne: 1 attività completata; 1 attività non eseguita, con la motivazione registrata."
        if language == "it"
        else "Handover: 1 step completed; 1 step waived, with its recorded reason."
    )
    assert counts in text


def test_a_settled_closing_record_promises_nothing() -> None:
    engagement = make_engagement("it")
    paid = [i for i in engagement.invoices if i.outstanding == 0]
    text, _ = render("closing_record", "it", invoices=paid)
    assert "Non risultano importi da saldare." in text
    assert "trattenut" not in text


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("it", ["Testo vigente: «Se una fattura viene pagata dopo la scadenza"]),
        ("en", ["Wording in force: “If an invoice is paid after its due date"]),
    ],
)
def test_the_amendment_labels_the_clause_it_quotes(language: str, labels: list[str]) -> None:
    """The prepayment letter quotes the clause the client signed, labelled, and only once."""
    text, _ = render("contract_amendment", language, late_payment_policy="require_prepayment")
    for label in labels:
        assert any(line.startswith(label) for line in text.splitlines()), f"{label}\n{text}"
    clause = "dal giorno in cui il Cliente salda" if language == "it" else "from the day the Client settles"
    assert text.count(clause) == 1, text


def test_the_terms_amendment_quotes_each_clause_labelled() -> None:
    payload = {
        "effective_on": "2027-01-01",
        "changes": {"grace_days": {"from": 7, "to": 1}},
    }
    text, _ = render("contract_amendment", "it", payload)
    # A proposal (issue 30): one effective day, each clause's full replacement text, labelled.
    assert "Articolo 4, Sospensione del lavoro (nuovo testo)" in text
    assert "«Se una fattura resta insoluta 1 giorno dopo la scadenza" in text
    assert "7 giorni dopo la scadenza" not in text and "Testo precedente" not in text


def test_the_email_greets_the_firm_without_a_contact(renderer: DocumentRenderer) -> None:
    request = DocumentRequest(
        "payment_reminder",
        make_engagement("it", client_contact_name=None),
        make_tenant("it"),
        NOW,
        payload_for("payment_reminder"),
    )
    _, body = renderer.message_for(request)
    assert body.startswith("Spettabile Acme S.r.l.,\n")


@pytest.mark.parametrize(
    ("kind", "language", "name"),
    [
        ("payment_reminder", "it", "sollecito-di-pagamento.docx"),
        ("payment_reminder", "en", "payment-reminder.docx"),
        ("closing_record", "it", "chiusura-dell-incarico.docx"),
        ("handover_checklist", "it", "lista-di-controllo-per-il-passaggio-di-consegne.docx"),
        ("contract", "en", "agreement.docx"),
    ],
)
def test_the_stored_file_name_is_the_kind_in_the_documents_language(
    renderer: DocumentRenderer, kind: str, language: str, name: str
) -> None:
    request = DocumentRequest(kind, make_engagement(language), make_tenant(language), NOW, payload_for(kind))
    document = renderer.render(request)
    assert document.filename == name
    document.id = 42
    assert document.download_name == f"42-{name}"


def test_every_kind_has_a_name_in_every_language(renderer: DocumentRenderer) -> None:
    for language in ("it", "en"):
        names = {kind: renderer.kind_name(kind, language) for kind in DOCUMENT_KINDS}
        assert all(name != kind.replace("_", " ") for kind, name in names.items()), names
        assert len(set(names.values())) == len(names)
