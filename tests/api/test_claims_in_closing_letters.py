"""Issue 30, item 3, the English half: a letter before action claims interest and the fixed sum;
the termination notice and the closing record that follow must still claim them (they said
£1,500.00 where the letter before action had demanded £1,574.35)."""

from __future__ import annotations

from tests.api.test_offboarding_journeys import document_text, fire_ok, handover
from tests.conftest import Api, FakeClock

GB = {"language": "en", "jurisdiction": "GB", "currency": "GBP"}


def test_the_termination_and_the_closing_record_keep_the_claim_of_the_letter_before_action(
    api: Api, clock: FakeClock
) -> None:
    eid = api.create_engagement(**GB)["id"]  # December's £1,200.00, due 1 December, never paid
    clock.advance(days=9)  # Thu 10 December: overdue and paused
    api.post("/v1/clock/tick")
    demand = fire_ok(api, eid, "send_formal_demand")
    deadline = demand["event"]["payload"]["deadline"]
    clock.advance(days=30)  # Sat 9 January 2027, past the deadline
    api.post("/v1/clock/tick")
    assert deadline < "2027-01-09"
    fire_ok(api, eid, "begin_offboarding", reason="non_payment")
    claim = api.get(f"/v1/engagements/{eid}/statement").json["claim"]
    assert claim["claimed_on"] == "2026-12-10" and claim["due"] != "0.00"
    due = f"£{float(claim['due']):,.2f}"
    termination = " ".join(document_text(api, eid, "termination_notice").split())
    assert "remain due separately: " + due in termination, termination
    assert "Payments are applied first to the invoices, then to interest and compensation" in termination
    for item in api.get(f"/v1/engagements/{eid}/handover").json:
        assert handover(api, eid, item["id"], "waive", "Withheld until paid").status_code == 200
    fire_ok(api, eid, "close")
    closing = " ".join(document_text(api, eid, "closing_record").split())
    assert "remain due separately: " + due in closing, closing
