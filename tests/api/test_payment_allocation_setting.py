"""Issue 30: the order payments are applied in, and whether the claimed interest holds the
resume, are account settings (PATCH /v1/tenant); the record and the letters name the rule."""

from __future__ import annotations

from decimal import Decimal

from tests.api.test_claims_stay_claimed import _unpaid_and_claimed
from tests.conftest import Api, FakeClock


def _pay(api: Api, eid: int, amount: str) -> dict:
    paid = api.post(
        f"/v1/engagements/{eid}/payments",
        json={"amount": amount, "received_on": "2027-01-20", "reference": f"Bonifico {amount}"},
    )
    assert paid.status_code == 201, paid.json
    return paid.json


def test_the_settings_default_to_capital_first_and_a_resume_the_claim_does_not_hold(api: Api) -> None:
    tenant = api.get("/v1/tenant").json
    assert tenant["payment_allocation"] == "capital_first" and tenant["interest_holds_resume"] is False
    changed = api.patch("/v1/tenant", json={"payment_allocation": "statutory", "interest_holds_resume": True})
    assert changed.status_code == 200, changed.json
    assert changed.json["payment_allocation"] == "statutory" and changed.json["interest_holds_resume"] is True
    assert api.get("/v1/tenant").json["payment_allocation"] == "statutory"


def test_a_wrong_value_is_a_422_naming_the_field(api: Api) -> None:
    for body in ({"payment_allocation": "interest_last"}, {"interest_holds_resume": "yes"}):
        refused = api.patch("/v1/tenant", json=body)
        assert refused.status_code == 422 and list(refused.json["errors"]) == list(body), refused.json
    assert api.get("/v1/tenant").json["payment_allocation"] == "capital_first"


def test_the_statutory_order_settles_the_claim_first_and_the_letter_says_so(
    api: Api, clock: FakeClock
) -> None:
    eid = _unpaid_and_claimed(api, clock)
    claim = api.get(f"/v1/engagements/{eid}/statement").json["claim"]["due"]
    assert api.patch("/v1/tenant", json={"payment_allocation": "statutory"}).status_code == 200
    paid = _pay(api, eid, "2400.00")
    # The claim took its share first: January's invoice keeps that much unpaid, work stays paused.
    payload = paid["event"]["payload"]
    assert payload["allocation"] == "statutory" and payload["claim_settled"] == claim
    assert paid["engagement"]["state"] == "paused" and paid["resume_event"] is None
    assert Decimal(payload["balance_due"]) == Decimal(claim)
    statement = api.get(f"/v1/engagements/{eid}/statement").json
    assert statement["claim"]["allocation"] == "statutory" and statement["claim"]["paid"] == claim
    resumed = _pay(api, eid, payload["balance_due"])
    assert resumed["engagement"]["state"] == "active"
    [resume] = api.document_texts(eid, "resume_notice")
    assert "prima agli importi forfettari e agli interessi richiesti e poi" in resume
    assert "art. 1194 c.c." in resume and "prima al capitale delle fatture" not in resume


def test_capital_first_names_its_own_rule(api: Api, clock: FakeClock) -> None:
    eid = _unpaid_and_claimed(api, clock)
    paid = _pay(api, eid, "2400.00")
    assert paid["event"]["payload"]["allocation"] == "capital_first"
    assert paid["event"]["payload"]["claim_settled"] == "0.00"
    [resume] = api.document_texts(eid, "resume_notice")
    assert "prima al capitale delle fatture e poi agli interessi" in resume


def test_an_account_may_let_the_unpaid_claim_hold_the_resume(api: Api, clock: FakeClock) -> None:
    eid = _unpaid_and_claimed(api, clock)
    assert api.patch("/v1/tenant", json={"interest_holds_resume": True}).status_code == 200
    paid = _pay(api, eid, "2400.00")
    assert paid["engagement"]["state"] == "paused"  # the invoices are paid, the claim is not
    listed = api.get(f"/v1/engagements/{eid}/transitions").json["transitions"]
    [blocked] = [t for t in listed if t["trigger"] == "resume"]
    assert any("interessi e importi forfettari richiesti" in b for b in blocked["blocked_by"]), blocked
    claim = api.get(f"/v1/engagements/{eid}/statement").json["claim"]["due"]
    assert _pay(api, eid, claim)["engagement"]["state"] == "active"
