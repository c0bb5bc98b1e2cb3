"""Ending for a silent client, and ending by agreement, through the API on both backends (issue
30, items 6 and 8). A silent client is ended by one of two paths the user chooses with the final
notice: a formal demand naming the missing feedback as the breach, only when the contract makes
timely feedback essential, or a withdrawal with the contract's notice period; never both, never
"giusta causa". A mutual ending is an agreement both parties sign, with one end date, never
before the start, and no payment request when nothing is owed. Dates are worked out by hand."""

from __future__ import annotations

import pytest

from tests.api.test_formal_demand import IBAN
from tests.api.test_offboarding_journeys import document_text, fire_ok
from tests.api.test_termination import silent_client
from tests.conftest import Api, FakeClock


def body_of(letter: str) -> str:
    """The letter's own words: before the citation that quotes the contract's clause."""
    return letter.split("Riferimento:")[0].split("Reference:")[0]


ESSENTIAL = {
    "feedback_terms": {"response_days": 3, "reminders_before_offboarding": 2, "feedback_essential": True}
}
GB = {"language": "en", "jurisdiction": "GB", "currency": "GBP"}


def test_the_essential_feedback_clause_is_in_the_contract_only_when_agreed(api: Api) -> None:
    plain = api.create_engagement()
    assert plain["feedback_terms"]["feedback_essential"] is False
    assert "Essenzialità dei riscontri" not in document_text(api, plain["id"], "contract")
    essential = api.create_engagement(**ESSENTIAL)
    assert essential["feedback_terms"]["feedback_essential"] is True
    contract = document_text(api, essential["id"], "contract")
    assert (
        "Articolo 6 – Essenzialità dei riscontri" in contract or "6. Essenzialità dei riscontri" in contract
    )
    assert "non è di scarsa importanza ai sensi dell'art. 1455 del codice civile" in contract
    assert "art. 6 (Essenzialità dei riscontri)" in contract  # approved specifically (art. 1341 c.c.)


def test_a_formal_demand_for_feedback_needs_the_essential_clause(api: Api, clock: FakeClock) -> None:
    eid = silent_client(api, clock)
    refused = api.fire(eid, "send_final_notice", path="formal_demand")
    assert refused.status_code == 422
    assert refused.json["blocked_by"] == [
        "Il contratto non rende essenziali i riscontri del cliente (feedback_terms.feedback_essential): "
        "il suo silenzio non è un inadempimento su cui fondare una diffida. Inviate l'ultimo avviso con "
        "il percorso del recesso (path withdrawal)."
    ]


def test_a_formal_demand_for_feedback_gives_at_least_fifteen_days(api: Api, clock: FakeClock) -> None:
    eid = silent_client(api, clock, **ESSENTIAL)
    refused = api.fire(eid, "send_final_notice", path="formal_demand", days=14)
    assert refused.status_code == 422
    assert refused.json["blocked_by"] == [
        "Una diffida per il riscontro mancante concede al cliente almeno 15 giorni dalla ricezione; "
        "il termine indicato (14) è troppo breve."
    ]


def test_the_withdrawal_path_claims_no_breach_and_ends_after_the_notice_period(
    api: Api, clock: FakeClock
) -> None:
    eid = silent_client(api, clock)  # Fri 11 December: final notice until Fri 18
    fire_ok(api, eid, "send_final_notice")
    clock.advance(days=8)  # Sat 19 December + 15 days: Sun 3 January 2027
    ended = fire_ok(api, eid, "begin_offboarding", reason="unresponsive")
    assert ended["event"]["payload"]["ends_on"] == "2027-01-03"
    assert ended["event"]["payload"]["final_notice_path"] == "withdrawal"
    for kind in ("final_notice", "termination_notice"):
        letter = body_of(document_text(api, eid, kind))
        for claim in ("inadempimento", "giusta causa", "risolto", "risoluzione"):
            assert claim not in letter.lower(), (kind, letter)


def test_the_italian_formal_demand_path_ends_the_contract_by_law(api: Api, clock: FakeClock) -> None:
    eid = silent_client(api, clock, **ESSENTIAL)
    # Fri 11 December + 15 days: Sat 26 December, Santo Stefano; the next working day is Mon 28.
    sent = fire_ok(api, eid, "send_final_notice", path="formal_demand")
    assert sent["event"]["payload"]["final_notice_deadline"] == "2026-12-28"
    demand = document_text(api, eid, "final_notice")
    assert "Oggetto: Diffida ad adempiere ai sensi dell'art. 1454 del codice civile" in demand
    assert (
        "vi diffidiamo ai sensi dell'art. 1454 del codice civile a fornirci il riscontro richiesto entro "
        "15 giorni dalla ricezione, con l'avvertenza che, decorso inutilmente tale termine, il contratto "
        "si intenderà senz'altro risolto di diritto." in demand
    )
    assert "L'articolo 6 del contratto rende la risposta" in demand
    assert "Riferimento: articolo 6, Essenzialità dei riscontri" in demand
    assert "recesso" not in demand

    clock.advance(days=17)  # Mon 28 December: the client's last day
    assert api.fire(eid, "begin_offboarding", reason="unresponsive").status_code == 422
    clock.advance(days=1)
    ended = fire_ok(api, eid, "begin_offboarding", reason="unresponsive")
    assert ended["event"]["payload"]["ends_on"] == "2026-12-28"
    assert "notice_days" not in ended["event"]["payload"]
    notice = body_of(document_text(api, eid, "termination_notice"))
    assert "Oggetto: Risoluzione di diritto del contratto ai sensi dell'art. 1454 del codice civile" in notice
    assert "Con la nostra diffida dell'11 dicembre 2026 vi avevamo intimato" in notice
    assert "si è quindi risolto di diritto alla scadenza di quel termine, il 28 dicembre 2026" in notice
    for other_path in ("recesso", "giusta causa", "preavviso"):
        assert other_path not in notice, notice


def test_the_english_formal_demand_path_terminates_for_breach_of_a_condition(
    api: Api, clock: FakeClock
) -> None:
    eid = silent_client(api, clock, 3, **GB, **ESSENTIAL)
    # Thu 10 December + 15 days: Fri 25 December; Christmas, then Boxing Day's substitute Mon 28.
    sent = fire_ok(api, eid, "send_final_notice", path="formal_demand")
    assert sent["event"]["payload"]["final_notice_deadline"] == "2026-12-29"
    demand = document_text(api, eid, "final_notice")
    assert "a condition of the agreement, and time is of the essence for it" in demand
    assert "1454" not in demand
    clock.advance(days=20)  # Wed 30 December
    fire_ok(api, eid, "begin_offboarding", reason="unresponsive")
    notice = body_of(document_text(api, eid, "termination_notice"))
    assert "Termination of our agreement for breach of clause 6" in notice
    assert "we hereby terminate our agreement of 1 December 2026 for breach of that condition" in notice
    assert "The agreement ends on the day you receive this letter." in notice
    assert "notice period" not in notice


def test_a_mutual_ending_before_the_start_is_an_agreement_ending_on_the_start_day(
    api: Api, clock: FakeClock
) -> None:
    assert api.patch("/v1/tenant", json={"iban": IBAN}).status_code == 200
    eid = api.create_engagement(start_date="2027-03-01")["id"]
    clock.advance(days=71)  # Wed 10 February 2027: before the contract starts
    ended = fire_ok(api, eid, "begin_offboarding", reason="mutual", explanation="Budget moved in-house")
    assert ended["event"]["payload"]["ends_on"] == "2027-03-01"
    kinds = [d["kind"] for d in ended["documents"]]
    assert "termination_agreement" in kinds and "termination_notice" not in kinds
    agreement = document_text(api, eid, "termination_agreement")
    assert "Il contratto cessa il giorno 1° marzo 2027" in agreement
    assert "il presente accordo non comporta alcun pagamento a carico del Cliente" in agreement
    for request in ("IBAN", "bonifico", "importo da saldare"):
        assert request not in agreement, agreement
    assert "Per accettazione, le parti" in agreement
    assert "Il Fornitore: Studio Bianchi" in agreement and "Il Cliente: Bottega Rossi S.r.l." in agreement
    report = document_text(api, eid, "final_report")
    assert "cessa il giorno 1° marzo 2027 senza che il lavoro sia iniziato" in report


def test_a_mutual_ending_lists_what_is_owed_with_the_bank_details(api: Api, clock: FakeClock) -> None:
    assert api.patch("/v1/tenant", json={"iban": IBAN}).status_code == 200
    eid = api.create_engagement(**GB)["id"]  # December's fee, due 1 December, unpaid
    clock.advance(days=2)  # Thu 3 December
    ended = fire_ok(api, eid, "begin_offboarding", reason="mutual", explanation="Budget moved in-house")
    assert ended["event"]["payload"]["ends_on"] == "2026-12-03"
    agreement = document_text(api, eid, "termination_agreement")
    assert "Agreement to end our contract by mutual consent on 3 December 2026" in agreement
    assert "The agreement ends on 3 December 2026" in agreement
    assert "3. The Client still owes the following amounts, for a total of £1,200.00:" in agreement
    assert "Please pay by bank transfer" in agreement
    assert (
        "For the Provider: Studio Bianchi" in agreement
        and "For the Client: Bottega Rossi S.r.l." in agreement
    )


@pytest.mark.parametrize("path", ["withdrawal", "formal_demand"])
def test_the_essential_clause_is_fixed_at_creation(api: Api, path: str) -> None:
    eid = api.create_engagement()["id"]
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    changed = api.patch(
        f"/v1/engagements/{eid}",
        json={"effective_on": "2026-12-15", "feedback_terms": {"feedback_essential": True}},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 422
    assert "feedback_terms.feedback_essential" in changed.json["errors"]
