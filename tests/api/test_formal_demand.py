"""The formal demand in the ladder, told as a sandbox story in Italian and in English: overdue,
paused, a demand whose deadline falls on a holiday and moves to the next working day, ending for
non-payment refused before that deadline and accepted after it, and a termination notice that
cites the demand. Dates and sentences are written out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_offboarding_journeys import document_text
from tests.conftest import Api, FakeClock, engagement_body

IBAN = "IT60X0542811101000000123456"


def tick(api: Api, as_of: str) -> None:
    response = api.post("/v1/clock/tick", json={"as_of": as_of})
    assert response.status_code == 200, response.json


def state(api: Api, eid: int) -> str:
    return api.get(f"/v1/engagements/{eid}").json["state"]


STORIES = [
    pytest.param(
        {
            "language": "it",
            "jurisdiction": "IT",
            "currency": "EUR",
            "demand_day": "2026-12-10",
            # 10 Dec + 15 days = Fri 25 Dec (Christmas); Sat 26 (Santo Stefano), Sun 27: Mon 28.
            "deadline": "2026-12-28",
            "too_short": 14,
            # An Italian engagement is refused in Italian (issue 16).
            "too_short_says": "Una diffida secondo la legge della giurisdizione IT concede al cliente almeno "
            "15 giorni per pagare; il termine indicato (14) è troppo breve.",
            "running_says": "La diffida del 10 dicembre 2026 concede al cliente tempo fino al 28 dicembre 2026 per pagare; "
            "l'incarico può concludersi per mancato pagamento dal 29 dicembre 2026.",
            "demand_says": [
                # 9 days (2-10 Dec) at 2.40 + 8 = 10.40 % on 1,200.00 = 3.08; plus the fixed 40.00.
                "Diffida ad adempiere – pagamento di 1.243,08 € entro 15 giorni dalla ricezione",
                # Its term runs from receipt (issue 30): the letter names how it is sent.
                "entro 15 giorni dalla ricezione della presente, che vi inviamo per e-mail all'indirizzo",
                "il termine scade il primo giorno lavorativo successivo",
                "ai sensi dell'art. 1454 del codice civile",
                "Fattura n. 2026-0001 (Compenso mensile dicembre 2026): 1.200,00 € con scadenza",
                "totale dovuto 1.243,08 €",
                f"IBAN {IBAN}",
            ],
            "notice_says": (
                "Con la nostra diffida ad adempiere del 10 dicembre 2026 vi abbiamo assegnato un termine "
                "fino al 28 dicembre 2026"
            ),
        },
        id="it",
    ),
    pytest.param(
        {
            "language": "en",
            "jurisdiction": "GB",
            "currency": "GBP",
            "demand_day": "2026-12-11",
            # 11 Dec + 14 days = Fri 25 Dec (Christmas); Sat 26, Sun 27, Mon 28 (Boxing Day
            # substitute bank holiday in England and Wales): Tue 29.
            "deadline": "2026-12-29",
            "too_short": 13,
            "too_short_says": "under GB law gives the client at least 14 days to pay; 13 is too few.",
            "running_says": "The formal demand of 2026-12-11 gives the client until 2026-12-29 to pay; "
            "the engagement can end for non-payment from 2026-12-30.",
            "demand_says": [
                # 10 days (2-11 Dec) at 3.75 + 8 = 11.75 % (Bank Rate on 30 June 2026)
                # on 1,200.00 = 3.86; plus the fixed 70.00 for a debt from 1,000 to 9,999.99.
                "Letter before action – £1,273.86 to be paid within 14 days of receipt",
                "within 14 days of receiving this letter, which we send you by e-mail to",
                "the term ends on the next working day",
                "may start court proceedings to recover the debt",
                "fixed compensation £70.00",
                f"IBAN {IBAN}",
            ],
            "notice_says": (
                "Our letter before action of 11 December 2026 gave you until 29 December 2026 to pay"
            ),
        },
        id="en",
    ),
]


@pytest.mark.parametrize("story", STORIES)
def test_a_demand_on_a_holiday_moves_and_ending_for_non_payment_waits_for_it(
    sandbox_api: Api, story: dict[str, Any]
) -> None:
    api = sandbox_api
    assert api.patch("/v1/tenant", json={"iban": IBAN}).status_code == 200
    eid = api.create_engagement(
        language=story["language"], jurisdiction=story["jurisdiction"], currency=story["currency"]
    )["id"]
    tick(api, f"{story['demand_day']}T09:00:00Z")  # overdue on 2 Dec, paused on 9 Dec
    assert state(api, eid) == "paused"

    too_short = api.fire(eid, "send_formal_demand", days=story["too_short"])
    assert too_short.status_code == 422
    assert any(story["too_short_says"] in r for r in too_short.json["blocked_by"])

    sent = api.fire(eid, "send_formal_demand")
    assert sent.status_code == 200, sent.json
    assert sent.json["engagement"]["state"] == "paused"
    assert sent.json["event"]["payload"]["deadline"] == story["deadline"]
    demand = document_text(api, eid, "formal_demand").replace("\xa0", " ")  # Babel's spaces
    for words in story["demand_says"]:
        assert words in demand, demand

    tick(api, f"{story['deadline']}T09:00:00Z")  # the deadline's own day: still the client's
    early = api.fire(eid, "begin_offboarding", reason="non_payment")
    assert early.status_code == 422
    first_day = {"2026-12-28": "2026-12-29", "2026-12-29": "2026-12-30"}[story["deadline"]]
    assert story["running_says"] in early.json["blocked_by"]

    tick(api, f"{first_day}T09:00:00Z")
    ended = api.fire(eid, "begin_offboarding", reason="non_payment")
    assert ended.status_code == 200, ended.json
    assert story["notice_says"] in document_text(api, eid, "termination_notice")


def test_the_express_termination_clause_is_its_own_article_and_ends_without_a_demand(
    api: Api, clock: FakeClock
) -> None:
    eid = api.create_engagement(payment_terms={"due_day": 1, "grace_days": 7, "express_termination": True})[
        "id"
    ]
    contract = document_text(api, eid, "contract")
    assert "Clausola risolutiva espressa" in contract
    assert "Ai sensi dell'art. 1456 del codice civile, il Fornitore può risolvere" in contract
    clock.advance(days=8)  # 9 Dec: overdue since 2 Dec, grace over
    api.post("/v1/clock/tick")
    assert state(api, eid) == "paused"

    ended = api.fire(eid, "begin_offboarding", reason="non_payment")

    assert ended.status_code == 200, ended.json
    assert ended.json["event"]["payload"]["express_termination"] is True
    notice = document_text(api, eid, "termination_notice")
    # The clause is article 10 (after late payment), governing law moves to 11.
    assert "dichiariamo di volerci valere della clausola risolutiva espressa di cui all'articolo 10" in notice


def test_without_the_clause_the_contract_has_none_and_ending_needs_a_demand(
    api: Api, clock: FakeClock
) -> None:
    eid = api.create_engagement()["id"]
    assert "risolutiva espressa" not in document_text(api, eid, "contract")
    clock.advance(days=8)
    api.post("/v1/clock/tick")
    refused = api.fire(eid, "begin_offboarding", reason="non_payment")
    assert refused.status_code == 422
    assert refused.json["blocked_by"] == [
        "Inviate prima una diffida (send_formal_demand): per concludere l'incarico per mancato pagamento "
        "il suo termine, di almeno 15 giorni, deve decorrere senza pagamento."
    ]


@pytest.mark.parametrize("value", [1, 0, "true", "yes", None])
def test_the_clause_is_true_or_false_nothing_else(api: Api, value: object) -> None:
    body = engagement_body(payment_terms={"due_day": 1, "express_termination": value})
    response = api.post("/v1/engagements", json=body)
    assert response.status_code == 422
    assert "payment_terms.express_termination" in response.json["errors"]


def test_the_clause_cannot_be_added_by_an_amendment(api: Api) -> None:
    eid = api.create_engagement()["id"]
    response = api.patch(
        f"/v1/engagements/{eid}",
        json={"effective_on": "2026-12-01", "payment_terms": {"express_termination": True}},
    )
    assert response.status_code == 422
    # said in the Italian engagement's language (api/field_wording.py)
    assert response.json["errors"] == {"payment_terms.express_termination": ["Campo sconosciuto."]}
    assert api.get(f"/v1/engagements/{eid}").json["payment_terms"]["express_termination"] is False
