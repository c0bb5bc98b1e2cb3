"""Issue 30, item 3: interest and compensation once claimed stay claimed in every later letter
and in the statement until paid or waived; payments settle capital first, so work resumes."""

from __future__ import annotations

from tests.conftest import Api, FakeClock


def _unpaid_and_claimed(api: Api, clock: FakeClock) -> int:
    """December and January unpaid, work paused, a statement claiming interest sent on 20 Jan."""
    eid = api.create_engagement()["id"]
    clock.advance(days=50)  # 20 January 2027
    api.post("/v1/clock/tick")
    assert api.get(f"/v1/engagements/{eid}").json["state"] == "paused"
    sent = api.post(f"/v1/engagements/{eid}/documents", json={"kind": "statement"})
    assert sent.status_code == 201, sent.json
    return eid


def test_paying_the_invoices_resumes_work_and_the_claim_stays_due(api: Api, clock: FakeClock) -> None:
    eid = _unpaid_and_claimed(api, clock)
    claimed = api.get(f"/v1/engagements/{eid}/statement").json
    interest = claimed["interest_total"]
    assert claimed["claim"]["claimed_on"] == "2027-01-20"
    paid = api.post(
        f"/v1/engagements/{eid}/payments",
        json={"amount": "2400.00", "received_on": "2027-01-20", "reference": "Bonifico"},
    )
    assert paid.status_code == 201, paid.json
    assert paid.json["engagement"]["state"] == "active"  # capital first: work resumes
    [resume] = api.document_texts(eid, "resume_notice")
    assert "Non risultano più importi da saldare" not in resume
    assert "Restano dovuti, separatamente, gli interessi di mora" in resume
    assert "art. 1194 c.c." in resume and "20 gennaio 2027" in resume
    after = api.get(f"/v1/engagements/{eid}/statement").json
    assert after["outstanding_total"] == "0.00"
    assert after["claim"]["due"] == after["claimable_total"]  # interest and compensation only
    assert after["interest_total"] == interest and after["compensation_total"] == "80.00"


def test_a_payment_beyond_the_invoices_settles_the_claim_before_credit(api: Api, clock: FakeClock) -> None:
    eid = _unpaid_and_claimed(api, clock)
    due = api.get(f"/v1/engagements/{eid}/statement").json["claimable_total"]
    body = {"amount": due, "received_on": "2027-01-20", "reference": "Saldo con interessi"}
    assert api.post(f"/v1/engagements/{eid}/payments", json=body).status_code == 201
    statement = api.get(f"/v1/engagements/{eid}/statement").json
    assert statement["claim"]["due"] == "0.00" and api.get(f"/v1/engagements/{eid}").json["credit"] == "0.00"
    [resume] = api.document_texts(eid, "resume_notice")
    assert "Non risultano più importi da saldare" in resume


def test_a_waiver_is_the_users_recorded_act(api: Api, clock: FakeClock) -> None:
    eid = _unpaid_and_claimed(api, clock)
    nothing = api.post(
        f"/v1/engagements/{api.create_engagement()['id']}/transitions",
        json={"trigger": "waive_interest", "data": {"waiver_reason": "Goodwill"}},
    )
    assert nothing.status_code == 422  # nothing claimed there
    body = {"amount": "2400.00", "received_on": "2027-01-20", "reference": "Bonifico"}
    api.post(f"/v1/engagements/{eid}/payments", json=body)
    waived = api.fire(eid, "waive_interest", waiver_reason="Long-standing client, first delay")
    assert waived.status_code == 200, waived.json
    payload = waived.json["event"]["payload"]
    assert payload["reason"] == "Long-standing client, first delay" and payload["waived"] != "0.00"
    statement = api.get(f"/v1/engagements/{eid}/statement").json
    assert statement["claim"]["due"] == "0.00" and statement["claim"]["waiver"]["reason"].startswith("Long")
    api.fire(eid, "begin_offboarding", reason="mutual", explanation="Agreed by phone")
    [termination] = api.document_texts(eid, "termination_agreement")  # a mutual ending is an agreement
    assert "Restano dovuti" not in termination
