"""Every kind in both languages, reopened with python-docx, shows the engagement's real values."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from conftest import NOW, make_engagement, make_tenant, read_docx

from service.documents import DOCUMENT_KINDS, DocumentRenderer, DocumentRequest

NBSP = " "  # Babel joins an amount with a no-break space; read_docx reads it as one
COMMON = {
    "en": ["Acme S.r.l.", "Studio Aurora", "9 December 2026"],
    "it": ["Acme S.r.l.", "Studio Aurora", "9 dicembre 2026"],
}
FEE = {"en": "€1,200.00", "it": f"1.200,00{NBSP}€"}
EXPECTED: dict[str, dict[str, list[str]]] = {
    "contract": {
        "en": [
            "on the 1st of each month",
            "7 days",
            "3 business days",
            "2 rounds of changes",
            "3. Payment",
            "4. Suspension of work",
            "@acme",
            "Editorial calendar",
            "acme-srl",
        ],
        "it": [
            "il giorno 1° di ogni mese",
            "7 giorni",
            "3 giorni lavorativi",
            "2 cicli di revisione",
            "3. Pagamento",
            "4. Sospensione del lavoro",
            "@acme",
            "Editorial calendar",
        ],
    },
    "feedback_request": {
        "en": ["Brand colours for December", "4 December 2026", "clause 5, Feedback"],
        "it": ["Brand colours for December", "4 dicembre 2026", "articolo 5, Riscontri"],
    },
    "feedback_reminder": {
        # The second of 2 agreed: the last, which promises the final notice (issue 30).
        "en": ["Reminder 2", "4 December 2026", "last of the 2 reminders", "5 days", "clause 5"],
        "it": ["Sollecito n. 2", "4 dicembre 2026", "ultimo dei 2 solleciti", "5 giorni", "articolo 5"],
    },
    "payment_reminder": {
        "en": [
            "Monthly fee, December 2026: due on 1 December 2026",
            "until 8 December 2026",
            "suspended from 9 December 2026",
            "slipped your mind",
            "clause 3, Payment",
        ],
        "it": [
            "Compenso mensile dicembre 2026: scadenza 1° dicembre 2026",
            "fino al giorno 8 dicembre 2026",
            "dal giorno 9 dicembre 2026",
            "sfuggito",
            "articolo 3, Pagamento",
        ],
    },
    "stop_work_notice": {
        "en": ["Monthly fee, December 2026", "1 December 2026", "resume promptly", "clause 4, Suspension"],
        "it": [
            "Compenso mensile dicembre 2026",
            "1° dicembre 2026",
            "senza indugio",
            "articolo 4, Sospensione",
        ],
    },
    "portal_link": {
        "en": ["a fresh personal link to your file", "never in the letter itself"],
        "it": ["un nuovo link personale alla vostra pratica", "mai nella comunicazione stessa"],
    },
    "resume_notice": {
        "en": ["resumed on 9 December 2026", "clause 4, Suspension of work"],
        "it": ["ripreso in data 9 dicembre 2026", "articolo 4, Sospensione del lavoro"],
    },
    "contract_amendment": {
        "en": [
            "Payment in advance from 9 December 2026, as our agreement provides",
            "clause 10, Payment in advance after a late payment, of our agreement of 25 September 2026, "
            "which you signed, applies",
            "1st day of the month it covers",
            "does not ask you for a new agreement",
            "clause 3, Payment",
            "clause 4",
        ],
        "it": [
            "Pagamento anticipato dal 9 dicembre 2026, come previsto dal contratto",
            "l'articolo 10, Pagamento anticipato dopo un ritardo, del nostro contratto del 25 settembre 2026, "
            "che avete sottoscritto",
            "primo giorno del mese a cui si riferisce",
            "non vi chiede un nuovo accordo",
            "articolo 3, Pagamento",
        ],
    },
    "final_notice": {
        "en": [
            "Final notice – we need your answer within 7 days of receipt",
            "Your answer to our request “Brand colours for December” was due on 4 December 2026",
            "If we have no answer within that term, we will give notice ending our agreement under "
            "clause 7, with the notice period of 15 days.",
            "clause 5, Feedback",
        ],
        "it": [
            "Ultimo avviso – attendiamo una vostra risposta entro 7 giorni dalla ricezione",
            "alla nostra richiesta “Brand colours for December”",
            "eserciteremo il recesso dal contratto previsto dall'articolo 7, con il preavviso di 15 giorni.",
            "articolo 5, Riscontri",
        ],
    },
    "conduct_warning": {
        "en": [
            "Asked to approve every story",
            "Christmas reel",
            "4 rounds of changes",
            "2 rounds of changes",
            "Approvals take weeks",
            "by 16 December 2026",
            "clause 6, Approvals",
        ],
        "it": [
            "Asked to approve every story",
            "«Christmas reel»: 4 cicli di revisione richiesti, a fronte di 2 cicli di revisione concordati",
            "Approvals take weeks",
            "entro il 16 dicembre 2026",
            "articolo 6, Approvazioni",
        ],
    },
    "termination_agreement": {
        "en": [
            "Agreement to end our contract by mutual consent on 9 December 2026",
            "The agreement ends on 9 December 2026",
            "2. The parties' reason: Budget moved in-house",
            "Monthly fee, December 2026",
            "For the Provider: Studio Aurora",
            "For the Client: Acme S.r.l.",
        ],
        "it": [
            "Accordo di risoluzione consensuale del contratto, che cessa il 9 dicembre 2026",
            "Il contratto cessa il giorno 9 dicembre 2026",
            "2. Motivo indicato dalle parti: Budget moved in-house",
            "Compenso mensile dicembre 2026",
            "Il Fornitore: Studio Aurora",
            "Il Cliente: Acme S.r.l.",
        ],
    },
    "termination_notice": {
        "en": [
            "Termination of our agreement for non-payment",
            "With our formal notice to pay of 20 November 2026 we gave you until 7 December 2026",
            "we hereby terminate our agreement of 25 September 2026 for non-payment. The agreement ends "
            "on the day you receive this letter.",
            "Invoices keep arriving late",
            "Monthly fee, December 2026",
            "to both accounts we managed for you",
            "clause 7, Termination and handover",
        ],
        "it": [
            "Risoluzione del contratto per mancato pagamento",
            "Con la nostra intimazione di pagamento del 20 novembre 2026 vi abbiamo assegnato un "
            "termine fino al 7 dicembre 2026",
            "risolviamo il nostro contratto del 25 settembre 2026 per mancato pagamento. Il contratto "
            "cessa il giorno in cui ricevete questa lettera.",
            "Invoices keep arriving late",
            "Compenso mensile dicembre 2026",
            "a entrambi gli account che abbiamo gestito per voi",
            "articolo 7, Recesso e passaggio di consegne",
        ],
    },
    "handover_checklist": {
        "en": [
            "Instagram @acme",
            "Transfer ownership",
            "Waived",
            "Client exported it already",
            "clause 7",
        ],
        "it": [
            "Instagram @acme",
            "Trasferire al cliente",
            "Non eseguita",
            "Client exported it already",
            "articolo 7",
        ],
    },
    "final_report": {
        "en": [
            "October 2026",
            "planning",
            "12 posts published",
            "9.5",
            "BON-1002",
            "12 November 2026",
            "€3,600.00",
            "10 days",
            "not answered yet",
            "clause 8",
        ],
        "it": [
            "ottobre 2026",
            "planning",
            "12 posts published",
            "9,5",
            "BON-1002",
            "12 novembre 2026",
            f"3.600,00{NBSP}€",
            "10 giorni",
            "nessuna risposta",
            "articolo 8",
        ],
    },
    "closing_record": {
        "en": ["Client exported it already", "1 step waived, with its recorded reason", "clause 8"],
        "it": ["Client exported it already", "1 attività non eseguita", "articolo 8"],
    },
    "formal_demand": {
        "en": ["within 15 days of receiving this letter, which we send you by", "clause 3, Payment"],
        "it": ["entro 15 giorni dalla ricezione della presente, che vi inviamo", "articolo 3, Pagamento"],
    },
    "credit_note": {
        "en": [
            "Credit note no. NC-2027-0001 – cancelling invoice no. 2026-0012",
            "which cancels invoice no. 2026-0012 of 25 November 2026 (Monthly fee, December 2026) for €1,200.00",
            "Reason for the cancellation: “Billed twice by mistake”.",
            "clause 3, Payment",
        ],
        "it": [
            "Nota di credito n. NC-2027-0001 – storno della fattura n. 2026-0012",
            "che storna la fattura n. 2026-0012 del 25 novembre 2026 (Compenso mensile dicembre 2026) per l'importo di 1.200,00 €",
            "Motivo dello storno: «Billed twice by mistake».",
            "articolo 3, Pagamento",
        ],
    },
    "statement": {
        "en": ["Statement of account as of 9 December 2026", "clause 3, Payment"],
        "it": ["Estratto conto al 9 dicembre 2026", "articolo 3, Pagamento"],
    },
}
NO_FEE = {
    "feedback_request",
    "feedback_reminder",
    "resume_notice",
    "conduct_warning",
    "final_notice",
    "portal_link",
}
UNSIGNED = {"final_report", "handover_checklist"}


def test_every_kind_has_expectations() -> None:
    assert set(EXPECTED) == DOCUMENT_KINDS


@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
def test_kind_renders_real_values(
    renderer: DocumentRenderer,
    request_for: Callable[..., DocumentRequest],
    kind: str,
    language: str,
) -> None:
    request = request_for(kind, language, late_payment_policy="require_prepayment")
    document = renderer.render(request)
    text = read_docx(document.content)
    expected = COMMON[language] + EXPECTED[kind][language]
    if kind not in NO_FEE:
        expected.append(FEE[language])
    if kind not in UNSIGNED:
        expected.append("Giulia Bianchi")
    missing = [value for value in expected if value not in text]
    assert not missing, f"{kind}/{language} lacks {missing}:\n{text}"
    assert "{{" not in text and "{%" not in text and "}}" not in text
    # The agreement is named by its date, never as "effective <start>": beside a termination's
    # own date that read as two effective dates (a demand seemed to end it on its first day).
    assert "agreement effective" not in text
    assert document.kind == kind and document.language == language
    assert document.filename == f"{renderer.kind_slug(kind, language)}.docx"
    assert document.filename.isascii()
    # The digests stored beside each document, recomputed here with hashlib over the bytes.
    assert document.sha256 == hashlib.sha256(document.content).hexdigest()
    template = (renderer.templates_dir / document.template_name).read_bytes()
    assert document.template_sha256 == hashlib.sha256(template).hexdigest()


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("en", "on the last day of each month"), ("it", "l'ultimo giorno di ogni mese")],
)
def test_contract_due_day_31_means_the_last_day(
    renderer: DocumentRenderer, language: str, phrase: str
) -> None:
    request = DocumentRequest(
        "contract", make_engagement(language, due_day=31), make_tenant(language), NOW, {}
    )
    assert phrase in read_docx(renderer.render(request).content)


def test_amendment_without_prepayment_restates_the_clause(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    text = read_docx(renderer.render(request_for("contract_amendment", "en")).content)
    assert "Each monthly invoice is due on the 1st of each month" in text
    assert "1st day of the month it covers" not in text


def test_rendering_is_deterministic_in_content(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    first = read_docx(renderer.render(request_for("payment_reminder")).content)
    assert first == read_docx(renderer.render(request_for("payment_reminder")).content)
