"""The contract's termination articles and the termination notice per ground, read back from the
Word file in both languages: a *recesso* with one end date for other and for a silent client on
the withdrawal path, a termination under a formal demand for the feedback the contract makes
essential, a declaration of termination for breach citing the earlier letter otherwise (never
"giusta causa"), an express termination clause that cites Italian law only for Italian
engagements, and the mutual ending as an agreement both parties sign."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from conftest import NOW, make_engagement, make_tenant, payload_for, read_docx

from service.documents import DocumentRenderer, DocumentRequest


@pytest.fixture(scope="module")
def renderer() -> DocumentRenderer:
    return DocumentRenderer()


def render(
    renderer: DocumentRenderer, kind: str, language: str, payload: dict[str, Any], **terms: Any
) -> str:
    engagement = make_engagement(language, **terms)
    request = DocumentRequest(kind, engagement, make_tenant(language), NOW, payload)
    return read_docx(renderer.render(request).content).replace("\xa0", " ")


def notice(**payload: Any) -> dict[str, Any]:
    return {
        **payload_for("termination_notice"),
        "formal_demand_on": None,
        "formal_demand_deadline": None,
        **payload,
    }


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            "it",
            [
                "Recesso dal contratto, che cessa il 24 dicembre 2026",
                "vi comunichiamo il nostro recesso dal contratto del 25 settembre 2026, con il preavviso di "
                "15 giorni previsto dall'articolo 7. Il contratto cessa il giorno 24 dicembre 2026, "
                "ultimo giorno del preavviso.",
                "Concludiamo l'incarico per il motivo illustrato di seguito.",
            ],
        ),
        (
            "en",
            [
                "Notice of termination: our agreement ends on 24 December 2026",
                "we give notice that we are ending our agreement of 25 September 2026, with the notice of "
                "15 days that clause 7 provides. The agreement ends on 24 December 2026, the last day "
                "of the notice period.",
                "We are ending the engagement for the reason explained below.",
            ],
        ),
    ],
)
def test_a_withdrawal_is_a_recesso_with_one_end_date(
    renderer: DocumentRenderer, language: str, says: list[str]
) -> None:
    text = render(
        renderer,
        "termination_notice",
        language,
        notice(reason="other", ends_on="2026-12-24", notice_days="15"),
    )
    for words in says:
        assert words in text, text
    # One date the contract ends; the letter's own date (9 December) is not called an effect.
    assert "con effetto dal" not in text and "with effect from" not in text
    assert "risolto" not in text and "for your breach" not in text


@pytest.mark.parametrize(
    ("language", "reason", "payload", "says"),
    [
        (
            "it",
            "controlling",
            {"conduct_warned_on": "2026-11-25", "comply_by": "2026-12-02"},
            [
                "Risoluzione del contratto per inadempimento",
                "dichiariamo risolto per vostro inadempimento il nostro contratto del 25 settembre 2026. "
                "Il contratto cessa il giorno in cui ricevete questa lettera.",
                "Con la nostra comunicazione del 25 novembre 2026 vi avevamo chiesto di tornare",
            ],
        ),
        (
            "en",
            "controlling",
            {"conduct_warned_on": "2026-11-25", "comply_by": "2026-12-02"},
            [
                "Termination of our agreement for breach",
                "we terminate our agreement of 25 September 2026 for your breach. The agreement ends on "
                "the day you receive this letter.",
                "In our notice of 25 November 2026 we asked you to return, by 2 December 2026",
            ],
        ),
    ],
)
def test_conduct_grounds_are_a_termination_for_breach_citing_the_earlier_letter(
    renderer: DocumentRenderer, language: str, reason: str, payload: dict[str, Any], says: list[str]
) -> None:
    text = render(renderer, "termination_notice", language, notice(reason=reason, **payload))
    for words in says:
        assert words in text, text
    assert "recesso dal contratto del" not in text and "give notice that we are ending" not in text
    assert "giusta causa" not in text  # a ground the contract does not define


@pytest.mark.parametrize(
    ("language", "jurisdiction", "says"),
    [
        (
            "it",
            "IT",
            [
                "Risoluzione di diritto del contratto ai sensi dell'art. 1454 del codice civile",
                "Con la nostra diffida del 1° dicembre 2026 vi avevamo intimato, ai sensi dell'art. 1454 "
                "del codice civile, di fornirci entro il 16 dicembre 2026 il riscontro richiesto, che "
                "l'articolo 6 del contratto rende vostra obbligazione essenziale",
                "si è quindi risolto di diritto alla scadenza di quel termine, il 16 dicembre 2026",
            ],
        ),
        (
            "en",
            "IT",
            [
                "Termination of our agreement by law under article 1454 of the Italian Civil Code",
                "which clause 6 of our agreement makes your essential obligation",
                "so our agreement of 25 September 2026 was terminated by law on 16 December 2026.",
            ],
        ),
        (
            "it",
            "GB",
            [
                "Risoluzione del contratto per inadempimento dell'articolo 6",
                "che l'articolo 6 del contratto rende condizione essenziale",
                "Il contratto cessa il giorno in cui ricevete questa lettera.",
            ],
        ),
        (
            "en",
            "GB",
            [
                "Termination of our agreement for breach of clause 6",
                "which clause 6 of our agreement makes a condition of it",
                "The agreement ends on the day you receive this letter.",
            ],
        ),
    ],
)
def test_a_silent_client_under_a_formal_demand_for_feedback_is_ended_for_that_breach_only(
    renderer: DocumentRenderer, language: str, jurisdiction: str, says: list[str]
) -> None:
    payload = notice(
        reason="unresponsive",
        final_notice_path="formal_demand",
        final_notice_on="2026-12-01",
        final_notice_deadline="2026-12-16",
    )
    text = render(
        renderer, "termination_notice", language, payload, feedback_essential=True, jurisdiction=jurisdiction
    )
    for words in says:
        assert words in text, text
    body = text.split("Riferimento:")[0].split("Reference:")[0]
    for other_path in ("recesso", "giusta causa", "notice period", "preavviso"):
        assert other_path not in body, body


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            "it",
            [
                "Oggetto: Accordo di risoluzione consensuale del contratto, che cessa il 9 dicembre 2026",
                "Le parti sciolgono di comune accordo, ai sensi dell'art. 1372 del codice civile",
                "2. Motivo indicato dalle parti: Budget moved in-house",
                "3. Restano dovute dal Cliente",
                "Per accettazione, le parti",
                "Il Fornitore: Studio Aurora",
                "Il Cliente: Acme S.r.l.",
            ],
        ),
        (
            "en",
            [
                "Subject: Agreement to end our contract by mutual consent on 9 December 2026",
                "1. The parties end by mutual consent the social media management agreement signed on "
                "25 September 2026, which runs from 1 October 2026.",
                "3. The Client still owes",
                "Signed by both parties",
                "For the Provider: Studio Aurora",
                "For the Client: Acme S.r.l.",
            ],
        ),
    ],
)
def test_a_mutual_ending_is_an_agreement_both_parties_sign(
    renderer: DocumentRenderer, language: str, says: list[str]
) -> None:
    text = render(renderer, "termination_agreement", language, payload_for("termination_agreement"))
    for words in says:
        assert words in text, text
    assert "recesso" not in text.lower() or "Recesso e passaggio" in text  # only the clause's title


@pytest.mark.parametrize(
    ("language", "says"),
    [
        (
            "it",
            [
                "Risoluzione di diritto del contratto ai sensi dell'art. 1454 del codice civile",
                "si è pertanto risolto di diritto, ai sensi dell'art. 1454 del codice civile, alla "
                "scadenza del termine, il 7 dicembre 2026",
            ],
        ),
        (
            "en",
            [
                "Termination of our agreement by law under article 1454 of the Italian Civil Code",
                "was terminated by law under article 1454 of the Italian Civil Code when the term "
                "expired, on 7 December 2026",
            ],
        ),
    ],
)
def test_after_an_italian_demand_the_letter_records_a_termination_by_law(
    renderer: DocumentRenderer, language: str, says: list[str]
) -> None:
    payload = notice(reason="non_payment", formal_demand_on="2026-11-20", formal_demand_deadline="2026-12-07")
    text = render(renderer, "termination_notice", language, payload, jurisdiction="IT")
    for words in says:
        assert words in text, text
    assert "recesso" not in text.lower().replace("recesso e passaggio", "")


@pytest.mark.parametrize(
    ("jurisdiction", "language", "clause", "letter"),
    [
        (
            "IT",
            "it",
            "Ai sensi dell'art. 1456 del codice civile, il Fornitore può risolvere",
            "clausola risolutiva espressa di cui all'articolo 10 del nostro contratto (art. 1456",
        ),
        (
            "GB",
            "en",
            "The Provider may terminate this agreement by written notice to the Client if an invoice "
            "remains unpaid 7 days after its due date.",
            "we hereby terminate our agreement of 25 September 2026, as clause 10 allows",
        ),
        (
            "EU",
            "it",
            "Il Fornitore può porre fine al presente contratto con comunicazione scritta al Cliente se "
            "una fattura resta insoluta 7 giorni dopo la scadenza.",
            "poniamo fine al nostro contratto del 25 settembre 2026, come ci consente l'articolo 10",
        ),
    ],
)
def test_the_express_clause_cites_italian_law_only_in_italy(
    renderer: DocumentRenderer, jurisdiction: str, language: str, clause: str, letter: str
) -> None:
    terms = {"jurisdiction": jurisdiction, "express_termination": True}
    contract = render(renderer, "contract", language, {}, **terms)
    assert clause in contract, contract
    ended = render(
        renderer,
        "termination_notice",
        language,
        notice(reason="non_payment", express_termination=True),
        **terms,
    )
    assert letter in ended, ended
    if jurisdiction != "IT":
        assert "1456" not in contract and "1456" not in ended
        # An Italian-language contract keeps the art. 1341-1342 approval (its provider may well
        # be under Italian law); no clause of the express termination cites the code.
        assert "Civil Code" not in contract and "1456 del codice civile" not in contract


@pytest.mark.parametrize(
    ("language", "notice_period", "fee_runs", "prepayment"),
    [
        (
            "it",
            "con un preavviso di 30 giorni, anche prima della scadenza del periodo in corso indicato "
            "all'articolo 11: il contratto cessa l'ultimo giorno del preavviso",
            "Durante la sospensione il contratto resta in vigore e il compenso mensile continua a essere "
            "fatturato alle scadenze concordate",
            "10. Pagamento anticipato dopo un ritardo",
        ),
        (
            "en",
            "given 30 days in advance, also before the end of the current period set in clause 11: "
            "the agreement ends on the last day of the notice period",
            "During the suspension the agreement stays in force and the monthly fee continues to be "
            "invoiced on the agreed dates",
            "10. Payment in advance after a late payment",
        ),
    ],
)
def test_the_contract_states_notice_period_fee_during_suspension_and_prepayment(
    renderer: DocumentRenderer, language: str, notice_period: str, fee_runs: str, prepayment: str
) -> None:
    terms = {"termination_notice_days": 30, "late_payment_policy": "require_prepayment"}
    contract = " ".join(render(renderer, "contract", language, {}, **terms).split())
    for words in (notice_period, fee_runs, prepayment):
        assert words in contract, contract
    plain = render(renderer, "contract", language, {}, termination_notice_days=30)
    assert prepayment.split(". ", 1)[1] not in plain  # the clause only under that policy


@pytest.mark.parametrize(
    ("language", "citation", "handover"),
    [
        (
            "it",
            "Riferimento: articolo 10, Clausola risolutiva espressa, del nostro contratto del 25 settembre 2026.",
            "Come previsto dall'articolo 7 del contratto, vi consegneremo il pieno accesso",
        ),
        (
            "en",
            "Reference: clause 10, Express termination clause, of our agreement of 25 September 2026.",
            "As clause 7 of our agreement provides, we will give full access",
        ),
    ],
)
def test_an_art_1456_termination_cites_the_express_termination_clause(
    renderer: DocumentRenderer, language: str, citation: str, handover: str
) -> None:
    """Issue 30, list 9: the letter's reference was art. 7 (withdrawal at any time), the clause a
    termination under art. 1456 c.c. does not rest on. The number is the contract's own."""
    terms = {"jurisdiction": "IT", "express_termination": True}
    contract = render(renderer, "contract", language, {}, **terms)
    title = {"it": "Clausola risolutiva espressa", "en": "Express termination clause"}[language]
    assert f"\n10. {title}" in contract, contract
    ended = render(
        renderer,
        "termination_notice",
        language,
        notice(reason="non_payment", express_termination=True),
        **terms,
    )
    assert citation in ended, ended
    assert handover in ended, ended  # the handover is still promised under its own clause
    assert "articolo 7, Recesso" not in ended and "clause 7, Termination" not in ended


GROUNDS = {
    "other": notice(reason="other", ends_on="2026-12-24", notice_days="15"),
    "breach": notice(reason="controlling"),
    "express": notice(reason="non_payment", express_termination=True),
    "demand": notice(reason="non_payment"),
    "feedback": notice(
        reason="unresponsive",
        final_notice_path="formal_demand",
        final_notice_on="2026-12-01",
        final_notice_deadline="2026-12-16",
    ),
}


@pytest.mark.parametrize("jurisdiction", ["IT", "GB"])
@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("ground", sorted(GROUNDS))
def test_every_termination_cites_the_contract_by_the_day_it_was_made(
    renderer: DocumentRenderer, ground: str, language: str, jurisdiction: str
) -> None:
    """Issue 30, list 9: the termination notices said "il contratto del 1° ottobre 2026" (its
    start), while the contract and every other letter name it by the day it was made."""
    terms: dict[str, Any] = {"jurisdiction": jurisdiction, "express_termination": ground == "express"}
    if ground == "feedback":
        terms["feedback_essential"] = True
    text = render(renderer, "termination_notice", language, GROUNDS[ground], **terms)
    made = {"it": "contratto del 25 settembre 2026", "en": "agreement of 25 September 2026"}[language]
    started = {"it": "contratto del 1° ottobre 2026", "en": "agreement of 1 October 2026"}[language]
    assert made in text and started not in text, text


@pytest.mark.parametrize(
    ("language", "owed", "later"),
    [
        (
            "it",
            "Restano da saldare i seguenti importi, per un totale di 1.200,00 €:",
            "La fattura seguente non è ancora scaduta e resta dovuta alla sua scadenza:\n"
            "Compenso mensile gennaio 2027: in scadenza il 1° gennaio 2027, importo 1.200,00 €",
        ),
        (
            "en",
            "The following amounts are still owed, for a total of €1,200.00:",
            "The following invoice is not yet due and remains payable when it falls due:\n"
            "Monthly fee, January 2027: to fall due on 1 January 2027, €1,200.00",
        ),
    ],
)
def test_an_invoice_not_yet_due_is_not_listed_as_outstanding(
    renderer: DocumentRenderer, language: str, owed: str, later: str
) -> None:
    """Issue 30, list 9: the January invoice, issued but due on 1 January, was listed among the
    amounts outstanding on 9 December. It is named apart, still owed when it falls due: the
    ending brings no due date forward, and leaving it out could read as giving it up."""
    engagement = make_engagement(language)
    january = replace(engagement.invoices[-1], due_on=date(2027, 1, 1), period="2027-01", id=13)
    engagement.invoices.append(january)
    request = DocumentRequest(
        "termination_notice", engagement, make_tenant(language), NOW, notice(reason="non_payment")
    )
    text = read_docx(renderer.render(request).content).replace("\xa0", " ")
    assert owed in text and later in text, text
    outstanding = text.split(owed)[1].split(later)[0]
    assert "2027" not in outstanding, outstanding  # January is not among the amounts owed now


@pytest.mark.parametrize(
    ("language", "withdrawal", "term"),
    [
        (
            "it",
            "con un preavviso di 15 giorni, anche prima della scadenza del periodo in corso indicato "
            "all'articolo 10: il contratto cessa",
            "e salvo il recesso con preavviso previsto dall'articolo 7.",
        ),
        (
            "en",
            "given 15 days in advance, also before the end of the current period set in clause 10:",
            "This does not affect the right to end it on notice under clause 7.",
        ),
    ],
)
def test_the_withdrawal_and_the_twelve_month_term_cite_each_other(
    renderer: DocumentRenderer, language: str, withdrawal: str, term: str
) -> None:
    """Issue 30, list 9: art. 7 (withdrawal at any time on notice) pulled against art. 10-11 (a
    twelve-month term); each now names the other, by the contract's own numbers."""
    contract = " ".join(render(renderer, "contract", language, {}).split())
    assert withdrawal in contract and term in contract, contract
