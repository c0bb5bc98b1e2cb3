"""The contract's termination articles and the termination notice per ground, read back from the
Word file in both languages: a *recesso* with one end date for mutual and other, a declaration
of termination for breach citing the earlier letter otherwise, and an express termination
clause that cites Italian law only for Italian engagements."""

from __future__ import annotations

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
                "vi comunichiamo il nostro recesso dal contratto del 1° ottobre 2026, con il preavviso di "
                "15 giorni previsto dall'articolo 7. Il contratto cessa il giorno 24 dicembre 2026, "
                "ultimo giorno del preavviso.",
                "Concludiamo l'incarico di comune accordo.",
            ],
        ),
        (
            "en",
            [
                "Notice of termination: our agreement ends on 24 December 2026",
                "we give notice that we are ending our agreement of 1 October 2026, with the notice of "
                "15 days that clause 7 provides. The agreement ends on 24 December 2026, the last day "
                "of the notice period.",
                "We are ending the engagement by mutual agreement.",
            ],
        ),
    ],
)
def test_a_mutual_ending_is_a_recesso_with_one_end_date(
    renderer: DocumentRenderer, language: str, says: list[str]
) -> None:
    text = render(
        renderer,
        "termination_notice",
        language,
        notice(reason="mutual", ends_on="2026-12-24", notice_days="15"),
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
            "unresponsive",
            {"final_notice_on": "2026-12-01", "final_notice_deadline": "2026-12-09"},
            [
                "Risoluzione del contratto per inadempimento",
                "dichiariamo risolto per vostro inadempimento il nostro contratto del 1° ottobre 2026",
                "Il contratto cessa il giorno in cui ricevete questa lettera.",
                "Con il nostro ultimo avviso del 1° dicembre 2026 vi avevamo chiesto una risposta entro "
                "il 9 dicembre 2026",
            ],
        ),
        (
            "en",
            "controlling",
            {"conduct_warned_on": "2026-11-25", "comply_by": "2026-12-02"},
            [
                "Termination of our agreement for breach",
                "we terminate our agreement of 1 October 2026 for your breach. The agreement ends on "
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
            "we hereby terminate our agreement of 1 October 2026, as clause 10 allows",
        ),
        (
            "EU",
            "it",
            "Il Fornitore può porre fine al presente contratto con comunicazione scritta al Cliente se "
            "una fattura resta insoluta 7 giorni dopo la scadenza.",
            "poniamo fine al nostro contratto del 1° ottobre 2026, come ci consente l'articolo 10",
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
            "con un preavviso di 30 giorni: il contratto cessa l'ultimo giorno del preavviso",
            "Durante la sospensione il contratto resta in vigore e il compenso mensile continua a essere "
            "fatturato alle scadenze concordate",
            "10. Pagamento anticipato dopo un ritardo",
        ),
        (
            "en",
            "given 30 days in advance: the agreement ends on the last day of the notice period",
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
