"""Issue 30, item 1: an amendment is a proposal until the client accepts it, keeps the
contract's numbering, quotes the full replacement text, and binds from 00:00 of its day."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import docx

from tests.conftest import Api, FakeClock

# The issue's own PATCH: fee, due day and the prepayment policy, from 1 March 2027.
ISSUE_PATCH = {
    "monthly_fee": "1350.00",
    "payment_terms": {"due_day": 10, "late_payment_policy": "require_prepayment"},
    "effective_on": "2027-03-01",
}


def _patch(api: Api, eid: int, body: dict[str, Any]) -> Any:
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    return api.patch(f"/v1/engagements/{eid}", json=body, headers={"If-Match": etag})


def _text(api: Api, document_id: int) -> str:
    document = docx.Document(BytesIO(api.get(f"/v1/documents/{document_id}/content").data))
    return "\n".join(p.text for p in document.paragraphs).replace("\xa0", " ")


def _letters(api: Api, eid: int, kind: str) -> list[str]:
    documents = api.get(f"/v1/engagements/{eid}/documents").json
    return [_text(api, d["id"]) for d in documents if d["kind"] == kind]


def _accept(api: Api, eid: int, accepted_on: str, amendment_id: int = 1) -> Any:
    body = {
        "accepted_by": "Giulia Rossi, amministratrice",
        "accepted_on": accepted_on,
        "method": "signed_copy",
    }
    return api.post(f"/v1/engagements/{eid}/amendments/{amendment_id}/acceptance", json=body)


def test_the_letter_proposes_one_dated_change_in_the_contracts_own_numbering(api: Api) -> None:
    eid = api.create_engagement()["id"]
    assert _patch(api, eid, ISSUE_PATCH).status_code == 200
    [text] = _letters(api, eid, "contract_amendment")
    assert "Vi proponiamo di modificare il contratto" in text and "modifichiamo" not in text
    # One effective day; the new fee runs from it, not from the contract's start.
    # The letter's date (also named in the acceptance block), the contract's date (twice): no
    # other day of December, and the duration clause, which does not change, is not quoted.
    assert text.count("1° dicembre 2026") == 4 and "Durata" not in text
    assert "1.350,00 € a partire dal giorno 1° marzo 2027" in text
    assert "a partire dal giorno 1° dicembre 2026" not in text
    # The added clause keeps the signed numbering: 9-bis, never a second "Articolo 10".
    assert "Articolo 9-bis, Pagamento anticipato dopo un ritardo (nuovo articolo" in text
    assert "Articolo 10" not in text
    assert "Articolo 2, Compenso (nuovo testo)" in text and "Articolo 3, Pagamento (nuovo testo)" in text
    # No contradictory bullets: the prepayment applies after a late payment, by its clause.
    assert "entro il giorno 1° di ogni mese" not in text
    assert "Data di pagamento: il giorno 10 di ogni mese (anziché il giorno 1° di ogni mese)." in text
    assert "Ritardi di pagamento: si aggiunge l'articolo 9-bis, per cui dopo un pagamento tardivo" in text
    assert "Riferimento: articoli 2, 3, 9-bis del nostro contratto sottoscritto il 1° dicembre 2026." in text
    assert "Per accettazione: Bottega Rossi S.r.l." in text and "Firma:" in text


def test_the_english_letter_cites_the_clauses_that_change(api: Api) -> None:
    eid = api.create_engagement(language="en")["id"]
    assert _patch(api, eid, ISSUE_PATCH).status_code == 200
    [text] = _letters(api, eid, "contract_amendment")
    assert "We propose to amend the agreement" in text
    assert "Clause 9A, Payment in advance after a late payment (new clause, inserted after clause 9)" in text
    assert "Reference: clauses 2, 3, 9A of our agreement signed on 1 December 2026." in text
    assert "Accepted for and on behalf of Bottega Rossi S.r.l." in text


def test_without_acceptance_nothing_changes_on_the_day(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement()["id"]
    _patch(api, eid, ISSUE_PATCH)
    clock.advance(days=91)  # 2 March 2027
    assert api.post("/v1/clock/tick").status_code == 200
    march = next(i for i in api.get(f"/v1/engagements/{eid}/invoices").json if i["period"] == "2027-03")
    assert (march["amount"], march["due_on"]) == ("1200.00", "2027-03-01")
    assert api.get(f"/v1/engagements/{eid}").json["pending_terms"][0]["status"] == "proposed"
    # Its day has passed: it can no longer be accepted, only withdrawn and proposed again.
    late = _accept(api, eid, "2027-03-02")
    assert late.status_code == 409 and "1° marzo 2027" in late.json["detail"]


def test_accepted_terms_bind_from_midnight_of_their_day_before_that_days_letters(
    api: Api, clock: FakeClock
) -> None:
    eid = api.create_engagement()["id"]
    _patch(api, eid, ISSUE_PATCH)
    clock.advance(days=10)  # 11 December 2026: the client signs and returns the letter
    accepted = _accept(api, eid, "2026-12-10")
    assert accepted.status_code == 201, accepted.json
    assert (accepted.json["status"], accepted.json["in_force"]) == ("accepted", False)
    assert accepted.json["acceptance"]["method"] == "signed_copy"
    events = api.get(f"/v1/engagements/{eid}/events").json
    assert events[-1]["type"] == "terms_accepted" and events[-1]["payload"]["accepted_by"].startswith(
        "Giulia"
    )
    # Nothing paid from December on: by 11 March a reminder is due, dated after the day.
    for day in (30, 30, 30):
        clock.advance(days=day)
        api.post("/v1/clock/tick")
    invoices = {i["period"]: i for i in api.get(f"/v1/engagements/{eid}/invoices").json}
    assert (invoices["2027-02"]["amount"], invoices["2027-03"]["amount"]) == ("1200.00", "1350.00")
    assert invoices["2027-03"]["due_on"] == "2027-03-10"
    types = [e["type"] for e in api.get(f"/v1/engagements/{eid}/events").json]
    in_force, march = types.index("terms_in_force"), len(types) - types[::-1].index("invoice_issued") - 1
    assert in_force < march  # the terms at 00:00, then the day's invoice
    engagement = api.get(f"/v1/engagements/{eid}").json
    assert engagement["payment_terms"]["due_day"] == 10 and engagement["monthly_fee"] == "1350.00"


def test_a_pending_proposal_can_be_withdrawn_and_then_not_accepted(api: Api) -> None:
    eid = api.create_engagement()["id"]
    _patch(api, eid, ISSUE_PATCH)
    path = f"/v1/engagements/{eid}/amendments/1/withdrawal"
    withdrawn = api.post(path, json={"reason": "Agreed by phone to keep the current fee"})
    assert withdrawn.status_code == 201 and withdrawn.json["status"] == "withdrawn"
    assert api.get(f"/v1/engagements/{eid}").json["pending_terms"] == []
    assert _accept(api, eid, "2026-12-01").status_code == 409
    assert api.post(path, json={"reason": "again"}).status_code == 409
    assert api.post(f"/v1/engagements/{eid}/amendments/9/withdrawal", json={"reason": "x"}).status_code == 404
    events = api.get(f"/v1/engagements/{eid}/events").json
    assert events[-1]["type"] == "terms_withdrawn" and events[-1]["payload"]["reason"].startswith("Agreed")
